// Stories at the edges of who deploys: a release installed with `helm install` is adopted with its
// history; a release applied as a ServiceAccount stalls with RBAC's own message until it may.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { apiOk, eventually, requireCluster, testNamespace } from '../support/cluster.js';
import { applyYaml, chartReleaseYaml, EXAMPLE_CHART, getChartRelease, kubectlOk, records, startOperator, waitForCondition, waitForReady, writeChart } from './operator-harness.js';

test('a release installed by helm install is adopted with its history and continued', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  const helm = process.env.CHARTRELEASE_HELM;
  if (!helm) throw new Error('CHARTRELEASE_HELM is not set: run the tests through test/run.js');
  const installed = spawnSync(helm, ['install', 'checkout-api', EXAMPLE_CHART, '-n', ns, '--kubeconfig', cluster.kubeconfig], { encoding: 'utf8' });
  assert.equal(installed.status, 0, installed.stderr);
  await startOperator(t, cluster, ns);

  await applyYaml(chartReleaseYaml(ns, 'checkout-api', { chart: { path: EXAMPLE_CHART } }));
  const adopted = await waitForReady(ns, 'checkout-api');
  assert.equal(adopted.status.revision, 1, 'same chart and values as helm installed: nothing to upgrade');
  assert.deepEqual(adopted.status.history.map((h: any) => `${h.revision}:${h.action}:${h.status}`), ['1:install:deployed']);

  await applyYaml(chartReleaseYaml(ns, 'checkout-api', { chart: { path: EXAMPLE_CHART }, values: { config: { logLevel: 'info' } } }));
  await eventually('revision 2', async () => (await getChartRelease(ns, 'checkout-api')).status?.revision === 2);
  assert.deepEqual((await records(ns, 'checkout-api')).map((r) => `${r.version}:${r.status}`), ['1:superseded', '2:deployed']);
  const list = spawnSync(helm, ['list', '-n', ns, '-o', 'json', '--kubeconfig', cluster.kubeconfig], { encoding: 'utf8' });
  assert.deepEqual((JSON.parse(list.stdout) as any[]).map((r) => `${r.name}:${r.revision}:${r.status}`), ['checkout-api:2:deployed']);

  // Helm 4 refuses to upgrade over our fields by hand...
  const refused = spawnSync(helm, ['upgrade', 'checkout-api', EXAMPLE_CHART, '-n', ns, '--set', 'config.logLevel=warn', '--kubeconfig', cluster.kubeconfig], { encoding: 'utf8' });
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /conflict with "chartrelease": \.data\.LOG_LEVEL/);
  // ...unless forced: a revision like ours, and the next reconcile deploys chart + values again after it.
  const byHand = spawnSync(helm, ['upgrade', 'checkout-api', EXAMPLE_CHART, '-n', ns, '--set', 'config.logLevel=warn', '--force-conflicts', '--kubeconfig', cluster.kubeconfig], { encoding: 'utf8' });
  assert.equal(byHand.status, 0, byHand.stderr);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/checkout-api`)).data.LOG_LEVEL, 'warn');
  await kubectlOk(['annotate', 'chr', 'checkout-api', '-n', ns, `chartrelease.dev/reconcile-requested-at=${Date.now()}`]);
  await eventually('revision 5', async () => (await getChartRelease(ns, 'checkout-api')).status?.revision === 5);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/checkout-api`)).data.LOG_LEVEL, 'info');
  assert.deepEqual((await records(ns, 'checkout-api')).map((r) => `${r.version}:${r.status}`), ['1:superseded', '2:superseded', '3:failed', '4:superseded', '5:deployed']);
});

test('serviceAccountName: applied as that ServiceAccount; without permission it stalls with RBAC\'s message, then deploys once granted', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  await kubectlOk(['create', 'serviceaccount', 'deployer', '-n', ns]);
  const chart = writeChart({
    'Chart.yaml': 'apiVersion: v2\nname: scoped\nversion: 0.1.0\n',
    'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: scoped\ndata:\n  a: "1"\n',
  });
  await applyYaml(chartReleaseYaml(ns, 'scoped', { chart: { path: chart }, serviceAccountName: 'deployer', interval: '2s' }));
  const cr = await waitForCondition(ns, 'scoped', 'Stalled Forbidden', (c) => c.Stalled?.reason === 'Forbidden');
  assert.match(cr.status.conditions.find((c: any) => c.type === 'Stalled').message, new RegExp(`"system:serviceaccount:${ns}:deployer" cannot \\w+ resource "configmaps"`));

  await kubectlOk(['create', 'rolebinding', 'deployer-edit', '-n', ns, '--clusterrole=edit', `--serviceaccount=${ns}:deployer`]);
  const ready = await waitForReady(ns, 'scoped');
  assert.equal(ready.status.revision, 1, 'the failed attempt is resumed under the same number');
  const cm = await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/scoped`);
  assert.ok(cm.metadata.managedFields.some((m: any) => m.manager === 'chartrelease'));
  assert.deepEqual((await records(ns, 'scoped')).map((r) => `${r.version}:${r.status}`), ['1:deployed']);
});

test('a field another manager owns is reported as a conflict, and taken over only with spec.forceConflicts', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  await kubectlOk(['apply', '--server-side', '--field-manager=platform-team', '-f', '-'], `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n  namespace: ${ns}\ndata:\n  owner: platform\n`);
  const chart = writeChart({
    'Chart.yaml': 'apiVersion: v2\nname: shared\nversion: 0.1.0\n',
    'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\ndata:\n  owner: release\n',
  });
  await applyYaml(chartReleaseYaml(ns, 'shared', { chart: { path: chart } }));
  const cr = await waitForCondition(ns, 'shared', 'Stalled FieldManagerConflict', (c) => c.Stalled?.reason === 'FieldManagerConflict');
  assert.match(cr.status.conditions.find((c: any) => c.type === 'Stalled').message, /ConfigMap\/shared -n \S+: "platform-team" own \.data\.owner.*Set spec.forceConflicts: true/);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/shared`)).data.owner, 'platform', 'nothing taken without the opt-in');

  await applyYaml(chartReleaseYaml(ns, 'shared', { chart: { path: chart }, forceConflicts: true }));
  await waitForReady(ns, 'shared');
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/shared`)).data.owner, 'release');
  assert.deepEqual((await records(ns, 'shared')).map((r) => `${r.version}:${r.status}`), ['1:deployed']);
});
