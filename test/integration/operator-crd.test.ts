// The CRD rejects at `kubectl apply` time what API.md forbids: not exactly one chart source, a
// revision below 1, a duration that is not one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kubectl, requireCluster, testNamespace } from '../support/cluster.js';
import { chartReleaseYaml, installCRD } from './operator-harness.js';

test('kubectl apply rejects two chart sources, revision 0 and a bad interval; accepts a valid release', async (t) => {
  if (!requireCluster(t)) return;
  const ns = await testNamespace(t);
  await installCRD();
  const apply = (spec: Record<string, unknown>) => kubectl(['apply', '-f', '-'], { input: chartReleaseYaml(ns, 'x', spec) });

  const two = await apply({ chart: { path: '/charts/a', configMap: { name: 'a-chart' } } });
  assert.notEqual(two.status, 0);
  assert.match(two.stderr, /set exactly one chart source: path, configMap, repository or oci/);
  const none = await apply({ chart: {} });
  assert.match(none.stderr, /set exactly one chart source/);
  const revision = await apply({ chart: { path: '/charts/a' }, revision: 0 });
  assert.match(revision.stderr, /spec.revision: Invalid value: 0: spec.revision in body should be greater than or equal to 1/);
  const interval = await apply({ chart: { path: '/charts/a' }, interval: '10 minutes' });
  assert.match(interval.stderr, /spec.interval: Invalid value: "10 minutes"/);
  const ok = await apply({ chart: { path: '/charts/a' }, interval: '1h30m', wait: { enabled: true, timeout: '90s' } });
  assert.equal(ok.status, 0, ok.stderr);
  const columns = await kubectl(['get', 'chr', '-n', ns, '-o', 'wide']);
  assert.match(columns.stdout, /^NAME\s+READY\s+REVISION\s+CHART\s+VERSION\s+STATUS\s+AGE/);
});
