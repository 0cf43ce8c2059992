// Stories of a release's life after install: prune of an object the chart no longer renders, drift
// corrected at the next resync, `helm.sh/resource-policy: keep`, and delete with the finalizer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, apiOk, eventually, requireCluster, testNamespace } from '../support/cluster.js';
import { applyYaml, chartReleaseYaml, events, getChartRelease, kubectlOk, records, startOperator, waitForReady, writeChart } from './operator-harness.js';

const chart = () =>
  writeChart({
    'Chart.yaml': 'apiVersion: v2\nname: lifecycle\nversion: 0.1.0\n',
    'values.yaml': 'extra: true\ngreeting: hello\n',
    'templates/main.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: main\ndata:\n  greeting: {{ .Values.greeting | quote }}\n',
    'templates/extra.yaml': '{{- if .Values.extra }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  a: "1"\n{{- end }}\n',
    'templates/kept.yaml':
      '{{- if .Values.extra }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\n  annotations:\n    helm.sh/resource-policy: keep\ndata:\n  b: "2"\n{{- end }}\n',
    'templates/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n',
  });

test('prune removes what the new revision lacks (keep stays); drift is corrected at the next resync; delete uninstalls', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  const path = chart();
  await applyYaml(chartReleaseYaml(ns, 'life', { chart: { path }, interval: '2s' }));
  await waitForReady(ns, 'life');
  for (const name of ['main', 'extra', 'kept']) assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps/${name}`)).status, 200, name);

  // Prune: the chart stops rendering `extra` and `kept`.
  await applyYaml(chartReleaseYaml(ns, 'life', { chart: { path }, interval: '2s', values: { extra: false } }));
  await eventually('revision 2', async () => (await getChartRelease(ns, 'life')).status?.revision === 2);
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps/extra`)).status, 404, 'extra is pruned');
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps/kept`)).status, 200, 'kept stays (resource-policy keep)');
  const evs = await events(ns, 'life');
  assert.ok(evs.some((e) => /^Normal Pruned: revision 2 .*ConfigMap\/extra -n .* deleted/.test(e) && /ConfigMap\/kept -n .* kept/.test(e)), evs.join('\n'));

  // Drift: someone edits an applied object; the next resync puts it back, reports it, and records no revision.
  await kubectlOk(['patch', 'configmap', 'main', '-n', ns, '--type=merge', '-p', '{"data":{"greeting":"edited by hand"}}']);
  await kubectlOk(['delete', 'service', 'web', '-n', ns]);
  await eventually('drift corrected', async () => (await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/main`)).data.greeting === 'hello' && (await api('GET', `/api/v1/namespaces/${ns}/services/web`)).status === 200, 20_000);
  // A resync may fall between the two edits: one event or two.
  const drift = (await events(ns, 'life')).filter((e) => e.startsWith('Warning DriftCorrected: objects of revision 2 differed'));
  assert.ok(drift.some((e) => /ConfigMap\/main -n \S+ configured \(\.data\.greeting\)/.test(e)) && drift.some((e) => /Service\/web -n \S+ created/.test(e)), drift.join('\n'));
  assert.equal((await records(ns, 'life')).length, 2);

  // Delete: the finalizer uninstalls (keep stays), removes the records, then lets the object go.
  await kubectlOk(['delete', 'chr', 'life', '-n', ns, '--wait=true', '--timeout=60s']);
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps/main`)).status, 404);
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/services/web`)).status, 404);
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps/kept`)).status, 200, 'resource-policy keep survives uninstall');
  assert.deepEqual(await records(ns, 'life'), []);
  assert.equal((await api('GET', `/apis/chartrelease.dev/v1alpha1/namespaces/${ns}/chartreleases/life`)).status, 404);
});
