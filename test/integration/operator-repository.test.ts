// Story: a team installs a chart from a Helm repository, following `1.0.x`. The repository is real:
// charts packaged and indexed by helm, served on 127.0.0.1 (test/support/chart-repo.ts), one of them
// behind basic auth. Publishing 1.0.1 upgrades the release at its next resync; a rollback deploys the
// older chart again; a wrong password stalls naming the URL and changes nothing deployed; fixing the
// Secret deploys.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, apiOk, eventually, requireCluster, testNamespace } from '../support/cluster.js';
import { makeRepoDir, publishVersion, startRepoServer } from '../support/chart-repo.js';
import { applyYaml, chartReleaseYaml, events, getChartRelease, kubectlOk, records, startOperator, waitForCondition, waitForReady } from './operator-harness.js';

const stalled = (reason: string) => (c: Record<string, any>) => c.Stalled?.status === 'True' && c.Stalled.reason === reason && c.Ready?.status === 'False';

test('a release following 1.0.x installs from a repository and upgrades itself when 1.0.1 is published', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const dir = makeRepoDir([{ name: 'demo', versions: ['0.9.0', '1.0.0', '1.1.0'] }]);
  const server = await startRepoServer({ dir });
  t.after(() => server.close());
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  await applyYaml(chartReleaseYaml(ns, 'web', { chart: { repository: { url: server.url, name: 'demo', version: '1.0.x' } }, interval: '3s' }));
  const installed = await waitForReady(ns, 'web');
  assert.equal(installed.status.chart.name, 'demo');
  assert.equal(installed.status.chart.version, '1.0.0');
  assert.match(installed.status.chart.digest, /^sha256:[0-9a-f]{64}$/);
  assert.equal(installed.status.chart.source, `${server.url}/demo-1.0.0.tgz`);
  assert.equal(installed.status.history[0].chart.digest, installed.status.chart.digest);
  const cm = await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/web-demo`);
  assert.equal(cm.data.chartVersion, '1.0.0');

  publishVersion(dir, 'demo', '1.0.1');
  const upgraded = await eventually('revision 2 with chart 1.0.1', async () => {
    const cr = await getChartRelease(ns, 'web');
    return cr.status?.revision === 2 ? cr : null;
  }, 60_000);
  assert.equal(upgraded.status.chart.version, '1.0.1');
  assert.notEqual(upgraded.status.chart.digest, installed.status.chart.digest);
  assert.deepEqual(upgraded.status.history.map((h: any) => `${h.revision}:${h.chart.version}:${h.status}`), ['2:1.0.1:deployed', '1:1.0.0:superseded']);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/web-demo`)).data.chartVersion, '1.0.1');
  assert.deepEqual((await records(ns, 'web')).map((r) => `${r.version}:${r.status}`), ['1:superseded', '2:deployed']);

  // Rolling back to revision 1 deploys its chart again, and status.chart says so.
  const spec = { chart: { repository: { url: server.url, name: 'demo', version: '1.0.x' } }, interval: '3s' };
  await applyYaml(chartReleaseYaml(ns, 'web', { ...spec, revision: 1 }));
  const rolledBack = await eventually('revision 3, a rollback to 1', async () => {
    const cr = await getChartRelease(ns, 'web');
    return cr.status?.revision === 3 ? cr : null;
  });
  assert.deepEqual(rolledBack.status.chart, installed.status.chart);
  assert.equal(rolledBack.status.history[0].chart.digest, installed.status.chart.digest);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/web-demo`)).data.chartVersion, '1.0.0');
  await applyYaml(chartReleaseYaml(ns, 'web', spec));
  const following = await eventually('revision 4 with chart 1.0.1 again', async () => {
    const cr = await getChartRelease(ns, 'web');
    return cr.status?.revision === 4 ? cr : null;
  });
  assert.deepEqual(following.status.chart, upgraded.status.chart);

  // The repository goes away: the release is not touched; the failure is retried and named.
  await server.close();
  await waitForCondition(ns, 'web', 'Ready=False SourceUnreachable', (c) => c.Ready?.status === 'False' && c.Ready.reason === 'SourceUnreachable' && /repository index http:\/\/127\.0\.0\.1:\d+\/index\.yaml/.test(c.Ready.message));
  assert.equal((await getChartRelease(ns, 'web')).status.revision, 4);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/web-demo`)).data.chartVersion, '1.0.1', 'what is deployed stays');
});

test('credentials from secretRef: a wrong password stalls naming the URL, never the password; fixing the Secret deploys', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const dir = makeRepoDir([{ name: 'private', versions: ['2.0.0'] }]);
  const server = await startRepoServer({ dir, basicAuth: { username: 'reader', password: 'correct-horse' } });
  t.after(() => server.close());
  const ns = await testNamespace(t);
  await startOperator(t, cluster, ns);
  const secret = (password: string) => kubectlOk(['create', 'secret', 'generic', 'repo-creds', '-n', ns, '--from-literal=username=reader', `--from-literal=password=${password}`, '--dry-run=client', '-o', 'yaml']);
  await applyYaml(await secret('battery-staple'));
  await applyYaml(chartReleaseYaml(ns, 'private', { chart: { repository: { url: server.url, name: 'private', version: '2.0.0', secretRef: { name: 'repo-creds' } } } }));
  const cr = await waitForCondition(ns, 'private', 'Stalled SourceAuthFailed', stalled('SourceAuthFailed'));
  const message = cr.status.conditions.find((c: any) => c.type === 'Ready').message;
  assert.match(message, new RegExp(`repository index ${server.url}/index.yaml: 401 Unauthorized`));
  const everything = JSON.stringify(cr) + (await events(ns, 'private')).join('\n');
  assert.doesNotMatch(everything, /battery-staple|correct-horse/);
  assert.deepEqual(await records(ns, 'private'), [], 'nothing recorded');
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps/private-private`)).status, 404, 'nothing applied');

  // Fixing the Secret requeues the release (it is a referenced object).
  await applyYaml(await secret('correct-horse'));
  const ready = await waitForReady(ns, 'private');
  assert.equal(ready.status.chart.version, '2.0.0');
  assert.ok(server.requests.some((r) => r.path === '/private-2.0.0.tgz' && r.status === 200));
});
