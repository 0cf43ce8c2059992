// Story: spec.dependsOn. B depends on A: B installs nothing until A is Ready at its generation (here A
// waits for its Deployment, which the test makes ready as the deployment controller would); a missing
// dependency and a cycle each get their own reason.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiOk, requireCluster, testNamespace } from '../support/cluster.js';
import { applyYaml, chartReleaseYaml, records, startOperator, waitForCondition, waitForReady, writeChart } from './operator-harness.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: db
spec:
  replicas: 1
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
        - name: db
          image: postgres
`;

test('dependsOn: B installs only after A is Ready; a missing dependency waits, a cycle stalls', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  const dbChart = writeChart({ 'Chart.yaml': 'apiVersion: v2\nname: db\nversion: 0.1.0\n', 'templates/db.yaml': deployment });
  const appChart = writeChart({ 'Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n', 'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  a: "1"\n' });

  await applyYaml(chartReleaseYaml(ns, 'a', { chart: { path: dbChart }, wait: { enabled: true, timeout: '1s' } }));
  await applyYaml(chartReleaseYaml(ns, 'b', { chart: { path: appChart }, dependsOn: [{ name: 'a' }] }));
  const waiting = await waitForCondition(ns, 'b', 'Reconciling DependencyNotReady', (c) => c.Reconciling?.status === 'True' && c.Reconciling.reason === 'DependencyNotReady');
  assert.match(waiting.status.conditions.find((c: any) => c.type === 'Ready').message, new RegExp(`^waiting for dependencies to be Ready: ${ns}/a \\(`));
  assert.deepEqual(await records(ns, 'b'), [], 'B installs nothing while A is not Ready');

  const live = await apiOk('GET', `/apis/apps/v1/namespaces/${ns}/deployments/db`);
  await apiOk('PATCH', `/apis/apps/v1/namespaces/${ns}/deployments/db/status`, {
    contentType: 'application/merge-patch+json',
    body: { status: { observedGeneration: live.metadata.generation, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 } },
  });
  const a = await waitForReady(ns, 'a');
  const b = await waitForReady(ns, 'b');
  assert.equal(b.status.revision, 1);
  const readyAt = (cr: any) => Date.parse(cr.status.conditions.find((c: any) => c.type === 'Ready').lastTransitionTime);
  assert.ok(readyAt(b) >= readyAt(a), 'B became Ready after A');
  assert.ok(Date.parse(b.status.history[0].deployedAt) >= readyAt(a), 'B was installed after A was Ready');

  await applyYaml(chartReleaseYaml(ns, 'lonely', { chart: { path: appChart }, dependsOn: [{ name: 'nobody', namespace: 'elsewhere' }] }));
  const missing = await waitForCondition(ns, 'lonely', 'Reconciling DependencyNotFound', (c) => c.Reconciling?.reason === 'DependencyNotFound');
  assert.equal(missing.status.conditions.find((c: any) => c.type === 'Ready').message, 'waiting for ChartRelease elsewhere/nobody named in spec.dependsOn: not found');

  await applyYaml(chartReleaseYaml(ns, 'c', { chart: { path: appChart }, dependsOn: [{ name: 'd' }] }));
  await applyYaml(chartReleaseYaml(ns, 'd', { chart: { path: appChart }, dependsOn: [{ name: 'c' }] }));
  const cycle = await waitForCondition(ns, 'c', 'Stalled DependencyCycle', (c) => c.Stalled?.reason === 'DependencyCycle', 60_000);
  assert.equal(cycle.status.conditions.find((c: any) => c.type === 'Stalled').message, `spec.dependsOn forms a cycle: ${ns}/c -> ${ns}/d -> ${ns}/c; remove one of these dependencies`);
  assert.deepEqual(await records(ns, 'c'), []);
});
