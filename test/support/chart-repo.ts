// A real Helm chart repository for tests: charts packaged and indexed by the reference `helm`
// (`helm package`, `helm repo index`), served from a directory by a small Node HTTP(S) server on
// 127.0.0.1, optionally behind basic auth, over TLS with a test CA (made by test/support/pki/main.go), and asking
// for a client certificate. Every request is logged so tests can count downloads.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { repoRoot } from './paths.js';
import { referenceTools } from './tools.js';

export interface RepoServerOptions {
  /** Directory served (index.yaml and the .tgz files). */
  dir: string;
  basicAuth?: { username: string; password: string };
  tls?: { cert: string; key: string; ca?: string; requireClientCert?: boolean };
}

export interface RepoServer {
  url: string;
  /** Paths requested, in order, with the status answered. */
  requests: { path: string; status: number; authorization?: string }[];
  close(): Promise<void>;
}

export async function startRepoServer(options: RepoServerOptions): Promise<RepoServer> {
  const requests: RepoServer['requests'] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const answer = (status: number, body: string | Buffer, headers: Record<string, string> = {}) => {
      requests.push({ path, status, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
      res.writeHead(status, headers).end(body);
    };
    if (options.basicAuth) {
      const expected = `Basic ${Buffer.from(`${options.basicAuth.username}:${options.basicAuth.password}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return answer(401, 'unauthorized\n', { 'www-authenticate': 'Basic realm="charts"' });
    }
    const file = normalize(join(options.dir, path));
    if (!file.startsWith(normalize(options.dir))) return answer(403, 'forbidden\n');
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch {
      return answer(404, 'not found\n');
    }
    answer(200, data, { 'content-type': path.endsWith('.yaml') ? 'text/yaml' : 'application/gzip', 'content-length': String(data.length) });
  };
  const server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key, ca: options.tls.ca, requestCert: !!options.tls.requireClientCert, rejectUnauthorized: !!options.tls.requireClientCert }, handler)
    : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface TestPki {
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** Files of the above, for CLI flags. */
  files: { ca: string; clientCert: string; clientKey: string };
}

/** The go command, found as test/controlplane/build.sh finds it. */
function goCommand(): string {
  if (process.env.GO) return process.env.GO;
  const onPath = (process.env.PATH ?? '').split(':').map((d) => join(d, 'go')).find((p) => existsSync(p));
  return onPath ?? '/usr/local/go/bin/go';
}

/**
 * A throw-away CA, a server certificate for 127.0.0.1 and localhost and a client certificate, made
 * by test/support/pki/main.go (Go's standard library: the Go toolchain is already a requirement).
 */
export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'chartrelease-pki-'));
  execFileSync(goCommand(), ['run', join(repoRoot, 'test', 'support', 'pki', 'main.go'), dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false', GO111MODULE: 'off' },
  });
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return {
    caCert: read('ca.crt'),
    serverCert: read('server.crt'),
    serverKey: read('server.key'),
    clientCert: read('client.crt'),
    clientKey: read('client.key'),
    files: { ca: join(dir, 'ca.crt'), clientCert: join(dir, 'client.crt'), clientKey: join(dir, 'client.key') },
  };
}

/** Writes a small chart (one ConfigMap showing its version) to `parent/name`; returns its directory. */
export function writeTestChart(parent: string, name: string, version: string, extra: Record<string, string> = {}): string {
  const dir = join(parent, `${name}-src-${version}`, name);
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: ${version}\nappVersion: "${version}"\ndescription: test chart ${name}\n`);
  writeFileSync(join(dir, 'values.yaml'), 'greeting: hello\n');
  writeFileSync(
    join(dir, 'templates', 'configmap.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-{{ .Chart.Name }}\ndata:\n  chartVersion: {{ .Chart.Version | quote }}\n  greeting: {{ .Values.greeting | quote }}\n',
  );
  for (const [file, text] of Object.entries(extra)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

/** `helm package CHART -d DIR` with the reference helm. */
export function helmPackage(chartDir: string, outDir: string): void {
  execFileSync(referenceTools().helm, ['package', chartDir, '-d', outDir], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** `helm repo index DIR [--url URL]` with the reference helm (absolute archive URLs when `url` is given). */
export function helmRepoIndex(dir: string, url?: string): void {
  execFileSync(referenceTools().helm, ['repo', 'index', dir, ...(url ? ['--url', url] : [])], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A repository directory with the given versions of a test chart, packaged and indexed by helm. */
export function makeRepoDir(charts: { name: string; versions: string[] }[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'chartrelease-repo-'));
  const src = mkdtempSync(join(tmpdir(), 'chartrelease-charts-'));
  for (const c of charts) for (const v of c.versions) helmPackage(writeTestChart(src, c.name, v), dir);
  helmRepoIndex(dir);
  return dir;
}

/** Publishes one more version into a repository directory (package + reindex), as a chart maintainer does. */
export function publishVersion(repoDir: string, name: string, version: string): void {
  const src = mkdtempSync(join(tmpdir(), 'chartrelease-charts-'));
  helmPackage(writeTestChart(src, name, version), repoDir);
  helmRepoIndex(repoDir);
}
