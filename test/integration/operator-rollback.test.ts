// Story: roll back by setting spec.revision, change values while pinned (reported, not deployed),
// unpin (chart + values deployed again); `helm history` and `helm get` read the same records.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { apiOk, eventually, requireCluster, testNamespace, type ClusterEnv } from '../support/cluster.js';
import { applyYaml, chartReleaseYaml, EXAMPLE_CHART, events, getChartRelease, records, startOperator, waitForCondition, waitForReady } from './operator-harness.js';

function helm(cluster: ClusterEnv, args: string[]): string {
  const bin = process.env.CHARTRELEASE_HELM;
  if (!bin) throw new Error('CHARTRELEASE_HELM is not set: run the tests through test/run.js');
  const r = spawnSync(bin, [...args, '--kubeconfig', cluster.kubeconfig], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`helm ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const image = async (ns: string) => (await apiOk('GET', `/apis/apps/v1/namespaces/${ns}/deployments/checkout-api`)).spec.template.spec.containers[0].image as string;

test('rollback by spec.revision, pinned changes reported, unpin deploys chart and values again; helm reads the history', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  const spec = (tag: string, extra: Record<string, unknown> = {}) => chartReleaseYaml(ns, 'checkout-api', { chart: { path: EXAMPLE_CHART }, values: { image: { tag } }, ...extra });

  await applyYaml(spec('v1.3.0'));
  await waitForReady(ns, 'checkout-api');
  await applyYaml(spec('v1.4.0'));
  await eventually('revision 2', async () => (await getChartRelease(ns, 'checkout-api')).status?.revision === 2);
  assert.equal(await image(ns), 'ghcr.io/myorg/checkout-api:v1.4.0');

  // Pin revision 1: revision 3 deploys revision 1's manifest.
  await applyYaml(spec('v1.4.0', { revision: 1 }));
  let cr = await waitForCondition(ns, 'checkout-api', 'revision 3 Ready', (c, o) => o.status.revision === 3 && c.Ready?.status === 'True');
  assert.equal(await image(ns), 'ghcr.io/myorg/checkout-api:v1.3.0');
  assert.deepEqual(
    cr.status.history.map((h: any) => `${h.revision}:${h.action}:${h.status}${h.rollbackTo ? ':' + h.rollbackTo : ''}`),
    ['3:rollback:deployed:1', '2:upgrade:superseded', '1:install:superseded'],
  );
  assert.match(cr.status.conditions.find((c: any) => c.type === 'Ready').message, /^revision 3 \(rollback to 1\); pinned by spec.revision 1: the current chart and values differ/);

  // While pinned, a values change is reported, not deployed.
  await applyYaml(spec('v1.5.0', { revision: 1 }));
  cr = await waitForCondition(ns, 'checkout-api', 'pinned change observed', (c) => /pinned by spec.revision 1/.test(c.Ready?.message ?? ''));
  assert.equal(cr.status.revision, 3);
  assert.equal(await image(ns), 'ghcr.io/myorg/checkout-api:v1.3.0');

  // Unpin: chart + values again, as revision 4.
  await applyYaml(spec('v1.5.0'));
  cr = await waitForCondition(ns, 'checkout-api', 'revision 4 Ready', (c, o) => o.status.revision === 4 && c.Ready?.status === 'True');
  assert.equal(cr.status.conditions.find((c: any) => c.type === 'Ready').message, 'revision 4');
  assert.equal(await image(ns), 'ghcr.io/myorg/checkout-api:v1.5.0');
  assert.deepEqual((await records(ns, 'checkout-api')).map((r) => `${r.version}:${r.status}:${r.description}`), [
    '1:superseded:Install complete',
    '2:superseded:Upgrade complete',
    '3:superseded:Rollback to 1',
    '4:deployed:Upgrade complete',
  ]);
  assert.ok((await events(ns, 'checkout-api')).some((e) => e.startsWith('Normal RolledBack: revision 3 to the manifest of revision 1')));

  // Helm's own commands read our records.
  const history = helm(cluster, ['history', 'checkout-api', '-n', ns, '-o', 'json']);
  assert.deepEqual(
    (JSON.parse(history) as any[]).map((h) => `${h.revision}:${h.status}:${h.chart}:${h.description}`),
    ['1:superseded:checkout-api-1.4.0:Install complete', '2:superseded:checkout-api-1.4.0:Upgrade complete', '3:superseded:checkout-api-1.4.0:Rollback to 1', '4:deployed:checkout-api-1.4.0:Upgrade complete'],
  );
  assert.match(helm(cluster, ['get', 'manifest', 'checkout-api', '-n', ns, '--revision', '3']), /image: "ghcr.io\/myorg\/checkout-api:v1.3.0"/);
  assert.match(helm(cluster, ['get', 'values', 'checkout-api', '-n', ns, '-o', 'json']), /"tag":"v1.5.0"/);
});
