// The fault suite: many releases on a control plane of their own while the operator is killed with
// SIGKILL at random points, kube-apiserver is restarted and the operator's connections to it are cut
// (a TCP proxy sits between them). A monitor watches the revision records the whole time; at the end
// every release must be Ready with contiguous, never reused revision numbers, at most one `deployed`
// record at any instant, and status.history equal to the records.
//
// Used by chaos.test.ts (a short run in `npm test`) and by run.ts (the long run: 200 releases, 50 kills).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chartReleaseCRD } from '../../src/api/index.js';
import { startControlPlane, kubeconfigYaml, type ControlPlane } from '../../src/devcluster/index.js';
import { apiWatchSource, KubeClient, runWatcher, type Meta } from '../../src/kube/index.js';
import { decodeRelease } from '../../src/release/index.js';
import { repoRoot } from '../support/paths.js';
import { rng } from '../support/random.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

export interface FaultOptions {
  releases: number;
  /** SIGKILLs of the operator. */
  kills: number;
  /** kube-apiserver restarts (alternately SIGTERM and SIGKILL). */
  apiServerRestarts: number;
  /** Times every operator connection is cut and new ones refused for 1-4 s. */
  cuts: number;
  /** Operator --concurrency. */
  concurrency?: number;
  /** Seed of the random schedule (same seed, same schedule of faults). */
  seed?: number;
  /** How long the releases may take to converge after the last fault (default 5 min). */
  convergeTimeoutMs?: number;
  progress?: (line: string) => void;
}

export interface FaultReport {
  releases: number;
  kills: number;
  apiServerRestarts: number;
  cuts: number;
  valueChanges: number;
  revisionsRecorded: number;
  /** From the end of the faults until every release is Ready at its generation. */
  convergeSeconds: number;
  /** After 10 s of refused connections, how long until the operator saw a change to a release (its first decision)... */
  pickupAfterOutageMs: number;
  /** ...and until the release was Ready at its new generation. */
  reconciledAfterOutageMs: number;
  /** Every broken invariant, as a sentence; empty when the run passed. */
  violations: string[];
  operatorLog: string;
}

const NS = 'chaos';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function writeChart(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chartrelease-chaos-chart-'));
  const files: Record<string, string> = {
    'Chart.yaml': 'apiVersion: v2\nname: chaos\nversion: 1.0.0\n',
    'values.yaml': 'payload: initial\n',
    'templates/config.yaml': [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: {{ .Release.Name }}-config',
      'data:',
      '  payload: {{ .Values.payload | quote }}',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: {{ .Release.Name }}-static',
      'data:',
      '  release: {{ .Release.Name | quote }}',
      '',
    ].join('\n'),
  };
  for (const [path, text] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}

/** Ready, with the status and the Ready condition both observing `generation`. */
function readyAt(cr: any, generation: number): boolean {
  const ready = (cr.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  return ready?.status === 'True' && cr.status.observedGeneration === generation && ready.observedGeneration === generation;
}

/** Retries an API call through apiserver restarts (the test's own requests are not under test). */
async function persist<T>(what: string, fn: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${what}: ${(err as Error).message}`);
      await sleep(250);
    }
  }
}

interface RecordMeta {
  release: string;
  version: number;
  status: string;
  uid: string;
}

/** Watches the records (metadata only) and reports any instant with two `deployed` records, or a number used twice. */
class RecordMonitor {
  private readonly records = new Map<string, RecordMeta>();
  private readonly uidOfVersion = new Map<string, string>();
  readonly violations: string[] = [];
  created = 0;

  private check(release: string): void {
    const deployed = [...this.records.values()].filter((r) => r.release === release && r.status === 'deployed');
    if (deployed.length > 1) this.violations.push(`${release}: ${deployed.length} records deployed at once (revisions ${deployed.map((r) => r.version).join(', ')})`);
  }

  private seen(m: Meta & { metadata: { uid?: string; labels?: Record<string, string> } }): RecordMeta | null {
    const labels = m.metadata.labels ?? {};
    if (labels.owner !== 'helm' || !labels.name || !labels.version) return null;
    const r = { release: labels.name, version: Number(labels.version), status: labels.status ?? '', uid: m.metadata.uid ?? '' };
    const key = `${r.release}.v${r.version}`;
    const before = this.uidOfVersion.get(key);
    if (before === undefined) this.created += 1;
    else if (before !== r.uid) this.violations.push(`${r.release}: revision ${r.version} was recorded twice (a number reused)`);
    this.uidOfVersion.set(key, r.uid);
    return r;
  }

  onEvent(e: { type: 'relisted'; objects: Meta[] } | { type: 'applied'; object: Meta } | { type: 'deleted'; object: Meta }): void {
    if (e.type === 'relisted') {
      this.records.clear();
      for (const o of e.objects) {
        const r = this.seen(o as never);
        if (r) this.records.set(o.metadata!.name!, r);
      }
      for (const release of new Set([...this.records.values()].map((r) => r.release))) this.check(release);
    } else if (e.type === 'applied') {
      const r = this.seen(e.object as never);
      if (r) {
        this.records.set(e.object.metadata!.name!, r);
        this.check(r.release);
      }
    } else {
      this.records.delete(e.object.metadata!.name!);
    }
  }
}

class OperatorProcess {
  private child: ChildProcess | null = null;
  private readonly logFile: string;
  constructor(private readonly kubeconfig: string, private readonly concurrency: number, dir: string) {
    this.logFile = join(dir, 'operator.log');
  }
  get log(): string {
    return this.logFile;
  }
  start(): void {
    const out = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'bin', 'chartrelease.js'), 'operator', '--kubeconfig', this.kubeconfig, '--namespace', NS, '--concurrency', String(this.concurrency), '--metrics-bind-address', '0', '--health-probe-bind-address', '0', '--log-format', 'json', '--log-level', 'debug'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.pipe(out, { end: false });
    child.stderr!.pipe(out, { end: false });
    this.child = child;
  }
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}

export async function runFaultSuite(opts: FaultOptions): Promise<FaultReport> {
  const say = opts.progress ?? (() => {});
  const rand = rng(opts.seed ?? 1);
  const pick = (n: number) => Math.floor(rand() * n);
  const dir = mkdtempSync(join(tmpdir(), 'chartrelease-chaos-'));
  const cp: ControlPlane = await startControlPlane({ controllers: [], progress: say });
  let proxy: TcpProxy | undefined;
  let operator: OperatorProcess | undefined;
  const stopMonitor = new AbortController();
  const admin = KubeClient.load({ kubeconfigPath: cp.adminKubeconfigPath });
  try {
    const crd = chartReleaseCRD();
    await admin.apply(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`, crd as never, { fieldManager: 'chaos', force: true });
    await persist('the CRD to be established', async () => {
      const got = await admin.get<{ status?: { conditions?: { type: string; status: string }[] } }>(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
      if (!got.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) throw new Error('not established');
    });
    await admin.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });

    const url = new URL(cp.server);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port) });
    const kubeconfig = join(dir, 'operator.kubeconfig');
    writeFileSync(kubeconfig, kubeconfigYaml({ server: `https://127.0.0.1:${proxy.port}`, caData: cp.caData, user: cp.admin.name, token: cp.admin.token }), { mode: 0o600 });

    const monitor = new RecordMonitor();
    const monitorDone = runWatcher(apiWatchSource(admin, `/api/v1/namespaces/${NS}/secrets`, { labelSelector: 'owner=helm', metadataOnly: true }), (e) => monitor.onEvent(e), stopMonitor.signal);

    const chart = writeChart();
    const names = Array.from({ length: opts.releases }, (_, i) => `r${String(i).padStart(4, '0')}`);
    const crPath = (name: string) => `/apis/chartrelease.dev/v1alpha1/namespaces/${NS}/chartreleases/${name}`;
    for (const name of names) {
      await admin.create(`/apis/chartrelease.dev/v1alpha1/namespaces/${NS}/chartreleases`, {
        apiVersion: 'chartrelease.dev/v1alpha1',
        kind: 'ChartRelease',
        metadata: { name, namespace: NS },
        spec: { chart: { path: chart }, values: { payload: 'v0' }, interval: '30s' },
      });
    }
    say(`${names.length} ChartReleases created`);

    operator = new OperatorProcess(kubeconfig, opts.concurrency ?? 4, dir);
    operator.start();

    // The faults, in a random order; between them, values change so upgrades are under way when they hit.
    const faults: ('kill' | 'restart' | 'cut')[] = [
      ...Array<'kill'>(opts.kills).fill('kill'),
      ...Array<'restart'>(opts.apiServerRestarts).fill('restart'),
      ...Array<'cut'>(opts.cuts).fill('cut'),
    ];
    for (let i = faults.length - 1; i > 0; i--) {
      const j = pick(i + 1);
      [faults[i], faults[j]] = [faults[j]!, faults[i]!];
    }
    let valueChanges = 0;
    let restarts = 0;
    const changeSome = async () => {
      const count = Math.max(1, Math.round(names.length * 0.1));
      for (let k = 0; k < count; k++) {
        const name = names[pick(names.length)]!;
        valueChanges += 1;
        await persist(`a values change of ${name}`, () => admin.patch(crPath(name), 'merge', { spec: { values: { payload: `v${valueChanges}` } } }));
      }
    };
    for (const [i, fault] of faults.entries()) {
      await changeSome();
      await sleep(200 + pick(2500));
      say(`fault ${i + 1}/${faults.length}: ${fault}`);
      if (fault === 'kill') {
        await operator.kill();
        if (rand() < 0.3) await sleep(pick(1500));
        operator.start();
      } else if (fault === 'restart') {
        restarts += 1;
        await cp.restartApiServer(restarts % 2 === 0 ? 'SIGKILL' : 'SIGTERM');
      } else {
        proxy.setDown(true);
        await sleep(1000 + pick(3000));
        proxy.setDown(false);
      }
    }
    await changeSome();

    // Convergence: every release Ready at its generation.
    const convergeStart = Date.now();
    const timeout = opts.convergeTimeoutMs ?? 300_000;
    let notReady: string[] = names;
    while (Date.now() - convergeStart < timeout) {
      const list = await admin.list<any>(`/apis/chartrelease.dev/v1alpha1/namespaces/${NS}/chartreleases`);
      notReady = list.items
        .filter((cr) => !readyAt(cr, cr.metadata.generation))
        .map((cr) => cr.metadata.name as string);
      if (notReady.length === 0) break;
      await sleep(500);
    }
    const convergeSeconds = (Date.now() - convergeStart) / 1000;
    say(`converged in ${convergeSeconds.toFixed(1)} s (${notReady.length} not Ready)`);

    // Pick-up after an outage, measured on a settled operator: 10 s of refused connections, then a
    // change must be seen within 2 s (the watches' backoff must not have grown while the server was away).
    proxy.setDown(true);
    await sleep(10_000);
    proxy.setDown(false);
    const probe = names[0]!;
    const changedAt = Date.now();
    const patched = await admin.patch<{ metadata: { generation: number } }>(crPath(probe), 'merge', { spec: { values: { payload: 'after-outage' } } });
    // Seen: the operator's first decision about the release after the change (its debug line 'decided').
    let pickupAfterOutageMs = -1;
    let reconciledAfterOutageMs = -1;
    while (Date.now() - changedAt < 60_000 && (pickupAfterOutageMs < 0 || reconciledAfterOutageMs < 0)) {
      if (pickupAfterOutageMs < 0) {
        for (const line of readFileSync(operator.log, 'utf8').split('\n')) {
          if (!line.includes('"decided"') || !line.includes(`"${NS}/${probe}"`)) continue;
          const at = Date.parse((JSON.parse(line) as { time: string }).time);
          if (at >= changedAt) {
            pickupAfterOutageMs = at - changedAt;
            break;
          }
        }
      }
      if (reconciledAfterOutageMs < 0) {
        const cr = await admin.get<any>(crPath(probe));
        if (readyAt(cr, patched.metadata.generation)) reconciledAfterOutageMs = Date.now() - changedAt;
      }
      await sleep(50);
    }
    say(`a change after 10 s of outage was seen in ${pickupAfterOutageMs} ms and reconciled in ${reconciledAfterOutageMs} ms`);

    const violations = [...monitor.violations];
    if (notReady.length) violations.push(`${notReady.length} releases not Ready at their generation ${timeout / 1000} s after the faults: ${notReady.slice(0, 10).join(', ')}`);
    if (pickupAfterOutageMs < 0 || pickupAfterOutageMs > 2_000) violations.push(`a change after a 10 s outage took ${pickupAfterOutageMs < 0 ? 'more than 60 s' : `${pickupAfterOutageMs} ms`} to be seen by the operator (at most 2 s)`);

    // The records against status, release by release.
    const secrets = await admin.list<any>(`/api/v1/namespaces/${NS}/secrets`, { labelSelector: 'owner=helm' });
    const byRelease = new Map<string, { version: number; status: string; payload: unknown }[]>();
    for (const s of secrets.items) {
      const r = decodeRelease(Buffer.from(s.data.release, 'base64').toString('utf8'));
      const list = byRelease.get(r.name) ?? [];
      list.push({ version: r.version, status: r.info.status, payload: (r.config as { payload?: unknown } | null)?.payload });
      byRelease.set(r.name, list);
    }
    const crs = await admin.list<any>(`/apis/chartrelease.dev/v1alpha1/namespaces/${NS}/chartreleases`);
    for (const cr of crs.items) {
      const name = cr.metadata.name as string;
      const recs = (byRelease.get(name) ?? []).sort((a, b) => a.version - b.version);
      const versions = recs.map((r) => r.version);
      if (recs.length === 0) {
        violations.push(`${name}: no records`);
        continue;
      }
      const first = versions[0]!;
      if (versions.some((v, i) => v !== first + i)) violations.push(`${name}: revision numbers not contiguous: ${versions.join(', ')}`);
      const deployed = recs.filter((r) => r.status === 'deployed');
      if (deployed.length !== 1) violations.push(`${name}: ${deployed.length} deployed records at the end`);
      else if (deployed[0]!.version !== versions.at(-1)) violations.push(`${name}: the deployed record (${deployed[0]!.version}) is not the newest (${versions.at(-1)})`);
      if (deployed[0] && deployed[0].payload !== cr.spec.values.payload) violations.push(`${name}: deployed values ${JSON.stringify(deployed[0].payload)} are not spec.values ${JSON.stringify(cr.spec.values.payload)}`);
      const history = ((cr.status?.history ?? []) as { revision: number; status: string }[]).map((h) => `${h.revision}:${h.status}`).sort();
      const fromRecords = recs.map((r) => `${r.version}:${r.status}`).sort();
      if (history.join(' ') !== fromRecords.join(' ')) violations.push(`${name}: status.history [${history.join(' ')}] differs from the records [${fromRecords.join(' ')}]`);
      if (cr.status?.revision !== deployed[0]?.version) violations.push(`${name}: status.revision ${cr.status?.revision} is not the deployed record ${deployed[0]?.version}`);
    }
    stopMonitor.abort();
    await monitorDone;
    return {
      releases: names.length,
      kills: opts.kills,
      apiServerRestarts: opts.apiServerRestarts,
      cuts: opts.cuts,
      valueChanges,
      revisionsRecorded: monitor.created,
      convergeSeconds,
      pickupAfterOutageMs,
      reconciledAfterOutageMs,
      violations: [...new Set(violations)],
      operatorLog: operator.log,
    };
  } finally {
    stopMonitor.abort();
    await operator?.kill();
    await proxy?.close();
    admin.close();
    await cp.stop();
  }
}
