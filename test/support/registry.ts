// A real OCI registry for tests: the CNCF distribution registry, built from its Go module by
// test/registry/build.sh (cached like the control plane; see docs/registry.md), started on a free
// loopback port with a throw-away storage directory. Anonymous, with htpasswd Basic auth, or with the
// distribution token flow (a Bearer challenge answered by a small token server here, which signs
// ES256 JWTs the registry verifies against a JWKS), over plain HTTP or TLS with a test CA (optionally
// requiring a client certificate). Charts are pushed with the real `helm push`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { helmPackage, makeTestPki, writeTestChart, type TestPki } from './chart-repo.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const isCI = process.env.CI === 'true' || process.env.CI === '1';

export const REGISTRY_USER = 'chartrelease';
export const REGISTRY_PASSWORD = 'chartrelease-test-password';
/** A refresh token the test token service accepts (a dockerconfigjson `identitytoken`). */
export const REGISTRY_IDENTITY_TOKEN = 'chartrelease-test-refresh-token';
// bcrypt (cost 4) of REGISTRY_PASSWORD: the registry's htpasswd accepts only bcrypt. Made with
// golang.org/x/crypto/bcrypt.GenerateFromPassword([]byte(REGISTRY_PASSWORD), bcrypt.MinCost).
const REGISTRY_PASSWORD_BCRYPT = '$2a$04$d1pxV4pvXP/LCcROrWch4OiGUfiNrt8DpLglnxeihdItxLbLeucBO';

let binaryCache: string | null | undefined;
let binaryProblem = '';

/** The registry binary: $CHARTRELEASE_REGISTRY_BIN, or test/registry/build.sh's cached build (built on first use). */
export function registryBinary(): string | null {
  if (binaryCache !== undefined) return binaryCache;
  if (process.env.CHARTRELEASE_REGISTRY_PROBLEM) {
    binaryProblem = process.env.CHARTRELEASE_REGISTRY_PROBLEM;
    return (binaryCache = null);
  }
  const fromEnv = process.env.CHARTRELEASE_REGISTRY_BIN;
  if (fromEnv) {
    binaryCache = existsSync(join(fromEnv, 'registry')) ? join(fromEnv, 'registry') : null;
    if (!binaryCache) binaryProblem = `CHARTRELEASE_REGISTRY_BIN=${fromEnv} has no registry binary`;
    return binaryCache;
  }
  const built = spawnSync('bash', [join(root, 'test', 'registry', 'build.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const dir = built.stdout?.trim().split('\n').pop();
  binaryCache = built.status === 0 && dir && existsSync(join(dir, 'registry')) ? join(dir, 'registry') : null;
  if (!binaryCache) binaryProblem = `test/registry/build.sh exited with ${built.status} (see the [registry] lines above)`;
  return binaryCache;
}

/** The registry binary, or a skipped test (a failed one under CI=true, where it must build). */
export function requireRegistry(t: TestContext): string | null {
  const bin = registryBinary();
  if (bin) return bin;
  if (isCI) throw new Error(`no OCI registry for the tests: ${binaryProblem}`);
  t.skip(`no OCI registry: ${binaryProblem}`);
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** An ES256 JWT the registry's token access controller accepts (RFC 7519 claims plus `access`). */
function signToken(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const head = b64url(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid }));
  const body = b64url(JSON.stringify(claims));
  const signature = sign('sha256', Buffer.from(`${head}.${body}`), { key, dsaEncoding: 'ieee-p1363' });
  return `${head}.${body}.${b64url(signature)}`;
}

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  jwksFile: string;
  /** Token requests seen: what scope, with which user (or anonymous). */
  requests: { user: string | null; scope: string[]; method: string }[];
  close(): Promise<void>;
}

/** The registry's token service: Basic auth with the test user, a signed token for the scopes asked. */
async function startTokenServer(dir: string, pki: TestPki | undefined): Promise<TokenServer> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('hex').slice(0, 32);
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' };
  const jwksFile = join(dir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify({ keys: [jwk] }));
  const service = 'chartrelease-test-registry';
  const issuer = 'chartrelease-test-issuer';
  const requests: TokenServer['requests'] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'POST') {
      let body = '';
      req.setEncoding('utf8').on('data', (d: string) => (body += d));
      req.on('end', () => answer(req, res, new URLSearchParams(body)));
      return;
    }
    answer(req, res, new URL(req.url ?? '/', 'http://x').searchParams);
  };
  // GET ?service=&scope= with Basic auth (the distribution token flow), or a POST form with
  // grant_type=refresh_token (OAuth2, for identity tokens).
  const answer = (req: IncomingMessage, res: ServerResponse, params: URLSearchParams) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const header = req.headers.authorization ?? '';
    let user: string | null = null;
    if (params.get('grant_type') === 'refresh_token') {
      if (params.get('refresh_token') !== REGISTRY_IDENTITY_TOKEN) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
        return;
      }
      user = REGISTRY_USER;
    } else if (header.startsWith('Basic ')) {
      const [u, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
      if (u === REGISTRY_USER && rest.join(':') === REGISTRY_PASSWORD) user = u;
      else {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}');
        return;
      }
    }
    const scope = params.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean);
    requests.push({ user, scope, method: req.method ?? '' });
    if (url.pathname !== '/token' || params.get('service') !== service) {
      res.writeHead(400).end('wrong path or service');
      return;
    }
    if (!user) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="chartrelease-test-token"' }).end('credentials required');
      return;
    }
    const access = scope.map((s) => {
      const [type, ...restParts] = s.split(':');
      const actions = restParts.pop() ?? '';
      return { type, name: restParts.join(':'), actions: actions.split(',').filter((a) => a === 'pull' || a === 'push') };
    });
    const now = Math.floor(Date.now() / 1000);
    const token = signToken(privateKey, kid, { iss: issuer, sub: user, aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }));
  };
  const server: Server = pki ? createHttpsServer({ cert: pki.serverCert, key: pki.serverKey }, handler) : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    realm: `${pki ? 'https' : 'http'}://127.0.0.1:${port}/token`,
    service,
    issuer,
    jwksFile,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RegistryOptions {
  auth?: 'none' | 'basic' | 'token';
  /** Serve HTTPS with a test CA (default plain HTTP). */
  tls?: boolean;
  /** With tls: require a client certificate signed by the test CA. */
  clientCert?: boolean;
  /** Log every request the registry answers (its access log), for requestsTo(). */
  accessLog?: boolean;
}

export interface TestRegistry {
  /** host:port */
  host: string;
  /** oci://host:port */
  url: string;
  plainHTTP: boolean;
  pki?: TestPki;
  tokenServer?: TokenServer;
  dir: string;
  /** Requests the registry answered whose path matches `path` (needs `accessLog`): its own access log, one line each. */
  requestsTo(path: RegExp): string[];
  /** `helm push` of a packaged chart to oci://host:port/<path>; resolves with the pushed manifest digest. */
  push(tgz: string, path: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Runs helm with its registry config, cache and data kept in `dir` (never the user's). Asynchronous:
 * the token server answering helm runs in this process, so blocking on helm would deadlock.
 */
export function helm(dir: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const bin = process.env.CHARTRELEASE_HELM;
  if (!bin) throw new Error('CHARTRELEASE_HELM is not set: run the tests through test/run.js');
  const env = {
    ...process.env,
    HELM_REGISTRY_CONFIG: join(dir, 'helm', 'registry.json'),
    HELM_CACHE_HOME: join(dir, 'helm', 'cache'),
    HELM_CONFIG_HOME: join(dir, 'helm', 'config'),
    HELM_DATA_HOME: join(dir, 'helm', 'data'),
  };
  return new Promise((resolve) => {
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => resolve({ status: null, stdout, stderr: stderr + err.message }));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The flags helm needs to reach `reg` (TLS CA or --plain-http, credentials). */
export function helmRegistryFlags(reg: Pick<TestRegistry, 'plainHTTP' | 'pki'>, auth: boolean): string[] {
  return [
    ...(reg.plainHTTP ? ['--plain-http'] : ['--ca-file', reg.pki!.files.ca, '--cert-file', reg.pki!.files.clientCert, '--key-file', reg.pki!.files.clientKey]),
    ...(auth ? ['--username', REGISTRY_USER, '--password', REGISTRY_PASSWORD] : []),
  ];
}

async function waitReady(url: string, child: ChildProcess, logFile: string, tls: { ca: string; cert?: string; key?: string } | undefined): Promise<void> {
  const deadline = Date.now() + 30_000;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the registry exited with ${child.exitCode}: ${readFileSync(logFile, 'utf8').slice(-2000)}`);
    const status = await new Promise<number>((resolve) => {
      const req = (tls ? httpsRequest : httpRequest)(`${url}/v2/`, { method: 'GET', timeout: 2000, ...(tls ?? {}) }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', (err) => {
        lastError = err.message;
        resolve(0);
      });
      req.on('timeout', () => req.destroy());
      req.end();
    });
    if (status === 200 || status === 401) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the registry at ${url} did not answer within 30s (${lastError}); log: ${logFile}`);
}

/** Starts a registry; the test's `after` stops it and removes its storage. */
export async function startRegistry(t: TestContext, bin: string, options: RegistryOptions = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'chartrelease-registry-'));
  const pki = options.tls ? makeTestPki() : undefined;
  if (pki) {
    writeFileSync(join(dir, 'server.crt'), pki.serverCert);
    writeFileSync(join(dir, 'server.key'), pki.serverKey, { mode: 0o600 });
  }
  const tokenServer = options.auth === 'token' ? await startTokenServer(dir, pki) : undefined;
  const lines = [
    'version: 0.1',
    `log: {level: warn, accesslog: {disabled: ${options.accessLog ? 'false' : 'true'}}}`,
    `storage: {filesystem: {rootdirectory: ${JSON.stringify(join(dir, 'data'))}}, delete: {enabled: true}, maintenance: {uploadpurging: {enabled: false}}}`,
  ];
  if (options.auth === 'basic') {
    writeFileSync(join(dir, 'htpasswd'), `${REGISTRY_USER}:${REGISTRY_PASSWORD_BCRYPT}\n`);
    lines.push(`auth: {htpasswd: {realm: chartrelease-test, path: ${JSON.stringify(join(dir, 'htpasswd'))}}}`);
  }
  if (tokenServer) {
    lines.push(
      `auth: {token: {realm: ${JSON.stringify(tokenServer.realm)}, service: ${tokenServer.service}, issuer: ${tokenServer.issuer}, jwks: ${JSON.stringify(tokenServer.jwksFile)}, signingalgorithms: [ES256]}}`,
    );
  }
  let lastErr: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    const tls = pki ? `, tls: {certificate: ${JSON.stringify(join(dir, 'server.crt'))}, key: ${JSON.stringify(join(dir, 'server.key'))}${options.clientCert ? `, clientcas: [${JSON.stringify(pki.files.ca)}]` : ''}}` : '';
    writeFileSync(join(dir, 'config.yml'), [...lines, `http: {addr: ${JSON.stringify(host)}, secret: chartrelease-test-secret, draintimeout: 1s${tls}}`, ''].join('\n'));
    const logFile = join(dir, `registry-${attempt}.log`);
    writeFileSync(logFile, '');
    const fd = openSync(logFile, 'a');
    const child = spawn(bin, ['serve', join(dir, 'config.yml')], {
      stdio: ['ignore', fd, fd],
      env: { PATH: process.env.PATH ?? '', HOME: dir, OTEL_TRACES_EXPORTER: 'none', OTEL_SDK_DISABLED: 'true' },
    });
    closeSync(fd);
    const url = `${pki ? 'https' : 'http'}://${host}`;
    try {
      await waitReady(url, child, logFile, pki ? { ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey } : undefined);
    } catch (err) {
      lastErr = err;
      child.kill('SIGKILL');
      continue;
    }
    const reg: TestRegistry = {
      host,
      url: `oci://${host}`,
      plainHTTP: !pki,
      ...(pki ? { pki } : {}),
      ...(tokenServer ? { tokenServer } : {}),
      dir,
      requestsTo(path: RegExp): string[] {
        if (!options.accessLog) throw new Error('requestsTo needs a registry started with accessLog: true');
        // Combined log format: ... "GET /v2/<name>/tags/list?n=2 HTTP/1.1" 200 ...
        return readFileSync(logFile, 'utf8')
          .split('\n')
          .filter((line) => {
            const m = /"[A-Z]+ (\S+) HTTP\/[\d.]+"/.exec(line);
            return m !== null && path.test(m[1]!);
          });
      },
      async push(tgz: string, path: string): Promise<string> {
        const r = await helm(dir, ['push', tgz, `oci://${host}/${path}`, ...helmRegistryFlags(reg, options.auth === 'basic' || options.auth === 'token')]);
        if (r.status !== 0) throw new Error(`helm push ${tgz} oci://${host}/${path}: ${r.stderr}`);
        const m = /Digest: (sha256:[a-f0-9]{64})/.exec(r.stdout + r.stderr);
        if (!m) throw new Error(`helm push printed no digest: ${r.stdout}${r.stderr}`);
        return m[1]!;
      },
      async stop() {
        if (child.exitCode === null) {
          child.kill('SIGTERM');
          await new Promise((r) => {
            const timer = setTimeout(() => {
              child.kill('SIGKILL');
              r(undefined);
            }, 3000);
            child.once('exit', () => {
              clearTimeout(timer);
              r(undefined);
            });
          });
        }
        await tokenServer?.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    t.after(() => reg.stop());
    return reg;
  }
  await tokenServer?.close();
  throw lastErr instanceof Error ? lastErr : new Error(String(lastErr));
}


/** The test chart `name` at `version` (with `extra` files), packaged by helm; returns the .tgz path. */
export function packageTestChart(name: string, version: string, extra: Record<string, string> = {}): string {
  const src = mkdtempSync(join(tmpdir(), 'chartrelease-oci-src-'));
  const out = mkdtempSync(join(tmpdir(), 'chartrelease-oci-pkg-'));
  helmPackage(writeTestChart(src, name, version, extra), out);
  rmSync(src, { recursive: true, force: true });
  return join(out, `${name}-${version}.tgz`);
}
