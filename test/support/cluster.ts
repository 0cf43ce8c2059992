// Helpers for integration tests against the one real control plane that test/run.js starts per run.
// The connection arrives through the environment:
//   CHARTRELEASE_TEST_KUBECONFIG             admin kubeconfig (system:masters)
//   CHARTRELEASE_TEST_RESTRICTED_KUBECONFIG  a user RBAC grants nothing until a test binds a role
//   CHARTRELEASE_TEST_RESTRICTED_USER        that user's name, for RoleBinding subjects
// Without them the tests skip locally with a message, and fail when CI=true.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, type RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { TestContext } from 'node:test';
import { parse } from 'yaml';
import { kubeconfigYaml } from '../../src/devcluster/kubeconfig.js';

export interface ClusterEnv {
  kubeconfig: string;
  restrictedKubeconfig: string;
  restrictedUser: string;
}

const MISSING =
  'no control plane: CHARTRELEASE_TEST_KUBECONFIG is not set. Run the tests with `npm test` (test/run.js builds and starts ' +
  'kube-apiserver + etcd), or point it at a running one (node dist/src/devcluster/cli.js prints the kubeconfig paths).';

export function clusterEnv(env: NodeJS.ProcessEnv = process.env): ClusterEnv | null {
  if (!env.CHARTRELEASE_TEST_KUBECONFIG) return null;
  return {
    kubeconfig: env.CHARTRELEASE_TEST_KUBECONFIG,
    restrictedKubeconfig: env.CHARTRELEASE_TEST_RESTRICTED_KUBECONFIG ?? '',
    restrictedUser: env.CHARTRELEASE_TEST_RESTRICTED_USER ?? '',
  };
}

/**
 * The control plane for an integration test, or null after marking the test skipped (locally).
 * With CI=true a missing control plane is a failure, never a silent skip.
 */
export function requireCluster(t: TestContext): ClusterEnv | null {
  const env = clusterEnv();
  if (env) return env;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`CI=true and ${MISSING}`);
  t.skip(MISSING);
  return null;
}

/** Whether integration tests will run; for `describe(..., { skip })` style use. */
export function clusterSkipReason(): string | false {
  if (clusterEnv()) return false;
  if (process.env.CI === 'true' || process.env.CI === '1') return false; // run, and fail in requireCluster
  return MISSING;
}

interface Connection {
  server: string;
  ca: string;
  token: string;
}

const connections = new Map<string, Connection>();

/** Server, CA and token from one of our kubeconfigs (token users only: what src/devcluster writes). */
export function connection(kubeconfigPath: string): Connection {
  let c = connections.get(kubeconfigPath);
  if (!c) {
    const kc = parse(readFileSync(kubeconfigPath, 'utf8')) as {
      clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
      users: { user: { token: string } }[];
    };
    c = {
      server: kc.clusters[0]!.cluster.server,
      ca: Buffer.from(kc.clusters[0]!.cluster['certificate-authority-data'], 'base64').toString('utf8'),
      token: kc.users[0]!.user.token,
    };
    connections.set(kubeconfigPath, c);
  }
  return c;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: IncomingMessage['headers'];
}

export interface ApiOptions {
  body?: unknown;
  /** Default: application/json, or application/apply-patch+yaml for PATCH with a string body. */
  contentType?: string;
  /** Kubeconfig to authenticate with (default: the admin one). */
  kubeconfig?: string;
  headers?: Record<string, string>;
}

function requestOptions(method: string, c: Connection, headers: Record<string, string>): RequestOptions {
  return { method, ca: c.ca, headers: { authorization: `Bearer ${c.token}`, accept: 'application/json', ...headers } };
}

/** One request to the API server; resolves with any status (tests assert on 403, 409, 410 ...). */
export function api<T = any>(method: string, path: string, opts: ApiOptions = {}): Promise<ApiResponse<T>> {
  const c = connection(opts.kubeconfig ?? clusterEnv()?.kubeconfig ?? '');
  const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const contentType = opts.contentType ?? (method === 'PATCH' && typeof opts.body === 'string' ? 'application/apply-patch+yaml' : 'application/json');
  const headers: Record<string, string> = { ...(payload !== undefined ? { 'content-type': contentType } : {}), ...opts.headers };
  return new Promise((resolve, reject) => {
    const req = request(c.server + path, requestOptions(method, c, headers), (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => {
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          /* keep text */
        }
        resolve({ status: res.statusCode ?? 0, body: body as T, headers: res.headers });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Like api(), but throws unless the status is 2xx. */
export async function apiOk<T = any>(method: string, path: string, opts: ApiOptions = {}): Promise<T> {
  const r = await api<T>(method, path, opts);
  if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: any;
}

/**
 * Opens a watch (path should carry ?watch=1 and its parameters) and calls onEvent per line until
 * onEvent returns true, the server ends the stream, or timeoutMs passes. Resolves with every event seen.
 */
export function watchEvents(path: string, onEvent: (e: WatchEvent) => boolean | void, opts: { kubeconfig?: string; timeoutMs?: number } = {}): Promise<WatchEvent[]> {
  const c = connection(opts.kubeconfig ?? clusterEnv()?.kubeconfig ?? '');
  const seen: WatchEvent[] = [];
  return new Promise((resolve, reject) => {
    const req = request(c.server + path, requestOptions('GET', c, {}), (res) => {
      if (res.statusCode !== 200) {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => reject(new Error(`watch ${path}: ${res.statusCode} ${text}`)));
        return;
      }
      let buf = '';
      res.setEncoding('utf8').on('data', (d: string) => {
        buf += d;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line) continue;
          const e = JSON.parse(line) as WatchEvent;
          seen.push(e);
          if (onEvent(e) === true) {
            finish();
            return;
          }
        }
      });
      res.on('end', finish);
    });
    const timer = setTimeout(finish, opts.timeoutMs ?? 30_000);
    let done = false;
    function finish() {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolve(seen);
    }
    req.on('error', (err) => (done ? undefined : reject(err)));
    req.end();
  });
}

/** Polls fn until it returns a truthy value or timeoutMs passes. */
export async function eventually<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Creates a fresh namespace for this test and deletes it after. There is no namespace controller, so a
 * deleted namespace stays Terminating: names are unique per test and run, never reused.
 */
export interface AccessAttributes {
  verb: string;
  resource: string;
  group?: string;
  namespace?: string;
  subresource?: string;
}

/**
 * Waits until RBAC allows `user` (impersonated by the admin; a ServiceAccount user gets its groups
 * from the server) the request: a Role or binding just created reaches the API server's authorizer
 * cache a moment later, and a request sent before then is refused (403) on a loaded machine.
 */
export async function waitUntilAllowed(user: string, attributes: AccessAttributes, timeoutMs = 30_000): Promise<void> {
  const { verb, resource, group = '', namespace, subresource } = attributes;
  await eventually(`RBAC to allow ${user} to ${verb} ${resource}${namespace ? ` in ${namespace}` : ''}`, async () => {
    const review = await apiOk('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      headers: { 'impersonate-user': user },
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb, resource, group, ...(namespace ? { namespace } : {}), ...(subresource ? { subresource } : {}) } } },
    });
    return review.status?.allowed === true;
  }, timeoutMs);
}

export async function testNamespace(t: TestContext): Promise<string> {
  const slug = t.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  const name = `t-${slug || 'test'}-${randomBytes(3).toString('hex')}`;
  await apiOk('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'chartrelease.test/namespace': 'true' } } } });
  t.after(async () => {
    await api('DELETE', `/api/v1/namespaces/${name}`);
  });
  return name;
}

export interface KubectlResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the reference kubectl (CHARTRELEASE_KUBECTL) against the test control plane, admin by default. */
export function kubectl(args: string[], opts: { kubeconfig?: string; input?: string } = {}): Promise<KubectlResult> {
  const bin = process.env.CHARTRELEASE_KUBECTL;
  if (!bin) throw new Error('CHARTRELEASE_KUBECTL is not set: run the tests through test/run.js');
  const kubeconfig = opts.kubeconfig ?? clusterEnv()?.kubeconfig;
  if (!kubeconfig) throw new Error(MISSING);
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['--kubeconfig', kubeconfig, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * A kubeconfig for ServiceAccount `name` in `ns` (created if missing), with a short-lived token from the
 * TokenRequest API: the identity system:serviceaccount:<ns>:<name>, groups system:serviceaccounts and
 * system:serviceaccounts:<ns>. Removed after the test.
 */
export async function serviceAccountKubeconfig(t: TestContext, ns: string, name: string): Promise<string> {
  const created = await api('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { body: { metadata: { name } } });
  if (created.status !== 201 && created.status !== 409) throw new Error(`creating ServiceAccount ${ns}/${name}: ${created.status} ${JSON.stringify(created.body)}`);
  const tr = await apiOk('POST', `/api/v1/namespaces/${ns}/serviceaccounts/${name}/token`, {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  });
  const admin = connection(clusterEnv()!.kubeconfig);
  const path = join(tmpdir(), `chartrelease-sa-${ns}-${name}-${randomBytes(3).toString('hex')}.kubeconfig`);
  writeFileSync(path, kubeconfigYaml({ server: admin.server, caData: admin.ca, user: `system:serviceaccount:${ns}:${name}`, token: tr.status.token }), { mode: 0o600 });
  t.after(() => rmSync(path, { force: true }));
  return path;
}
