// Story: a team installs charts from an OCI registry (the real distribution registry, charts pushed by
// the real `helm push`). One release follows `1.0.x` and upgrades itself when 1.0.1 is pushed; one is
// pinned by digest and stays put when its tag is pushed again, while a release following that tag
// moves. A private registry is reached with the kubernetes.io/dockerconfigjson Secret people already
// have for image pulls; a wrong password stalls naming the reference, never the password.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, apiOk, eventually, requireCluster, testNamespace } from '../support/cluster.js';
import { REGISTRY_PASSWORD, REGISTRY_USER, requireRegistry, startRegistry, packageTestChart } from '../support/registry.js';
import { applyYaml, chartReleaseYaml, events, getChartRelease, kubectlOk, records, startOperator, waitForCondition, waitForReady } from './operator-harness.js';


const revisionOf = async (ns: string, name: string, revision: number) =>
  eventually(`chr/${name} at revision ${revision}`, async () => {
    const cr = await getChartRelease(ns, name);
    return cr.status?.revision === revision ? cr : null;
  }, 90_000);

test('from OCI: a release following 1.0.x upgrades when 1.0.1 is pushed; a digest pin holds when its tag is pushed again', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const bin = requireRegistry(t);
  if (!bin) return;
  const reg = await startRegistry(t, bin);
  for (const v of ['0.9.0', '1.0.0', '1.1.0']) await reg.push(packageTestChart('demo', v), 'charts');
  const pinnedDigest = await reg.push(packageTestChart('pinned', '1.0.0'), 'charts');
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  const oci = (name: string, extra: Record<string, unknown>) => ({ chart: { oci: { url: `${reg.url}/charts/${name}`, plainHTTP: true, ...extra } }, interval: '3s' });
  await applyYaml(chartReleaseYaml(ns, 'web', oci('demo', { version: '1.0.x' })));
  await applyYaml(chartReleaseYaml(ns, 'pinned', oci('pinned', { version: '1.0.0', digest: pinnedDigest })));
  await applyYaml(chartReleaseYaml(ns, 'follower', oci('pinned', { version: '1.0.0' })));

  const web = await waitForReady(ns, 'web');
  assert.equal(web.status.chart.name, 'demo');
  assert.equal(web.status.chart.version, '1.0.0');
  assert.match(web.status.chart.source, new RegExp(`^${reg.url}/charts/demo:1\\.0\\.0@sha256:[0-9a-f]{64}$`));
  assert.equal(web.status.history[0].chart.digest, web.status.chart.digest);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/web-demo`)).data.chartVersion, '1.0.0');
  const pinned = await waitForReady(ns, 'pinned');
  assert.equal(pinned.status.chart.digest, pinnedDigest);
  assert.equal(pinned.status.chart.source, `${reg.url}/charts/pinned@${pinnedDigest}`);
  assert.equal((await waitForReady(ns, 'follower')).status.chart.digest, pinnedDigest);

  // 1.0.1 is pushed: the release following 1.0.x upgrades at a resync.
  const pushed = await reg.push(packageTestChart('demo', '1.0.1'), 'charts');
  const upgraded = await revisionOf(ns, 'web', 2);
  assert.equal(upgraded.status.chart.version, '1.0.1');
  assert.equal(upgraded.status.chart.digest, pushed);
  assert.deepEqual(upgraded.status.history.map((h: any) => `${h.revision}:${h.chart.version}:${h.status}`), ['2:1.0.1:deployed', '1:1.0.0:superseded']);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/web-demo`)).data.chartVersion, '1.0.1');

  // The tag 1.0.0 of `pinned` is pushed again with other content: the release following the tag
  // moves (proving resyncs ran), the one pinned by digest does not.
  const repushed = await reg.push(packageTestChart('pinned', '1.0.0', { 'templates/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-extra\n' }), 'charts');
  assert.notEqual(repushed, pinnedDigest);
  const moved = await revisionOf(ns, 'follower', 2);
  assert.equal(moved.status.chart.digest, repushed);
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps/follower-extra`)).status, 200);
  const stayed = await getChartRelease(ns, 'pinned');
  assert.equal(stayed.status.revision, 1);
  assert.equal(stayed.status.chart.digest, pinnedDigest);
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps/pinned-extra`)).status, 404, 'the pinned release renders the pinned chart');

  // The registry goes away: the failure names the reference, is retried, and nothing deployed changes.
  await reg.stop();
  await waitForCondition(ns, 'web', 'Ready=False SourceUnreachable', (c) => c.Ready?.status === 'False' && c.Ready.reason === 'SourceUnreachable' && c.Ready.message.includes(`${reg.url}/charts/demo`) && /ECONNREFUSED/.test(c.Ready.message));
  assert.equal((await getChartRelease(ns, 'web')).status.revision, 2);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/web-demo`)).data.chartVersion, '1.0.1', 'what is deployed stays');
});

test('from a private OCI registry with a dockerconfigjson Secret; a wrong password stalls without leaking it', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const bin = requireRegistry(t);
  if (!bin) return;
  const reg = await startRegistry(t, bin, { auth: 'basic' });
  const digest = await reg.push(packageTestChart('private', '2.0.0'), 'team');
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  const secret = (password: string) =>
    kubectlOk(['create', 'secret', 'docker-registry', 'regcreds', '-n', ns, `--docker-server=${reg.host}`, `--docker-username=${REGISTRY_USER}`, `--docker-password=${password}`, '--dry-run=client', '-o', 'yaml']);
  await applyYaml(await secret('wrong-battery-staple'));
  await applyYaml(chartReleaseYaml(ns, 'private', { chart: { oci: { url: `${reg.url}/team/private`, version: '^2', plainHTTP: true, secretRef: { name: 'regcreds' } } } }));
  const cr = await waitForCondition(ns, 'private', 'Stalled SourceAuthFailed', (c) => c.Stalled?.status === 'True' && c.Stalled.reason === 'SourceAuthFailed');
  const message = cr.status.conditions.find((c: any) => c.type === 'Ready').message;
  assert.match(message, new RegExp(`${reg.url}/team/private: .*401 Unauthorized; the registry refused the credentials`));
  const everything = JSON.stringify(cr) + (await events(ns, 'private')).join('\n');
  assert.doesNotMatch(everything, /wrong-battery-staple|chartrelease-test-password/);
  assert.deepEqual(await records(ns, 'private'), [], 'nothing recorded');

  await applyYaml(await secret(REGISTRY_PASSWORD));
  const ready = await waitForReady(ns, 'private');
  assert.equal(ready.status.chart.version, '2.0.0');
  assert.equal(ready.status.chart.digest, digest);
});
