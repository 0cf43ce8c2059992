import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import {
  applyBody,
  deletionOrder,
  describeChanges,
  differingPaths,
  hasWrites,
  isClusterDefinition,
  isKeepPolicy,
  isUnchanged,
  ManifestError,
  parseFieldConflict,
  parseManifest,
  readiness,
  needsWait,
  resolveNamespace,
  sortByInstallOrder,
  sortByUninstallOrder,
  splitManifest,
  staleObjects,
  summarizeChanges,
  type Inventory,
} from './index.js';

const kinds = (items: { kind: string }[]) => items.map((i) => i.kind);

test('install order: Helm kinds in order, unknown kinds last and alphabetical, stable within a kind', () => {
  const input = [
    { kind: 'Deployment', n: 1 },
    { kind: 'Widget', n: 2 },
    { kind: 'Service', n: 3 },
    { kind: 'CustomResourceDefinition', n: 4 },
    { kind: 'Alpha', n: 5 },
    { kind: 'Namespace', n: 6 },
    { kind: 'Deployment', n: 7 },
    { kind: 'ValidatingWebhookConfiguration', n: 8 },
    { kind: 'PriorityClass', n: 9 },
  ];
  const sorted = sortByInstallOrder(input);
  assert.deepEqual(kinds(sorted), ['PriorityClass', 'Namespace', 'CustomResourceDefinition', 'Service', 'Deployment', 'Deployment', 'ValidatingWebhookConfiguration', 'Alpha', 'Widget']);
  assert.deepEqual(sorted.filter((s) => s.kind === 'Deployment').map((s) => s.n), [1, 7]);
  assert.deepEqual(kinds(input).slice(0, 2), ['Deployment', 'Widget'], 'the input is not mutated');
});

test('uninstall order: custom resources first, then Helm UninstallOrder (webhooks ... namespaces)', () => {
  const sorted = sortByUninstallOrder([{ kind: 'Namespace' }, { kind: 'CustomResourceDefinition' }, { kind: 'Widget' }, { kind: 'Deployment' }, { kind: 'ValidatingWebhookConfiguration' }, { kind: 'MutatingWebhookConfiguration' }, { kind: 'Service' }]);
  assert.deepEqual(kinds(sorted), ['Widget', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'Service', 'Deployment', 'CustomResourceDefinition', 'Namespace']);
});

test('stage 1 holds CRDs and Namespaces only', () => {
  const table: [string, string, boolean][] = [
    ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', true],
    ['v1', 'Namespace', true],
    ['example.com/v1', 'Namespace', false],
    ['v1', 'ConfigMap', false],
  ];
  for (const [apiVersion, kind, want] of table) assert.equal(isClusterDefinition({ apiVersion, kind }), want, `${apiVersion} ${kind}`);
});

const MANIFEST = `---
# Source: app/templates/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  flag: "yes"
  big: 12345678901234567890
---
# Source: app/templates/multi.yaml
apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: elsewhere
  annotations:
    helm.sh/resource-policy: " Keep "
---
# Source: app/templates/empty.yaml
# only a comment
---
# Source: app/templates/role.yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
  namespace: ignored
rules: []
`;

test('splitManifest follows Helm: separators, trimming, empty documents dropped', () => {
  // Helm's quirk: two separators with only blank lines between leave a literal --- on the next document.
  assert.deepEqual(splitManifest('---\na: 1\n---\n\n---\nb: 2\n'), ['a: 1', '---\nb: 2']);
  assert.deepEqual(parseManifest('---\napiVersion: v1\nkind: A\nmetadata: {name: a}\n---\n\n---\napiVersion: v1\nkind: B\nmetadata: {name: b}\n').map((o) => o.ref.kind), ['A', 'B']);
  assert.deepEqual(splitManifest('a: 1\n---   \nb: 2'), ['a: 1', 'b: 2']);
  assert.deepEqual(splitManifest('  \n'), []);
});

test('parseManifest: refs as written, sources, keep policy; comment-only documents skipped', () => {
  const objects = parseManifest(MANIFEST);
  assert.deepEqual(
    objects.map((o) => [o.ref, o.source, o.keep]),
    [
      [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'settings' }, 'app/templates/cm.yaml', false],
      [{ apiVersion: 'v1', kind: 'Secret', name: 'creds', namespace: 'elsewhere' }, 'app/templates/multi.yaml', true],
      [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'reader', namespace: 'ignored' }, 'app/templates/role.yaml', false],
    ],
  );
});

test('parseManifest flattens lists into their items, as Helm does', () => {
  const objects = parseManifest(`---
# Source: app/templates/list.yaml
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: first, annotations: {helm.sh/resource-policy: keep}}
  data: {n: 12345678901234567890}
- apiVersion: v1
  kind: ConfigMapList
  items:
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: nested, namespace: other}}
---
# Source: app/templates/empty-list.yaml
apiVersion: v1
kind: SecretList
items: []
`);
  assert.deepEqual(
    objects.map((o) => [o.ref.name, o.ref.namespace, o.source, o.keep]),
    [
      ['first', undefined, 'app/templates/list.yaml', true],
      ['nested', 'other', 'app/templates/list.yaml', false],
    ],
  );
  const body = applyBody(objects[0]!, 'ns');
  assert.match(body, /n: 12345678901234567890/);
  assert.deepEqual(parse(body, { version: '1.1' }).metadata, { name: 'first', namespace: 'ns', annotations: { 'helm.sh/resource-policy': 'keep' } });
  assert.doesNotMatch(body, /items|List/);
});

test('parseManifest rejects documents that cannot be applied, naming the template', () => {
  const table: [string, RegExp][] = [
    ['# Source: c/templates/a.yaml\nkind: ConfigMap\nmetadata: {name: x}', /c\/templates\/a\.yaml: object has no apiVersion or kind/],
    ['# Source: c/templates/b.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {}', /c\/templates\/b\.yaml: ConfigMap has no metadata.name/],
    ['# Source: c/templates/c.yaml\n- a\n- b', /a manifest document must be a mapping/],
    ['# Source: c/templates/d.yaml\napiVersion: v1\nkind: [unclosed', /YAML parse error/],
  ];
  for (const [text, want] of table) assert.throws(() => parseManifest(text), (err: unknown) => err instanceof ManifestError && want.test(err.message));
});

test('resolveNamespace: namespaced default to the target, cluster-scoped have none', () => {
  const ref = { apiVersion: 'v1', kind: 'X', name: 'x' };
  assert.equal(resolveNamespace(ref, true, 'target'), 'target');
  assert.equal(resolveNamespace({ ...ref, namespace: 'own' }, true, 'target'), 'own');
  assert.equal(resolveNamespace({ ...ref, namespace: 'own' }, false, 'target'), undefined);
  assert.equal(resolveNamespace(ref, false, 'target'), undefined);
});

test('applyBody: namespace and ownership added, every other scalar kept as written', () => {
  const [cm, secret, role] = parseManifest(MANIFEST);
  const body = applyBody(cm!, 'shop', { releaseName: 'web', releaseNamespace: 'shop' });
  assert.match(body, /big: 12345678901234567890/, 'a big integer is not rounded');
  assert.match(body, /flag: "yes"/);
  assert.deepEqual(parse(body, { version: '1.1' }).metadata, {
    name: 'settings',
    namespace: 'shop',
    annotations: { 'meta.helm.sh/release-name': 'web', 'meta.helm.sh/release-namespace': 'shop' },
    labels: { 'app.kubernetes.io/managed-by': 'Helm' },
  });
  const kept = parse(applyBody(secret!, 'elsewhere'), { version: '1.1' });
  assert.equal(kept.metadata.namespace, 'elsewhere');
  assert.deepEqual(kept.metadata.annotations, { 'helm.sh/resource-policy': ' Keep ' }, 'no ownership unless asked');
  const clusterScoped = parse(applyBody(role!, undefined), { version: '1.1' });
  assert.equal(clusterScoped.metadata.namespace, undefined, 'a cluster-scoped object loses its namespace');
  assert.match(applyBody(cm!, 'x'), /big: 12345678901234567890/, 'the parsed document is not mutated by earlier calls');
  assert.doesNotMatch(applyBody(cm!, 'x'), /meta\.helm\.sh/);
});

test('applyBody fills empty or flow-style metadata maps', () => {
  const table: [string, Record<string, unknown>][] = [
    ['metadata:\n  name: a\n  annotations:\n  labels: {}', { name: 'a', namespace: 'n', annotations: { 'meta.helm.sh/release-name': 'r', 'meta.helm.sh/release-namespace': 'n' }, labels: { 'app.kubernetes.io/managed-by': 'Helm' } }],
    ['metadata: {name: a, labels: {app.kubernetes.io/managed-by: Tiller, x: z}}', { name: 'a', namespace: 'n', labels: { 'app.kubernetes.io/managed-by': 'Helm', x: 'z' }, annotations: { 'meta.helm.sh/release-name': 'r', 'meta.helm.sh/release-namespace': 'n' } }],
  ];
  for (const [meta, want] of table) {
    const [object] = parseManifest(`apiVersion: v1\nkind: ConfigMap\n${meta}`);
    assert.deepEqual(parse(applyBody(object!, 'n', { releaseName: 'r', releaseNamespace: 'n' }), { version: '1.1' }).metadata, want, meta);
  }
});

test('isKeepPolicy trims and ignores case, as Helm', () => {
  for (const [v, want] of [['keep', true], [' KEEP ', true], ['delete', false], ['', false], [undefined, false]] as const) assert.equal(isKeepPolicy(v), want, String(v));
});

test('staleObjects: previous minus current by group/kind/namespace/name, deletion order, keep flagged', () => {
  const ref = (apiVersion: string, kind: string, name: string, namespace?: string) => ({ apiVersion, kind, name, ...(namespace ? { namespace } : {}) });
  const previous: Inventory = [
    { ref: ref('v1', 'Namespace', 'extra'), keep: false },
    { ref: ref('v1', 'ConfigMap', 'a', 'n'), keep: false },
    { ref: ref('v1', 'ConfigMap', 'b', 'n'), keep: true },
    { ref: ref('autoscaling/v1', 'HorizontalPodAutoscaler', 'h', 'n'), keep: false },
    { ref: ref('apps/v1', 'Deployment', 'gone', 'n'), keep: false },
    { ref: ref('example.com/v1', 'Widget', 'w', 'n'), keep: false },
    { ref: ref('v1', 'ConfigMap', 'a', 'other'), keep: false },
  ];
  const current: Inventory = [
    { ref: ref('v1', 'ConfigMap', 'a', 'n'), keep: false },
    { ref: ref('autoscaling/v2', 'HorizontalPodAutoscaler', 'h', 'n'), keep: false },
  ];
  assert.deepEqual(
    staleObjects(previous, current).map((e) => [e.ref.kind, e.ref.name, e.ref.namespace ?? '', e.keep]),
    [
      ['Widget', 'w', 'n', false],
      ['Deployment', 'gone', 'n', false],
      ['ConfigMap', 'b', 'n', true],
      ['ConfigMap', 'a', 'other', false],
      ['Namespace', 'extra', '', false],
    ],
  );
  assert.deepEqual(staleObjects(current, current), []);
  assert.deepEqual(deletionOrder(current).map((e) => e.ref.kind), ['HorizontalPodAutoscaler', 'ConfigMap']);
});

test('change sets: summary, lines, writes', () => {
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop' };
  const changes = [
    { ref, action: 'configured' as const, fields: ['.spec.replicas'] },
    { ref, action: 'unchanged' as const },
    { ref, action: 'unchanged' as const },
    { ref, action: 'kept' as const, reason: 'helm.sh/resource-policy: keep' },
  ];
  assert.equal(summarizeChanges(changes), '1 configured, 1 kept, 2 unchanged');
  assert.equal(summarizeChanges([]), 'no objects');
  assert.deepEqual(describeChanges(changes), ['Deployment.apps/web -n shop configured', 'Deployment.apps/web -n shop kept (helm.sh/resource-policy: keep)']);
  assert.equal(hasWrites(changes), true);
  assert.equal(hasWrites(changes.slice(1)), false);
});

test('isUnchanged ignores managedFields and resourceVersion only', () => {
  const live = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '5', managedFields: [{ manager: 'x' }], labels: { a: '1' } }, data: { k: 'v' } };
  assert.ok(isUnchanged(live, { ...live, metadata: { ...live.metadata, resourceVersion: '6', managedFields: [] } }));
  assert.ok(!isUnchanged(live, { ...live, data: { k: 'w' } }));
  assert.ok(!isUnchanged(live, { ...live, metadata: { ...live.metadata, labels: { a: '2' } } }));
  assert.ok(!isUnchanged(live, { ...live, data: { k: 'v', extra: '' } }));
  assert.deepEqual(differingPaths(live, { ...live, data: { k: 'w', n: 'x' }, metadata: { ...live.metadata, resourceVersion: '9' } }), ['.data.k', '.data.n']);
});

test('parseFieldConflict names the managers and fields', () => {
  const c = parseFieldConflict('Apply failed with 2 conflicts: conflicts with "kubectl-edit" using v1:\n- .data.a\n- .data.b', [
    { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using v1', field: '.data.a' },
    { reason: 'FieldManagerConflict', message: 'conflict with "other" using v1', field: '.data.b' },
  ]);
  assert.deepEqual(c.managers, ['kubectl-edit', 'other']);
  assert.deepEqual(c.fields, ['.data.a', '.data.b']);
  assert.deepEqual(parseFieldConflict('Apply failed with 1 conflict: conflict with "helm" using apps/v1: .spec.replicas', []).managers, ['helm']);
});

test('readiness of workloads (kstatus rules)', () => {
  const meta = { name: 'w', generation: 2 };
  const table: [unknown, string][] = [
    [{ kind: 'Deployment', metadata: meta, spec: { replicas: 2 }, status: { observedGeneration: 1 } }, 'progressing'],
    [{ kind: 'Deployment', metadata: meta, spec: { replicas: 2 }, status: { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 1 } }, 'progressing'],
    [{ kind: 'Deployment', metadata: meta, spec: { replicas: 2 }, status: { observedGeneration: 2, replicas: 3, updatedReplicas: 2, availableReplicas: 2 } }, 'progressing'],
    [{ kind: 'Deployment', metadata: meta, spec: { replicas: 2 }, status: { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 } }, 'ready'],
    [{ kind: 'Deployment', metadata: meta, spec: {}, status: { observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1 } }, 'ready'],
    [{ kind: 'Deployment', metadata: meta, status: { observedGeneration: 2, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'too slow' }] } }, 'failed'],
    [{ kind: 'StatefulSet', metadata: meta, spec: { replicas: 1 }, status: { observedGeneration: 2, readyReplicas: 1, updatedReplicas: 1, currentRevision: 'a', updateRevision: 'b' } }, 'progressing'],
    [{ kind: 'StatefulSet', metadata: meta, spec: { replicas: 1 }, status: { observedGeneration: 2, readyReplicas: 1, updatedReplicas: 1, currentRevision: 'b', updateRevision: 'b' } }, 'ready'],
    [{ kind: 'StatefulSet', metadata: meta, spec: { replicas: 1, updateStrategy: { type: 'OnDelete' } }, status: { observedGeneration: 2, readyReplicas: 1 } }, 'ready'],
    [{ kind: 'DaemonSet', metadata: meta, status: { observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 } }, 'progressing'],
    [{ kind: 'DaemonSet', metadata: meta, status: { observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 } }, 'ready'],
    [{ kind: 'Job', metadata: meta, status: {} }, 'progressing'],
    [{ kind: 'Job', metadata: meta, status: { conditions: [{ type: 'Complete', status: 'True' }] } }, 'ready'],
    [{ kind: 'Job', metadata: meta, status: { conditions: [{ type: 'Failed', status: 'True', message: 'BackoffLimitExceeded' }] } }, 'failed'],
    [{ kind: 'ConfigMap', metadata: meta }, 'ready'],
    [{ kind: 'ReplicaSet', metadata: meta, spec: { replicas: 2 }, status: { observedGeneration: 2, availableReplicas: 1 } }, 'progressing'],
    [{ kind: 'Pod', metadata: meta, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, 'ready'],
    [{ kind: 'Pod', metadata: meta, status: { phase: 'Pending' } }, 'progressing'],
    [{ kind: 'Pod', metadata: meta, status: { phase: 'Failed' } }, 'failed'],
    [{ kind: 'PersistentVolumeClaim', metadata: meta, status: { phase: 'Pending' } }, 'progressing'],
    [{ kind: 'PersistentVolumeClaim', metadata: meta, status: { phase: 'Bound' } }, 'ready'],
    [{ kind: 'Service', metadata: meta, spec: { type: 'ClusterIP' } }, 'ready'],
    [{ kind: 'Service', metadata: meta, spec: { type: 'LoadBalancer' }, status: { loadBalancer: {} } }, 'progressing'],
    [{ kind: 'CustomResourceDefinition', metadata: meta, status: { conditions: [{ type: 'Established', status: 'True' }] } }, 'ready'],
    [{ kind: 'CustomResourceDefinition', metadata: meta, status: { conditions: [{ type: 'NamesAccepted', status: 'False' }] } }, 'failed'],
    // Custom resources: generic kstatus rules and a Ready condition.
    [{ kind: 'Widget', metadata: meta }, 'ready'],
    [{ kind: 'Widget', metadata: meta, status: { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'True' }] } }, 'progressing'],
    [{ kind: 'Widget', metadata: meta, status: { observedGeneration: 2, conditions: [{ type: 'Ready', status: 'True' }] } }, 'ready'],
    [{ kind: 'Widget', metadata: meta, status: { conditions: [{ type: 'Ready', status: 'False', message: 'no capacity' }] } }, 'progressing'],
    [{ kind: 'Widget', metadata: meta, status: { conditions: [{ type: 'Reconciling', status: 'True' }, { type: 'Ready', status: 'True' }] } }, 'progressing'],
    [{ kind: 'Widget', metadata: meta, status: { conditions: [{ type: 'Stalled', status: 'True', reason: 'Bad' }] } }, 'failed'],
  ];
  for (const [obj, want] of table) assert.equal(readiness(obj as never).state, want, JSON.stringify(obj));
  const failed = readiness({ kind: 'Job', metadata: meta, status: { conditions: [{ type: 'Failed', status: 'True', message: 'BackoffLimitExceeded' }] } });
  assert.deepEqual(failed, { state: 'failed', message: 'Job/w: BackoffLimitExceeded' });
  assert.deepEqual(readiness({ kind: 'Widget', metadata: meta, status: { conditions: [{ type: 'Ready', status: 'False', message: 'no capacity' }] } }), { state: 'progressing', message: 'Widget/w: Ready=False: no capacity' });
  assert.equal(needsWait('ConfigMap'), false);
  assert.equal(needsWait('Widget'), true);
});
