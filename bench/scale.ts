// Scale benchmark, in the shape of fluxcd/flux-benchmark: N ChartReleases of the podinfo chart
// (replicaCount 0, its default objects: a Deployment and a Service), all in one namespace, against
// the local control plane (src/devcluster). The operator runs as its own process
// (`node bin/chartrelease.js operator`), so its memory and CPU are measured alone:
//   - time from the first create to the last Ready=True;
//   - the operator's peak RSS (VmHWM) and CPU seconds (utime + stime, /proc/PID/stat), and RSS
//     sampled while releases install;
//   - API writes, dry-run writes and reads per install and per idle resync, from the apiserver's
//     own apiserver_request_total (its dry_run label separates dry-runs). The control plane runs no
//     controller manager, so the operator is the only writer besides this script (whose creates of
//     ChartReleases and lists of them are left out) and the apiserver's own leases (left out);
//   - an idle resync twice: after a restart of the operator with nothing changed, and the periodic
//     one at spec.interval;
//   - Flux's published figures for the same N (fluxcd/flux-benchmark RESULTS.md, see
//     ../shared/notes/anchors.md).
// Usage: node dist/bench/scale.js [--releases N] [--concurrency C] [--interval 60s] [--chart DIR]
//        [--no-service] [--skip-periodic] [--keep] [--render-workers W] [--operator-log FILE]
//        [--heap-snapshot DIR] [--cpu-prof DIR] [--apiserver-prof FILE] [--apiserver-prof-seconds S] [--node-flags "FLAGS"]
//        [--operator-env "K=V ..."] [--skip-restart]
//   The install prints the RSS by kind of mapping (/proc/PID/smaps) at its highest sample read (at most one read a second).
//   --node-flags: node's flags for the operator (default: those of the Dockerfile's ENTRYPOINT, as the image runs it).
//   --operator-env: the operator's environment variables besides this script's (default: the ENV lines of the
//   Dockerfile's last stage and the manager container's env in deploy/manager/deployment.yaml, as a
//   deployed operator has them; "" for none).
//   --skip-restart: no idle resync after a restart (the install's figures only).
//   --operator-log: the operator's log at debug level goes to FILE (default: warnings only, dropped).
//   --heap-snapshot: a heap snapshot of the operator (node --heapsnapshot-signal) once every release
//   is Ready, written to DIR; --cpu-prof: the operator's CPU profile of the install, written to DIR.
//   --apiserver-prof: kube-apiserver's own Go CPU profile (/debug/pprof/profile, on by default) of the
//   first S seconds of the install (default 20), written to FILE (read it with `go tool pprof -top FILE`).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startControlPlane, type ControlPlane } from '../src/devcluster/index.js';
import { KubeClient, apiWatchSource, isAlreadyExists, runWatcher, type WatchSource } from '../src/kube/index.js';
import { repoRoot } from '../test/support/paths.js';

const GROUP_PATH = '/apis/chartrelease.dev/v1alpha1';
const NAMESPACE = 'bench';

interface Args {
  releases: number;
  concurrency: number;
  interval: string;
  intervalMs: number;
  chart: string;
  service: boolean | undefined;
  periodic: boolean;
  keep: boolean;
  renderWorkers: number | undefined;
  operatorLog: string | undefined;
  heapSnapshotDir: string | undefined;
  cpuProfDir: string | undefined;
  apiserverProf: string | undefined;
  apiserverProfSeconds: number;
  /** Node's flags for the operator: those of the image's ENTRYPOINT (Dockerfile) unless --node-flags says otherwise. */
  nodeFlags: string[];
  /** The operator's environment on top of this script's: the image's ENV and the deployment's env unless --operator-env says otherwise. */
  operatorEnv: Record<string, string>;
  restart: boolean;
}

/** The node flags the image runs the operator with: what its ENTRYPOINT puts between node and bin/chartrelease.js. */
function imageNodeFlags(): string[] {
  const line = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'))?.[1];
  const argv = line ? (JSON.parse(line) as string[]) : [];
  const script = argv.indexOf('bin/chartrelease.js');
  return script > 0 ? argv.slice(1, script) : [];
}

/**
 * The environment a deployed operator runs with: the ENV lines of the Dockerfile's last stage
 * (`ENV K=V [K2=V2]`, values without spaces), then the literal `env` values of the manager container
 * in deploy/manager/deployment.yaml (its NODE_OPTIONS sizes V8's heap, which changes how V8 grows it).
 */
function deployedEnv(): Record<string, string> {
  const text = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  const lastStage = text.slice(text.search(/^FROM\s(?![\s\S]*^FROM\s)/m));
  const env = parseEnv([...lastStage.matchAll(/^ENV\s+(.+)$/gm)].map((m) => m[1]!).join(' '));
  const deployment = parseYaml(readFileSync(join(repoRoot, 'deploy', 'manager', 'deployment.yaml'), 'utf8')) as {
    spec?: { template?: { spec?: { containers?: { name?: string; env?: { name: string; value?: string }[] }[] } } };
  };
  const manager = deployment.spec?.template?.spec?.containers?.find((c) => c.name === 'manager');
  if (!manager) throw new Error('deploy/manager/deployment.yaml: no container named manager');
  for (const { name, value } of manager.env ?? []) if (value !== undefined) env[name] = value;
  return env;
}

function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of text.split(/\s+/).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`environment: ${pair} is not K=V`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1).replace(/^"(.*)"$/, '$1');
  }
  return env;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { releases: 100, concurrency: 10, interval: '60s', intervalMs: 60_000, chart: '', service: undefined, periodic: true, keep: false, renderWorkers: undefined, operatorLog: undefined, heapSnapshotDir: undefined, cpuProfDir: undefined, apiserverProf: undefined, apiserverProfSeconds: 20, nodeFlags: imageNodeFlags(), operatorEnv: deployedEnv(), restart: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--releases') args.releases = Number(next());
    else if (a === '--concurrency') args.concurrency = Number(next());
    else if (a === '--interval') args.interval = next();
    else if (a === '--chart') args.chart = resolve(next());
    else if (a === '--no-service') args.service = false;
    else if (a === '--service') args.service = true;
    else if (a === '--skip-periodic') args.periodic = false;
    else if (a === '--keep') args.keep = true;
    else if (a === '--render-workers') args.renderWorkers = Number(next());
    else if (a === '--operator-log') args.operatorLog = resolve(next());
    else if (a === '--heap-snapshot') args.heapSnapshotDir = resolve(next());
    else if (a === '--cpu-prof') args.cpuProfDir = resolve(next());
    else if (a === '--apiserver-prof') args.apiserverProf = resolve(next());
    else if (a === '--apiserver-prof-seconds') args.apiserverProfSeconds = Number(next());
    else if (a === '--node-flags') args.nodeFlags = next().split(/\s+/).filter(Boolean);
    else if (a === '--operator-env') args.operatorEnv = parseEnv(next());
    else if (a === '--skip-restart') args.restart = false;
    else throw new Error(`unknown argument ${a}`);
  }
  const m = /^(\d+)(s|m)$/.exec(args.interval);
  if (!m) throw new Error('--interval: a number of seconds or minutes, e.g. 60s or 2m');
  args.intervalMs = Number(m[1]) * (m[2] === 'm' ? 60_000 : 1000);
  if (!args.chart) {
    const candidates = [resolve(repoRoot, '..', 'shared'), resolve(repoRoot, '..', '..', 'shared')].map((d) => join(d, 'corpus', 'podinfo', 'chart'));
    const found = candidates.find((c) => existsSync(join(c, 'Chart.yaml')));
    if (!found) throw new Error(`podinfo chart not found in ${candidates.join(' or ')}; pass --chart DIR`);
    args.chart = found;
  }
  return args;
}

const say = (line: string) => process.stderr.write(`[scale] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => res(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

// ---- apiserver_request_total

interface RequestCounts {
  writes: number;
  dryRuns: number;
  reads: number;
  /** "VERB resource[/subresource][ dry-run]" → count, for the breakdown. */
  byKind: Map<string, number>;
}

const WRITE_VERBS = new Set(['POST', 'PUT', 'PATCH', 'APPLY', 'DELETE', 'DELETECOLLECTION']);
const READ_VERBS = new Set(['GET', 'LIST']);

/** The counters of apiserver_request_total, by label set. */
async function requestTotals(cp: ControlPlane): Promise<Map<string, { labels: Record<string, string>; value: number }>> {
  const text = await rawText(cp, '/metrics');
  const out = new Map<string, { labels: Record<string, string>; value: number }>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const close = line.lastIndexOf('}');
    const labels: Record<string, string> = {};
    for (const m of line.slice('apiserver_request_total{'.length, close).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[m[1]!] = m[2]!;
    out.set(line.slice(0, close + 1), { labels, value: Number(line.slice(close + 1).trim()) });
  }
  return out;
}

/** What the operator sent between two scrapes: this script's own creates of ChartReleases, leases and watches left out. */
/** LIST requests of ChartReleases this script sent (countReady's pages): not the operator's. */
let ownLists = 0;

function operatorRequests(before: Awaited<ReturnType<typeof requestTotals>>, after: Awaited<ReturnType<typeof requestTotals>>, ownListsSince = 0): RequestCounts {
  const counts: RequestCounts = { writes: 0, dryRuns: 0, reads: 0, byKind: new Map() };
  for (const [key, { labels, value }] of after) {
    const delta = value - (before.get(key)?.value ?? 0);
    if (delta <= 0) continue;
    const { verb = '', resource = '', subresource = '', dry_run: dryRun = '' } = labels;
    // The apiserver's own writes: leases, Service IP allocations, the kubernetes Service's endpoints.
    if (resource === 'leases' || resource === 'ipaddresses' || resource === 'endpoints' || resource === 'endpointslices') continue;
    if (verb === 'POST' && resource === 'chartreleases' && !subresource) continue; // this script's creates
    const kind = `${verb} ${resource}${subresource ? '/' + subresource : ''}${dryRun ? ' (dry-run)' : ''}`;
    if (WRITE_VERBS.has(verb)) {
      if (dryRun) counts.dryRuns += delta;
      else counts.writes += delta;
    } else if (READ_VERBS.has(verb)) counts.reads += delta;
    else continue;
    counts.byKind.set(kind, (counts.byKind.get(kind) ?? 0) + delta);
  }
  const lists = counts.byKind.get('LIST chartreleases') ?? 0;
  const mine = Math.min(lists, ownListsSince);
  if (mine) {
    counts.reads -= mine;
    if (lists - mine > 0) counts.byKind.set('LIST chartreleases', lists - mine);
    else counts.byKind.delete('LIST chartreleases');
  }
  return counts;
}

/** GET of a text endpoint (/metrics) as the control plane's admin. */
async function rawText(cp: ControlPlane, path: string): Promise<string> {
  return (await rawBytes(cp, path)).toString('utf8');
}

/** GET of an endpoint (/metrics, /debug/pprof/profile) as the control plane's admin: the body's bytes. */
function rawBytes(cp: ControlPlane, path: string): Promise<Buffer> {
  return new Promise((res, rej) => {
    const req = httpsRequest(cp.server + path, { ca: cp.caData, headers: { authorization: `Bearer ${cp.admin.token}` } }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (d: Buffer) => chunks.push(d));
      r.on('end', () => {
        const body = Buffer.concat(chunks);
        if (r.statusCode === 200) res(body);
        else rej(new Error(`GET ${path}: ${r.statusCode} ${body.toString('utf8').slice(0, 200)}`));
      });
    });
    req.on('error', rej);
    req.end();
  });
}

// ---- the operator process

interface OperatorProcess {
  child: ChildProcess;
  metricsPort: number;
  exited: Promise<void>;
  samples: { t: number; rssMiB: number; ready: number }[];
  /** Where the RSS was at the highest sample that was read by mapping (at most one read a second). */
  breakdown: { rssMiB: number; parts: RssParts } | undefined;
  stopSampling: () => void;
}

interface RssParts {
  v8Pages: number;
  file: number;
  brk: number;
  otherAnon: number;
}

/**
 * The RSS of a process by kind of mapping, MiB, from /proc/PID/smaps: anonymous mappings of exactly
 * 256 KiB (V8 maps its heap pages one at a time, at that size), file-backed mappings (the node
 * binary, shared libraries), `[heap]` (malloc's main arena) and every other anonymous mapping
 * (malloc's thread arenas, V8's large objects and code space, thread stacks).
 */
function rssParts(pid: number): RssParts | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return null;
  }
  const parts: RssParts = { v8Pages: 0, file: 0, brk: 0, otherAnon: 0 };
  let kind: keyof RssParts = 'otherAnon';
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (m) {
      const kib = (parseInt(m[2]!, 16) - parseInt(m[1]!, 16)) / 1024;
      const name = m[3]!;
      kind = name.startsWith('/') ? 'file' : name === '[heap]' ? 'brk' : !name && kib === 256 ? 'v8Pages' : 'otherAnon';
    } else if (line.startsWith('Rss:')) {
      parts[kind] += Number(line.split(/\s+/)[1]) / 1024;
    }
  }
  return parts;
}

function procStatus(pid: number): { rssKiB: number; hwmKiB: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return { rssKiB: field('VmRSS'), hwmKiB: field('VmHWM') };
  } catch {
    return null;
  }
}

/** User + system CPU seconds of a live process. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

async function startOperator(kubeconfig: string, args: Args, profile: boolean): Promise<OperatorProcess> {
  const metricsPort = await freePort();
  const nodeArgs: string[] = [...args.nodeFlags];
  if (profile && args.heapSnapshotDir) nodeArgs.push('--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${args.heapSnapshotDir}`);
  if (profile && args.cpuProfDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${args.cpuProfDir}`);
  const flags = ['--kubeconfig', kubeconfig, '--concurrency', String(args.concurrency), '--log-level', args.operatorLog ? 'debug' : 'warn', '--metrics-bind-address', `127.0.0.1:${metricsPort}`, '--health-probe-bind-address', '0'];
  if (args.renderWorkers !== undefined) flags.push('--render-workers', String(args.renderWorkers));
  const log = args.operatorLog ? openSync(args.operatorLog, 'a') : 'ignore';
  const child = spawn(process.execPath, [...nodeArgs, join(repoRoot, 'bin', 'chartrelease.js'), 'operator', ...flags], { stdio: ['ignore', log, 'pipe'], env: { ...process.env, ...args.operatorEnv } });
  if (typeof log === 'number') closeSync(log);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') say(`operator exited (${code ?? signal}); last output:\n${stderr}`);
  });
  const samples: OperatorProcess['samples'] = [];
  const op: OperatorProcess = { child, metricsPort, exited, samples, breakdown: undefined, stopSampling: () => clearInterval(timer) };
  let lastBreakdown = 0;
  const timer = setInterval(() => {
    const s = procStatus(child.pid!);
    if (!s) return;
    const rssMiB = s.rssKiB / 1024;
    samples.push({ t: performance.now(), rssMiB, ready: -1 });
    if (rssMiB > (op.breakdown?.rssMiB ?? 0) && performance.now() - lastBreakdown >= 1000) {
      lastBreakdown = performance.now();
      const parts = rssParts(child.pid!);
      if (parts) op.breakdown = { rssMiB, parts };
    }
  }, 200);
  return op;
}

/** Has the operator write a heap snapshot (SIGUSR2, --heapsnapshot-signal) into `dir` and waits for it. */
async function heapSnapshot(op: OperatorProcess, dir: string): Promise<void> {
  const before = new Set(readdirSync(dir));
  op.child.kill('SIGUSR2');
  for (let i = 0; i < 600; i++) {
    await sleep(500);
    const added = readdirSync(dir).filter((f) => !before.has(f) && f.endsWith('.heapsnapshot'));
    // Written in one go: done once its size stops growing.
    if (added.length) {
      const size = () => readFileSync(join(dir, added[0]!)).byteLength;
      let last = -1;
      for (let s = size(); s !== last; s = size()) {
        last = s;
        await sleep(1000);
      }
      say(`heap snapshot ${join(dir, added[0]!)}`);
      return;
    }
  }
  say('no heap snapshot appeared within 5 minutes');
}

async function stopOperator(op: OperatorProcess): Promise<void> {
  op.stopSampling();
  op.child.kill('SIGTERM');
  await op.exited;
}

/** The operator's reconcile count (controller_runtime_reconcile_total summed) and its queue depth. */
async function operatorProgress(op: OperatorProcess): Promise<{ reconciles: number; depth: number; active: number } | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${op.metricsPort}/metrics`);
    const text = await res.text();
    const sum = (name: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith(name + '{') || l.startsWith(name + ' '))
        .reduce((acc, l) => acc + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    return { reconciles: sum('controller_runtime_reconcile_total'), depth: sum('workqueue_depth'), active: sum('controller_runtime_active_workers') };
  } catch {
    return null;
  }
}

/**
 * The operator's main-thread heap (used, total) and external memory, MiB, and the main thread's GC
 * pauses (seconds and count, by kind: minor, major, incremental marking steps), from its process metrics.
 */
async function operatorHeap(op: OperatorProcess): Promise<{ used: number; total: number; external: number; gc: string } | null> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${op.metricsPort}/metrics`)).text();
    const raw = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    const value = (name: string) => raw(name) / 2 ** 20;
    const gc = ['minor', 'major', 'incremental']
      .map((kind) => {
        const of = (suffix: string) => Number(new RegExp(`^nodejs_gc_duration_seconds_${suffix}\\{kind="${kind}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
        return `${kind} ${of('sum').toFixed(2)} s (${of('count')})`;
      })
      .join(', ');
    return { used: value('nodejs_heap_size_used_bytes'), total: value('nodejs_heap_size_total_bytes'), external: value('nodejs_external_memory_bytes'), gc };
  } catch {
    return null;
  }
}

/** Waits until the operator has done at least `count` reconciles and has nothing queued or running. */
async function waitReconciles(op: OperatorProcess, count: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const p = await operatorProgress(op);
    if (p && p.reconciles >= count && p.depth === 0 && p.active === 0) return p.reconciles;
    if (Date.now() > deadline) throw new Error(`operator did ${p?.reconciles ?? '?'} of ${count} reconciles in ${timeoutMs / 1000}s`);
    await sleep(250);
  }
}

// ---- ChartReleases

interface Condition {
  type: string;
  status: string;
  observedGeneration?: number;
}

type BenchRelease = { metadata: { name: string; generation?: number }; status?: { conditions?: (Condition & { message?: string })[] } };

/** Whether a ChartRelease is Ready, or its Stalled message. */
function readiness(cr: BenchRelease): { ready: boolean; stalled?: string } {
  const conds = cr.status?.conditions ?? [];
  const s = conds.find((c) => c.type === 'Stalled' && c.status === 'True');
  return { ready: conds.some((c) => c.type === 'Ready' && c.status === 'True'), ...(s ? { stalled: `${cr.metadata.name}: ${s.message ?? ''}` } : {}) };
}

function tally(states: Iterable<{ ready: boolean; stalled?: string }>): { ready: number; stalled: string[] } {
  let ready = 0;
  const stalled: string[] = [];
  for (const r of states) {
    if (r.ready) ready++;
    if (r.stalled) stalled.push(r.stalled);
  }
  return { ready, stalled };
}

async function countReady(client: KubeClient): Promise<{ ready: number; stalled: string[] }> {
  const { items } = await client.list<BenchRelease>(`${GROUP_PATH}/namespaces/${NAMESPACE}/chartreleases`, { limit: 500 });
  ownLists += Math.max(1, Math.ceil(items.length / 500));
  return tally(items.map(readiness));
}

/**
 * Ready and Stalled of every ChartRelease from a watch (the operator watches them too, so the
 * apiserver encodes each change once for both): polling a LIST of N releases every second cost
 * the apiserver about a tenth of its CPU during the install, and the measured time up to a second.
 */
function watchReady(client: KubeClient): { counts: () => { ready: number; stalled: string[] }; changed: () => Promise<void>; stop: () => void } {
  const states = new Map<string, { ready: boolean; stalled?: string }>();
  const abort = new AbortController();
  let wake: (() => void) | undefined;
  const source = apiWatchSource(client, `${GROUP_PATH}/namespaces/${NAMESPACE}/chartreleases`);
  const counted: WatchSource = {
    listPage: (token, signal) => (ownLists++, source.listPage(token, signal)),
    watch: (rv, signal) => source.watch(rv, signal),
  };
  void runWatcher<BenchRelease>(
    counted,
    (e) => {
      if (e.type === 'relisted') {
        states.clear();
        for (const cr of e.objects) states.set(cr.metadata.name, readiness(cr));
      } else if (e.type === 'applied') states.set(e.object.metadata.name, readiness(e.object));
      else states.delete(e.object.metadata.name);
      wake?.();
      wake = undefined;
    },
    abort.signal,
  );
  return {
    counts: () => tally(states.values()),
    changed: () => new Promise<void>((r) => ((wake = r), setTimeout(r, 1000))),
    stop: () => abort.abort(),
  };
}

function chartRelease(name: string, args: Args): object {
  const values: Record<string, unknown> = { replicaCount: 0 };
  if (args.service === false) Object.assign(values, { service: { enabled: false }, serviceAccount: { enabled: true } });
  return { apiVersion: 'chartrelease.dev/v1alpha1', kind: 'ChartRelease', metadata: { name, namespace: NAMESPACE }, spec: { chart: { path: args.chart }, values, interval: args.interval } };
}

/** How many Services the control plane's ServiceCIDRs hold (none known: assume plenty). */
async function serviceCapacity(client: KubeClient): Promise<number> {
  try {
    const list = await client.get<{ items?: { spec?: { cidrs?: string[] } }[] }>('/apis/networking.k8s.io/v1/servicecidrs');
    let total = 0;
    for (const item of list.items ?? []) {
      for (const cidr of item.spec?.cidrs ?? []) {
        const bits = Number(cidr.split('/')[1]);
        if (cidr.includes('.')) total += 2 ** (32 - bits) - 3; // network, broadcast, the kubernetes Service
      }
    }
    return total || Infinity;
  } catch {
    return Infinity;
  }
}

// ---- report

const FLUX: Record<number, string> = {
  100: 'Flux 2.5/2.6 helm-controller: 27-28 s, 190 MiB (Flux 2.2: 31 s, 140 MiB)',
  500: 'Flux 2.5/2.6 helm-controller: 2m44-2m45, 240 MiB (Flux 2.2: 2m55, 350 MiB)',
  1000: 'Flux 2.5/2.6 helm-controller: 8m01-8m12, 400 MiB (Flux 2.3: 490 MiB; 2.2: 620 MiB)',
};
const FLUX_NOTE = 'fluxcd/flux-benchmark RESULTS.md: 16-core runner, Kind, helm-controller 2 CPU / 1 GiB, --concurrent=10, podinfo with a Deployment scaled to 0, ServiceAccount, Service, Ingress';

function perRelease(c: RequestCounts, n: number): string {
  return `${(c.writes / n).toFixed(2)} writes, ${(c.dryRuns / n).toFixed(2)} dry-runs, ${(c.reads / n).toFixed(2)} reads`;
}

function breakdown(c: RequestCounts, n: number): string {
  return [...c.byKind.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `      ${(v / n).toFixed(2).padStart(6)}  ${k}`)
    .join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  say(`starting the control plane (no controller manager: the operator is the only writer)`);
  const cp: ControlPlane = await startControlPlane({ controllers: [], progress: (l) => say(l) });
  let op: OperatorProcess | undefined;
  const cleanup = async () => {
    if (op && op.child.exitCode === null) await stopOperator(op);
    if (!args.keep) await cp.stop();
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  try {
    const client = KubeClient.load({ kubeconfigPath: cp.adminKubeconfigPath });
    const crd = parseYaml(readFileSync(join(repoRoot, 'crds', 'chartrelease.yaml'), 'utf8'));
    await client.apply('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/chartreleases.chartrelease.dev', crd, { fieldManager: 'bench' });
    await client.apply(`/api/v1/namespaces/${NAMESPACE}`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }, { fieldManager: 'bench' });
    for (let i = 0; ; i++) {
      try {
        await client.get(`${GROUP_PATH}/namespaces/${NAMESPACE}/chartreleases`);
        break;
      } catch (err) {
        if (i > 100) throw err;
        await sleep(100);
      }
    }
    if (args.service === undefined) {
      const capacity = await serviceCapacity(client);
      args.service = args.releases <= capacity;
      if (!args.service) say(`the Service range holds ${capacity} Services: releases get a ServiceAccount instead of a Service (--service to insist)`);
    }
    const n = args.releases;
    const objects = args.service ? 'Deployment + Service' : 'Deployment + ServiceAccount';
    say(`${n} releases of ${args.chart} (${objects}, replicaCount 0), --concurrency ${args.concurrency}, interval ${args.interval}`);

    for (const dir of [args.heapSnapshotDir, args.cpuProfDir]) if (dir) mkdirSync(dir, { recursive: true });
    op = await startOperator(cp.adminKubeconfigPath, args, true);
    // Let the operator start and list before the clock runs (Flux's benchmark starts with the controller running).
    await waitReconciles(op, 0, 60_000);
    while (!(await operatorProgress(op))) await sleep(100);
    const idleRss = procStatus(op.child.pid!)!.rssKiB / 1024;
    const cpuStart = cpuSeconds(op.child.pid!);

    // ---- install
    const before = await requestTotals(cp);
    const ownListsBefore = ownLists;
    const watch = watchReady(client);
    const apiserverCpuStart = cpuSeconds(cp.pids.kubeApiserver);
    const etcdCpuStart = cpuSeconds(cp.pids.etcd);
    const t0 = performance.now();
    const apiserverProfile = args.apiserverProf
      ? rawBytes(cp, `/debug/pprof/profile?seconds=${args.apiserverProfSeconds}`).then(
          (b) => (writeFileSync(args.apiserverProf!, b), say(`kube-apiserver CPU profile of the first ${args.apiserverProfSeconds} s: ${args.apiserverProf}`)),
          (err: Error) => say(`no kube-apiserver CPU profile: ${err.message}`),
        )
      : undefined;
    const names = Array.from({ length: n }, (_, i) => `podinfo-${String(i).padStart(4, '0')}`);
    await mapLimit(names, 16, async (name) => {
      try {
        await client.create(`${GROUP_PATH}/namespaces/${NAMESPACE}/chartreleases`, chartRelease(name, args));
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    });
    const created = performance.now();
    let ready = 0;
    let lastPrint = 0;
    const readyAt: { t: number; ready: number; rssMiB: number }[] = [];
    const deadline = Date.now() + Math.max(600_000, n * 2000);
    for (;;) {
      const r = watch.counts();
      ready = r.ready;
      const rssMiB = (procStatus(op.child.pid!)?.rssKiB ?? 0) / 1024;
      readyAt.push({ t: performance.now() - t0, ready, rssMiB });
      if (ready >= n) break;
      if (r.stalled.length) throw new Error(`${r.stalled.length} releases stalled, e.g. ${r.stalled.slice(0, 3).join('; ')}`);
      if (Date.now() > deadline) throw new Error(`only ${ready} of ${n} Ready before the deadline`);
      if (performance.now() - lastPrint > 5000) {
        say(`${ready}/${n} Ready after ${((performance.now() - t0) / 1000).toFixed(1)}s, operator RSS ${rssMiB.toFixed(0)} MiB`);
        lastPrint = performance.now();
      }
      await watch.changed();
    }
    const readySeconds = (performance.now() - t0) / 1000;
    watch.stop();
    // The releases are Ready; let the operator finish what it still does for them (nothing, or a resync).
    await waitReconciles(op, 0, 120_000);
    const installCounts = operatorRequests(before, await requestTotals(cp), ownLists - ownListsBefore);
    const installCpu = cpuSeconds(op.child.pid!) - cpuStart;
    const installApiserverCpu = cpuSeconds(cp.pids.kubeApiserver) - apiserverCpuStart;
    const installEtcdCpu = cpuSeconds(cp.pids.etcd) - etcdCpuStart;
    const installServerCpu = installApiserverCpu + installEtcdCpu;
    await apiserverProfile;
    const installHwm = procStatus(op.child.pid!)!.hwmKiB / 1024;
    const rssAfterInstall = procStatus(op.child.pid!)!.rssKiB / 1024;
    const rssAt = (fraction: number) => readyAt.find((s) => s.ready >= n * fraction)?.rssMiB ?? 0;
    const heap = await operatorHeap(op);
    const installBreakdown = op.breakdown;
    // When the sampled RSS was highest, and how many releases were Ready then.
    const top = op.samples.filter((x) => x.t >= t0).reduce((a, b) => (b.rssMiB > a.rssMiB ? b : a), { t: t0, rssMiB: 0, ready: -1 });
    const readyAtTop = [...readyAt].reverse().find((r) => r.t <= top.t - t0)?.ready ?? 0;
    if (args.heapSnapshotDir) await heapSnapshot(op, args.heapSnapshotDir);

    // ---- idle resync after a restart
    let restart: { reconciles: number; seconds: number; counts: RequestCounts; cpu: number; hwm: number; stillReady: number } | undefined;
    if (args.restart) {
      await stopOperator(op);
      const beforeRestart = await requestTotals(cp);
      op = await startOperator(cp.adminKubeconfigPath, args, false);
      const tRestart = performance.now();
      const reconciles = await waitReconciles(op, n, Math.max(300_000, n * 1000));
      const seconds = (performance.now() - tRestart) / 1000;
      const counts = operatorRequests(beforeRestart, await requestTotals(cp));
      restart = { reconciles, seconds, counts, cpu: cpuSeconds(op.child.pid!), hwm: procStatus(op.child.pid!)!.hwmKiB / 1024, stillReady: (await countReady(client)).ready };
    }

    // ---- the periodic resync (spec.interval)
    let periodic: { counts: RequestCounts; reconciles: number; cpu: number; rssMiB: number } | undefined;
    if (args.periodic) {
      const startCount = (await operatorProgress(op))!.reconciles;
      const cpu0 = cpuSeconds(op.child.pid!);
      const b = await requestTotals(cp);
      say(`waiting one interval (${args.interval}) for the periodic resync of every release`);
      await sleep(args.intervalMs + 5000);
      const endCount = await waitReconciles(op, startCount + n, Math.max(120_000, args.intervalMs * 2));
      periodic = { counts: operatorRequests(b, await requestTotals(cp)), reconciles: endCount - startCount, cpu: cpuSeconds(op.child.pid!) - cpu0, rssMiB: procStatus(op.child.pid!)!.rssKiB / 1024 };
    }

    // ---- print
    const lines = [
      `scale benchmark: ${n} ChartReleases of podinfo (${objects}, replicaCount 0) in one namespace, --concurrency ${args.concurrency}${args.renderWorkers !== undefined ? ` --render-workers ${args.renderWorkers}` : ''}, interval ${args.interval}, node ${process.version}${args.nodeFlags.length ? ` ${args.nodeFlags.join(' ')}` : ''}${Object.keys(args.operatorEnv).length ? `, env ${Object.entries(args.operatorEnv).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''}, ${(await import('node:os')).cpus().length} cores, load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`,
      `install`,
      `  created in ${((created - t0) / 1000).toFixed(1)} s; all Ready after ${readySeconds.toFixed(1)} s (${(n / readySeconds).toFixed(1)} releases/s)`,
      `  operator RSS: ${idleRss.toFixed(0)} MiB before the first release, ${rssAt(0.1).toFixed(0)} at 10 %, ${rssAt(0.5).toFixed(0)} at 50 %, ${rssAfterInstall.toFixed(0)} after; peak ${installHwm.toFixed(0)} MiB (highest sample ${top.rssMiB.toFixed(0)} MiB at ${((top.t - t0) / 1000).toFixed(0)} s, ${readyAtTop} Ready)`,
      ...(installBreakdown
        ? [
            `  operator RSS by mapping at the highest sample read (${installBreakdown.rssMiB.toFixed(0)} MiB, /proc/PID/smaps): V8 heap pages (anonymous 256 KiB) ${installBreakdown.parts.v8Pages.toFixed(0)} MiB, node binary and libraries (file-backed) ${installBreakdown.parts.file.toFixed(0)} MiB, malloc's main arena ([heap]) ${installBreakdown.parts.brk.toFixed(0)} MiB, other anonymous (malloc's thread arenas, V8 large objects and code, stacks) ${installBreakdown.parts.otherAnon.toFixed(0)} MiB`,
          ]
        : []),
      ...(heap ? [`  operator main thread after: heap ${heap.used.toFixed(0)} MiB used of ${heap.total.toFixed(0)}, external ${heap.external.toFixed(0)} MiB (the rest of RSS: code, the render worker, native buffers); GC pauses since start: ${heap.gc}`] : []),
      `  operator CPU: ${installCpu.toFixed(1)} s (${((installCpu / n) * 1000).toFixed(1)} ms per release); kube-apiserver + etcd CPU: ${installServerCpu.toFixed(1)} s (${((installServerCpu / n) * 1000).toFixed(1)} ms per release: apiserver ${installApiserverCpu.toFixed(1)} s, etcd ${installEtcdCpu.toFixed(1)} s)`,
      `  per install: ${perRelease(installCounts, n)}`,
      breakdown(installCounts, n),
      ...(restart
        ? [
            `idle resync after a restart (nothing changed): ${restart.reconciles} reconciles in ${restart.seconds.toFixed(1)} s, ${restart.stillReady}/${n} still Ready`,
            `  operator CPU ${restart.cpu.toFixed(1)} s (start-up included), peak RSS ${restart.hwm.toFixed(0)} MiB`,
            `  per release: ${perRelease(restart.counts, n)}`,
            breakdown(restart.counts, n),
          ]
        : []),
      ...(periodic
        ? [
            `periodic resync (interval ${args.interval}, nothing changed): ${periodic.reconciles} reconciles, operator CPU ${periodic.cpu.toFixed(1)} s, operator RSS ${periodic.rssMiB.toFixed(0)} MiB after it (a resync renders nothing; the render worker stops after a minute without a render)`,
            `  per resync: ${perRelease(periodic.counts, Math.max(1, periodic.reconciles))}`,
            breakdown(periodic.counts, Math.max(1, periodic.reconciles)),
          ]
        : []),
      `Flux at ${n}: ${FLUX[n] ?? 'no published figure for this N (published: 100, 500, 1000)'}`,
      `  (${FLUX_NOTE})`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await cleanup();
  }
}

main().catch((err) => {
  process.stderr.write(`[scale] ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
