// Registry authentication decisions, as Docker/OCI clients make them: reading a `WWW-Authenticate`
// challenge (Basic, or Bearer with realm/service/scope: the token flow of the distribution spec),
// and picking a registry's credentials out of a `.dockerconfigjson`. Pure.
import type { SourceAuth } from './types.js';

/** One parsed `WWW-Authenticate` challenge. */
export interface AuthChallenge {
  scheme: 'basic' | 'bearer' | string;
  params: Record<string, string>;
}

/**
 * Parses a `WWW-Authenticate` header (RFC 7235: `Scheme k="v", k=v, ...`; several challenges may
 * follow one another). Unknown schemes are kept; malformed input yields what could be read.
 */
export function parseChallenges(header: string): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  let i = 0;
  const s = header;
  const skipSpaces = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  while (i < s.length) {
    skipSpaces();
    while (i < s.length && s[i] === ',') i++;
    skipSpaces();
    const schemeMatch = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+/.exec(s.slice(i));
    if (!schemeMatch) break;
    i += schemeMatch[0].length;
    const challenge: AuthChallenge = { scheme: schemeMatch[0].toLowerCase(), params: {} };
    out.push(challenge);
    // Parameters: name=value pairs separated by commas, until the next scheme token.
    for (;;) {
      skipSpaces();
      const m = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*=\s*/.exec(s.slice(i));
      if (!m) break;
      i += m[0].length;
      let value = '';
      if (s[i] === '"') {
        i++;
        while (i < s.length && s[i] !== '"') {
          if (s[i] === '\\' && i + 1 < s.length) i++;
          value += s[i];
          i++;
        }
        i++; // closing quote
      } else {
        const v = /^[^,\s]*/.exec(s.slice(i))![0];
        value = v;
        i += v.length;
      }
      challenge.params[m[1]!.toLowerCase()] = value;
      skipSpaces();
      if (s[i] === ',') {
        i++;
        // A comma followed by `token=` continues this challenge; by `token ` (no `=`) starts the next.
        const ahead = /^\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+\s*(=?)/.exec(s.slice(i));
        if (!ahead || ahead[1] !== '=') break;
      } else {
        break;
      }
    }
  }
  return out;
}

/** The pull scope the distribution spec's token flow asks for on a repository. */
export function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

/** The URL to ask a Bearer challenge's realm for a token: `realm?service=...&scope=...`. */
export function tokenUrl(challenge: AuthChallenge, fallbackScope: string): URL | undefined {
  const realm = challenge.params.realm;
  if (!realm) return undefined;
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
  for (const scope of (challenge.params.scope || fallbackScope).split(' ').filter(Boolean)) url.searchParams.append('scope', scope);
  return url;
}

/** Docker's config.json key for a registry: `https://host/v1/`, `host`, `http://host:5000` ... all name `host`. */
function registryKeyHost(key: string): string {
  let k = key.trim();
  k = k.replace(/^[a-z]+:\/\//i, '');
  const slash = k.indexOf('/');
  if (slash >= 0) k = k.slice(0, slash);
  return k.toLowerCase();
}

/** Thrown for a `.dockerconfigjson` that cannot be read; the message never quotes its content. */
export class DockerConfigError extends Error {}

/**
 * The credentials a `.dockerconfigjson` holds for `registry` (host or host:port): `username` and
 * `password`, or `auth` (base64 `user:password`), an `identitytoken` (exchanged for access tokens as a
 * refresh token) or a `registrytoken` (sent as a bearer token as it is). Undefined when it has none
 * for that host. Docker Hub's aliases are matched as Docker does.
 */
export function dockerConfigCredentials(configJson: string, registry: string): Pick<SourceAuth, 'username' | 'password' | 'token'> & { identityToken?: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(configJson);
  } catch {
    throw new DockerConfigError('the .dockerconfigjson key is not valid JSON');
  }
  const auths = (parsed as { auths?: unknown } | null)?.auths;
  if (!auths || typeof auths !== 'object' || Array.isArray(auths)) throw new DockerConfigError('the .dockerconfigjson has no "auths" object');
  const want = registry.toLowerCase();
  const aliases = new Set([want]);
  if (['docker.io', 'index.docker.io', 'registry-1.docker.io'].includes(want)) ['docker.io', 'index.docker.io', 'registry-1.docker.io'].forEach((a) => aliases.add(a));
  const entries = Object.entries(auths as Record<string, unknown>);
  // An exact key wins over a normalised one (`https://host/v1/`).
  const entry =
    entries.find(([k]) => k.toLowerCase() === want)?.[1] ??
    entries.find(([k]) => aliases.has(registryKeyHost(k)))?.[1];
  if (entry === undefined) return undefined;
  if (!entry || typeof entry !== 'object') throw new DockerConfigError(`the .dockerconfigjson entry for ${registry} is not an object`);
  const e = entry as Record<string, unknown>;
  const str = (k: string) => (typeof e[k] === 'string' && e[k] !== '' ? (e[k] as string) : undefined);
  let username = str('username');
  let password = str('password');
  const auth = str('auth');
  if (auth && username === undefined && password === undefined) {
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new DockerConfigError(`the .dockerconfigjson entry for ${registry} has an "auth" that is not base64 of user:password`);
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  const identityToken = str('identitytoken');
  const registryToken = str('registrytoken');
  return {
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(registryToken ? { token: registryToken } : {}),
    ...(identityToken ? { identityToken } : {}),
  };
}
