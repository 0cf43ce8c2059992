// Story: `chartrelease diff` against a real API server, as a user runs it before a deploy. Nothing
// installed: everything is to be created. Installed by the operator, same values: no changes, exit
// 0. New values: a unified diff of the ConfigMap, the Secret's changed key only as redacted markers,
// the object the new values no longer render as deleted by prune, exit 1. --from-cluster diffs what a
// (suspended) ChartRelease would deploy. A chart that does not load: exit 2.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { main, type CliIO } from '../../src/cli/index.js';
import { apiOk, requireCluster, testNamespace } from '../support/cluster.js';
import { applyYaml, chartReleaseYaml, kubectlOk, startOperator, waitForReady, writeChart } from './operator-harness.js';

const chart = writeChart({
  'Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\n',
  'values.yaml': 'mode: a\npassword: hunter2\nextra: true\n',
  'templates/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\ndata:\n  mode: {{ .Values.mode | quote }}\n',
  'templates/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-secret\nstringData:\n  password: {{ .Values.password | quote }}\n  user: admin\n',
  'templates/extra.yaml': '{{ if .Values.extra }}apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-extra\ndata: {}\n{{ end }}',
});

async function diff(args: string[]): Promise<{ rc: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readFile: (p) => readFileSync(p), env: {} };
  const rc = await main(['diff', ...args], io);
  return { rc, stdout, stderr };
}

const SECRETS = ['hunter2', 'swordfish', Buffer.from('hunter2').toString('base64'), Buffer.from('swordfish').toString('base64')];

test('chartrelease diff: create, unchanged, update, prune, a Secret, --from-cluster, errors', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  const kc = ['--kubeconfig', cluster.kubeconfig];

  const before = await diff(['shop', chart, '-n', ns, ...kc]);
  assert.equal(before.rc, 1, before.stderr);
  assert.equal(before.stderr, `release shop in ${ns} (not installed): 3 to create, 0 to update, 0 to delete (prune), 0 unchanged\n`);
  assert.match(before.stdout, new RegExp(`--- /dev/null\\n\\+\\+\\+ planned Secret/shop-secret -n ${ns}\\n`));
  assert.match(before.stdout, /\+ {2}password: '\[redacted: after\]'/);
  for (const s of SECRETS) assert.ok(!before.stdout.includes(s), `no secret value in the diff (${s})`);
  // A dry run writes nothing.
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps`)).items.filter((c: any) => c.metadata.name.startsWith('shop-')).length, 0);

  await startOperator(t, cluster, ns);
  await applyYaml(chartReleaseYaml(ns, 'shop', { chart: { path: chart } }));
  await waitForReady(ns, 'shop');

  const same = await diff(['shop', chart, '-n', ns, ...kc]);
  assert.equal(same.stdout, '');
  assert.equal(same.stderr, `release shop in ${ns} (revision 1 deployed): 0 to create, 0 to update, 0 to delete (prune), 3 unchanged\n`);
  assert.equal(same.rc, 0);

  const changed = await diff(['shop', chart, '-n', ns, '--set', 'mode=b,password=swordfish,extra=false', ...kc]);
  assert.equal(changed.rc, 1, changed.stderr);
  assert.equal(changed.stderr, `release shop in ${ns} (revision 1 deployed): 0 to create, 2 to update, 1 to delete (prune), 0 unchanged\n`);
  assert.match(changed.stdout, new RegExp(`--- live ConfigMap/shop-config -n ${ns}\\n\\+\\+\\+ planned ConfigMap/shop-config -n ${ns}\\n@@ [^\\n]+ @@\\n apiVersion: v1\\n data:\\n-  mode: a\\n\\+  mode: b\\n`));
  assert.match(changed.stdout, /- {2}password: '\[redacted: before\]'\n\+ {2}password: '\[redacted: after\]'\n/);
  assert.match(changed.stdout, /\n {3}user: '\[redacted\]'\n/, 'an unchanged Secret key is context, redacted');
  assert.match(changed.stdout, new RegExp(`--- live ConfigMap/shop-extra -n ${ns}\\n\\+\\+\\+ /dev/null\\n`));
  for (const field of ['managedFields', 'resourceVersion', 'uid:', 'creationTimestamp', 'generation']) assert.ok(!changed.stdout.includes(field), field);
  for (const s of SECRETS) assert.ok(!changed.stdout.includes(s), `no secret value in the diff (${s})`);

  // What the ChartRelease would deploy, while suspended so that nothing is deployed meanwhile.
  await kubectlOk(['patch', '-n', ns, 'chr/shop', '--type=merge', '-p', JSON.stringify({ spec: { suspend: true, values: { mode: 'c' } } })]);
  const fromCluster = await diff(['--from-cluster', `${ns}/shop`, ...kc]);
  assert.equal(fromCluster.rc, 1, fromCluster.stderr);
  assert.match(fromCluster.stdout, /-  mode: a\n\+  mode: c\n/);
  assert.match(fromCluster.stderr, new RegExp(`^release shop in ${ns} \\(revision 1 deployed\\): 0 to create, 1 to update, 0 to delete \\(prune\\), 2 unchanged\\nplan sha256:[0-9a-f]{64}\\n$`));

  const broken = await diff(['shop', `${chart}/missing`, '-n', ns, ...kc]);
  assert.equal(broken.rc, 2);
  assert.match(broken.stderr, /^Error: /);
});
