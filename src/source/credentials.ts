// Credentials of a chart source, from a Kubernetes Secret (spec.chart.*.secretRef) or from the CLI's
// helm-style flags. Pure. The Secret's keys follow Flux's HelmRepository and kubernetes.io/basic-auth:
// username/password, token, ca.crt, tls.crt + tls.key, and .dockerconfigjson for OCI.
import { createHash } from 'node:crypto';
import { ChartSourceError, type SourceAuth } from './types.js';

export const SECRET_KEYS = ['username', 'password', 'token', 'ca.crt', 'tls.crt', 'tls.key', '.dockerconfigjson', 'insecureSkipTLSVerify'] as const;

/** SourceAuth from a Secret's `data` (base64 values). Throws SourceInvalid on a half-given pair. */
export function authFromSecret(secretName: string, data: Record<string, string> | undefined): SourceAuth {
  const get = (key: string) => {
    const v = data?.[key];
    return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
  };
  const auth: SourceAuth = {};
  const username = get('username');
  const password = get('password');
  if (username !== undefined) auth.username = username.replace(/\r?\n$/, '');
  if (password !== undefined) auth.password = password.replace(/\r?\n$/, '');
  const token = get('token');
  if (token !== undefined) auth.token = token.trim();
  const ca = get('ca.crt');
  if (ca !== undefined) auth.caPem = ca;
  const cert = get('tls.crt');
  const key = get('tls.key');
  if ((cert === undefined) !== (key === undefined)) {
    throw new ChartSourceError('SourceInvalid', `Secret ${secretName}: a client certificate needs both tls.crt and tls.key; only ${cert === undefined ? 'tls.key' : 'tls.crt'} is set`, false);
  }
  if (cert !== undefined) auth.certPem = cert;
  if (key !== undefined) auth.keyPem = key;
  const docker = get('.dockerconfigjson');
  if (docker !== undefined) auth.dockerConfigJson = docker;
  if (get('insecureSkipTLSVerify')?.trim() === 'true') auth.insecureSkipTLSVerify = true;
  if ((auth.username === undefined) !== (auth.password === undefined)) {
    throw new ChartSourceError('SourceInvalid', `Secret ${secretName}: basic authentication needs both username and password; only ${auth.username === undefined ? 'password' : 'username'} is set`, false);
  }
  if (Object.keys(auth).length === 0) {
    throw new ChartSourceError('SourceInvalid', `Secret ${secretName} has none of the keys ${SECRET_KEYS.filter((k) => k !== 'insecureSkipTLSVerify').join(', ')}`, false);
  }
  return auth;
}

/** SourceAuth from helm's flags (--username, --password, --ca-file, ... read by the caller). */
export function authFromFlags(flags: { username?: string; password?: string; caPem?: string; certPem?: string; keyPem?: string; insecureSkipTLSVerify?: boolean }): SourceAuth | undefined {
  const auth: SourceAuth = {};
  if (flags.username !== undefined || flags.password !== undefined) {
    auth.username = flags.username ?? '';
    auth.password = flags.password ?? '';
  }
  if (flags.caPem !== undefined) auth.caPem = flags.caPem;
  if (flags.certPem !== undefined) auth.certPem = flags.certPem;
  if (flags.keyPem !== undefined) auth.keyPem = flags.keyPem;
  if (flags.insecureSkipTLSVerify) auth.insecureSkipTLSVerify = true;
  return Object.keys(auth).length ? auth : undefined;
}

/**
 * A short fingerprint of credentials, to key caches: two releases with different credentials never
 * share what one of them was allowed to read. Not reversible; never shown.
 */
export function authFingerprint(auth: SourceAuth | undefined): string {
  if (!auth) return 'anonymous';
  const fields = [auth.username, auth.password, auth.token, auth.caPem, auth.certPem, auth.keyPem, auth.dockerConfigJson, auth.insecureSkipTLSVerify ? '1' : ''];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 32);
}
