// Story: a user installs the seed article's chart with its staging overlay from a ConfigMap, then
// upgrades by editing that ConfigMap; nothing is written while nothing changes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiOk, eventually, requireCluster, testNamespace } from '../support/cluster.js';
import { applyYaml, chartReleaseYaml, EXAMPLE_CHART, events, exampleValues, kubectlOk, records, startOperator, waitForReady } from './operator-harness.js';

test('install with a values overlay from a ConfigMap, upgrade by editing it, no writes while unchanged', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  await kubectlOk(['create', 'configmap', 'checkout-values', '-n', ns, `--from-literal=values.yaml=${exampleValues('values.staging.yaml')}`]);
  await applyYaml(chartReleaseYaml(ns, 'checkout-api', { chart: { path: EXAMPLE_CHART }, valuesFrom: [{ kind: 'ConfigMap', name: 'checkout-values' }], interval: '2s' }));

  const cr = await waitForReady(ns, 'checkout-api');
  assert.equal(cr.status.revision, 1);
  assert.equal(cr.status.conditions.find((c: any) => c.type === 'Ready').message, 'revision 1');
  assert.deepEqual(cr.metadata.finalizers, ['chartrelease.dev/uninstall']);
  assert.equal(cr.status.history[0].action, 'install');
  assert.match(cr.status.history[0].valuesDigest, /^sha256:[0-9a-f]{64}$/);
  const deployment = await apiOk('GET', `/apis/apps/v1/namespaces/${ns}/deployments/checkout-api`);
  assert.equal(deployment.spec.template.spec.containers[0].image, 'ghcr.io/myorg/checkout-api:staging-abc1234');
  assert.equal(deployment.metadata.annotations['meta.helm.sh/release-name'], 'checkout-api');
  assert.ok(deployment.metadata.managedFields.some((m: any) => m.manager === 'chartrelease' && m.operation === 'Apply'));
  const printed = await kubectlOk(['get', 'chr', '-n', ns]);
  assert.match(printed, /NAME\s+READY\s+REVISION\s+CHART\s+STATUS\s+AGE\ncheckout-api\s+True\s+1\s+checkout-api\s+revision 1\s+/);

  // Unchanged: several resyncs (interval 2s) write nothing, not even status.
  const before = (await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/checkout-api`)).metadata.resourceVersion;
  const crBefore = cr.metadata.resourceVersion;
  await new Promise((r) => setTimeout(r, 5000));
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/checkout-api`)).metadata.resourceVersion, before);
  assert.equal((await apiOk('GET', `/apis/chartrelease.dev/v1alpha1/namespaces/${ns}/chartreleases/checkout-api`)).metadata.resourceVersion, crBefore);
  assert.equal((await records(ns, 'checkout-api')).length, 1);

  // Editing the overlay ConfigMap upgrades (the watch on referenced objects triggers it).
  const edited = exampleValues('values.staging.yaml').replace('tag: staging-abc1234', 'tag: staging-def5678');
  await kubectlOk(['create', 'configmap', 'checkout-values', '-n', ns, `--from-literal=values.yaml=${edited}`, '--dry-run=client', '-o', 'yaml'])
    .then((yaml) => kubectlOk(['apply', '-f', '-'], yaml));
  await eventually('revision 2', async () => (await apiOk('GET', `/apis/chartrelease.dev/v1alpha1/namespaces/${ns}/chartreleases/checkout-api`)).status?.revision === 2);
  const upgraded = await apiOk('GET', `/apis/apps/v1/namespaces/${ns}/deployments/checkout-api`);
  assert.equal(upgraded.spec.template.spec.containers[0].image, 'ghcr.io/myorg/checkout-api:staging-def5678');
  const recs = await records(ns, 'checkout-api');
  assert.deepEqual(recs.map((r) => `${r.version}:${r.status}:${r.description}`), ['1:superseded:Install complete', '2:deployed:Upgrade complete']);
  const evs = await events(ns, 'checkout-api');
  assert.ok(evs.some((e) => /^Normal Installed: revision 1 chart checkout-api-1.4.0/.test(e)), evs.join('\n'));
  assert.ok(evs.some((e) => /^Normal Upgraded: revision 2/.test(e)), evs.join('\n'));
});
