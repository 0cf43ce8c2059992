// Stories of releases that fail (issue 13): an upgrade whose Job hook fails twice and then succeeds
// (retries), one that keeps failing and is rolled back each time (strategy rollback) until its retries
// are used up, an install that fails and is uninstalled, and the on-demand annotations (reconcile now,
// force a new revision, reset the failure counters). Nothing runs pods here: the test plays the Job
// controller by writing the hook Job's status.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, apiOk, eventually, requireCluster, testNamespace } from '../support/cluster.js';
import { applyYaml, chartReleaseYaml, getChartRelease, kubectlOk, records, startOperator, waitForCondition, waitForReady, writeChart } from './operator-harness.js';

const hookJob = (event: string, name = 'migrate') => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
  annotations:
    helm.sh/hook: ${event}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: busybox
          command: ["true"]
`;

const app = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name | default "app" }}\ndata:\n  a: {{ .Values.a | default "1" | quote }}\n';

const stamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Waits for a hook Job (`migrate`) other than the ones in `seen`, and finishes it as the Job controller would. */
async function finishJob(ns: string, seen: Set<string>, outcome: 'Failed' | 'Complete', name = 'migrate'): Promise<void> {
  const job = await eventually(`a new ${name} Job`, async () => {
    const r = await api('GET', `/apis/batch/v1/namespaces/${ns}/jobs/${name}`);
    return r.status === 200 && !seen.has(r.body.metadata.uid) ? r.body : null;
  }, 60_000);
  seen.add(job.metadata.uid);
  const now = stamp();
  const status =
    outcome === 'Complete'
      ? { startTime: now, completionTime: now, succeeded: 1, conditions: [{ type: 'SuccessCriteriaMet', status: 'True', lastProbeTime: now, lastTransitionTime: now }, { type: 'Complete', status: 'True', lastProbeTime: now, lastTransitionTime: now }] }
      : {
          startTime: now,
          failed: 1,
          conditions: [
            { type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastProbeTime: now, lastTransitionTime: now },
            { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastProbeTime: now, lastTransitionTime: now },
          ],
        };
  await apiOk('PATCH', `/apis/batch/v1/namespaces/${ns}/jobs/${name}/status`, { contentType: 'application/merge-patch+json', body: { status } });
}

const recordLine = (r: { version: number; status: string }) => `${r.version}:${r.status}`;
const historyLines = (cr: any) => cr.status.history.map((h: any) => `${h.revision}:${h.action}:${h.status}`);
const condition = (cr: any, type: string) => cr.status.conditions.find((c: any) => c.type === type);

test('retries: an upgrade whose hook Job fails twice is tried again as new revisions and deploys on the third try', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  const chart = writeChart({ 'Chart.yaml': 'apiVersion: v2\nname: retried\nversion: 0.1.0\n', 'templates/app.yaml': app, 'templates/migrate.yaml': hookJob('pre-upgrade') });
  const spec = (a: string) => ({ chart: { path: chart }, values: { a }, upgrade: { remediation: { retries: 2, strategy: 'none' } } });
  await applyYaml(chartReleaseYaml(ns, 'retried', spec('1')));
  await waitForReady(ns, 'retried');

  await applyYaml(chartReleaseYaml(ns, 'retried', spec('2')));
  const seen = new Set<string>();
  await finishJob(ns, seen, 'Failed');
  const failedOnce = await waitForCondition(ns, 'retried', 'Released=False after the first failure', (c, cr) => c.Released?.status === 'False' && cr.status.upgradeFailures === 1);
  assert.equal(condition(failedOnce, 'Released').reason, 'UpgradeFailed');
  assert.match(condition(failedOnce, 'Released').message, /revision 2: pre-upgrade hook migrate .* failed: Job\/migrate: Job has reached the specified backoff limit/);
  assert.equal(condition(failedOnce, 'Reconciling').status, 'True', 'retrying is Reconciling, not Stalled');
  await finishJob(ns, seen, 'Failed');
  await finishJob(ns, seen, 'Complete');

  const ready = await waitForReady(ns, 'retried');
  assert.equal(ready.status.revision, 4);
  assert.deepEqual((await records(ns, 'retried')).map(recordLine), ['1:superseded', '2:failed', '3:failed', '4:deployed']);
  assert.deepEqual(historyLines(ready), ['4:upgrade:deployed', '3:upgrade:failed', '2:upgrade:failed', '1:install:superseded']);
  assert.match(ready.status.history[1].message, /Upgrade "retried" failed: pre-upgrade hook migrate/);
  assert.equal(ready.status.upgradeFailures, 2);
  assert.equal(ready.status.failures, 2);
  assert.equal(ready.status.lastAttemptedRevision, 4);
  assert.equal(ready.status.lastAttemptedValuesDigest, ready.status.history[0].valuesDigest);
  assert.deepEqual({ status: condition(ready, 'Released').status, reason: condition(ready, 'Released').reason }, { status: 'True', reason: 'UpgradeSucceeded' });
  const cm = await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/app`);
  assert.equal(cm.data.a, '2');
});

test('strategy rollback: each failed upgrade is rolled back as a new revision; when the retries are used up the release stalls; reset tries again', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  const chart = writeChart({ 'Chart.yaml': 'apiVersion: v2\nname: rolled\nversion: 0.1.0\n', 'templates/app.yaml': app });
  const spec = (values: Record<string, string>) => ({ chart: { path: chart }, values, upgrade: { remediation: { retries: 1 } } });
  await applyYaml(chartReleaseYaml(ns, 'rolled', spec({ a: '1' })));
  await waitForReady(ns, 'rolled');

  // A name the API server rejects: every upgrade fails.
  await applyYaml(chartReleaseYaml(ns, 'rolled', spec({ a: '2', name: 'Not_A_Valid_Name' })));
  const stalled = await waitForCondition(ns, 'rolled', 'Stalled RetriesExhausted', (c) => c.Stalled?.status === 'True' && c.Stalled.reason === 'RetriesExhausted');
  assert.deepEqual((await records(ns, 'rolled')).map(recordLine), ['1:superseded', '2:failed', '3:superseded', '4:failed', '5:deployed']);
  assert.deepEqual(historyLines(stalled), ['5:rollback:deployed', '4:upgrade:failed', '3:rollback:superseded', '2:upgrade:failed', '1:install:superseded']);
  assert.equal(stalled.status.history[0].rollbackTo, 3, 'rolled back to the revision deployed when the upgrade failed (itself a rollback to 1)');
  assert.equal(stalled.status.revision, 5);
  assert.equal(stalled.status.upgradeFailures, 2);
  assert.equal(condition(stalled, 'Ready').status, 'False');
  assert.match(condition(stalled, 'Stalled').message, /revision 4 failed: .*Not_A_Valid_Name.*; rolled back to revision 3 as revision 5; upgrade failed 2 times \(spec\.upgrade\.remediation\.retries: 1\), last as revision 4; nothing more is tried until/);
  assert.deepEqual({ status: condition(stalled, 'Remediated').status, reason: condition(stalled, 'Remediated').reason }, { status: 'True', reason: 'RollbackSucceeded' });
  assert.equal(condition(stalled, 'Released').status, 'False');
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/app`)).data.a, '1', 'what runs is the last good revision');

  // Stalled stays stalled (no new revision) ...
  await kubectlOk(['annotate', '--overwrite', '-n', ns, 'chr/rolled', 'chartrelease.dev/reconcile-requested-at=one']);
  await eventually('reconcile-requested-at handled', async () => (await getChartRelease(ns, 'rolled')).status.lastHandledReconcileAt === 'one');
  assert.equal((await records(ns, 'rolled')).length, 5);
  // ... until the counters are reset: two more tries, rolled back each time.
  await kubectlOk(['annotate', '--overwrite', '-n', ns, 'chr/rolled', 'chartrelease.dev/reset-requested-at=r1']);
  const again = await waitForCondition(ns, 'rolled', 'stalled again after the reset', (c, cr) => cr.status.lastHandledResetAt === 'r1' && c.Stalled?.reason === 'RetriesExhausted' && cr.status.revision === 9);
  assert.equal(again.status.upgradeFailures, 2);

  // Fixing the values is a new attempt: counters start at zero and it deploys.
  await applyYaml(chartReleaseYaml(ns, 'rolled', spec({ a: '3' })));
  const fixed = await waitForReady(ns, 'rolled');
  assert.equal(fixed.status.revision, 10);
  assert.equal(fixed.status.upgradeFailures, undefined);
  assert.equal(condition(fixed, 'Remediated'), undefined, 'a successful upgrade clears Remediated');
  assert.equal(condition(fixed, 'Released').reason, 'UpgradeSucceeded');
});

test('install remediation: a failed install is uninstalled, its record kept with its message', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  const chart = writeChart({ 'Chart.yaml': 'apiVersion: v2\nname: undone\nversion: 0.1.0\n', 'templates/app.yaml': app, 'templates/migrate.yaml': hookJob('post-install') });
  await applyYaml(chartReleaseYaml(ns, 'undone', { chart: { path: chart }, install: { remediation: { retries: 0 } } }));
  await eventually('the app ConfigMap applied', async () => (await api('GET', `/api/v1/namespaces/${ns}/configmaps/app`)).status === 200, 60_000);
  await finishJob(ns, new Set(), 'Failed');
  const stalled = await waitForCondition(ns, 'undone', 'Stalled RetriesExhausted', (c) => c.Stalled?.reason === 'RetriesExhausted');
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps/app`)).status, 404, 'the failed install was uninstalled');
  assert.deepEqual((await records(ns, 'undone')).map(recordLine), ['1:uninstalled']);
  assert.deepEqual(historyLines(stalled), ['1:install:uninstalled']);
  assert.match(stalled.status.history[0].message, /^Install "undone" failed: post-install hook migrate .*; uninstalled by remediation$/);
  assert.equal(stalled.status.installFailures, 1);
  assert.equal(stalled.status.revision, undefined);
  assert.deepEqual({ status: condition(stalled, 'Remediated').status, reason: condition(stalled, 'Remediated').reason }, { status: 'True', reason: 'UninstallSucceeded' });
  assert.match(condition(stalled, 'Stalled').message, /install failed 1 time \(spec\.install\.remediation\.retries: 0\)/);
});

test('force-requested-at deploys chart + values again as a new revision when nothing changed', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  const chart = writeChart({ 'Chart.yaml': 'apiVersion: v2\nname: forced\nversion: 0.1.0\n', 'templates/app.yaml': app });
  await applyYaml(chartReleaseYaml(ns, 'forced', { chart: { path: chart } }));
  await waitForReady(ns, 'forced');
  await kubectlOk(['annotate', '--overwrite', '-n', ns, 'chr/forced', 'chartrelease.dev/reconcile-requested-at=now1']);
  const reconciled = await eventually('reconcile handled', async () => {
    const cr = await getChartRelease(ns, 'forced');
    return cr.status.lastHandledReconcileAt === 'now1' ? cr : null;
  });
  assert.equal(reconciled.status.revision, 1, 'a reconcile request alone deploys nothing new');

  await kubectlOk(['annotate', '--overwrite', '-n', ns, 'chr/forced', 'chartrelease.dev/force-requested-at=f1']);
  const forced = await eventually('force handled and revision 2 deployed', async () => {
    const cr = await getChartRelease(ns, 'forced');
    return cr.status.lastHandledForceAt === 'f1' && cr.status.revision === 2 && condition(cr, 'Ready')?.status === 'True' ? cr : null;
  }, 60_000);
  assert.deepEqual(historyLines(forced), ['2:upgrade:deployed', '1:install:superseded']);
  assert.equal(forced.status.history[0].manifestDigest, forced.status.history[1].manifestDigest, 'the same chart + values, deployed again');
  // Handled once: later reconciles deploy nothing more.
  await kubectlOk(['annotate', '--overwrite', '-n', ns, 'chr/forced', 'chartrelease.dev/reconcile-requested-at=now2']);
  await eventually('reconcile handled', async () => (await getChartRelease(ns, 'forced')).status.lastHandledReconcileAt === 'now2');
  assert.deepEqual((await records(ns, 'forced')).map(recordLine), ['1:superseded', '2:deployed']);
});

test('spec.test: chart tests run after install and upgrade; TestSuccess and the per-test outcome in history; a failed test fails the revision unless ignored', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  const chart = writeChart({ 'Chart.yaml': 'apiVersion: v2\nname: tested\nversion: 0.1.0\n', 'templates/app.yaml': app, 'templates/tests/smoke.yaml': hookJob('test', 'smoke') });
  const spec = (a: string, test: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ chart: { path: chart }, values: { a }, test: { enable: true, ...test }, ...extra });
  const seen = new Set<string>();

  await applyYaml(chartReleaseYaml(ns, 'tested', spec('1', { ignoreFailures: true })));
  await finishJob(ns, seen, 'Complete', 'smoke');
  const passed = await waitForCondition(ns, 'tested', 'TestSuccess=True', (c) => c.TestSuccess?.status === 'True' && c.Ready?.status === 'True');
  assert.equal(condition(passed, 'TestSuccess').message, 'revision 1: 1 test succeeded');
  assert.deepEqual(passed.status.history[0].tests, ['smoke: succeeded']);

  // A failing test, ignored: deployed, TestSuccess=False.
  await applyYaml(chartReleaseYaml(ns, 'tested', spec('2', { ignoreFailures: true })));
  await finishJob(ns, seen, 'Failed', 'smoke');
  const ignored = await waitForCondition(ns, 'tested', 'TestSuccess=False, Ready', (c, cr) => c.TestSuccess?.status === 'False' && c.Ready?.status === 'True' && cr.status.revision === 2);
  assert.equal(condition(ignored, 'TestSuccess').reason, 'TestFailed');
  assert.match(condition(ignored, 'TestSuccess').message, /^revision 2: smoke: failed: test hook smoke .* failed: Job\/smoke: Job has reached the specified backoff limit \(ignored: spec.test.ignoreFailures\)$/);
  assert.match(ignored.status.history[0].tests[0], /^smoke: failed: /);
  assert.deepEqual(ignored.status.history[1].tests, ['smoke: succeeded'], 'earlier outcomes stay with their revisions');

  // Not ignored, with remediation: the failed test fails the upgrade, which is rolled back.
  await applyYaml(chartReleaseYaml(ns, 'tested', spec('3', {}, { upgrade: { remediation: { retries: 0 } } })));
  await finishJob(ns, seen, 'Failed', 'smoke');
  const stalled = await waitForCondition(ns, 'tested', 'Stalled RetriesExhausted', (c) => c.Stalled?.reason === 'RetriesExhausted');
  assert.deepEqual(historyLines(stalled).slice(0, 2), ['4:rollback:deployed', '3:upgrade:failed']);
  assert.match(stalled.status.history[1].message, /^Upgrade "tested" failed: test hook smoke/);
  assert.match(stalled.status.history[1].tests[0], /^smoke: failed: /);
  assert.equal(condition(stalled, 'TestSuccess').status, 'False');
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/app`)).data.a, '2', 'rolled back to revision 2');
});
