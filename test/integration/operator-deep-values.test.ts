// Story: values nested thousands of levels deep, as helm accepts them (go-yaml and encoding/json stop
// at 10,000), in a ConfigMap overlay and in spec.values. The operator's own thread digests them,
// records them in Helm's release format, plans and writes status: none of it may overflow the stack.
// Past the parsers' limit the release stalls with an error naming the ConfigMap, the key and the limit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, apiOk, requireCluster, testNamespace } from '../support/cluster.js';
import { applyYaml, chartReleaseYaml, records, startOperator, waitForCondition, waitForReady, writeChart } from './operator-harness.js';

/** How deep a JSON value nests (without recursion: the values are deeper than the stack allows). */
function depth(value: unknown): number {
  let max = 0;
  const todo: [unknown, number][] = [[value, 0]];
  while (todo.length > 0) {
    const [v, d] = todo.pop()!;
    max = Math.max(max, d);
    if (v !== null && typeof v === 'object') for (const e of Object.values(v)) todo.push([e, d + 1]);
  }
  return max;
}

const nested = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

const CHART = {
  'Chart.yaml': 'apiVersion: v2\nname: deep\nversion: 0.1.0\n',
  'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  overlay: {{ .Values.fromOverlay | toJson | len | quote }}\n  spec: {{ .Values.fromSpec | toJson | len | quote }}\n',
};

/** A ChartRelease posted as JSON text (the test's own JSON.stringify would overflow on such values). */
async function postChartRelease(ns: string, name: string, chartPath: string, valuesFrom: object[], specValues: string): Promise<void> {
  const head = JSON.stringify({ apiVersion: 'chartrelease.dev/v1alpha1', kind: 'ChartRelease', metadata: { name, namespace: ns }, spec: { chart: { path: chartPath }, valuesFrom } });
  await apiOk('POST', `/apis/chartrelease.dev/v1alpha1/namespaces/${ns}/chartreleases`, { body: `${head.slice(0, -2)},"values":${specValues}}}` });
}

test('values nested 5,000 levels in an overlay and in spec.values deploy and are recorded; past 10,000 the release stalls naming the ConfigMap and key', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  const operator = await startOperator(t, cluster, ns);
  const ready = (name: string) => waitForReady(ns, name, 120).catch(async (err: Error) => {
    const cr = await apiOk('GET', `/apis/chartrelease.dev/v1alpha1/namespaces/${ns}/chartreleases/${name}`);
    const errors = operator.logs().split('\n').filter((l) => /"level":(50|40)|RangeError|stack size/.test(l)).slice(-5).map((l) => l.slice(0, 600));
    throw new Error(`${err.message}\nconditions: ${JSON.stringify(cr.status?.conditions)}\noperator log:\n${errors.join('\n')}`);
  });
  const chart = writeChart(CHART);
  await apiOk('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: JSON.stringify({ metadata: { name: 'deep-values' }, data: { 'values.yaml': `fromOverlay: ${nested(5000)}\n` } }) });
  await postChartRelease(ns, 'deep', chart, [{ kind: 'ConfigMap', name: 'deep-values', key: 'values.yaml' }], `{"fromSpec":${nested(5000)}}`);
  await ready('deep');
  const rendered = await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/deep`);
  assert.deepEqual(rendered.data, { overlay: String(2 * 5000), spec: String(2 * 5000) });
  const [record] = await records(ns, 'deep');
  assert.equal(record!.status, 'deployed');
  assert.equal(depth(record!.config), 5000, 'the record holds the user-supplied values, nested 5,000 levels');

  // An upgrade with other values digests and plans the deep values again.
  await apiOk('PATCH', `/apis/chartrelease.dev/v1alpha1/namespaces/${ns}/chartreleases/deep`, { body: `{"spec":{"values":{"fromSpec":${nested(4999)}}}}`, contentType: 'application/merge-patch+json' });
  await ready('deep');
  const all = await records(ns, 'deep');
  assert.deepEqual(all.map((r) => [r.version, r.status]), [[1, 'superseded'], [2, 'deployed']]);

  // Past go-yaml's limit: the overlay is refused where it is read, naming it.
  await apiOk('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: JSON.stringify({ metadata: { name: 'deeper-values' }, data: { 'values.yaml': `fromOverlay: ${nested(20_000)}\n` } }) });
  await applyYaml(chartReleaseYaml(ns, 'deeper', { chart: { path: chart }, valuesFrom: [{ kind: 'ConfigMap', name: 'deeper-values', key: 'values.yaml' }] }));
  const stalled = await waitForCondition(ns, 'deeper', 'Stalled', (c) => c.Stalled?.status === 'True', 120_000);
  const message: string = stalled.status.conditions.find((c: any) => c.type === 'Stalled').message;
  assert.match(message, /ConfigMap deeper-values key values\.yaml/);
  assert.match(message, /exceeded max depth of 10000/);

  // spec.values 20,000 deep: whatever the API server does with it, the operator never overflows.
  const head = JSON.stringify({ apiVersion: 'chartrelease.dev/v1alpha1', kind: 'ChartRelease', metadata: { name: 'deepest', namespace: ns }, spec: { chart: { path: chart } } });
  const posted = await api('POST', `/apis/chartrelease.dev/v1alpha1/namespaces/${ns}/chartreleases`, { body: `${head.slice(0, -2)},"values":{"fromSpec":${nested(20_000)}}}}` });
  t.diagnostic(`spec.values 20,000 deep: the API server answered ${posted.status} ${posted.status >= 300 ? JSON.stringify(posted.body).slice(0, 300) : ''}`);
  if (posted.status >= 300) assert.match(JSON.stringify(posted.body), /depth/i, 'the API server refuses it for its depth');
  else {
    const cr = await waitForCondition(ns, 'deepest', 'Ready or Stalled', (c) => c.Ready?.status === 'True' || c.Stalled?.status === 'True', 120_000);
    assert.doesNotMatch(JSON.stringify(cr.status.conditions), /call stack/);
  }
  assert.doesNotMatch(operator.logs(), /Maximum call stack/);
});
