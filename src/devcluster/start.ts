// Starting a real, minimal, secure control plane (etcd + kube-apiserver + a few controllers of
// kube-controller-manager) on free loopback ports, close to what envtest does: RBAC authorization,
// token authentication for an admin and a restricted identity, a service-account signing key made
// with node:crypto, and the apiserver's self-signed serving certificate. The controller manager runs
// only the controllers an operator's behaviour depends on (garbage collection of owned objects,
// namespace deletion, default ServiceAccounts, kube-root-ca.crt, ClusterRole aggregation); there is
// no scheduler and no kubelet, so Pods are stored but never run.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { randomBytes, generateKeyPairSync } from 'node:crypto';
import { request } from 'node:https';
import { get as httpGet } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildControlPlane, type ControlPlaneBinaries } from './build.js';
import { kubeconfigYaml } from './kubeconfig.js';

export interface ControlPlaneUser {
  /** The user name the apiserver sees (RBAC subjects use it). */
  name: string;
  groups: string[];
  token: string;
  kubeconfigPath: string;
}

export interface ControlPlane {
  /** https://127.0.0.1:<port> */
  server: string;
  /** PEM of the CA that signed the apiserver's serving certificate. */
  caData: string;
  /** The admin kubeconfig (user in system:masters): the one to give kubectl and the operator. */
  kubeconfigPath: string;
  adminKubeconfigPath: string;
  admin: ControlPlaneUser;
  /** A user in no special group: RBAC grants it nothing until a test binds a role to it. */
  restricted: ControlPlaneUser;
  /** The temporary directory with etcd's data, keys, kubeconfigs and (unless logDir is given) logs. */
  dir: string;
  logDir: string;
  etcdUrl: string;
  pids: { etcd: number; kubeApiserver: number; kubeControllerManager?: number };
  /** The kube-controller-manager controllers running (empty when none runs). */
  controllers: string[];
  /**
   * Stops kube-apiserver (SIGTERM as in a rolling upgrade, or SIGKILL as in a crash) and starts it again
   * on the same port over the same etcd, then waits until it is ready. Watches and connections to it break.
   */
  restartApiServer(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Stops both processes (SIGTERM, then SIGKILL after a grace period) and removes `dir`. Idempotent. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Binaries to run; built (or found in the cache) with buildControlPlane() when absent. */
  binaries?: ControlPlaneBinaries;
  /** Where etcd.log and kube-apiserver.log go; default: inside the temporary directory (removed on stop). */
  logDir?: string;
  /** How long to wait for each component to become ready (default 90 s: slow CI on 2 cores). */
  startTimeoutMs?: number;
  /** Status lines while starting (default: none). */
  progress?: (line: string) => void;
  /**
   * kube-controller-manager controllers to run (default DEFAULT_CONTROLLERS); [] runs no controller
   * manager at all, as envtest does (then nothing garbage-collects and namespaces stay Terminating).
   */
  controllers?: string[];
}

export const DEFAULT_CONTROLLERS = [
  'garbage-collector-controller',
  'namespace-controller',
  'serviceaccount-controller',
  'root-ca-certificate-publisher-controller',
  'clusterrole-aggregation-controller',
];

export const RESTRICTED_USER = 'chartrelease-restricted';
export const RESTRICTED_GROUP = 'chartrelease:restricted';

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function httpOk(url: string): Promise<boolean> {
  return new Promise((resolveOk) => {
    const req = httpGet(url, { timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolveOk(res.statusCode === 200 && body.includes('"health":"true"')));
    });
    req.on('error', () => resolveOk(false));
    req.on('timeout', () => req.destroy());
  });
}

/** GET on the apiserver with a bearer token; the serving certificate is not verified (used only while starting). */
function apiStatus(server: string, path: string, token: string): Promise<number> {
  return new Promise((resolveStatus) => {
    const req = request(server + path, { method: 'GET', rejectUnauthorized: false, timeout: 3000, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolveStatus(res.statusCode ?? 0));
    });
    req.on('error', () => resolveStatus(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function tailOf(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

interface Proc {
  name: string;
  child: ChildProcess;
  log: string;
  exited: Promise<void>;
  exitInfo: () => string | null;
}

function startProcess(name: string, binary: string, args: string[], logFile: string): Proc {
  const out: WriteStream = createWriteStream(logFile, { flags: 'w' });
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(out, { end: false });
  child.stderr!.pipe(out, { end: false });
  let info: string | null = null;
  const exited = new Promise<void>((resolveExit) => {
    child.on('error', (err) => {
      info = `could not start: ${err.message}`;
      resolveExit();
    });
    child.on('exit', (code, signal) => {
      info = signal ? `killed by ${signal}` : `exited with status ${code}`;
      resolveExit();
    });
  }).then(() => new Promise<void>((r) => setTimeout(() => out.end(r), 50)));
  return { name, child, log: logFile, exited, exitInfo: () => info };
}

async function waitFor(what: Proc, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 100;
  for (;;) {
    if (what.exitInfo()) throw new Error(`${what.name} ${what.exitInfo()} while starting; last lines of ${what.log}:\n${tailOf(what.log)}`);
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what.name} not ready after ${timeoutMs / 1000}s; last lines of ${what.log}:\n${tailOf(what.log)}`);
    await sleep(delay);
    delay = Math.min(delay * 1.5, 1000);
  }
}

async function terminate(p: Proc, graceMs: number): Promise<void> {
  if (p.exitInfo()) return p.exited;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  await p.exited;
  clearTimeout(timer);
}

/**
 * A watchdog shell that outlives nothing: if this Node process dies without calling stop() (SIGKILL,
 * a crash), it kills etcd and kube-apiserver and removes the data directory, so no process is left behind.
 */
function startWatchdog(pids: number[], dir: string): ChildProcess {
  const script =
    'parent=$1; dir=$2; shift 2; ' +
    'while kill -0 "$parent" 2>/dev/null; do sleep 1; done; ' +
    'kill -TERM "$@" 2>/dev/null; sleep 5; kill -KILL "$@" 2>/dev/null; rm -rf "$dir"';
  const dog = spawn('sh', ['-c', script, 'chartrelease-controlplane-watchdog', String(process.pid), dir, ...pids.map(String)], {
    stdio: 'ignore',
    detached: true,
  });
  dog.unref();
  return dog;
}

const live = new Set<Proc>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort on process.exit() without stop(): exit handlers cannot wait, so SIGKILL.
  process.on('exit', () => {
    for (const p of live) if (!p.exitInfo()) p.child.kill('SIGKILL');
  });
}

/**
 * Starts etcd, kube-apiserver and kube-controller-manager, waits until the apiserver is ready, `default`
 * exists and the controllers run, and writes kubeconfigs. A free port taken by someone else between
 * choosing and binding it ("address already in use") is retried on fresh ports.
 */
export async function startControlPlane(opts: StartOptions = {}): Promise<ControlPlane> {
  const binaries = opts.binaries ?? (await buildControlPlane());
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce({ ...opts, binaries });
    } catch (err) {
      if (attempt >= 3 || !(err instanceof Error) || !/address already in use/.test(err.message)) throw err;
      opts.progress?.(`a port was taken while starting; retrying on other ports`);
    }
  }
}

async function startOnce(opts: StartOptions & { binaries: ControlPlaneBinaries }): Promise<ControlPlane> {
  const progress = opts.progress ?? (() => {});
  const timeout = opts.startTimeoutMs ?? 90_000;
  const bins = opts.binaries;
  const dir = mkdtempSync(join(tmpdir(), 'chartrelease-controlplane-'));
  const logDir = opts.logDir ?? dir;
  mkdirSync(logDir, { recursive: true });
  const pki = join(dir, 'pki');
  mkdirSync(pki, { recursive: true, mode: 0o700 });
  installExitHook();

  const procs: Proc[] = [];
  const watchdogs: ChildProcess[] = [];
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      // Reverse start order: the apiserver first, so it does not log etcd connection errors on the way down.
      for (const p of [...procs].reverse()) {
        await terminate(p, 10_000);
        live.delete(p);
      }
      for (const dog of watchdogs) if (dog.exitCode === null) dog.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  try {
    const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    progress(`starting etcd on ${etcdUrl}`);
    const etcd = startProcess('etcd', bins.etcd, [
      '--name=default',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=default=${peerUrl}`,
      '--unsafe-no-fsync=true',
      '--log-level=warn',
    ], join(logDir, 'etcd.log'));
    procs.push(etcd);
    live.add(etcd);
    await waitFor(etcd, () => httpOk(`${etcdUrl}/health`), timeout);

    // Service-account tokens: one RSA key, PKCS#8 private half to sign, SPKI public half to verify.
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    writeFileSync(join(pki, 'sa.key'), privateKey, { mode: 0o600 });
    writeFileSync(join(pki, 'sa.pub'), publicKey);
    const admin = { name: 'chartrelease-admin', groups: ['system:masters'], token: randomBytes(24).toString('hex') };
    const restricted = { name: RESTRICTED_USER, groups: [RESTRICTED_GROUP], token: randomBytes(24).toString('hex') };
    // Without --use-service-account-credentials every controller acts as this one identity, which needs everything.
    const controllerManager = { name: 'system:kube-controller-manager', groups: ['system:masters'], token: randomBytes(24).toString('hex') };
    // token,user,uid,"group1,group2"
    const tokens = [admin, restricted, controllerManager].map((u) => `${u.token},${u.name},${u.name}-uid,"${u.groups.join(',')}"`).join('\n') + '\n';
    writeFileSync(join(pki, 'tokens.csv'), tokens, { mode: 0o600 });

    const server = `https://127.0.0.1:${apiPort}`;
    progress(`starting kube-apiserver on ${server}`);
    const apiserverArgs = [
      `--etcd-servers=${etcdUrl}`,
      `--cert-dir=${pki}`,
      `--secure-port=${apiPort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      // kubeadm's default size (a /12): room for a million Services, so thousands of releases fit.
      '--service-cluster-ip-range=10.96.0.0/12',
      '--allow-privileged=true',
      // As envtest: the serviceaccount controller may be off (controllers: []), and without it the ServiceAccount
      // admission plugin would reject every pod for lack of a `default` ServiceAccount.
      '--disable-admission-plugins=ServiceAccount',
      '--authorization-mode=RBAC',
      `--token-auth-file=${join(pki, 'tokens.csv')}`,
      `--service-account-issuer=${server}`,
      `--service-account-key-file=${join(pki, 'sa.pub')}`,
      `--service-account-signing-key-file=${join(pki, 'sa.key')}`,
      '--v=1',
    ];
    let apiserver = startProcess('kube-apiserver', bins.kubeApiserver, apiserverArgs, join(logDir, 'kube-apiserver.log'));
    procs.push(apiserver);
    live.add(apiserver);
    watchdogs.push(startWatchdog([etcd.child.pid!, apiserver.child.pid!], dir));

    await waitFor(apiserver, async () => (await apiStatus(server, '/readyz', admin.token)) === 200, timeout);
    // The apiserver's own bootstrap creates `default` (no controller is needed for that).
    await waitFor(apiserver, async () => (await apiStatus(server, '/api/v1/namespaces/default', admin.token)) === 200, timeout);

    // Without a serving certificate of ours, kube-apiserver writes a self-signed one: the certificate
    // followed by the CA that signed it. The whole file is a valid CA bundle for clients.
    const servingCert = join(pki, 'apiserver.crt');
    if (!existsSync(servingCert)) throw new Error(`kube-apiserver did not write ${servingCert}`);
    const caData = readFileSync(servingCert, 'utf8');

    const withKubeconfig = (u: { name: string; groups: string[]; token: string }, file: string): ControlPlaneUser => {
      const path = join(dir, file);
      writeFileSync(path, kubeconfigYaml({ server, caData, user: u.name, token: u.token }), { mode: 0o600 });
      return { ...u, kubeconfigPath: path };
    };
    const adminUser = withKubeconfig(admin, 'admin.kubeconfig');
    const restrictedUser = withKubeconfig(restricted, 'restricted.kubeconfig');

    const controllers = bins.kubeControllerManager ? (opts.controllers ?? DEFAULT_CONTROLLERS) : [];
    let kcmPid: number | undefined;
    if (controllers.length > 0) {
      const kcmConfig = withKubeconfig(controllerManager, 'controller-manager.kubeconfig');
      progress(`starting kube-controller-manager (${controllers.join(', ')})`);
      const kcm = startProcess('kube-controller-manager', bins.kubeControllerManager!, [
        `--kubeconfig=${kcmConfig.kubeconfigPath}`,
        '--leader-elect=false',
        `--controllers=${controllers.join(',')}`,
        `--root-ca-file=${servingCert}`,
        '--bind-address=127.0.0.1',
        '--secure-port=0',
        '--v=1',
      ], join(logDir, 'kube-controller-manager.log'));
      procs.push(kcm);
      live.add(kcm);
      kcmPid = kcm.child.pid!;
      watchdogs.push(startWatchdog([kcmPid], dir));
      // The serviceaccount controller creating `default` in `default` shows the controllers are running.
      if (controllers.includes('serviceaccount-controller')) {
        await waitFor(kcm, async () => (await apiStatus(server, '/api/v1/namespaces/default/serviceaccounts/default', admin.token)) === 200, timeout);
      }
    }
    let restarts = 0;
    const restartApiServer = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> => {
      if (stopping) throw new Error('the control plane is stopping');
      const old = apiserver;
      if (signal === 'SIGKILL') old.child.kill('SIGKILL');
      await terminate(old, 10_000);
      live.delete(old);
      restarts += 1;
      apiserver = startProcess('kube-apiserver', bins.kubeApiserver, apiserverArgs, join(logDir, `kube-apiserver.restart-${restarts}.log`));
      procs[procs.indexOf(old)] = apiserver;
      live.add(apiserver);
      watchdogs.push(startWatchdog([apiserver.child.pid!], dir));
      await waitFor(apiserver, async () => (await apiStatus(server, '/readyz', admin.token)) === 200, timeout);
    };
    return {
      server,
      caData,
      kubeconfigPath: adminUser.kubeconfigPath,
      adminKubeconfigPath: adminUser.kubeconfigPath,
      admin: adminUser,
      restricted: restrictedUser,
      dir,
      logDir,
      etcdUrl,
      pids: {
        etcd: etcd.child.pid!,
        get kubeApiserver() {
          return apiserver.child.pid!;
        },
        ...(kcmPid ? { kubeControllerManager: kcmPid } : {}),
      },
      controllers,
      restartApiServer,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Stops the control plane on SIGINT/SIGTERM/SIGHUP, then exits with 130/143/129. For long-running
 * owners (the demo, the CLI); returns a function that removes the handlers.
 */
export function stopOnSignals(cp: { stop(): Promise<void> }, before?: () => void | Promise<void>): () => void {
  const codes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  const handlers = Object.entries(codes).map(([sig, code]) => {
    const h = () => {
      void (async () => {
        try {
          await before?.();
        } finally {
          await cp.stop();
          process.exit(code);
        }
      })();
    };
    process.once(sig as NodeJS.Signals, h);
    return [sig, h] as const;
  });
  return () => handlers.forEach(([sig, h]) => process.off(sig as NodeJS.Signals, h));
}

/** What a person needs to use the control plane: endpoints, kubeconfigs, example kubectl commands. */
export function describeControlPlane(cp: ControlPlane, kubectl = 'kubectl'): string {
  return [
    `kube-apiserver: ${cp.server}   (etcd: ${cp.etcdUrl})`,
    `admin kubeconfig:      ${cp.adminKubeconfigPath}   (user ${cp.admin.name}, group system:masters)`,
    `restricted kubeconfig: ${cp.restricted.kubeconfigPath}   (user ${cp.restricted.name}, no permissions until bound)`,
    `controllers: ${cp.controllers.length ? cp.controllers.join(', ') : 'none (no kube-controller-manager)'}; no scheduler or kubelet, so pods never run`,
    `logs: ${cp.logDir}`,
    '',
    'Try:',
    `  export KUBECONFIG=${cp.adminKubeconfigPath}`,
    `  ${kubectl} get --raw /version`,
    `  ${kubectl} get namespaces`,
    `  ${kubectl} --kubeconfig ${cp.restricted.kubeconfigPath} auth can-i --list`,
  ].join('\n');
}
