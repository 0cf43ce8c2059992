// Issue 11, problems 2 and 4: field ownership that heals. A field the deployed revision set is taken
// back on the next upgrade whoever edited it; a release adopted from `helm install` (Helm 4's Apply
// or Helm 3's Update field manager) prunes what the chart stops rendering.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { apiOk, eventually, requireCluster, testNamespace } from '../support/cluster.js';
import { applyYaml, chartReleaseYaml, getChartRelease, kubectlOk, records, startOperator, waitForReady, writeChart } from './operator-harness.js';

test('a hand-edited field of the release, then a values change: the upgrade takes the field back instead of stalling', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  const chart = writeChart({
    'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'values.yaml': 'logLevel: info\n',
    'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  LOG_LEVEL: {{ .Values.logLevel | quote }}\n',
  });
  await applyYaml(chartReleaseYaml(ns, 'web', { chart: { path: chart }, interval: '1h' }));
  await waitForReady(ns, 'web');
  await kubectlOk(['patch', 'configmap', 'web', '-n', ns, '--type=merge', '-p', '{"data":{"LOG_LEVEL":"debug"}}']);
  await applyYaml(chartReleaseYaml(ns, 'web', { chart: { path: chart }, values: { logLevel: 'warn' }, interval: '1h' }));
  const ready = await waitForReady(ns, 'web');
  assert.equal(ready.status.revision, 2);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/web`)).data.LOG_LEVEL, 'warn');
  assert.deepEqual((await records(ns, 'web')).map((r) => `${r.version}:${r.status}`), ['1:superseded', '2:deployed']);
});

const envChart = () =>
  writeChart({
    'Chart.yaml': 'apiVersion: v2\nname: api\nversion: 0.1.0\n',
    'values.yaml': 'env:\n  - {name: MODE, value: prod}\n  - {name: LEGACY_FLAG, value: "on"}\n',
    'templates/deploy.yaml':
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 0\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n' +
      '    spec:\n      containers:\n        - name: api\n          image: registry.example/api:1.0\n          env:\n{{ toYaml .Values.env | indent 12 }}\n',
  });

for (const style of [
  { name: 'Helm 4 (server-side apply)', flags: [] as string[], operation: 'Apply' },
  { name: 'Helm 3 style (client-side, Update)', flags: ['--server-side=false'], operation: 'Update' },
]) {
  test(`a release adopted from helm install (${style.name}) prunes the env entry the chart stops rendering`, async (t) => {
    const cluster = requireCluster(t);
    if (!cluster) return;
    const ns = await testNamespace(t);
    const helm = process.env.CHARTRELEASE_HELM;
    if (!helm) throw new Error('CHARTRELEASE_HELM is not set: run the tests through test/run.js');
    const chart = envChart();
    const installed = spawnSync(helm, ['install', 'api', chart, '-n', ns, ...style.flags, '--kubeconfig', cluster.kubeconfig], { encoding: 'utf8' });
    assert.equal(installed.status, 0, installed.stderr);
    const before = await apiOk('GET', `/apis/apps/v1/namespaces/${ns}/deployments/api`);
    assert.ok(before.metadata.managedFields.some((m: any) => m.manager === 'helm' && m.operation === style.operation), JSON.stringify(before.metadata.managedFields.map((m: any) => `${m.manager}/${m.operation}`)));

    await startOperator(t, cluster, ns);
    await applyYaml(chartReleaseYaml(ns, 'api', { chart: { path: chart }, interval: '1h' }));
    await waitForReady(ns, 'api');
    await applyYaml(chartReleaseYaml(ns, 'api', { chart: { path: chart }, values: { env: [{ name: 'MODE', value: 'prod' }] }, interval: '1h' }));
    await eventually('revision 2', async () => (await getChartRelease(ns, 'api')).status?.revision === 2);
    const after = await apiOk('GET', `/apis/apps/v1/namespaces/${ns}/deployments/api`);
    assert.deepEqual(after.spec.template.spec.containers[0].env, [{ name: 'MODE', value: 'prod' }], 'LEGACY_FLAG is gone, as on a release the operator installed');
    assert.ok(!after.metadata.managedFields.some((m: any) => m.manager === 'helm' && !m.subresource), 'Helm\'s field manager holds nothing any more');
  });
}
