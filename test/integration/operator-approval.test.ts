// Story: a ChartRelease in manual approval mode. Nothing is deployed until spec.approval.approvedPlan
// is the digest of status.plan; a wrong or outdated digest is refused (ApprovalStale); the plan names
// objects, field paths and values key paths, never a Secret's value; drift correction and a rollback
// by spec.revision wait for approval the same way; in auto mode status.plan says what was deployed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { main, type CliIO } from '../../src/cli/index.js';
import { apiOk, requireCluster, testNamespace, api } from '../support/cluster.js';
import { applyYaml, chartReleaseYaml, kubectlOk, records, startOperator, waitForCondition, writeChart } from './operator-harness.js';

const chart = writeChart({
  'Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\n',
  'values.yaml': 'mode: a\npassword: hunter2\n',
  'templates/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\ndata:\n  mode: {{ .Values.mode | quote }}\n',
  'templates/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-secret\nstringData:\n  password: {{ .Values.password | quote }}\n',
});

async function cli(args: string[]): Promise<{ rc: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readFile: (p) => readFileSync(p), env: {} };
  return { rc: await main(args, io), stdout, stderr };
}

const SECRETS = ['hunter2', 'swordfish', 'correcthorse'].flatMap((s) => [s, Buffer.from(s).toString('base64')]);

const patchSpec = (ns: string, spec: Record<string, unknown>) => kubectlOk(['patch', '-n', ns, 'chr/shop', '--type=merge', '-p', JSON.stringify({ spec })]);

const awaiting = (ns: string, what: string, match: (plan: any, c: Record<string, any>) => boolean) =>
  waitForCondition(ns, 'shop', what, (c, cr) => c.AwaitingApproval?.status === 'True' && c.Ready?.status === 'False' && cr.status?.plan && match(cr.status.plan, c));

function noSecretIn(cr: unknown): void {
  const text = JSON.stringify(cr);
  for (const s of SECRETS) assert.ok(!text.includes(s), `status never holds a Secret value (${s})`);
}

test('manual approval: waits, deploys only the approved digest, refuses a stale one, gates drift correction and rollback', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  await applyYaml(chartReleaseYaml(ns, 'shop', { chart: { path: chart }, interval: '3s', approval: { mode: 'manual' } }));

  // 1. Nothing is deployed; the plan says what an install would create.
  let cr = await awaiting(ns, 'an install plan', (p) => p.action === 'install' && p.phase === 'AwaitingApproval');
  const install = cr.status.plan;
  assert.equal(install.revision, 1);
  assert.deepEqual(install.objects.map((o: any) => `${o.action} ${o.kind}/${o.name}`).sort(), ['create ConfigMap/shop-config', 'create Secret/shop-secret']);
  assert.match(install.digest, /^sha256:[0-9a-f]{64}$/);
  assert.equal((await records(ns, 'shop')).length, 0, 'no revision recorded');
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps/shop-config`)).status, 404, 'nothing applied');
  noSecretIn(cr.status);

  // 2. A digest that is not the plan's is refused.
  await patchSpec(ns, { approval: { mode: 'manual', approvedPlan: `sha256:${'0'.repeat(64)}` } });
  cr = await awaiting(ns, 'a stale approval', (p, c) => p.phase === 'Stale' && c.AwaitingApproval.reason === 'ApprovalStale');
  assert.equal(cr.status.plan.digest, install.digest, 'the plan itself did not change');
  assert.equal((await records(ns, 'shop')).length, 0);

  // 3. The plan's digest: deployed, and status.plan keeps it as what was deployed.
  await patchSpec(ns, { approval: { mode: 'manual', approvedPlan: install.digest } });
  cr = await waitForCondition(ns, 'shop', 'revision 1 deployed', (c, x) => c.Ready?.status === 'True' && x.status.revision === 1 && !c.AwaitingApproval);
  assert.equal(cr.status.plan.phase, 'Deployed');
  assert.equal(cr.status.plan.digest, install.digest);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/shop-config`)).data.mode, 'a');

  // 4. New values: an upgrade plan with field and values paths, no values; the spent approval is not stale.
  await patchSpec(ns, { values: { mode: 'b', password: 'swordfish' } });
  cr = await awaiting(ns, 'an upgrade plan', (p, c) => p.action === 'upgrade' && c.AwaitingApproval.reason === 'AwaitingApproval');
  const upgrade = cr.status.plan;
  assert.equal(upgrade.revision, 2);
  assert.deepEqual(upgrade.valuesChanged, ['mode', 'password']);
  assert.deepEqual(upgrade.objects.map((o: any) => `${o.action} ${o.kind}/${o.name} ${(o.fields ?? []).join(',')}`).sort(), ['update ConfigMap/shop-config .data.mode', 'update Secret/shop-secret .data.password']);
  noSecretIn(cr.status);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/shop-config`)).data.mode, 'a', 'not deployed');
  // `chartrelease diff --from-cluster` prints the same digest, so a plan can be reviewed and approved from CI.
  const diff = await cli(['diff', '--from-cluster', `${ns}/shop`, '--kubeconfig', cluster.kubeconfig]);
  assert.equal(diff.rc, 1, diff.stderr);
  assert.match(diff.stderr, new RegExp(`\\nplan ${upgrade.digest}\\n$`));

  // 5. The values change again before the approval lands: the approval is for a plan that is gone.
  await patchSpec(ns, { values: { mode: 'c', password: 'correcthorse' } });
  cr = await awaiting(ns, 'a newer upgrade plan', (p) => p.action === 'upgrade' && p.digest !== upgrade.digest);
  const newer = cr.status.plan;
  await patchSpec(ns, { approval: { mode: 'manual', approvedPlan: upgrade.digest } });
  cr = await awaiting(ns, 'the outdated approval refused', (p, c) => c.AwaitingApproval.reason === 'ApprovalStale' && p.digest === newer.digest);
  assert.match(cr.status.conditions.find((c: any) => c.type === 'AwaitingApproval').message, new RegExp(`^the approved plan ${upgrade.digest} is stale`));
  assert.equal((await records(ns, 'shop')).length, 1);
  await patchSpec(ns, { approval: { mode: 'manual', approvedPlan: newer.digest } });
  cr = await waitForCondition(ns, 'shop', 'revision 2 deployed', (c, x) => c.Ready?.status === 'True' && x.status.revision === 2);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/shop-config`)).data.mode, 'c');
  noSecretIn(cr.status);

  // 6. Drift is not corrected without approval.
  await kubectlOk(['patch', '-n', ns, 'configmap/shop-config', '--type=merge', '-p', '{"data":{"mode":"edited"}}']);
  cr = await awaiting(ns, 'a drift correction plan', (p) => p.action === 'driftCorrection');
  assert.equal(cr.status.plan.revision, 2);
  assert.deepEqual(cr.status.plan.objects.map((o: any) => `${o.action} ${o.kind}/${o.name}`), ['update ConfigMap/shop-config']);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/shop-config`)).data.mode, 'edited');
  await patchSpec(ns, { approval: { mode: 'manual', approvedPlan: cr.status.plan.digest } });
  await waitForCondition(ns, 'shop', 'drift corrected', (c) => c.Ready?.status === 'True' && !c.AwaitingApproval);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/shop-config`)).data.mode, 'c');

  // 7. A rollback by spec.revision waits too.
  await patchSpec(ns, { revision: 1 });
  cr = await awaiting(ns, 'a rollback plan', (p) => p.action === 'rollback');
  assert.equal(cr.status.plan.revision, 3);
  assert.deepEqual(cr.status.plan.valuesChanged, ['mode', 'password']);
  await patchSpec(ns, { approval: { mode: 'manual', approvedPlan: cr.status.plan.digest } });
  cr = await waitForCondition(ns, 'shop', 'rolled back as revision 3', (c, x) => c.Ready?.status === 'True' && x.status.revision === 3);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/shop-config`)).data.mode, 'a');
  noSecretIn(cr.status);
});

test('auto mode: status.plan says what the last deploy changed', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  await applyYaml(chartReleaseYaml(ns, 'shop', { chart: { path: chart } }));
  await waitForCondition(ns, 'shop', 'revision 1', (c, x) => c.Ready?.status === 'True' && x.status.revision === 1);
  await patchSpec(ns, { values: { mode: 'b' } });
  const cr = await waitForCondition(ns, 'shop', 'revision 2', (c, x) => c.Ready?.status === 'True' && x.status.revision === 2);
  assert.equal(cr.status.plan.phase, 'Deployed');
  assert.equal(cr.status.plan.action, 'upgrade');
  assert.deepEqual(cr.status.plan.valuesChanged, ['mode']);
  assert.deepEqual(cr.status.plan.objects.map((o: any) => `${o.action} ${o.kind}/${o.name}`), ['update ConfigMap/shop-config']);
});
