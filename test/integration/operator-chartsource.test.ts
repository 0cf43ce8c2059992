// Story: the chart itself travels in a ConfigMap (a packaged .tgz in binaryData). Replacing it with a
// new chart version upgrades the releases that use it, through the watch on referenced objects.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { eventually, requireCluster, testNamespace } from '../support/cluster.js';
import { applyYaml, chartReleaseYaml, EXAMPLE_CHART, getChartRelease, kubectlOk, records, startOperator, waitForReady } from './operator-harness.js';

function helmPackage(version: string): string {
  const helm = process.env.CHARTRELEASE_HELM;
  if (!helm) throw new Error('CHARTRELEASE_HELM is not set: run the tests through test/run.js');
  const dir = mkdtempSync(join(tmpdir(), 'chartrelease-package-'));
  const r = spawnSync(helm, ['package', EXAMPLE_CHART, '--version', version, '-d', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return join(dir, `checkout-api-${version}.tgz`);
}

const chartConfigMap = async (ns: string, tgz: string) =>
  kubectlOk(['apply', '-f', '-'], await kubectlOk(['create', 'configmap', 'checkout-api-chart', '-n', ns, `--from-file=chart.tgz=${tgz}`, '--dry-run=client', '-o', 'yaml']));

test('a packaged chart in a ConfigMap installs; a new package in the same ConfigMap upgrades', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  await chartConfigMap(ns, helmPackage('1.4.0'));
  await applyYaml(chartReleaseYaml(ns, 'checkout-api', { chart: { configMap: { name: 'checkout-api-chart' } } }));
  const installed = await waitForReady(ns, 'checkout-api');
  assert.deepEqual(installed.status.history[0].chart, { name: 'checkout-api', version: '1.4.0', appVersion: '1.4.0' });

  await chartConfigMap(ns, helmPackage('1.5.0'));
  const upgraded = await eventually('revision 2 with chart 1.5.0', async () => {
    const cr = await getChartRelease(ns, 'checkout-api');
    return cr.status?.revision === 2 ? cr : null;
  });
  assert.equal(upgraded.status.history[0].chart.version, '1.5.0');
  assert.deepEqual((await records(ns, 'checkout-api')).map((r) => `${r.version}:${r.status}`), ['1:superseded', '2:deployed']);
});
