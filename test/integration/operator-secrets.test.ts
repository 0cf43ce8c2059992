// Story: values from a Secret. Editing the Secret upgrades the release; a Secret that is not valid
// YAML stalls naming the Secret and key, never its content; no value reaches status or events.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KubeClient } from '../../src/kube/index.js';
import { addFinalizerPatch, patchFinalizers } from '../../src/controller/finalizer.js';
import { apiOk, eventually, requireCluster, testNamespace } from '../support/cluster.js';
import { applyYaml, chartReleaseYaml, events, getChartRelease, installCRD, kubectlOk, startOperator, waitForCondition, waitForReady, writeChart } from './operator-harness.js';

const secretYaml = (ns: string, values: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: ${ns}\nstringData:\n  values.yaml: ${JSON.stringify(values)}\n`;

test('a Secret overlay: edits upgrade, broken YAML stalls by name only, no value in status or events', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  const chart = writeChart({
    'Chart.yaml': 'apiVersion: v2\nname: secretive\nversion: 0.1.0\n',
    'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: secretive\ndata:\n  passwordHash: {{ .Values.password | sha256sum | quote }}\n',
  });
  await applyYaml(secretYaml(ns, 'password: hunter2\n'));
  await applyYaml(chartReleaseYaml(ns, 'secretive', { chart: { path: chart }, valuesFrom: [{ kind: 'Secret', name: 'creds' }] }));
  await waitForReady(ns, 'secretive');

  await applyYaml(secretYaml(ns, 'password: hunter3\n'));
  await eventually('revision 2 after the Secret changed', async () => (await getChartRelease(ns, 'secretive')).status?.revision === 2);

  await applyYaml(secretYaml(ns, 'password: [hunter4\n'));
  // The Secret edit changes no generation: wait for the stall itself.
  const cr = await waitForCondition(ns, 'secretive', 'Stalled ValuesInvalid', (c) => c.Stalled?.reason === 'ValuesInvalid');
  assert.equal(cr.status.conditions.find((c: any) => c.type === 'Stalled').message, 'Secret creds key values.yaml (spec.valuesFrom[0]): not a valid YAML map of values');
  const visible = JSON.stringify(cr.status) + (await events(ns, 'secretive')).join('\n');
  assert.doesNotMatch(visible, /hunter/);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/secretive`)).data.passwordHash.length, 64, 'revision 2 stays deployed');
});

test('a finalizer patch built from a stale list fails instead of overwriting another writer', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await installCRD();
  await applyYaml(chartReleaseYaml(ns, 'plain', { chart: { path: '/charts/none' } }));
  const path = `/apis/chartrelease.dev/v1alpha1/namespaces/${ns}/chartreleases/plain`;
  const stale = (await apiOk('GET', path)).metadata.finalizers as string[] | undefined;
  await kubectlOk(['patch', 'chr', 'plain', '-n', ns, '--type=merge', '-p', '{"metadata":{"finalizers":["example.com/someone-else"]}}']);
  const client = KubeClient.load({ kubeconfigPath: cluster.kubeconfig });
  t.after(() => client.close());
  await assert.rejects(patchFinalizers(client, path, addFinalizerPatch(stale)), (err: any) => err.statusCode === 422 || err.statusCode === 409);
  assert.deepEqual((await apiOk('GET', path)).metadata.finalizers, ['example.com/someone-else'], "the other writer's finalizer is intact");
  await patchFinalizers(client, path, addFinalizerPatch((await apiOk('GET', path)).metadata.finalizers));
  assert.deepEqual((await apiOk('GET', path)).metadata.finalizers, ['example.com/someone-else', 'chartrelease.dev/uninstall']);
  await kubectlOk(['patch', 'chr', 'plain', '-n', ns, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
});
