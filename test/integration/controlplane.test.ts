// Smoke suite for the real control plane that test/run.js starts (kube-apiserver + etcd built from Go
// modules): the API behaviours the operator depends on, observed on the real server.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { api, apiOk, eventually, kubectl, requireCluster, serviceAccountKubeconfig, testNamespace, watchEvents } from '../support/cluster.js';

const configMapYaml = (ns: string, data: Record<string, string>) =>
  [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: smoke',
    `  namespace: ${ns}`,
    'data:',
    ...Object.entries(data).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`),
    '',
  ].join('\n');

test('a fresh namespace per test is created Active', async (t) => {
  if (!requireCluster(t)) return;
  const ns = await testNamespace(t);
  const got = await apiOk('GET', `/api/v1/namespaces/${ns}`);
  assert.equal(got.status.phase, 'Active');
  const version = await apiOk('GET', '/version');
  assert.match(version.gitVersion, /^v1\.\d+\.\d+/);
});

test('server-side apply twice with one field manager leaves the object unchanged; another manager conflicts', async (t) => {
  if (!requireCluster(t)) return;
  const ns = await testNamespace(t);
  const path = `/api/v1/namespaces/${ns}/configmaps/smoke?fieldManager=chartrelease-smoke`;
  const first = await apiOk('PATCH', path, { body: configMapYaml(ns, { a: '1', b: 'two' }) });
  const second = await apiOk('PATCH', path, { body: configMapYaml(ns, { a: '1', b: 'two' }) });
  assert.equal(second.metadata.resourceVersion, first.metadata.resourceVersion, 'an identical apply must not write');
  assert.deepEqual(second.data, { a: '1', b: 'two' });
  const managers = (second.metadata.managedFields as { manager: string; operation: string }[]).map((m) => `${m.manager}/${m.operation}`);
  assert.deepEqual(managers, ['chartrelease-smoke/Apply']);

  const other = await api('PATCH', `/api/v1/namespaces/${ns}/configmaps/smoke?fieldManager=someone-else`, { body: configMapYaml(ns, { a: 'changed' }) });
  assert.equal(other.status, 409, 'a second manager changing an owned field must conflict');
  assert.equal(other.body.reason, 'Conflict');
  assert.match(other.body.message, /chartrelease-smoke/);

  // An update with a stale resourceVersion is refused as well (optimistic concurrency).
  const stale = { ...second, data: { a: '3' }, metadata: { ...second.metadata, resourceVersion: String(Number(second.metadata.resourceVersion) - 1) } };
  delete stale.metadata.managedFields;
  const put = await api('PUT', `/api/v1/namespaces/${ns}/configmaps/smoke`, { body: stale });
  assert.equal(put.status, 409);

  // kubectl's server-side apply talks to the same server and sees the same owner.
  const applied = await kubectl(['apply', '--server-side', '--field-manager=chartrelease-smoke', '-f', '-', '-o', 'json'], { input: configMapYaml(ns, { a: '1', b: 'two' }) });
  assert.equal(applied.status, 0, applied.stderr);
  assert.equal(JSON.parse(applied.stdout).metadata.resourceVersion, first.metadata.resourceVersion);
});

test('watch delivers events and bookmarks', async (t) => {
  if (!requireCluster(t)) return;
  const ns = await testNamespace(t);
  // Only our own objects: the root-CA publisher adds kube-root-ca.crt to every namespace concurrently.
  const selector = 'labelSelector=chartrelease.test%2Fwatch%3Dyes';
  const list = await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps?${selector}`);
  const rv = list.metadata.resourceVersion as string;

  // A watch with a short timeout gets a bookmark shortly before its deadline, after the change.
  const watching = watchEvents(`/api/v1/namespaces/${ns}/configmaps?${selector}&watch=1&allowWatchBookmarks=true&resourceVersion=${rv}&timeoutSeconds=4`, (e) => e.type === 'BOOKMARK', { timeoutMs: 20_000 });
  await apiOk('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: { metadata: { name: 'watched', labels: { 'chartrelease.test/watch': 'yes' } }, data: { x: '1' } } });
  const events = await watching;
  const types = events.map((e) => e.type);
  assert.equal(types[0], 'ADDED');
  assert.equal(events[0]!.object.metadata.name, 'watched');
  const bookmark = events.find((e) => e.type === 'BOOKMARK');
  assert.ok(bookmark, `expected a BOOKMARK, saw ${types.join(',')}`);
  assert.ok(Number(bookmark.object.metadata.resourceVersion) >= Number(events[0]!.object.metadata.resourceVersion));

  // A streaming list (sendInitialEvents) ends its initial events with an annotated bookmark.
  const streamed = await watchEvents(
    `/api/v1/namespaces/${ns}/configmaps?${selector}&watch=1&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=20`,
    (e) => e.type === 'BOOKMARK',
    { timeoutMs: 20_000 },
  );
  assert.deepEqual(streamed.map((e) => e.type), ['ADDED', 'BOOKMARK']);
  assert.equal(streamed[1]!.object.metadata.annotations['k8s.io/initial-events-end'], 'true');
});

test('a CRD becomes Established, its schema is enforced and status is a subresource', async (t) => {
  if (!requireCluster(t)) return;
  const ns = await testNamespace(t);
  const group = `g${randomBytes(3).toString('hex')}.smoke.chartrelease.test`;
  const name = `widgets.${group}`;
  await apiOk('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
    body: {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            subresources: { status: {} },
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: { type: 'object', required: ['size'], properties: { size: { type: 'integer', minimum: 1 } } },
                  status: { type: 'object', properties: { ready: { type: 'boolean' } } },
                },
              },
            },
          },
        ],
      },
    },
  });
  t.after(async () => {
    await api('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
  });
  await eventually(`${name} Established`, async () => {
    const crd = await apiOk('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
    return (crd.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True');
  });

  const base = `/apis/${group}/v1/namespaces/${ns}/widgets`;
  const invalid = await api('POST', base, { body: { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'bad' }, spec: { size: 0 } } });
  assert.equal(invalid.status, 422, 'schema validation must reject size 0');
  const created = await apiOk('POST', base, { body: { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'ok' }, spec: { size: 2 }, status: { ready: true } } });
  assert.equal(created.status, undefined, 'status is dropped on create when it is a subresource');
  const withStatus = await apiOk('PATCH', `${base}/ok/status?fieldManager=chartrelease-smoke`, {
    body: `apiVersion: ${group}/v1\nkind: Widget\nmetadata:\n  name: ok\nstatus:\n  ready: true\n`,
  });
  assert.equal(withStatus.status.ready, true);
  assert.ok(Number(withStatus.metadata.generation) === Number(created.metadata.generation), 'a status write does not bump generation');
});

test('the restricted identity is denied what RBAC does not grant', async (t) => {
  const env = requireCluster(t);
  if (!env) return;
  assert.ok(env.restrictedKubeconfig && env.restrictedUser, 'CHARTRELEASE_TEST_RESTRICTED_KUBECONFIG and _USER must be set');
  const ns = await testNamespace(t);
  const asRestricted = { kubeconfig: env.restrictedKubeconfig };

  const denied = await api('GET', `/api/v1/namespaces/${ns}/configmaps`, asRestricted);
  assert.equal(denied.status, 403);
  assert.equal(denied.body.reason, 'Forbidden');
  assert.match(denied.body.message, new RegExp(env.restrictedUser));

  // Grant read access to ConfigMaps in this namespace only.
  await apiOk('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, {
    body: { metadata: { name: 'read-configmaps' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }] },
  });
  await apiOk('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
    body: {
      metadata: { name: 'read-configmaps' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-configmaps' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: env.restrictedUser }],
    },
  });
  await eventually('the RoleBinding to take effect', async () => (await api('GET', `/api/v1/namespaces/${ns}/configmaps`, asRestricted)).status === 200);

  const create = await api('POST', `/api/v1/namespaces/${ns}/configmaps`, { ...asRestricted, body: { metadata: { name: 'nope' } } });
  assert.equal(create.status, 403, 'create was not granted');
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/secrets`, asRestricted)).status, 403, 'secrets were not granted');
  assert.equal((await api('GET', `/api/v1/namespaces/default/configmaps`, asRestricted)).status, 403, 'other namespaces were not granted');

  // The same answers through kubectl, and through the admin impersonating the user.
  const canList = await kubectl(['auth', 'can-i', 'list', 'configmaps', '-n', ns], asRestricted);
  assert.equal(canList.stdout.trim(), 'yes');
  const canCreate = await kubectl(['auth', 'can-i', 'create', 'configmaps', '-n', ns], asRestricted);
  assert.equal(canCreate.stdout.trim(), 'no');
  const impersonated = await api('GET', `/api/v1/namespaces/${ns}/secrets`, { headers: { 'Impersonate-User': env.restrictedUser } });
  assert.equal(impersonated.status, 403);
});

test('kube-controller-manager garbage-collects owned objects and deletes namespaces', async (t) => {
  if (!requireCluster(t)) return;
  const ns = await testNamespace(t);
  const owner = await apiOk('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: { metadata: { name: 'owner' } } });
  await apiOk('POST', `/api/v1/namespaces/${ns}/configmaps`, {
    body: { metadata: { name: 'owned', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid }] } },
  });
  await apiOk('DELETE', `/api/v1/namespaces/${ns}/configmaps/owner`);
  await eventually('the owned ConfigMap to be garbage-collected', async () => (await api('GET', `/api/v1/namespaces/${ns}/configmaps/owned`)).status === 404, 60_000);

  // The namespace controller populates and empties namespaces as on a real cluster.
  await eventually('kube-root-ca.crt in the namespace', async () => (await api('GET', `/api/v1/namespaces/${ns}/configmaps/kube-root-ca.crt`)).status === 200);
  const doomed = await testNamespace(t);
  await apiOk('POST', `/api/v1/namespaces/${doomed}/configmaps`, { body: { metadata: { name: 'x' } } });
  await apiOk('DELETE', `/api/v1/namespaces/${doomed}`);
  await eventually(`namespace ${doomed} to be gone`, async () => (await api('GET', `/api/v1/namespaces/${doomed}`)).status === 404, 60_000);
});

test('a ServiceAccount token from the TokenRequest API authenticates as the ServiceAccount, with no rights', async (t) => {
  if (!requireCluster(t)) return;
  const ns = await testNamespace(t);
  const kubeconfig = await serviceAccountKubeconfig(t, ns, 'deployer');
  const review = await apiOk('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    kubeconfig,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });
  assert.equal(review.status.userInfo.username, `system:serviceaccount:${ns}:deployer`);
  assert.ok(review.status.userInfo.groups.includes(`system:serviceaccounts:${ns}`));
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps`, { kubeconfig })).status, 403);
  const whoami = await kubectl(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], { kubeconfig });
  assert.equal(whoami.stdout, `system:serviceaccount:${ns}:deployer`, whoami.stderr);
});
