// Stories of the spec's other fields: `.Capabilities` from discovery and `lookup` reading the cluster,
// createNamespace, suspend, historyLimit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, apiOk, eventually, requireCluster, testNamespace } from '../support/cluster.js';
import { applyYaml, chartReleaseYaml, getChartRelease, kubectlOk, records, startOperator, waitForCondition, waitForReady, writeChart } from './operator-harness.js';

test('.Capabilities come from discovery and lookup reads the cluster; createNamespace creates the target', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  await kubectlOk(['create', 'secret', 'generic', 'db', '-n', ns, '--from-literal=password=s3cr3t']);
  const target = `${ns}-app`;
  t.after(() => api('DELETE', `/api/v1/namespaces/${target}`));
  const chart = writeChart({
    'Chart.yaml': 'apiVersion: v2\nname: probe\nversion: 0.1.0\n',
    'templates/cm.yaml': [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: probe',
      'data:',
      '  kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}',
      '  hasChartReleases: {{ .Capabilities.APIVersions.Has "chartrelease.dev/v1alpha1/ChartRelease" | quote }}',
      `  {{- $db := lookup "v1" "Secret" "${ns}" "db" }}`,
      '  passwordLength: {{ $db.data.password | b64dec | len | quote }}',
      `  {{- $found := (lookup "v1" "ConfigMap" "${ns}" "does-not-exist") }}`,
      '  missingIsEmpty: {{ empty $found | quote }}',
      '',
    ].join('\n'),
  });
  await applyYaml(chartReleaseYaml(ns, 'probe', { chart: { path: chart }, targetNamespace: target, createNamespace: true }));
  await waitForReady(ns, 'probe');
  const version = await apiOk('GET', '/version');
  const cm = await apiOk('GET', `/api/v1/namespaces/${target}/configmaps/probe`);
  assert.deepEqual(cm.data, { kubeVersion: version.gitVersion, hasChartReleases: 'true', passwordLength: '6', missingIsEmpty: 'true' });
  assert.deepEqual((await records(target, 'probe')).map((r) => r.version), [1], 'records live in the target namespace');
});

test('suspend holds every change until lifted; historyLimit keeps the newest records and status.history in step', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  const chart = writeChart({
    'Chart.yaml': 'apiVersion: v2\nname: counter\nversion: 0.1.0\n',
    'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: counter\ndata:\n  count: {{ .Values.count | quote }}\n',
  });
  const spec = (n: number, extra: Record<string, unknown> = {}) => chartReleaseYaml(ns, 'counter', { chart: { path: chart }, values: { count: n }, historyLimit: 2, ...extra });
  await applyYaml(spec(1));
  await waitForReady(ns, 'counter');

  await applyYaml(spec(2, { suspend: true }));
  const suspended = await waitForCondition(ns, 'counter', 'Suspended', (c) => c.Ready?.reason === 'Suspended');
  assert.equal(suspended.status.conditions.find((c: any) => c.type === 'Ready').status, 'True', 'Ready keeps its status while suspended');
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/counter`)).data.count, '1', 'nothing applied while suspended');

  await applyYaml(spec(2));
  await eventually('revision 2', async () => (await getChartRelease(ns, 'counter')).status?.revision === 2);
  for (const n of [3, 4]) {
    await applyYaml(spec(n));
    await eventually(`revision ${n}`, async () => (await getChartRelease(ns, 'counter')).status?.revision === n);
  }
  const cr = await waitForReady(ns, 'counter');
  assert.deepEqual((await records(ns, 'counter')).map((r) => `${r.version}:${r.status}`), ['3:superseded', '4:deployed']);
  assert.deepEqual(cr.status.history.map((h: any) => h.revision), [4, 3]);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/counter`)).data.count, '4');
});

test('changing the reconcile-requested-at annotation reconciles now, long before the interval', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  const chart = writeChart({
    'Chart.yaml': 'apiVersion: v2\nname: nudge\nversion: 0.1.0\n',
    'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nudge\ndata:\n  a: "1"\n',
  });
  await applyYaml(chartReleaseYaml(ns, 'nudge', { chart: { path: chart }, interval: '1h' }));
  await waitForReady(ns, 'nudge');
  await new Promise((r) => setTimeout(r, 2000)); // let the reconciles that the creation queued finish
  await kubectlOk(['delete', 'configmap', 'nudge', '-n', ns]);
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps/nudge`)).status, 404, 'nothing happens by itself within the hour');
  await kubectlOk(['annotate', 'chr', 'nudge', '-n', ns, `chartrelease.dev/reconcile-requested-at=${Date.now()}`]);
  await eventually('the deleted ConfigMap to be put back', async () => (await api('GET', `/api/v1/namespaces/${ns}/configmaps/nudge`)).status === 200, 20_000);
});

test('output that differs at every render (randAlphaNum) stays as deployed across resyncs until an input changes', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  const chart = writeChart({
    'Chart.yaml': 'apiVersion: v2\nname: random\nversion: 0.1.0\n',
    'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: random\ndata:\n  token: {{ randAlphaNum 16 | quote }}\n  size: {{ .Values.size | default "s" | quote }}\n',
  });
  await applyYaml(chartReleaseYaml(ns, 'random', { chart: { path: chart }, interval: '1s' }));
  await waitForReady(ns, 'random');
  const before = await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/random`);
  await new Promise((r) => setTimeout(r, 4000));
  const after = await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/random`);
  assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion, 'no write at the resyncs');
  assert.equal((await getChartRelease(ns, 'random')).status.revision, 1);

  await applyYaml(chartReleaseYaml(ns, 'random', { chart: { path: chart }, interval: '1s', values: { size: 'm' } }));
  await eventually('revision 2', async () => (await getChartRelease(ns, 'random')).status?.revision === 2);
  const upgraded = await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/random`);
  assert.equal(upgraded.data.size, 'm');
  assert.notEqual(upgraded.data.token, before.data.token, 'a real upgrade renders again, as helm upgrade does');
});
