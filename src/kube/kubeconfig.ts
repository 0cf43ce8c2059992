// Where the API server is and who we are to it: kubeconfig files (kubectl's loading rules: $KUBECONFIG
// files merged with the first one winning, else ~/.kube/config, else the pod's service account) and
// the in-cluster service account. Tokens, token files (re-read, as bound service-account tokens
// rotate), client certificates and basic auth are handled here; users that need an exec plugin or a
// legacy auth-provider, and clusters behind a proxy-url, are handed to @kubernetes/client-node's
// KubeConfig, imported only then: loading its generated API costs a Node process about 65 MiB.
import { existsSync, readFileSync, statSync } from 'node:fs';
import type https from 'node:https';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubeconfigSource {
  /** Path of a kubeconfig file; without it and without inCluster, the default loading rules apply. */
  kubeconfigPath?: string;
  /** Context to use instead of the kubeconfig's current-context. */
  context?: string;
  /** Use the pod's service account. */
  inCluster?: boolean;
}

/** A kubeconfig's named entries, each with the directory of the file it came from (relative paths). */
interface Named<T> {
  name: string;
  value: T;
  dir: string;
}

interface ClusterEntry {
  server?: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
  'proxy-url'?: string;
}

interface UserEntry {
  token?: string;
  tokenFile?: string;
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  username?: string;
  password?: string;
  exec?: unknown;
  'auth-provider'?: unknown;
}

interface ContextEntry {
  cluster?: string;
  user?: string;
  namespace?: string;
}

interface MergedConfig {
  currentContext?: string;
  clusters: Map<string, Named<ClusterEntry>>;
  users: Map<string, Named<UserEntry>>;
  contexts: Map<string, Named<ContextEntry>>;
  /** The files, for client-node when it takes over. */
  files: string[];
}

export class KubeconfigError extends Error {
  override readonly name = 'KubeconfigError';
}

function readConfigFile(file: string, into: MergedConfig): void {
  let doc: Record<string, unknown>;
  try {
    doc = (parseYaml(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
  } catch (err) {
    throw new KubeconfigError(`kubeconfig ${file}: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new KubeconfigError(`kubeconfig ${file}: not a YAML map`);
  const dir = dirname(file);
  into.files.push(file);
  // kubectl's merge: the first file that sets a value (or names an entry) wins.
  if (into.currentContext === undefined && typeof doc['current-context'] === 'string' && doc['current-context']) into.currentContext = doc['current-context'];
  const add = <T>(list: unknown, key: string, map: Map<string, Named<T>>) => {
    if (!Array.isArray(list)) return;
    for (const [i, item] of list.entries()) {
      const name = (item as { name?: unknown })?.name;
      if (typeof name !== 'string') throw new KubeconfigError(`kubeconfig ${file}: ${key}s[${i}] has no name`);
      if (!map.has(name)) map.set(name, { name, value: ((item as Record<string, unknown>)[key] ?? {}) as T, dir });
    }
  };
  add(doc.clusters, 'cluster', into.clusters);
  add(doc.users, 'user', into.users);
  add(doc.contexts, 'context', into.contexts);
}

function kubeconfigFiles(source: KubeconfigSource, env: NodeJS.ProcessEnv): string[] | 'in-cluster' {
  if (source.inCluster) return 'in-cluster';
  if (source.kubeconfigPath) return [source.kubeconfigPath];
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (fromEnv.length) return fromEnv.filter((f) => existsSync(f));
  const home = env.HOME || homedir();
  const file = join(home, '.kube', 'config');
  if (existsSync(file)) return [file];
  if (env.KUBERNETES_SERVICE_HOST && existsSync(join(SERVICE_ACCOUNT_DIR, 'token'))) return 'in-cluster';
  throw new KubeconfigError(`no kubeconfig: $KUBECONFIG is not set, ${file} does not exist, and this is not a pod with a service account`);
}

/** How requests authenticate; `apply` adds TLS material and headers to a request's options. */
export interface Credentials {
  readonly server: URL;
  /** Whether connections can be pooled in one agent per TLS identity (not behind a proxy). */
  readonly poolable: boolean;
  apply(opts: https.RequestOptions): Promise<void>;
  /** The context's namespace, if it names one. */
  readonly namespace?: string;
}

const readPem = (data: string | undefined, file: string | undefined, dir: string): Buffer | undefined =>
  data ? Buffer.from(data, 'base64') : file ? readFileSync(isAbsolute(file) ? file : join(dir, file)) : undefined;

/** A token read from a file, read again when the file changes (or a minute has passed), as client-go does. */
class TokenFile {
  private token = '';
  private readAt = 0;
  private mtimeMs = -1;

  constructor(readonly path: string) {}

  get(now = Date.now()): string {
    if (now - this.readAt < 60_000 && this.token) {
      return this.token;
    }
    const mtimeMs = statSync(this.path).mtimeMs;
    if (mtimeMs !== this.mtimeMs || !this.token) {
      this.token = readFileSync(this.path, 'utf8').trim();
      this.mtimeMs = mtimeMs;
    }
    this.readAt = now;
    return this.token;
  }
}

class StaticCredentials implements Credentials {
  readonly poolable = true;

  constructor(
    readonly server: URL,
    private readonly tls: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean; servername?: string },
    private readonly auth: { token?: string; tokenFile?: TokenFile; basic?: string },
    readonly namespace?: string,
  ) {}

  async apply(opts: https.RequestOptions): Promise<void> {
    const { ca, cert, key, rejectUnauthorized, servername } = this.tls;
    Object.assign(opts, { ca, cert, key, rejectUnauthorized }, servername ? { servername } : {});
    const headers = (opts.headers ??= {}) as Record<string, string>;
    const token = this.auth.token ?? this.auth.tokenFile?.get();
    if (token) headers.authorization = `Bearer ${token}`;
    else if (this.auth.basic) headers.authorization = `Basic ${Buffer.from(this.auth.basic).toString('base64')}`;
  }
}

/** Exec plugins, auth-providers and proxies: client-node's KubeConfig does the work (imported on first use). */
class DelegatedCredentials implements Credentials {
  private kubeConfig: Promise<{ applyToHTTPSOptions(o: https.RequestOptions): Promise<void> }> | undefined;

  constructor(
    readonly server: URL,
    readonly poolable: boolean,
    private readonly files: string[],
    private readonly context: string,
    readonly namespace?: string,
  ) {}

  async apply(opts: https.RequestOptions): Promise<void> {
    this.kubeConfig ??= import('@kubernetes/client-node').then(({ KubeConfig }) => {
      const kc = new KubeConfig();
      kc.loadFromFile(this.files[0]!);
      for (const file of this.files.slice(1)) {
        const more = new KubeConfig();
        more.loadFromFile(file);
        // kubectl's rule: the first file naming an entry wins.
        kc.mergeConfig({ ...more, clusters: more.clusters.filter((c) => !kc.getCluster(c.name)), users: more.users.filter((u) => !kc.getUser(u.name)), contexts: more.contexts.filter((c) => !kc.getContextObject(c.name)) } as typeof more, true);
      }
      kc.setCurrentContext(this.context);
      return kc;
    });
    await (await this.kubeConfig).applyToHTTPSOptions(opts);
  }
}

function inClusterCredentials(env: NodeJS.ProcessEnv, dir = SERVICE_ACCOUNT_DIR): Credentials {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) throw new KubeconfigError('not in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set');
  const server = new URL(`https://${host.includes(':') ? `[${host}]` : host}:${port}`);
  let namespace: string | undefined;
  try {
    namespace = readFileSync(join(dir, 'namespace'), 'utf8').trim() || undefined;
  } catch {
    namespace = undefined;
  }
  return new StaticCredentials(server, { ca: readFileSync(join(dir, 'ca.crt')), rejectUnauthorized: true }, { tokenFile: new TokenFile(join(dir, 'token')) }, namespace);
}

/** The credentials of a kubeconfig (or of the pod's service account), by kubectl's loading rules. */
export function loadCredentials(source: KubeconfigSource = {}, env: NodeJS.ProcessEnv = process.env): Credentials {
  const files = kubeconfigFiles(source, env);
  if (files === 'in-cluster') return inClusterCredentials(env);
  if (files.length === 0) throw new KubeconfigError(`none of the files in $KUBECONFIG exists (${env.KUBECONFIG})`);
  const config: MergedConfig = { clusters: new Map(), users: new Map(), contexts: new Map(), files: [] };
  for (const file of files) readConfigFile(file, config);
  const contextName = source.context ?? config.currentContext;
  if (!contextName) throw new KubeconfigError(`kubeconfig ${files.join(', ')} sets no current-context; pass --context`);
  const context = config.contexts.get(contextName);
  if (!context) throw new KubeconfigError(`kubeconfig ${files.join(', ')} has no context "${contextName}"`);
  const cluster = config.clusters.get(context.value.cluster ?? '');
  if (!cluster) throw new KubeconfigError(`kubeconfig context "${contextName}" names cluster "${context.value.cluster ?? ''}", which is not defined`);
  if (!cluster.value.server) throw new KubeconfigError(`kubeconfig cluster "${cluster.name}" has no server`);
  let server: URL;
  try {
    server = new URL(cluster.value.server);
  } catch {
    throw new KubeconfigError(`kubeconfig cluster "${cluster.name}": server ${JSON.stringify(cluster.value.server)} is not a URL`);
  }
  const user = context.value.user ? config.users.get(context.value.user) : undefined;
  if (context.value.user && !user) throw new KubeconfigError(`kubeconfig context "${contextName}" names user "${context.value.user}", which is not defined`);
  const u = user?.value ?? {};
  const namespace = context.value.namespace || undefined;
  if (u.exec || u['auth-provider'] || cluster.value['proxy-url']) return new DelegatedCredentials(server, !cluster.value['proxy-url'], files, contextName, namespace);
  const c = cluster.value;
  try {
    return new StaticCredentials(
      server,
      {
        ca: readPem(c['certificate-authority-data'], c['certificate-authority'], cluster.dir),
        cert: readPem(u['client-certificate-data'], u['client-certificate'], user?.dir ?? ''),
        key: readPem(u['client-key-data'], u['client-key'], user?.dir ?? ''),
        rejectUnauthorized: !c['insecure-skip-tls-verify'],
        ...(c['tls-server-name'] ? { servername: c['tls-server-name'] } : {}),
      },
      {
        ...(u.token ? { token: u.token } : {}),
        ...(!u.token && u.tokenFile ? { tokenFile: new TokenFile(isAbsolute(u.tokenFile) ? u.tokenFile : join(user!.dir, u.tokenFile)) } : {}),
        ...(u.username ? { basic: `${u.username}:${u.password ?? ''}` } : {}),
      },
      namespace,
    );
  } catch (err) {
    if (err instanceof KubeconfigError) throw err;
    throw new KubeconfigError(`kubeconfig context "${contextName}": ${(err as Error).message}`);
  }
}
