// Story: the seed article's staging and production overlays on one chart, as two ChartReleases side by
// side; each deploys exactly what `helm template -f values.yaml -f values.<env>.yaml` prints.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { apiOk, requireCluster, testNamespace } from '../support/cluster.js';
import { applyYaml, chartReleaseYaml, EXAMPLE_CHART, exampleValues, kubectlOk, records, startOperator, waitForReady } from './operator-harness.js';

function helmTemplate(name: string, namespace: string, valuesFile: string): string {
  const helm = process.env.CHARTRELEASE_HELM;
  if (!helm) throw new Error('CHARTRELEASE_HELM is not set: run the tests through test/run.js');
  const r = spawnSync(helm, ['template', name, EXAMPLE_CHART, '--namespace', namespace, '-f', `${EXAMPLE_CHART}/values.yaml`, '-f', `${EXAMPLE_CHART}/${valuesFile}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

test('staging and production overlays of one chart deploy what helm template renders', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  for (const env of ['staging', 'production']) {
    await kubectlOk(['create', 'configmap', `checkout-${env}`, '-n', ns, `--from-literal=values.${env}.yaml=${exampleValues(`values.${env}.yaml`)}`]);
    await applyYaml(
      chartReleaseYaml(ns, `checkout-${env}`, {
        releaseName: `checkout-api-${env}`,
        chart: { path: EXAMPLE_CHART },
        valuesFrom: [{ kind: 'ConfigMap', name: `checkout-${env}`, key: `values.${env}.yaml` }],
      }),
    );
  }
  for (const env of ['staging', 'production']) {
    await waitForReady(ns, `checkout-${env}`);
    const [record] = await records(ns, `checkout-api-${env}`);
    assert.equal(record!.manifest, helmTemplate(`checkout-api-${env}`, ns, `values.${env}.yaml`), `${env}: the recorded manifest is helm template's output`);
  }
  const staging = await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/checkout-api-staging`);
  const production = await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/checkout-api-production`);
  assert.deepEqual([staging.data.APP_ENV, staging.data.DB_POOL_MAX], ['staging', '10']);
  assert.deepEqual([production.data.APP_ENV, production.data.DB_POOL_MAX, production.data.LOG_LEVEL], ['production', '25', 'info']);
  const prodDeployment = await apiOk('GET', `/apis/apps/v1/namespaces/${ns}/deployments/checkout-api-production`);
  assert.equal(prodDeployment.spec.template.spec.containers[0].image, 'ghcr.io/myorg/checkout-api:v1.4.0');
});
