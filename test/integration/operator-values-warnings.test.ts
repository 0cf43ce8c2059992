// Story: a typo in a values overlay (`replicas` for `replicaCount`) and a null that deletes nothing
// show on the ChartRelease as a ValuesWarnings condition and a Warning event, with key paths and
// where they are written, never values; the release still deploys; fixing the overlay clears it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requireCluster, testNamespace } from '../support/cluster.js';
import { applyYaml, chartReleaseYaml, EXAMPLE_CHART, events, kubectlOk, startOperator, waitForCondition } from './operator-harness.js';

test('overlay keys nothing reads and nulls that delete nothing become a ValuesWarnings condition and event', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  const overlay = 'replicas: 4\nconfig:\n  logLevel: info\n  tracing: null\n';
  await kubectlOk(['create', 'configmap', 'prod-values', '-n', ns, `--from-literal=values.yaml=${overlay}`]);
  await applyYaml(chartReleaseYaml(ns, 'checkout', { chart: { path: EXAMPLE_CHART }, valuesFrom: [{ kind: 'ConfigMap', name: 'prod-values', key: 'values.yaml' }] }));
  const cr = await waitForCondition(ns, 'checkout', 'ValuesWarnings and Ready', (c) => c.ValuesWarnings?.status === 'True' && c.Ready?.status === 'True');
  const condition = cr.status.conditions.find((c: any) => c.type === 'ValuesWarnings');
  assert.equal(condition.reason, 'UnusedValuesKeysAndNulls');
  assert.equal(
    condition.message,
    "replicas (ConfigMap/prod-values values.yaml:1) is not in the chart's values.yaml and no template reads it; did you mean replicaCount?; " +
      "config.tracing is null in ConfigMap/prod-values values.yaml:4, but the chart's values.yaml has no config.tracing: a null deletes only chart defaults, so it deletes nothing and the key stays, set to null",
  );
  assert.ok(!condition.message.includes('4 '), 'no value in the message');
  assert.ok((await events(ns, 'checkout')).some((e) => e.startsWith('Warning ValuesWarnings: replicas (ConfigMap/prod-values values.yaml:1)')));

  await kubectlOk(['create', 'configmap', 'prod-values', '-n', ns, '--from-literal=values.yaml=replicaCount: 4\n', '--dry-run=client', '-o', 'yaml'], undefined).then((y) => kubectlOk(['replace', '-f', '-'], y));
  // A ConfigMap change is picked up at the next reconcile; touching the ChartRelease asks for one now.
  await kubectlOk(['annotate', '-n', ns, 'chr/checkout', 'touched=1', '--overwrite']);
  await waitForCondition(ns, 'checkout', 'no ValuesWarnings', (c) => !c.ValuesWarnings && c.Ready?.status === 'True');
});
