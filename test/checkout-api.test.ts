// The demo chart (examples/checkout-api, from the seed article): staging and production render as
// helm renders them, and the article's typo `replicaCount: "6"` stops everything with a clear message.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main, type CliIO } from '../src/cli/index.js';
import { loadChart, mergeValueFiles, SchemaValidationError } from '../src/chart/index.js';
import { renderChart } from '../src/render/index.js';
import { repoRoot } from './support/paths.js';
import { referenceTools } from './support/tools.js';

const chartDir = join(repoRoot, 'examples', 'checkout-api');
const tmp = mkdtempSync(join(tmpdir(), 'checkout-api-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function ours(args: string[]): Promise<{ stdout: string; stderr: string; rc: number }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readFile: (p) => readFileSync(p), env: {} };
  return { rc: await main(['template', ...args], io), stdout, stderr };
}

for (const env of ['staging', 'production']) {
  test(`checkout-api with values.${env}.yaml renders as helm does`, async () => {
    const args = ['checkout-api', chartDir, '--namespace', 'checkout', '--values', join(chartDir, 'values.yaml'), '--values', join(chartDir, `values.${env}.yaml`)];
    const helm = spawnSync(referenceTools().helm, ['template', ...args], { encoding: 'utf8' });
    assert.equal(helm.status, 0, helm.stderr);
    const r = await ours(args);
    assert.equal(r.rc, 0, r.stderr);
    assert.equal(r.stdout, helm.stdout);
  });
}

test('production overrides what the article says it overrides, and keeps the rest', () => {
  const chart = loadChart(chartDir);
  const values = mergeValueFiles(['values.yaml', 'values.production.yaml'].map((f) => ({ name: f, text: readFileSync(join(chartDir, f), 'utf8') })));
  const result = renderChart(chart, { values, releaseName: 'checkout-api', namespace: 'checkout' });
  const byKind = new Map(result.manifests.map((m) => [m.head.kind, m.content]));
  assert.deepEqual([...byKind.keys()], ['PodDisruptionBudget', 'ConfigMap', 'Service', 'Deployment', 'HorizontalPodAutoscaler', 'Ingress']);
  assert.match(byKind.get('Deployment')!, /image: "ghcr.io\/myorg\/checkout-api:v1.4.0"/);
  assert.match(byKind.get('ConfigMap')!, /APP_ENV: "production"\n {2}LOG_LEVEL: "info"\n {2}DB_POOL_MIN: "2"\n {2}DB_POOL_MAX: "25"/);
  assert.match(byKind.get('HorizontalPodAutoscaler')!, /minReplicas: 6/);
  assert.match(byKind.get('Ingress')!, /host: "checkout-api.example.com"/);
  assert.match(result.notes, /^checkout-api 1.4.0 \(ghcr.io\/myorg\/checkout-api:v1.4.0\) in checkout.\nURL: https:\/\/checkout-api.example.com\/\n$/);
});

test('replicaCount: "6" fails validation with a clear message, and nothing is rendered', async () => {
  const bad = join(tmp, 'values.bad.yaml');
  writeFileSync(bad, 'replicaCount: "6"\n');
  const r = await ours(['checkout-api', chartDir, '-f', bad]);
  assert.equal(r.rc, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, "Error: values don't meet the specifications of the schema(s) in the following chart(s):\ncheckout-api:\n- at '/replicaCount': got string, want integer\n\n");
  assert.throws(() => renderChart(loadChart(chartDir), { values: { replicaCount: '6' } }), SchemaValidationError);
});
