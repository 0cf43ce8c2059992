// The running operator on the real control plane, as a cluster operator sees it: metrics that move
// when a release reconciles, probes, structured logs that never carry a value, and leader election
// with the default timings (15 s lease, 10 s renew deadline, 2 s retry) across two processes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test, type TestContext } from 'node:test';
import { api, apiOk, eventually, requireCluster, testNamespace } from '../support/cluster.js';
import { installCRD } from './operator-harness.js';
import { probe, scrape, startOperator, writeTinyChart, type OperatorProcess } from './production-support.js';

const SECRET_VALUE = 'do-not-log-me-7f3a';

interface Setup {
  ns: string;
  shard: string;
  chart: string;
  start(): Promise<OperatorProcess>;
}

async function setup(t: TestContext): Promise<Setup | null> {
  const env = requireCluster(t);
  if (!env) return null;
  await installCRD(); // this file alone must not depend on another suite having installed it
  const ns = await testNamespace(t);
  const shard = randomBytes(4).toString('hex');
  const chart = writeTinyChart();
  // The Lease lives in the test namespace; each test its own shard, so operators of other suites never interfere.
  const start = () => startOperator(t, { kubeconfig: env.kubeconfig, watchLabelSelector: `chartrelease.test/shard=${shard}`, leaderElectionNamespace: ns, leaderElectionId: 'chartrelease-leader' });
  return { ns, shard, chart, start };
}

const releasePath = (ns: string, name = '') => `/apis/chartrelease.dev/v1alpha1/namespaces/${ns}/chartreleases${name ? `/${name}` : ''}`;

async function createRelease(s: Setup, name: string, spec: Record<string, unknown>): Promise<void> {
  await apiOk('POST', releasePath(s.ns), {
    body: { apiVersion: 'chartrelease.dev/v1alpha1', kind: 'ChartRelease', metadata: { name, labels: { 'chartrelease.test/shard': s.shard } }, spec: { chart: { path: s.chart }, ...spec } },
  });
}

/** The release once Ready=True at the given revision. */
function readyAt(ns: string, name: string, revision: number, timeoutMs = 60_000) {
  return eventually(
    `${name} Ready at revision ${revision}`,
    async () => {
      const r = await api('GET', releasePath(ns, name));
      const ready = (r.body?.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
      return ready?.status === 'True' && r.body.status.revision === revision ? r.body : undefined;
    },
    timeoutMs,
  );
}

async function leaseHolder(ns: string): Promise<string> {
  const r = await api('GET', `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/chartrelease-leader`);
  return r.status === 200 ? (r.body.spec?.holderIdentity ?? '') : '';
}

/** Starts a first operator, waits until it holds the Lease, then starts a standby and waits until it is ready. */
async function leaderAndStandby(s: Setup) {
  const first = await s.start();
  const firstHolder = await eventually('a leader', async () => (await leaseHolder(s.ns)) || undefined, 30_000);
  const second = await s.start();
  await eventually('both ready (the standby can take over)', async () => (await probe(first, '/readyz')) === 200 && (await probe(second, '/readyz')) === 200, 30_000);
  return { first, firstHolder, second };
}

/** Waits until someone other than `previous` holds the Lease. */
const newHolder = (ns: string, previous: string, timeoutMs: number) =>
  eventually('the standby to take the lease', async () => {
    const h = await leaseHolder(ns);
    return h && h !== previous ? h : undefined;
  }, timeoutMs);

/** Log lines that belong to a reconcile of this release. */
const reconcileLines = (op: OperatorProcess, ns: string, name: string) => op.logs.filter((l) => l.reconcileID && l.namespace === ns && l.name === name);

const C = 'controller="chartrelease"';
/** Reconciles that did not fail: controller-runtime counts one that asks to come back after its interval as requeue_after. */
const finishedReconciles = (m: Record<string, number>) =>
  ['success', 'requeue', 'requeue_after'].reduce((sum, result) => sum + (m[`controller_runtime_reconcile_total{${C},result="${result}"}`] ?? 0), 0);
const Q = 'name="chartrelease",controller="chartrelease"';

test('metrics list the controller-runtime, workqueue, leader and chartrelease series, and they move when a release reconciles', async (t) => {
  const s = await setup(t);
  if (!s) return;
  const op = await s.start();
  await eventually('/readyz', async () => (await probe(op, '/readyz')) === 200, 30_000);
  assert.equal(await probe(op, '/healthz'), 200);
  const before = await scrape(op);
  for (const series of [
    `controller_runtime_max_concurrent_reconciles{${C}}`,
    `controller_runtime_active_workers{${C}}`,
    `workqueue_depth{${Q}}`,
    `workqueue_adds_total{${Q}}`,
    `workqueue_retries_total{${Q}}`,
    'leader_election_master_status{name="chartrelease-leader"}',
    'process_cpu_seconds_total',
    'process_resident_memory_bytes',
    'nodejs_heap_size_used_bytes',
  ]) {
    assert.ok(series in before, `${series} before any reconcile`);
  }
  assert.ok(before[`controller_runtime_max_concurrent_reconciles{${C}}`]! >= 1);
  assert.equal(before['leader_election_master_status{name="chartrelease-leader"}'], 1);

  await createRelease(s, 'metered', { values: { maps: ['one', 'two'], greeting: SECRET_VALUE } });
  await readyAt(s.ns, 'metered', 1);
  const after = await eventually('the reconcile to be counted', async () => {
    const m = await scrape(op);
    return finishedReconciles(m) > finishedReconciles(before) ? m : undefined;
  });
  const grew = (series: string) => assert.ok((after[series] ?? 0) > (before[series] ?? 0), `${series}: ${before[series]} -> ${after[series]}`);
  grew(`controller_runtime_reconcile_time_seconds_count{${C}}`);
  grew(`workqueue_adds_total{${Q}}`);
  grew(`workqueue_queue_duration_seconds_count{${Q}}`);
  grew(`workqueue_work_duration_seconds_count{${Q}}`);
  grew('chartrelease_render_duration_seconds_count');
  grew('chartrelease_apply_duration_seconds_count');
  grew('chartrelease_objects_applied_total{change="created"}');
  assert.ok(`controller_runtime_reconcile_errors_total{${C}}` in after);
  assert.equal(after[`chartrelease_condition{name="metered",namespace="${s.ns}",type="Ready",status="True"}`], 1);
  assert.equal(after[`chartrelease_condition{name="metered",namespace="${s.ns}",type="Ready",status="False"}`], 0);

  // A second revision that renders one ConfigMap fewer: one object pruned.
  await apiOk('PATCH', releasePath(s.ns, 'metered'), { body: { spec: { values: { maps: ['one'], greeting: SECRET_VALUE } } }, contentType: 'application/merge-patch+json' });
  await readyAt(s.ns, 'metered', 2);
  const pruned = await eventually('the prune to be counted', async () => {
    const m = await scrape(op);
    return (m['chartrelease_objects_pruned_total'] ?? 0) > (after['chartrelease_objects_pruned_total'] ?? 0) ? m : undefined;
  });
  assert.ok(finishedReconciles(pruned) > finishedReconciles(after));

  // Logs: structured, every reconcile line identifies the release and the reconcile, and the revision
  // once there is one (a line before the first revision has none, never `revision: null`); no value ever.
  const lines = reconcileLines(op, s.ns, 'metered');
  assert.ok(lines.length > 0, 'reconcile lines carry namespace, name and reconcileID');
  for (const l of lines) assert.ok(l.revision !== null && typeof l.msg === 'string' && typeof l.level === 'string', JSON.stringify(l));
  assert.ok(lines.some((l) => l.revision === 1), 'lines of the first reconcile carry revision 1 once it is decided');
  assert.ok(new Set(lines.map((l) => l.reconcileID)).size >= 2, 'one reconcile id per reconcile');
  assert.ok(lines.some((l) => l.revision === 2), 'lines of the second reconcile carry revision 2');
  assert.ok(!JSON.stringify(op.logs).includes(SECRET_VALUE) && !op.otherOutput.join('').includes(SECRET_VALUE), 'a value reached the logs');
});

test('two operators with --leader-elect: only the leader reconciles; kill it and the other takes over within the lease time', async (t) => {
  const s = await setup(t);
  if (!s) return;
  const { first, firstHolder, second } = await leaderAndStandby(s);

  await createRelease(s, 'ha', { values: { greeting: 'one' } });
  await readyAt(s.ns, 'ha', 1);
  assert.ok(reconcileLines(first, s.ns, 'ha').length > 0, 'the leader reconciled');
  assert.deepEqual(reconcileLines(second, s.ns, 'ha'), [], 'the standby did not');
  const [m1, m2] = [await scrape(first), await scrape(second)];
  assert.equal(m1['leader_election_master_status{name="chartrelease-leader"}'], 1);
  assert.equal(m2['leader_election_master_status{name="chartrelease-leader"}'], 0);
  assert.equal(finishedReconciles(m2), 0, 'the standby counts no reconcile');

  first.child.kill('SIGKILL');
  const killedAt = performance.now();
  await newHolder(s.ns, firstHolder, 30_000);
  const took = (performance.now() - killedAt) / 1000;
  // The standby sees the last renewal up to one retry (2 s + 120% jitter) late, waits out the 15 s
  // lease from then, and takes over on its next try: at most 15 + 2 × 4.4 s after the kill.
  assert.ok(took >= 13, `took over after ${took.toFixed(1)} s, before the lease could expire`);
  assert.ok(took <= 15 + 2 * 4.4 + 1, `took over after ${took.toFixed(1)} s, more than the lease duration and two retries`);
  assert.equal((await scrape(second))['leader_election_master_status{name="chartrelease-leader"}'], 1);

  // The new leader reconciles changes.
  await apiOk('PATCH', releasePath(s.ns, 'ha'), { body: { spec: { values: { greeting: 'two' } } }, contentType: 'application/merge-patch+json' });
  await readyAt(s.ns, 'ha', 2);
  assert.ok(reconcileLines(second, s.ns, 'ha').length > 0);
});

test('SIGTERM mid-reconcile: the reconcile finishes, the lease is released, the standby takes over within seconds', async (t) => {
  const s = await setup(t);
  if (!s) return;
  const { first, firstHolder } = await leaderAndStandby(s);

  // A Deployment that never becomes ready, waited for 8 s: the reconcile is in flight for that long.
  await createRelease(s, 'slow', { values: { deployment: true }, wait: { enabled: true, timeout: '8s' } });
  await eventually('the reconcile to start', async () => reconcileLines(first, s.ns, 'slow').length > 0, 30_000);
  await new Promise((r) => setTimeout(r, 1_000));
  first.child.kill('SIGTERM');
  const termAt = performance.now();
  const exit = await first.exited;
  const stoppedAfter = (performance.now() - termAt) / 1000;
  assert.equal(exit.code, 0, 'a graceful stop exits 0');
  assert.ok(stoppedAfter >= 3, `exited ${stoppedAfter.toFixed(1)} s after SIGTERM: it did not wait for the in-flight reconcile`);

  // The reconcile that was in flight finished before the exit: its revision record carries a final
  // status (not pending-install), and the release's status tells the outcome of that revision.
  const record = await apiOk('GET', `/api/v1/namespaces/${s.ns}/secrets/sh.helm.release.v1.slow.v1`);
  assert.match(record.metadata.labels.status, /^(deployed|failed)$/, 'the revision record was finished');
  const status = (await apiOk('GET', releasePath(s.ns, 'slow'))).status;
  const ready = (status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  assert.ok(ready && ready.status !== 'Unknown' && ready.observedGeneration === 1, `status written by the finished reconcile: ${JSON.stringify(ready)}`);
  assert.match(ready.message, /revision 1/);

  // Released, not left to expire: the standby leads well before 15 s.
  await newHolder(s.ns, firstHolder, 15_000);
  const took = (performance.now() - termAt) / 1000 - stoppedAfter;
  assert.ok(took < 10, `the standby took the lease ${took.toFixed(1)} s after the leader exited`);
});
