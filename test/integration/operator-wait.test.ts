// Stories: `wait.enabled` holds Ready until the workloads are ready (the same revision number is kept
// while retrying), and a chart that brings its own CRD (crds/) gets it Established before the custom
// resources that use it, and keeps it on uninstall as Helm does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, apiOk, requireCluster, testNamespace } from '../support/cluster.js';
import { applyYaml, chartReleaseYaml, kubectlOk, records, startOperator, waitForCondition, waitForReady, writeChart } from './operator-harness.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx
`;

test('wait.enabled: Ready only once the Deployment is ready; the failed wait is retried under the same revision', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  const chart = writeChart({ 'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n', 'templates/deployment.yaml': deployment });
  await applyYaml(chartReleaseYaml(ns, 'web', { chart: { path: chart }, wait: { enabled: true, timeout: '2s' } }));
  const working = await waitForCondition(ns, 'web', 'Reconciling while revision 1 is installed', (c) => c.Reconciling?.status === 'True' && c.Ready?.status === 'Unknown' && !c.Stalled);
  assert.match(working.status.conditions.find((c: any) => c.type === 'Reconciling').message, /^(installing revision 1 \(chart web-0\.1\.0\)|revision 1 applied; waiting up to 2s for Deployment\/web: .*)$/);
  // While it waits, the message names what it waits for.
  await waitForCondition(ns, 'web', 'Reconciling names the Deployment', (c) => c.Reconciling?.message === 'revision 1 applied; waiting up to 2s for Deployment/web: waiting for the controller to observe generation 1');
  const waiting = await waitForCondition(ns, 'web', 'WaitFailed, retrying', (c) => c.Ready?.status === 'False' && c.Ready.reason === 'WaitFailed' && c.Reconciling?.status === 'True');
  assert.match(waiting.status.conditions.find((c: any) => c.type === 'Ready').message, /revision 1 not ready after 2s: Deployment\/web/);

  // Nothing runs pods here: play the deployment controller.
  const live = await apiOk('GET', `/apis/apps/v1/namespaces/${ns}/deployments/web`);
  await apiOk('PATCH', `/apis/apps/v1/namespaces/${ns}/deployments/web/status`, {
    contentType: 'application/merge-patch+json',
    body: { status: { observedGeneration: live.metadata.generation, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 } },
  });
  const ready = await waitForReady(ns, 'web');
  assert.equal(ready.status.conditions.find((c: any) => c.type === 'Ready').message, 'revision 1');
  assert.deepEqual((await records(ns, 'web')).map((r) => `${r.version}:${r.status}`), ['1:deployed']);
});

test('a chart with its own CRD: established before its custom resources, kept on uninstall', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  const group = `${ns.slice(-6)}.widgets.example.com`;
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.${group}
spec:
  group: ${group}
  names: {kind: Widget, plural: widgets, singular: widget}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;
  t.after(() => api('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.${group}`));
  const chart = writeChart({
    'Chart.yaml': 'apiVersion: v2\nname: widgets\nversion: 0.1.0\n',
    'crds/widget.yaml': crd,
    'templates/widget.yaml': `apiVersion: ${group}/v1\nkind: Widget\nmetadata:\n  name: first\nspec:\n  size: 3\n`,
  });
  await applyYaml(chartReleaseYaml(ns, 'widgets', { chart: { path: chart } }));
  await waitForReady(ns, 'widgets');
  const widget = await apiOk('GET', `/apis/${group}/v1/namespaces/${ns}/widgets/first`);
  assert.equal(widget.spec.size, 3);
  const [record] = await records(ns, 'widgets');
  assert.doesNotMatch(record!.manifest, /CustomResourceDefinition/, 'crds/ files are not part of the manifest, as in Helm');

  await kubectlOk(['delete', 'chr', 'widgets', '-n', ns, '--timeout=60s']);
  assert.equal((await api('GET', `/apis/${group}/v1/namespaces/${ns}/widgets/first`)).status, 404);
  assert.equal((await api('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.${group}`)).status, 200, 'the CRD stays');
});
