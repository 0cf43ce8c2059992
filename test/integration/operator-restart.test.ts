// Story: the operator process is killed between applying a revision and recording it as deployed
// (here: while a post-install hook Job runs). Restarted, it finds the pending record, whose content is
// what is wanted, and finishes it: no revision is lost or written twice.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { api, apiOk, eventually, requireCluster, testNamespace } from '../support/cluster.js';
import { applyYaml, chartReleaseYaml, installCRD, records, startOperatorProcess, waitForReady, writeChart } from './operator-harness.js';

const job = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    helm.sh/hook: post-install
    helm.sh/hook-delete-policy: hook-succeeded
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

/** Starts the operator process, applies the release, and SIGKILLs the process while record 1 is pending after its apply; then completes the hook Job. */
async function killBetweenApplyAndRecord(t: TestContext, kubeconfig: string, ns: string): Promise<string> {
  await installCRD();
  const chart = writeChart({
    'Chart.yaml': 'apiVersion: v2\nname: restart\nversion: 0.1.0\n',
    'templates/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  a: {{ .Values.a | default "1" | quote }}\n',
    'templates/migrate.yaml': job,
  });
  const first = startOperatorProcess(t, kubeconfig, ns);
  await applyYaml(chartReleaseYaml(ns, 'restart', { chart: { path: chart } }));

  // The manifest is applied and the post-install hook Job waits (nothing runs pods here): record 1 is pending.
  await eventually('record 1 pending with the objects applied and the hook running', async () => {
    const recs = await records(ns, 'restart');
    const applied = (await api('GET', `/api/v1/namespaces/${ns}/configmaps/app`)).status === 200;
    const hookRunning = (await api('GET', `/apis/batch/v1/namespaces/${ns}/jobs/migrate`)).status === 200;
    return recs.length === 1 && recs[0]!.status === 'pending-install' && applied && hookRunning;
  }, 60_000);
  first.child.kill('SIGKILL');
  await new Promise((resolve) => first.child.once('exit', resolve));

  // The hook's work finishes while no operator runs.
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  await apiOk('PATCH', `/apis/batch/v1/namespaces/${ns}/jobs/migrate/status`, {
    contentType: 'application/merge-patch+json',
    body: {
      status: {
        startTime: now,
        completionTime: now,
        succeeded: 1,
        conditions: [
          { type: 'SuccessCriteriaMet', status: 'True', lastProbeTime: now, lastTransitionTime: now },
          { type: 'Complete', status: 'True', lastProbeTime: now, lastTransitionTime: now },
        ],
      },
    },
  });
  return chart;
}

test('killed between apply and record, the restarted operator resumes the pending revision', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await killBetweenApplyAndRecord(t, cluster.kubeconfig, ns);

  const second = startOperatorProcess(t, cluster.kubeconfig, ns);
  const cr = await waitForReady(ns, 'restart');
  assert.equal(cr.status.revision, 1);
  assert.deepEqual((await records(ns, 'restart')).map((r) => `${r.version}:${r.status}:${r.description}`), ['1:deployed:Install complete']);
  assert.deepEqual(cr.status.history.map((h: any) => `${h.revision}:${h.status}`), ['1:deployed']);
  await eventually('the hook-succeeded Job to be deleted', async () => (await api('GET', `/apis/batch/v1/namespaces/${ns}/jobs/migrate`)).status === 404);
  assert.match(second.output(), /resuming an unfinished revision/);
});

test('killed mid-way and the spec changed meanwhile: the next revision deploys, the unfinished one is marked failed', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  const chart = await killBetweenApplyAndRecord(t, cluster.kubeconfig, ns);
  await applyYaml(chartReleaseYaml(ns, 'restart', { chart: { path: chart }, values: { a: '2' } }));

  startOperatorProcess(t, cluster.kubeconfig, ns);
  const cr = await waitForReady(ns, 'restart');
  assert.equal(cr.status.revision, 2);
  assert.deepEqual((await records(ns, 'restart')).map((r) => `${r.version}:${r.status}`), ['1:failed', '2:deployed']);
  assert.match((await records(ns, 'restart'))[0]!.description, /abandoned unfinished: revision 2 deploys what is wanted now/);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/app`)).data.a, '2');
});
