// Issue 11, problem 1: two ChartReleases naming the same release. The second one stalls naming the
// owner, applies nothing, and deleting it leaves the first one's objects and records alone.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { apiOk, eventually, requireCluster, testNamespace } from '../support/cluster.js';
import { applyYaml, chartReleaseYaml, events, getChartRelease, kubectlOk, records, startOperator, waitForCondition, waitForReady, writeChart } from './operator-harness.js';

const webChart = () =>
  writeChart({
    'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'values.yaml': 'image: web:1.0\n',
    'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  image: {{ .Values.image | quote }}\n',
  });

test('a second ChartRelease naming a release another owns stalls, applies nothing, and its deletion leaves the release alone', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const teamA = await testNamespace(t);
  const teamB = await testNamespace(t);
  await startOperator(t, cluster, teamA);
  await startOperator(t, cluster, teamB);
  const chart = webChart();

  await applyYaml(chartReleaseYaml(teamA, 'web', { chart: { path: chart }, values: { image: 'web:1.0' }, interval: '2s' }));
  await waitForReady(teamA, 'web');

  await applyYaml(chartReleaseYaml(teamB, 'web', { chart: { path: chart }, releaseName: 'web', targetNamespace: teamA, values: { image: 'web:2.0-from-b' }, interval: '2s' }));
  const stalled = await waitForCondition(teamB, 'web', 'Stalled ReleaseOwnedByOther', (c) => c.Stalled?.reason === 'ReleaseOwnedByOther');
  const message = stalled.status.conditions.find((c: any) => c.type === 'Stalled').message;
  assert.match(message, new RegExp(`owned by ChartRelease ${teamA}/web`));
  assert.match(message, /chartrelease\.dev\/take-over-from/);
  // Several resyncs of both: no fight.
  await new Promise((r) => setTimeout(r, 5000));
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${teamA}/configmaps/web`)).data.image, 'web:1.0', 'nothing of the second ChartRelease went live');
  assert.deepEqual((await records(teamA, 'web')).map((r) => `${r.version}:${r.status}`), ['1:deployed']);
  assert.equal((await getChartRelease(teamA, 'web')).status.conditions.find((c: any) => c.type === 'Ready').status, 'True');

  await kubectlOk(['delete', 'chr', 'web', '-n', teamB, '--timeout=60s']);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${teamA}/configmaps/web`)).data.image, 'web:1.0', 'the owner\'s objects stay');
  assert.deepEqual((await records(teamA, 'web')).map((r) => `${r.version}:${r.status}`), ['1:deployed'], 'the owner\'s records stay');
  assert.ok((await events(teamB, 'web')).some((e) => /UninstallSkipped: .*owned by ChartRelease/.test(e)));

  // The owner goes on with its history: the next change is revision 2, never a reused 1.
  await applyYaml(chartReleaseYaml(teamA, 'web', { chart: { path: chart }, values: { image: 'web:1.1' }, interval: '2s' }));
  await eventually('revision 2', async () => (await getChartRelease(teamA, 'web')).status?.revision === 2);
  assert.deepEqual((await records(teamA, 'web')).map((r) => `${r.version}:${r.status}`), ['1:superseded', '2:deployed']);
});

test('a release moves between ChartReleases on purpose with take-over-from; a helm-installed one is adopted; an owner that is gone is taken over', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const teamA = await testNamespace(t);
  const teamB = await testNamespace(t);
  await startOperator(t, cluster, teamA);
  const operatorB = await startOperator(t, cluster, teamB);
  const chart = webChart();
  const helm = process.env.CHARTRELEASE_HELM;
  if (!helm) throw new Error('CHARTRELEASE_HELM is not set: run the tests through test/run.js');

  // helm install, then adoption by team-a/web: helm still reads the records after we mark them.
  const installed = spawnSync(helm, ['install', 'web', chart, '-n', teamA, '--kubeconfig', cluster.kubeconfig], { encoding: 'utf8' });
  assert.equal(installed.status, 0, installed.stderr);
  await applyYaml(chartReleaseYaml(teamA, 'web', { chart: { path: chart }, interval: '2s' }));
  await waitForReady(teamA, 'web');
  const secret = await apiOk('GET', `/api/v1/namespaces/${teamA}/secrets/sh.helm.release.v1.web.v1`);
  assert.equal(secret.metadata.labels['chartrelease.dev/owner-namespace'], teamA);
  const list = spawnSync(helm, ['list', '-n', teamA, '-o', 'json', '--kubeconfig', cluster.kubeconfig], { encoding: 'utf8' });
  assert.deepEqual((JSON.parse(list.stdout) as any[]).map((r) => `${r.name}:${r.revision}:${r.status}`), ['web:1:deployed']);

  // Moved on purpose to team-b/web.
  await applyYaml(
    chartReleaseYaml(teamB, 'web', { chart: { path: chart }, releaseName: 'web', targetNamespace: teamA, values: { image: 'web:2.0' }, interval: '2s' }).replace(
      'metadata:\n',
      `metadata:\n  annotations:\n    chartrelease.dev/take-over-from: ${teamA}/web\n`,
    ),
  );
  await waitForReady(teamB, 'web');
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${teamA}/configmaps/web`)).data.image, 'web:2.0');
  await waitForCondition(teamA, 'web', 'the former owner stalls', (c) => c.Stalled?.reason === 'ReleaseOwnedByOther');
  await kubectlOk(['delete', 'chr', 'web', '-n', teamA, '--timeout=60s']);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${teamA}/configmaps/web`)).data.image, 'web:2.0', 'deleting the former owner leaves the release');
  assert.deepEqual((await records(teamA, 'web')).map((r) => `${r.version}:${r.status}`), ['1:superseded', '2:deployed']);

  // The owner is deleted without its finalizer running (its operator is down; records orphaned): a new ChartRelease takes the release over.
  await operatorB.stop();
  await kubectlOk(['patch', 'chr', 'web', '-n', teamB, '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
  await kubectlOk(['delete', 'chr', 'web', '-n', teamB, '--timeout=60s']);
  await applyYaml(chartReleaseYaml(teamA, 'web', { chart: { path: chart }, values: { image: 'web:3.0' }, interval: '2s' }));
  await eventually('revision 3 by the new owner', async () => (await getChartRelease(teamA, 'web')).status?.revision === 3);
  assert.ok((await events(teamA, 'web')).some((e) => /ReleaseTakenOver: .*no longer exists/.test(e)));
});
