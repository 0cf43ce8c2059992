// Stories of a user's mistakes: values that break the chart's schema, a template error, a pin to a
// revision that was never recorded. Each stalls with a message the
// user can act on, and nothing is applied; fixing the spec makes the release Ready.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, requireCluster, testNamespace } from '../support/cluster.js';
import { applyYaml, chartReleaseYaml, EXAMPLE_CHART, events, records, startOperator, waitForCondition, waitForReady, writeChart } from './operator-harness.js';

const stalled = (reason: string) => (c: Record<string, any>) => c.Stalled?.status === 'True' && c.Stalled.reason === reason && c.Ready?.status === 'False' && !c.Reconciling;

test('a values schema violation stalls with the schema message and applies nothing; fixing it deploys', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  await applyYaml(chartReleaseYaml(ns, 'checkout-api', { chart: { path: EXAMPLE_CHART }, values: { replicaCount: '6' } }));
  const cr = await waitForCondition(ns, 'checkout-api', 'Stalled ValuesSchemaInvalid', stalled('ValuesSchemaInvalid'));
  assert.match(cr.status.conditions.find((c: any) => c.type === 'Stalled').message, /replicaCount/);
  assert.equal((await api('GET', `/apis/apps/v1/namespaces/${ns}/deployments/checkout-api`)).status, 404, 'nothing is applied');
  assert.deepEqual(await records(ns, 'checkout-api'), [], 'no revision is recorded');
  assert.ok((await events(ns, 'checkout-api')).some((e) => e.startsWith('Warning ValuesSchemaInvalid:')));

  await applyYaml(chartReleaseYaml(ns, 'checkout-api', { chart: { path: EXAMPLE_CHART }, values: { replicaCount: 6 } }));
  const ready = await waitForReady(ns, 'checkout-api');
  assert.equal(ready.status.revision, 1);
  assert.equal(ready.status.conditions.some((c: any) => c.type === 'Stalled'), false);
});

test('a template error stalls naming the template; a pin to an unrecorded revision stalls and changes nothing', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  const chart = writeChart({
    'Chart.yaml': 'apiVersion: v2\nname: broken\nversion: 0.1.0\n',
    'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata:\n  host: {{ required "set .Values.host" .Values.host | quote }}\n',
  });
  await applyYaml(chartReleaseYaml(ns, 'broken', { chart: { path: chart } }));
  const cr = await waitForCondition(ns, 'broken', 'Stalled TemplateError', stalled('TemplateError'));
  assert.match(cr.status.conditions.find((c: any) => c.type === 'Ready').message, /set \.Values\.host/);
  assert.match(cr.status.conditions.find((c: any) => c.type === 'Ready').message, /broken\/templates\/cm\.yaml/);

  await applyYaml(chartReleaseYaml(ns, 'broken', { chart: { path: chart }, values: { host: 'a.example.com' } }));
  await waitForReady(ns, 'broken');
  await applyYaml(chartReleaseYaml(ns, 'broken', { chart: { path: chart }, values: { host: 'b.example.com' }, revision: 7 }));
  const pinned = await waitForCondition(ns, 'broken', 'Stalled RevisionNotFound', stalled('RevisionNotFound'));
  assert.equal(pinned.status.conditions.find((c: any) => c.type === 'Stalled').message, 'spec.revision 7 has no record (kept revisions: 1); set spec.revision to a kept revision or remove it. Nothing was changed.');
  assert.deepEqual((await records(ns, 'broken')).map((r) => r.version), [1]);
  const cm = await api('GET', `/api/v1/namespaces/${ns}/configmaps/broken`);
  assert.equal(cm.body.data.host, 'a.example.com', 'the pinned error changed nothing');
});
