// Revision records against the real control plane and the real helm v4 binary: what we write is what
// `helm list/history/get` show, a release helm installed is continued with its history, records
// past 1 MiB are split and still listed, historyLimit prunes the oldest.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { applyManifest, parseManifest, resolveInventory } from '../../src/apply/index.js';
import { Discovery, KubeClient } from '../../src/kube/index.js';
import {
  PART_TYPE,
  RevisionExistsError,
  RevisionStore,
  deployedRevision,
  manifestDigest,
  newRelease,
  statusHistory,
  type NewReleaseInput,
} from '../../src/release/index.js';
import { api, apiOk, requireCluster, testNamespace } from '../support/cluster.js';
import { referenceTools } from '../support/tools.js';

interface Setup {
  client: KubeClient;
  kubeconfig: string;
  helm: (...args: string[]) => Promise<string>;
}

function setup(t: TestContext): Setup | null {
  const env = requireCluster(t);
  if (!env) return null;
  const client = KubeClient.load({ kubeconfigPath: env.kubeconfig });
  t.after(() => client.close());
  const bin = process.env.CHARTRELEASE_HELM ?? referenceTools().helm;
  const home = mkdtempSync(join(tmpdir(), 'chartrelease-helm-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const helm = (...args: string[]) =>
    new Promise<string>((resolve, reject) => {
      execFile(bin, [...args, '--kubeconfig', env.kubeconfig], { env: { PATH: process.env.PATH, HOME: home, HELM_CACHE_HOME: join(home, 'cache'), HELM_CONFIG_HOME: join(home, 'config'), HELM_DATA_HOME: join(home, 'data') } }, (err, stdout, stderr) =>
        err ? reject(new Error(`helm ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout),
      );
    });
  return { client, kubeconfig: env.kubeconfig, helm };
}

const chart = { name: 'tiny', version: '0.1.0', appVersion: '1.0', apiVersion: 'v2', description: 'a tiny chart' };
const manifestFor = (name: string, greeting: string) => `---\n# Source: tiny/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}-cm\ndata:\n  greeting: ${greeting}\n`;

function revision(ns: string, name: string, version: number, extra: Partial<NewReleaseInput> = {}) {
  return newRelease({
    name,
    namespace: ns,
    version,
    chart,
    chartValues: { greeting: 'hello' },
    config: { greeting: `v${version}` },
    manifest: manifestFor(name, `v${version}`),
    action: version === 1 ? 'install' : 'upgrade',
    status: 'deployed',
    notes: `notes of ${version}`,
    now: new Date(),
    ...extra,
  });
}

test('records we write are what helm list, history, get manifest and get values show', async (t) => {
  const s = setup(t);
  if (!s) return;
  const ns = await testNamespace(t);
  const store = new RevisionStore(s.client, ns, 'shop');
  const first = revision(ns, 'shop', 1);
  await store.create(first);
  assert.equal(await store.nextVersion(), 2);
  const hook = { name: 'shop-smoke', kind: 'Pod', path: 'tiny/templates/tests/smoke.yaml', manifest: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: shop-smoke\n  annotations:\n    helm.sh/hook: test', events: ['test'], weight: 1, delete_policies: ['before-hook-creation'] };
  await store.create(revision(ns, 'shop', 2, { firstDeployed: first.release.info.first_deployed, status: 'pending-upgrade', hooks: [hook] }));
  await store.markDeployed(2);

  const list = JSON.parse(await s.helm('list', '-n', ns, '-o', 'json'));
  assert.deepEqual(list.map((r: Record<string, string>) => [r.name, r.namespace, r.revision, r.status, r.chart, r.app_version]), [['shop', ns, '2', 'deployed', 'tiny-0.1.0', '1.0']]);
  const history = JSON.parse(await s.helm('history', 'shop', '-n', ns, '-o', 'json'));
  assert.deepEqual(history.map((h: Record<string, unknown>) => [h.revision, h.status, h.description, h.chart]), [
    [1, 'superseded', 'Install complete', 'tiny-0.1.0'],
    [2, 'deployed', 'Upgrade complete', 'tiny-0.1.0'],
  ]);
  assert.equal(await s.helm('get', 'manifest', 'shop', '-n', ns), manifestFor('shop', 'v2') + '\n');
  assert.deepEqual(JSON.parse(await s.helm('get', 'values', 'shop', '-n', ns, '-o', 'json')), { greeting: 'v2' });
  assert.deepEqual(JSON.parse(await s.helm('get', 'values', 'shop', '-n', ns, '--revision', '1', '-o', 'json')), { greeting: 'v1' });
  assert.deepEqual(JSON.parse(await s.helm('get', 'values', 'shop', '-n', ns, '--all', '-o', 'json')), { greeting: 'v2' });
  assert.match(await s.helm('status', 'shop', '-n', ns), /STATUS: deployed\nREVISION: 2\n[\s\S]*NOTES:\nnotes of 2/);
  assert.equal(await s.helm('get', 'hooks', 'shop', '-n', ns), `---\n# Source: ${hook.path}\n${hook.manifest}\n`);
  assert.equal(await s.helm('get', 'notes', 'shop', '-n', ns, '--revision', '1'), 'NOTES:\nnotes of 1\n');

  await assert.rejects(store.create(revision(ns, 'shop', 2)), RevisionExistsError);
  const records = await store.list();
  assert.deepEqual(statusHistory(records, 10).map((h) => [h.revision, h.action, h.status]), [
    [2, 'upgrade', 'deployed'],
    [1, 'install', 'superseded'],
  ]);
});

test('a release helm installed is adopted: read with its whole chart, continued with revision 2', async (t) => {
  const s = setup(t);
  if (!s) return;
  const ns = await testNamespace(t);
  const dir = mkdtempSync(join(tmpdir(), 'chartrelease-chart-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: tiny\nversion: 0.1.0\nappVersion: "1.0"\ndescription: a tiny chart\n');
  writeFileSync(join(dir, 'values.yaml'), 'greeting: hello\n');
  writeFileSync(join(dir, 'templates', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\ndata:\n  greeting: {{ .Values.greeting }}\n');
  await s.helm('install', 'legacy', dir, '-n', ns, '--set', 'greeting=yo');

  const store = new RevisionStore(s.client, ns, 'legacy');
  const [installed] = await store.list();
  assert.ok(installed);
  assert.equal(installed.release.version, 1);
  assert.equal(installed.release.info.status, 'deployed');
  assert.equal(installed.meta.action, 'install');
  assert.deepEqual(installed.release.config, { greeting: 'yo' });
  assert.equal((installed.release.chart.templates ?? []).length, 1, 'helm stores the whole chart; we read it');

  // Continue: apply the next manifest over what helm applied, then record revision 2.
  const discovery = new Discovery(s.client);
  const previous = await resolveInventory(discovery, parseManifest(installed.release.manifest), ns);
  const manifest = manifestFor('legacy', 'from-chartrelease');
  const applied = await applyManifest(s.client, discovery, parseManifest(manifest), { targetNamespace: ns, ownership: { releaseName: 'legacy', releaseNamespace: ns }, previous });
  assert.deepEqual(applied.changes.map((c) => [c.action, c.reason]), [['configured', 'edited by "helm"']], "helm's field ownership is taken over for the adopted revision's objects");
  const version = await store.nextVersion();
  assert.equal(version, 2);
  await store.create(
    newRelease({ name: 'legacy', namespace: ns, version, chart: installed.release.chart.metadata, config: { greeting: 'from-chartrelease' }, manifest, action: 'upgrade', firstDeployed: installed.release.info.first_deployed, now: new Date() }),
  );
  await store.markDeployed(version);

  const history = JSON.parse(await s.helm('history', 'legacy', '-n', ns, '-o', 'json'));
  assert.deepEqual(history.map((h: Record<string, unknown>) => [h.revision, h.status]), [
    [1, 'superseded'],
    [2, 'deployed'],
  ]);
  assert.equal(await s.helm('get', 'manifest', 'legacy', '-n', ns), manifest + '\n');
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/legacy-cm`)).data.greeting, 'from-chartrelease');

  // helm can roll back to a revision we wrote, and we read its record afterwards.
  await s.helm('rollback', 'legacy', '2', '-n', ns);
  const after = await store.list();
  // Helm rewrote revision 2 when it superseded it: our annotations are gone, the meta is inferred.
  assert.deepEqual(after.map((r) => [r.release.version, r.release.info.status, r.meta.action, r.meta.rollbackTo, r.managedByUs]), [
    [1, 'superseded', 'install', undefined, false],
    [2, 'superseded', 'upgrade', undefined, false],
    [3, 'deployed', 'rollback', 2, false],
  ]);
  assert.equal(after[1]!.meta.manifestDigest, manifestDigest(manifest), 'the same digest, computed from the record');
  assert.equal(deployedRevision(after)?.release.manifest, manifest);
  assert.equal(await store.nextVersion(), 4);

  // And helm can uninstall it: the objects and the records go.
  await s.helm('uninstall', 'legacy', '-n', ns);
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps/legacy-cm`)).status, 404);
  assert.deepEqual(await store.list(), []);
});

test('a record past the 1 MiB Secret limit is split into parts; helm still lists it, we read it whole', async (t) => {
  const s = setup(t);
  if (!s) return;
  const ns = await testNamespace(t);
  const store = new RevisionStore(s.client, ns, 'huge');
  // 2.4 MB of random text: it does not compress, so the record cannot fit in one Secret.
  const blob = randomBytes(1_800_000).toString('base64');
  const manifest = `---\n# Source: tiny/templates/blob.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: blob\ndata:\n  blob: ${blob}\n`;
  const rev = newRelease({ name: 'huge', namespace: ns, version: 1, chart, config: { size: 'large' }, manifest, action: 'install', now: new Date() });
  const stored = await store.create(rev);
  assert.ok(stored.parts >= 2, `parts: ${stored.parts}`);
  assert.deepEqual(stored.omitted, ['chart.values', 'manifest', 'hooks']);

  const secrets = await apiOk('GET', `/api/v1/namespaces/${ns}/secrets`);
  const types = secrets.items.map((x: { type: string }) => x.type);
  assert.equal(types.filter((x: string) => x === PART_TYPE).length, stored.parts);

  const history = JSON.parse(await s.helm('history', 'huge', '-n', ns, '-o', 'json'));
  assert.deepEqual(history.map((h: Record<string, unknown>) => [h.revision, h.status]), [[1, 'deployed']]);
  assert.match(await s.helm('get', 'manifest', 'huge', '-n', ns), /^# chartrelease: the manifest of revision 1 \(\d+ bytes\) is stored with the whole record/);
  assert.deepEqual(JSON.parse(await s.helm('get', 'values', 'huge', '-n', ns, '-o', 'json')), { size: 'large' });

  const whole = await store.get(1);
  assert.equal(whole?.release.manifest, manifest);
  assert.equal(whole?.meta.manifestDigest, rev.meta.manifestDigest);
  await store.setStatus(1, 'superseded');
  assert.equal((await store.get(1))?.release.info.status, 'superseded');

  await store.deleteAll();
  const left = await apiOk('GET', `/api/v1/namespaces/${ns}/secrets`);
  assert.deepEqual(left.items.map((x: { metadata: { name: string } }) => x.metadata.name), [], 'record and parts deleted');
});

test('historyLimit prunes the oldest records, never the deployed one; numbers keep growing', async (t) => {
  const s = setup(t);
  if (!s) return;
  const ns = await testNamespace(t);
  const store = new RevisionStore(s.client, ns, 'busy');
  for (let v = 1; v <= 5; v++) await store.create(revision(ns, 'busy', v, { status: v === 2 ? 'deployed' : v > 2 ? 'failed' : 'superseded' }));
  assert.deepEqual(await store.prune(2), [1, 3, 4]);
  assert.deepEqual((await store.list()).map((r) => [r.release.version, r.release.info.status]), [
    [2, 'deployed'],
    [5, 'failed'],
  ]);
  const history = JSON.parse(await s.helm('history', 'busy', '-n', ns, '-o', 'json'));
  assert.deepEqual(history.map((h: Record<string, unknown>) => h.revision), [2, 5]);
  assert.equal(await store.nextVersion(), 6);
  assert.equal(await store.nextVersion(9), 10);
});
