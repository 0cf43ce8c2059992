// KubeClient and Discovery against the real control plane: paginated lists, watch streams (events,
// server timeout, abort, refusal), the mapper refreshed after a CRD appears, typed errors with the
// server's message, impersonation of a user with groups.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test, type TestContext } from 'node:test';
import { waitForCrdsEstablished } from '../../src/apply/index.js';
import { Discovery, KubeApiError, KubeClient, KubeTransportError, METADATA_ONLY, NoKindMatchError, isAlreadyExists, isNotFound, isStaleWrite, type WatchEvent } from '../../src/kube/index.js';
import { api, requireCluster, testNamespace } from '../support/cluster.js';

function connect(t: TestContext): KubeClient | null {
  const env = requireCluster(t);
  if (!env) return null;
  const client = KubeClient.load({ kubeconfigPath: env.kubeconfig });
  t.after(() => client.close());
  return client;
}

test('list follows continue tokens; writes and errors carry the server status', async (t) => {
  const client = connect(t);
  if (!client) return;
  const ns = await testNamespace(t);
  const base = `/api/v1/namespaces/${ns}/configmaps`;
  for (let i = 0; i < 7; i++) await client.create(base, { metadata: { name: `cm-${i}`, labels: { batch: i % 2 ? 'odd' : 'even' } }, data: { i: String(i) } });
  // Only our own objects: the controller manager publishes kube-root-ca.crt into every namespace.
  const all = await client.list(base, { limit: 2, labelSelector: 'batch' });
  assert.deepEqual(all.items.map((x) => x.metadata?.name), ['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4', 'cm-5', 'cm-6']);
  assert.match(all.resourceVersion, /^\d+$/);
  assert.equal((await client.list(base, { labelSelector: 'batch=odd', limit: 1 })).items.length, 3);

  await assert.rejects(client.create(base, { metadata: { name: 'cm-0' } }), (err) => isAlreadyExists(err) && /configmaps "cm-0" already exists/.test((err as Error).message));
  await assert.rejects(client.get(`${base}/missing`), (err) => isNotFound(err) && !(err as KubeApiError).retryable);
  const live = await client.get(`${base}/cm-0`);
  await client.patch(`${base}/cm-0`, 'merge', { data: { i: 'changed' } });
  await assert.rejects(client.replace(`${base}/cm-0`, live), (err) => isStaleWrite(err) && (err as KubeApiError).retryable);
  // A JSON patch starting with `test` fails when another writer got there first.
  await assert.rejects(client.patch(`${base}/cm-0`, 'json', [{ op: 'test', path: '/data/i', value: '0' }, { op: 'replace', path: '/data/i', value: 'x' }]), (err) => err instanceof KubeApiError && err.statusCode === 422);
  // Abort: before sending, and while the server is still answering (a watch never finishes by itself).
  const early = new AbortController();
  early.abort();
  await assert.rejects(client.get(base, { signal: early.signal }), KubeTransportError);
  const late = new AbortController();
  setTimeout(() => late.abort(), 200);
  await assert.rejects(client.get(base, { query: { watch: 1, timeoutSeconds: 30 }, signal: late.signal }), (err) => err instanceof KubeTransportError && err.retryable);
  const dry = await client.delete(`${base}/cm-1`, { dryRun: true });
  assert.ok(dry);
  assert.equal((await api('GET', `${base}/cm-1`)).status, 200, 'a dry-run delete deletes nothing');
  await client.delete(`${base}/cm-1`, { propagationPolicy: 'Background' });
  assert.equal((await api('GET', `${base}/cm-1`)).status, 404);
});

test('watchStream yields events, ends at the server timeout or on abort, and throws a refused watch as KubeApiError', async (t) => {
  const client = connect(t);
  if (!client) return;
  const ns = await testNamespace(t);
  const base = `/api/v1/namespaces/${ns}/configmaps`;
  const { resourceVersion } = await client.list(base);
  const seen: WatchEvent[] = [];
  const abort = new AbortController();
  const watching = (async () => {
    // Only the test's objects (the controller manager may publish kube-root-ca.crt meanwhile).
    for await (const event of client.watchStream(base, { resourceVersion, allowWatchBookmarks: true, timeoutSeconds: 30, fieldSelector: 'metadata.name=w' }, abort.signal)) {
      seen.push(event);
      if (event.type === 'DELETED') abort.abort();
    }
  })();
  await client.create(base, { metadata: { name: 'w' } });
  await client.patch(`${base}/w`, 'merge', { data: { a: '1' } });
  await client.delete(`${base}/w`);
  await watching;
  assert.deepEqual(seen.filter((e) => e.type !== 'BOOKMARK').map((e) => `${e.type} ${e.object.metadata?.name}`), ['ADDED w', 'MODIFIED w', 'DELETED w']);

  // A metadata-only watch (how the operator watches Secrets) carries no data.
  const meta: WatchEvent[] = [];
  for await (const event of client.watchStream(base, { resourceVersion, timeoutSeconds: 1, fieldSelector: 'metadata.name=w', accept: METADATA_ONLY })) meta.push(event);
  assert.deepEqual(meta.map((e) => `${e.type} ${e.object.kind} ${e.object.metadata?.name} ${'data' in e.object}`), ['ADDED PartialObjectMetadata w false', 'MODIFIED PartialObjectMetadata w false', 'DELETED PartialObjectMetadata w false']);

  // The server closes the stream at timeoutSeconds; bookmarks arrive before that.
  const ended: string[] = [];
  for await (const event of client.watchStream(base, { resourceVersion, allowWatchBookmarks: true, timeoutSeconds: 2 })) ended.push(event.type);
  assert.ok(ended.includes('ADDED'), ended.join(','));

  // Aborting before anything arrives ends the stream without an error.
  const quiet = new AbortController();
  setTimeout(() => quiet.abort(), 300);
  const none: WatchEvent[] = [];
  for await (const event of client.watchStream(base, { timeoutSeconds: 30, fieldSelector: 'metadata.name=w' }, quiet.signal)) none.push(event);
  assert.deepEqual(none.filter((e) => e.type !== 'BOOKMARK'), []);

  // A refused watch is thrown as the server's error, before any event.
  const stranger = client.impersonate({ user: 'stranger' });
  await assert.rejects(
    (async () => {
      for await (const _ of stranger.watchStream(base, { timeoutSeconds: 5 })) assert.fail('no event expected');
    })(),
    (err) => err instanceof KubeApiError && err.statusCode === 403 && /User "stranger" cannot watch resource "configmaps"/.test(err.message),
  );
});

test('discovery: capabilities, and a kind installed by a CRD is found after a refresh', async (t) => {
  const client = connect(t);
  if (!client) return;
  const discovery = new Discovery(client);
  const version = await discovery.serverVersion();
  assert.match(version.gitVersion, /^v1\.\d+\.\d+/);
  const apiVersions = await discovery.apiVersions();
  for (const v of ['v1', 'v1/ConfigMap', 'apps/v1', 'apps/v1/Deployment', 'apps/v1/Scale', 'rbac.authorization.k8s.io/v1/ClusterRole']) assert.ok(apiVersions.includes(v), v);
  assert.deepEqual(await discovery.mapping('v1', 'Namespace'), { group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', namespaced: false });

  const group = `g${randomBytes(3).toString('hex')}.kube.chartrelease.test`;
  await assert.rejects(discovery.mapping(`${group}/v1`, 'Sprocket'), NoKindMatchError);
  const name = `sprockets.${group}`;
  t.after(async () => void (await api('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`)));
  await client.create('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name },
    spec: {
      group,
      scope: 'Cluster',
      names: { plural: 'sprockets', singular: 'sprocket', kind: 'Sprocket' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  });
  await waitForCrdsEstablished(client, [name], 30_000);
  // Established, but the aggregated discovery document may lag a moment behind.
  let mapping;
  for (let i = 0; i < 50 && !mapping; i++) {
    mapping = await discovery.mapping(`${group}/v1`, 'Sprocket').catch((err) => {
      if (err instanceof NoKindMatchError) return undefined;
      throw err;
    });
    if (!mapping) await new Promise((r) => setTimeout(r, 200));
  }
  assert.deepEqual(mapping, { group, version: 'v1', kind: 'Sprocket', resource: 'sprockets', namespaced: false });
  assert.ok((await discovery.apiVersions()).includes(`${group}/v1/Sprocket`));

  // A snapshot older than maxAgeMs is read again: a kind removed meanwhile disappears.
  let clock = 0;
  const aging = new Discovery(client, { maxAgeMs: 1000, now: () => clock });
  assert.ok((await aging.apiVersions()).includes(`${group}/v1/Sprocket`));
  await client.delete(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
  let gone = false;
  for (let i = 0; i < 50 && !gone; i++) {
    clock += 2000;
    gone = !(await aging.apiVersions()).includes(`${group}/v1/Sprocket`);
    if (!gone) await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(gone, 'the removed kind is gone from a refreshed snapshot');
  clock += 10;
  const cached = await aging.snapshotNow();
  assert.equal(cached, await aging.snapshotNow(), 'within maxAgeMs the snapshot is reused');
});

test('impersonation headers: user and groups reach the authorizer', async (t) => {
  const client = connect(t);
  if (!client) return;
  const review = await client
    .impersonate({ user: 'someone', groups: ['team-a', 'system:authenticated'] })
    .create<{ status: { userInfo: { username: string; groups: string[] } } }>('/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
  assert.equal(review.status.userInfo.username, 'someone');
  assert.deepEqual([...review.status.userInfo.groups].sort(), ['system:authenticated', 'team-a']);
});
