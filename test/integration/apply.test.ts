// The apply engine against the real control plane: no writes for an unchanged release, CRDs before
// their custom resources, prune and keep, conflicts reported then forced, drift taken back, and
// impersonation refused by RBAC with RBAC's own message.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test, type TestContext } from 'node:test';
import {
  ApplyConflictError,
  ApplyError,
  DeleteFailedError,
  applyManifest,
  parseManifest,
  prune,
  summarizeChanges,
  uninstall,
  waitReady,
  type ApplyManifestOptions,
} from '../../src/apply/index.js';
import { Discovery, KubeApiError, KubeClient, serviceAccountUser } from '../../src/kube/index.js';
import { api, apiOk, requireCluster, testNamespace, waitUntilAllowed } from '../support/cluster.js';

function connect(t: TestContext): { client: KubeClient; discovery: Discovery } | null {
  const env = requireCluster(t);
  if (!env) return null;
  const client = KubeClient.load({ kubeconfigPath: env.kubeconfig });
  t.after(() => client.close());
  return { client, discovery: new Discovery(client) };
}

const configMap = (name: string, data: Record<string, string>, annotations: Record<string, string> = {}) =>
  [
    `---`,
    `# Source: app/templates/${name}.yaml`,
    `apiVersion: v1`,
    `kind: ConfigMap`,
    `metadata:`,
    `  name: ${name}`,
    ...(Object.keys(annotations).length ? ['  annotations:', ...Object.entries(annotations).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)] : []),
    `data:`,
    ...Object.entries(data).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`),
  ].join('\n');

const options = (ns: string, extra: Partial<ApplyManifestOptions> = {}): ApplyManifestOptions => ({
  targetNamespace: ns,
  ownership: { releaseName: 'app', releaseNamespace: ns },
  ...extra,
});

test('applying the same manifest twice writes nothing the second time', async (t) => {
  const c = connect(t);
  if (!c) return;
  const ns = await testNamespace(t);
  const manifest = [
    configMap('settings', { mode: 'fast', count: '3' }),
    `---\n# Source: app/templates/sa.yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: runner`,
    `---\n# Source: app/templates/role.yaml\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ${ns}-reader\n  namespace: ${ns}\nrules:\n- apiGroups: [""]\n  resources: [configmaps]\n  verbs: [get]`,
    // The server normalizes these (stringData into data, 0.5 into 500m, defaults): still no write on re-apply.
    `---\n# Source: app/templates/secret.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  password: hunter2`,
    `---\n# Source: app/templates/deploy.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n        image: registry.invalid/web:1\n        resources: {limits: {cpu: "0.5", memory: 1Gi}}`,
  ].join('\n');
  t.after(async () => void (await api('DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterroles/${ns}-reader`)));

  const first = await applyManifest(c.client, c.discovery, parseManifest(manifest), options(ns));
  assert.equal(summarizeChanges(first.changes), '5 created');
  assert.deepEqual(
    first.changes.map((ch) => [ch.ref.kind, ch.ref.namespace]),
    [
      ['ServiceAccount', ns],
      ['Secret', ns],
      ['ConfigMap', ns],
      ['ClusterRole', undefined],
      ['Deployment', ns],
    ],
    'install order; namespaced objects in the target namespace, the cluster-scoped one without',
  );
  const before = await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/settings`);
  assert.equal(before.metadata.annotations['meta.helm.sh/release-name'], 'app');
  assert.equal(before.metadata.labels['app.kubernetes.io/managed-by'], 'Helm');
  assert.deepEqual(
    before.metadata.managedFields.map((m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`),
    ['chartrelease/Apply'],
  );

  const second = await applyManifest(c.client, c.discovery, parseManifest(manifest), options(ns));
  assert.equal(summarizeChanges(second.changes), '5 unchanged');
  const after = await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/settings`);
  assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion, 'no write: the resourceVersion stays');
  assert.deepEqual(after.metadata.managedFields, before.metadata.managedFields);

  const changed = await applyManifest(c.client, c.discovery, parseManifest(manifest.replace('"fast"', '"slow"')), options(ns));
  assert.deepEqual(changed.changes.map((ch) => ch.action), ['unchanged', 'unchanged', 'configured', 'unchanged', 'unchanged']);
  assert.deepEqual(changed.changes[2]!.fields, ['.data.mode']);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/settings`)).data.mode, 'slow');
});

test('a CRD and its custom resources in one manifest, with a new namespace', async (t) => {
  const c = connect(t);
  if (!c) return;
  const ns = await testNamespace(t);
  const group = `g${randomBytes(3).toString('hex')}.apply.chartrelease.test`;
  const extraNs = `${ns}-extra`;
  t.after(async () => {
    await api('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.${group}`);
    await api('DELETE', `/api/v1/namespaces/${extraNs}`);
  });
  const manifest = `---
# Source: app/templates/gadget.yaml
apiVersion: ${group}/v1
kind: Gadget
metadata:
  name: one
spec:
  size: 2
---
# Source: app/templates/other.yaml
apiVersion: ${group}/v1
kind: Gadget
metadata:
  name: two
  namespace: ${extraNs}
spec:
  size: 3
---
# Source: app/templates/ns.yaml
apiVersion: v1
kind: Namespace
metadata:
  name: ${extraNs}
---
# Source: app/templates/crd.yaml
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.${group}
spec:
  group: ${group}
  scope: Namespaced
  names: {plural: gadgets, singular: gadget, kind: Gadget, listKind: GadgetList}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {size: {type: integer}}}
`;
  // Before the CRD exists, a dry run says what would be created without failing.
  const preview = await applyManifest(c.client, c.discovery, parseManifest(manifest), options(ns, { dryRun: true }));
  assert.deepEqual(preview.changes.map((ch) => `${ch.ref.kind}/${ch.ref.name} ${ch.action}`), [`Namespace/${extraNs} created`, `CustomResourceDefinition/gadgets.${group} created`, 'Gadget/one created', 'Gadget/two created']);
  assert.equal((await api('GET', `/api/v1/namespaces/${extraNs}`)).status, 404, 'a dry run writes nothing');

  const result = await applyManifest(c.client, c.discovery, parseManifest(manifest), options(ns));
  assert.equal(summarizeChanges(result.changes), '4 created');
  assert.equal((await apiOk('GET', `/apis/${group}/v1/namespaces/${ns}/gadgets/one`)).spec.size, 2);
  assert.equal((await apiOk('GET', `/apis/${group}/v1/namespaces/${extraNs}/gadgets/two`)).spec.size, 3);
  assert.deepEqual(result.inventory.map((e) => [e.ref.kind, e.ref.namespace]), [
    ['Namespace', undefined],
    ['CustomResourceDefinition', undefined],
    ['Gadget', ns],
    ['Gadget', extraNs],
  ]);
  const again = await applyManifest(c.client, c.discovery, parseManifest(manifest), options(ns));
  assert.equal(summarizeChanges(again.changes), '4 unchanged');
});

test('prune deletes what the new revision lacks, keeps what is marked keep; uninstall respects keep', async (t) => {
  const c = connect(t);
  if (!c) return;
  const ns = await testNamespace(t);
  const v1 = [configMap('stays', { a: '1' }), configMap('goes', { b: '2' }), configMap('kept', { c: '3' }, { 'helm.sh/resource-policy': 'keep' })].join('\n');
  const first = await applyManifest(c.client, c.discovery, parseManifest(v1), options(ns));
  // Someone else's object of the same name in another release is not ours to delete.
  await apiOk('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: { metadata: { name: 'foreign', annotations: { 'meta.helm.sh/release-name': 'other' } } } });
  const previous = [...first.inventory, { ref: { apiVersion: 'v1', kind: 'ConfigMap', name: 'foreign', namespace: ns }, keep: false }];

  const v2 = configMap('stays', { a: '1' });
  const second = await applyManifest(c.client, c.discovery, parseManifest(v2), options(ns, { previous }));
  const pruned = await prune(c.client, c.discovery, previous, second.inventory, { releaseName: 'app' });
  assert.deepEqual(
    pruned.map((ch) => `${ch.ref.name} ${ch.action}${ch.reason ? ` (${ch.reason})` : ''}`).sort(),
    ['foreign skipped (belongs to release other)', 'goes deleted', 'kept kept (helm.sh/resource-policy: keep)'],
  );
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps/goes`)).status, 404);
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps/kept`)).status, 200);
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps/foreign`)).status, 200);

  // A keep annotation added on the live object is honoured as well.
  await apiOk('PATCH', `/api/v1/namespaces/${ns}/configmaps/stays`, { body: { metadata: { annotations: { 'helm.sh/resource-policy': 'keep' } } }, contentType: 'application/merge-patch+json' });
  const removed = await uninstall(c.client, c.discovery, [...second.inventory, ...first.inventory.filter((e) => e.ref.name === 'kept')], { releaseName: 'app' });
  assert.deepEqual(removed.map((ch) => `${ch.ref.name} ${ch.action}`).sort(), ['kept kept', 'stays kept']);
  const gone = await uninstall(c.client, c.discovery, [{ ref: { apiVersion: 'v1', kind: 'ConfigMap', name: 'goes', namespace: ns }, keep: false }]);
  assert.deepEqual(gone.map((ch) => ch.action), ['skipped'], 'already gone');
});

test('a conflict with another field manager is reported with its name, then taken over with force', async (t) => {
  const c = connect(t);
  if (!c) return;
  const ns = await testNamespace(t);
  // Another tool owns the object first.
  await apiOk('PATCH', `/api/v1/namespaces/${ns}/configmaps/shared?fieldManager=other-tool`, { body: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\ndata:\n  owner: other\n` });
  const manifest = [configMap('aaa-first', { x: '1' }), configMap('shared', { owner: 'us' })].join('\n');

  await assert.rejects(applyManifest(c.client, c.discovery, parseManifest(manifest), options(ns)), (err: unknown) => {
    assert.ok(err instanceof ApplyConflictError, String(err));
    assert.equal(err.retryable, false);
    assert.deepEqual(err.conflicts.map((x) => [x.ref.name, x.managers, x.fields]), [['shared', ['other-tool'], ['.data.owner']]]);
    assert.match(err.message, /ConfigMap\/shared -n .*"other-tool" own \.data\.owner/);
    return true;
  });
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps/aaa-first`)).status, 404, 'nothing of the stage was written');

  const forced = await applyManifest(c.client, c.discovery, parseManifest(manifest), options(ns, { force: true }));
  assert.equal(summarizeChanges(forced.changes), '1 created, 1 configured');
  const live = await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/shared`);
  assert.equal(live.data.owner, 'us');
  const chartreleaseFields = live.metadata.managedFields.find((m: { manager: string }) => m.manager === 'chartrelease');
  assert.ok(chartreleaseFields?.fieldsV1?.['f:data']?.['f:owner'], 'the field is ours now');
});

test('drift: an edit of an applied object is reported by a dry run and taken back by the next apply', async (t) => {
  const c = connect(t);
  if (!c) return;
  const ns = await testNamespace(t);
  const manifest = configMap('tuned', { level: '1', other: 'x' });
  const first = await applyManifest(c.client, c.discovery, parseManifest(manifest), options(ns));
  // kubectl edit: an update by another manager, which takes the field over.
  await apiOk('PATCH', `/api/v1/namespaces/${ns}/configmaps/tuned?fieldManager=kubectl-edit`, { body: { data: { level: '9' } }, contentType: 'application/merge-patch+json' });

  const detected = await applyManifest(c.client, c.discovery, parseManifest(manifest), options(ns, { previous: first.inventory, dryRun: true }));
  assert.deepEqual(detected.changes.map((ch) => [ch.action, ch.fields, ch.reason]), [['configured', ['.data.level'], 'edited by "kubectl-edit"']]);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/tuned`)).data.level, '9', 'detection writes nothing');

  // Not part of the deployed revision: the same edit is a conflict, not drift.
  await assert.rejects(applyManifest(c.client, c.discovery, parseManifest(manifest), options(ns)), ApplyConflictError);

  const corrected = await applyManifest(c.client, c.discovery, parseManifest(manifest), options(ns, { previous: first.inventory }));
  assert.deepEqual(corrected.changes.map((ch) => ch.action), ['configured']);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/tuned`)).data.level, '1');
  const clean = await applyManifest(c.client, c.discovery, parseManifest(manifest), options(ns, { previous: first.inventory, dryRun: true }));
  assert.deepEqual(clean.changes.map((ch) => ch.action), ['unchanged']);
});

test('impersonating a ServiceAccount: RBAC refuses with its own message, then allows once bound', async (t) => {
  const c = connect(t);
  if (!c) return;
  const ns = await testNamespace(t);
  await apiOk('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { body: { metadata: { name: 'deployer' } } });
  const asDeployer = c.client.impersonate({ user: serviceAccountUser(ns, 'deployer') });
  const discovery = new Discovery(asDeployer);
  const manifest = configMap('guarded', { a: '1' });

  await assert.rejects(applyManifest(asDeployer, discovery, parseManifest(manifest), options(ns)), (err: unknown) => {
    assert.ok(err instanceof ApplyError, String(err));
    assert.ok(err.cause instanceof KubeApiError);
    assert.equal(err.cause.statusCode, 403);
    assert.equal(err.retryable, false);
    assert.match(err.message, new RegExp(`configmaps "guarded" is forbidden: User "system:serviceaccount:${ns}:deployer" cannot get resource "configmaps"`));
    return true;
  });

  await apiOk('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, {
    body: { metadata: { name: 'deploy' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'create', 'patch', 'delete'] }] },
  });
  await apiOk('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
    body: { metadata: { name: 'deploy' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'deploy' }, subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: ns }] },
  });
  await waitUntilAllowed(serviceAccountUser(ns, 'deployer'), { verb: 'patch', resource: 'configmaps', namespace: ns });
  const applied = await applyManifest(asDeployer, discovery, parseManifest(manifest), options(ns));
  assert.equal(summarizeChanges(applied.changes), '1 created');
  const live = await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/guarded`);
  assert.deepEqual(live.metadata.managedFields.map((m: { manager: string }) => m.manager), ['chartrelease']);
  // Writing outside what the Role grants is refused again.
  const secret = `---\n# Source: app/templates/s.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: nope\nstringData:\n  k: v`;
  await assert.rejects(applyManifest(asDeployer, discovery, parseManifest(secret), options(ns)), /secrets "nope" is forbidden/);
});

test('waitReady: a Deployment without a controller times out with the reason; other kinds are ready once applied', async (t) => {
  const c = connect(t);
  if (!c) return;
  const ns = await testNamespace(t);
  const manifest = `---
# Source: app/templates/deploy.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: registry.invalid/web:1}]
`;
  const applied = await applyManifest(c.client, c.discovery, parseManifest(manifest), options(ns));
  const outcome = await waitReady(c.client, c.discovery, applied.inventory, { timeoutMs: 600, intervalMs: 200 });
  // No kube-controller-manager in the test control plane: nothing ever observes the Deployment.
  assert.deepEqual(outcome, { state: 'timeout', messages: ['Deployment/web: waiting for the controller to observe generation 1'] });
  assert.deepEqual(await waitReady(c.client, c.discovery, applied.inventory.filter((e) => e.ref.kind !== 'Deployment'), { timeoutMs: 100 }), { state: 'ready' });
});

test('prune attempts every object: one refused delete does not stop the others, and is reported', async (t) => {
  const c = connect(t);
  if (!c) return;
  const ns = await testNamespace(t);
  const manifest = [configMap('one', { a: '1' }), `---\n# Source: app/templates/s.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: locked\nstringData:\n  k: v`].join('\n');
  const applied = await applyManifest(c.client, c.discovery, parseManifest(manifest), options(ns));
  await apiOk('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { body: { metadata: { name: 'pruner' } } });
  await apiOk('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, {
    body: { metadata: { name: 'prune' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'delete'] }, { apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] },
  });
  await apiOk('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
    body: { metadata: { name: 'prune' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'prune' }, subjects: [{ kind: 'ServiceAccount', name: 'pruner', namespace: ns }] },
  });
  const asPruner = c.client.impersonate({ user: serviceAccountUser(ns, 'pruner') });
  const discovery = new Discovery(asPruner);
  await waitUntilAllowed(serviceAccountUser(ns, 'pruner'), { verb: 'delete', resource: 'configmaps', namespace: ns });

  await assert.rejects(prune(asPruner, discovery, applied.inventory, [], { releaseName: 'app' }), (err: unknown) => {
    assert.ok(err instanceof DeleteFailedError, String(err));
    assert.equal(err.retryable, false);
    assert.deepEqual(err.changes.map((ch) => `${ch.ref.kind}/${ch.ref.name} ${ch.action}`), ['ConfigMap/one deleted']);
    assert.deepEqual(err.failures.map((f) => [f.ref.name, f.step]), [['locked', 'delete']]);
    assert.match(err.message, /secrets "locked" is forbidden: User "system:serviceaccount:.*:pruner" cannot delete resource "secrets"/);
    return true;
  });
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps/one`)).status, 404);
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/secrets/locked`)).status, 200);
});

test("an object of another release is not taken over silently, even from the same field manager", async (t) => {
  const c = connect(t);
  if (!c) return;
  const ns = await testNamespace(t);
  const manifest = configMap('contested', { a: '1' });
  await applyManifest(c.client, c.discovery, parseManifest(manifest), { targetNamespace: ns, ownership: { releaseName: 'first', releaseNamespace: ns } });
  const second = { targetNamespace: ns, ownership: { releaseName: 'second', releaseNamespace: ns } };
  await assert.rejects(applyManifest(c.client, c.discovery, parseManifest(manifest), second), (err: unknown) => {
    assert.ok(err instanceof ApplyConflictError, String(err));
    assert.deepEqual(err.conflicts.map((x) => x.managers), [[`release ${ns}/first`]]);
    return true;
  });
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/contested`)).metadata.annotations['meta.helm.sh/release-name'], 'first');
  const taken = await applyManifest(c.client, c.discovery, parseManifest(manifest), { ...second, force: true });
  assert.deepEqual(taken.changes.map((ch) => [ch.action, ch.fields]), [['configured', ['.metadata.annotations.meta.helm.sh/release-name']]]);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/contested`)).metadata.annotations['meta.helm.sh/release-name'], 'second');
});

test('a List in a manifest is applied as its items', async (t) => {
  const c = connect(t);
  if (!c) return;
  const ns = await testNamespace(t);
  const manifest = `---\n# Source: app/templates/list.yaml\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: l1}, data: {a: "1"}}\n- {apiVersion: v1, kind: Secret, metadata: {name: l2}, stringData: {b: "2"}}\n`;
  const result = await applyManifest(c.client, c.discovery, parseManifest(manifest), options(ns));
  assert.deepEqual(result.changes.map((ch) => `${ch.ref.kind}/${ch.ref.name} ${ch.action}`), ['Secret/l2 created', 'ConfigMap/l1 created']);
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/l1`)).data.a, '1');
});
