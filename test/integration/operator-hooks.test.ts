// Story: a chart with Helm hooks. Pre-install hooks run by weight before the release's objects,
// post-install hooks after, hook-succeeded hooks are deleted once done, and uninstall runs pre-delete
// hooks; hooks are not part of the release's objects (never pruned with them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, apiOk, requireCluster, testNamespace } from '../support/cluster.js';
import { applyYaml, chartReleaseYaml, kubectlOk, records, startOperator, waitForReady, writeChart } from './operator-harness.js';

const hook = (name: string, event: string, weight: number, policy?: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  annotations:\n    helm.sh/hook: ${event}\n    helm.sh/hook-weight: "${weight}"\n` +
  (policy ? `    helm.sh/hook-delete-policy: ${policy}\n` : '') +
  'data:\n  ran: "yes"\n';

test('hooks run in weight order around the install, with their delete policies, and pre-delete on uninstall', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  const chart = writeChart({
    'Chart.yaml': 'apiVersion: v2\nname: hooked\nversion: 0.1.0\n',
    'templates/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  a: "1"\n',
    'templates/pre-a.yaml': hook('pre-a', 'pre-install', 5),
    'templates/pre-b.yaml': hook('pre-b', 'pre-install', -5),
    'templates/cleanup.yaml': hook('cleanup', 'pre-install', 0, 'hook-succeeded'),
    'templates/post.yaml': hook('post', 'post-install', 0),
    'templates/bye.yaml': hook('bye', 'pre-delete', 0),
  });
  await applyYaml(chartReleaseYaml(ns, 'hooked', { chart: { path: chart } }));
  await waitForReady(ns, 'hooked');

  const rv = async (name: string) => Number((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/${name}`)).metadata.resourceVersion);
  const [preB, preA, app, post] = [await rv('pre-b'), await rv('pre-a'), await rv('app'), await rv('post')];
  assert.ok(preB < preA && preA < app && app < post, `order by resourceVersion: pre-b ${preB} < pre-a ${preA} < app ${app} < post ${post}`);
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps/cleanup`)).status, 404, 'hook-succeeded hooks are deleted');
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps/bye`)).status, 404, 'pre-delete hooks wait for the uninstall');
  const [record] = await records(ns, 'hooked');
  assert.doesNotMatch(record!.manifest, /pre-a|post/, 'hooks are stored beside the manifest, not in it');

  await kubectlOk(['delete', 'chr', 'hooked', '-n', ns, '--timeout=60s']);
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps/bye`)).status, 200, 'the pre-delete hook ran');
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps/app`)).status, 404);
});
