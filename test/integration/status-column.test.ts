// Issue 11, what `kubectl get chr` shows: a one-line STATUS (reason and gist, at most 80 characters),
// and an install into a missing namespace that says to create it or set createNamespace: true.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { api, eventually, requireCluster, testNamespace } from '../support/cluster.js';
import { applyYaml, chartReleaseYaml, kubectlOk, startOperator, waitForCondition, waitForReady, writeChart } from './operator-harness.js';

test('an install into a missing namespace says to create it; kubectl get chr shows a short STATUS, then the revision', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  const target = `t-missing-${randomBytes(3).toString('hex')}`;
  t.after(async () => {
    await api('DELETE', `/api/v1/namespaces/${target}`);
  });
  const chart = writeChart({
    'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  a: "1"\n',
  });
  await applyYaml(chartReleaseYaml(ns, 'web', { chart: { path: chart }, targetNamespace: target }));
  const cr = await waitForCondition(ns, 'web', 'NamespaceNotFound', (c) => c.Ready?.reason === 'NamespaceNotFound');
  assert.match(cr.status.conditions.find((c: any) => c.type === 'Ready').message, new RegExp(`target namespace ${target} does not exist: create it .* or set spec.createNamespace: true`));
  // Each retry shows Progressing while it runs: the row between two tries.
  await eventually('the STATUS column to show NamespaceNotFound', async () => /NamespaceNotFound: target namespace/.test(await kubectlOk(['get', 'chr', 'web', '-n', ns, '--no-headers'])));
  assert.ok(cr.status.summary.length <= 80 && !cr.status.summary.includes('\n'), cr.status.summary);

  await kubectlOk(['create', 'namespace', target]);
  await waitForReady(ns, 'web');
  const header = (await kubectlOk(['get', 'chr', 'web', '-n', ns])).split('\n')[0]!;
  assert.match(header, /STATUS/);
  assert.match((await kubectlOk(['get', 'chr', 'web', '-n', ns, '--no-headers'])).trim(), /\srevision 1\s/);
});
