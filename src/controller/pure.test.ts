// Unit tests of the controller's small pure pieces: finalizer patches, the reference index, hook
// order, status history and the status snapshot comparison, error classification.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApplyConflictError } from '../apply/index.js';
import { SchemaValidationError } from '../chart/index.js';
import { KubeApiError } from '../kube/index.js';
import { newRelease } from '../release/index.js';
import { RenderError } from '../render/index.js';
import { hooksFor } from './actions/hooks.js';
import { releaseManifest, RenderCache, renderFingerprint } from './desired.js';
import { classifyError, RetryableError, StalledError } from './errors.js';
import { addFinalizerPatch, removeFinalizerPatch } from './finalizer.js';
import { ReferenceIndex, referencesOf } from './references.js';
import { historyFromRecords, nextStatus, statusChanged } from './status.js';

test('finalizer patches test the current list first', () => {
  assert.deepEqual(addFinalizerPatch(undefined), [
    { op: 'test', path: '/metadata/finalizers', value: null },
    { op: 'add', path: '/metadata/finalizers', value: ['chartrelease.dev/uninstall'] },
  ]);
  assert.deepEqual(addFinalizerPatch(['other']), [
    { op: 'test', path: '/metadata/finalizers', value: ['other'] },
    { op: 'add', path: '/metadata/finalizers/-', value: 'chartrelease.dev/uninstall' },
  ]);
  assert.equal(addFinalizerPatch(['chartrelease.dev/uninstall']), null);
  assert.deepEqual(removeFinalizerPatch(['other', 'chartrelease.dev/uninstall']), [
    { op: 'test', path: '/metadata/finalizers/1', value: 'chartrelease.dev/uninstall' },
    { op: 'remove', path: '/metadata/finalizers/1' },
  ]);
  assert.equal(removeFinalizerPatch(['other']), null);
});

test('the reference index maps ConfigMaps and Secrets to the releases that read them', () => {
  const cr = (name: string, valuesFrom: any[], configMap?: string) => ({
    metadata: { name, namespace: 'shop' },
    spec: { chart: configMap ? { configMap: { name: configMap } } : { path: '/c' }, valuesFrom },
  });
  const index = new ReferenceIndex();
  index.set('shop/a', referencesOf(cr('a', [{ kind: 'ConfigMap', name: 'base' }, { kind: 'Secret', name: 'creds' }])));
  index.set('shop/b', referencesOf(cr('b', [{ kind: 'ConfigMap', name: 'base' }], 'b-chart')));
  assert.deepEqual(index.releasesUsing('ConfigMap', 'shop', 'base'), ['shop/a', 'shop/b']);
  assert.deepEqual(index.releasesUsing('Secret', 'shop', 'creds'), ['shop/a']);
  assert.deepEqual(index.releasesUsing('ConfigMap', 'shop', 'b-chart'), ['shop/b']);
  assert.deepEqual(index.releasesUsing('Secret', 'shop', 'base'), [], 'kind matters');
  assert.deepEqual(index.releasesUsing('ConfigMap', 'other', 'base'), [], 'namespace matters');
  index.set('shop/a', referencesOf(cr('a', [])));
  assert.deepEqual(index.releasesUsing('ConfigMap', 'shop', 'base'), ['shop/b'], 'set replaces what a release read before');
  index.delete('shop/b');
  assert.deepEqual(index.releasesUsing('ConfigMap', 'shop', 'base'), []);
});

test('hooks of an event run by weight, then name', () => {
  const h = (name: string, weight: number, events = ['pre-install']) => ({ name, kind: 'Job', path: `c/templates/${name}.yaml`, manifest: '', events, weight });
  const order = hooksFor([h('b', 0), h('a', 0), h('z', -5), h('late', 10), h('other', -10, ['post-install'])], 'pre-install').map((x) => x.name);
  assert.deepEqual(order, ['z', 'a', 'b', 'late']);
  assert.deepEqual(hooksFor(null, 'pre-delete'), []);
});

const record = (version: number, status: any, extra: { action?: 'install' | 'upgrade' | 'rollback'; rollbackTo?: number } = {}) =>
  newRelease({
    name: 'web',
    namespace: 'shop',
    version,
    chart: { name: 'web', version: '1.0.0', appVersion: '2.0' },
    config: { secret: 'hunter2', replicas: version },
    manifest: `kind: ConfigMap # ${version}`,
    action: extra.action ?? (version === 1 ? 'install' : 'upgrade'),
    rollbackTo: extra.rollbackTo,
    status,
    now: new Date(`2026-06-1${version}T11:04:17Z`),
  });

test('status.history mirrors the kept records, newest first, without any values', () => {
  const history = historyFromRecords([record(1, 'superseded'), record(2, 'failed'), record(3, 'pending-rollback', { action: 'rollback', rollbackTo: 1 }), record(4, 'deployed')], 3);
  assert.deepEqual(history.map((h) => `${h.revision}:${h.action}:${h.status}${h.rollbackTo ? ':' + h.rollbackTo : ''}`), ['4:upgrade:deployed', '3:rollback:pending:1', '2:upgrade:failed']);
  assert.doesNotMatch(JSON.stringify(history), /hunter2/);
  assert.match(history[0]!.valuesDigest, /^sha256:[0-9a-f]{64}$/);
  assert.deepEqual(history[0]!.chart, { name: 'web', version: '1.0.0', appVersion: '2.0' });
});

test('the next status carries the deployed revision; an identical one is no change', () => {
  const now = new Date('2026-06-20T00:00:00Z');
  const outcome = { kind: 'ready', reason: 'Deployed', message: 'revision 2' } as const;
  const first = nextStatus({ previous: {}, generation: 3, outcome, now, records: [record(1, 'superseded'), record(2, 'deployed')], historyLimit: 10 });
  assert.equal(first.revision, 2);
  assert.equal(first.observedGeneration, 3);
  const again = nextStatus({ previous: first, generation: 3, outcome, now: new Date('2026-06-21T00:00:00Z'), records: [record(1, 'superseded'), record(2, 'deployed')], historyLimit: 10 });
  assert.equal(statusChanged(first, again), false, 'same outcome, same records: nothing to write');
  const kept = nextStatus({ previous: first, generation: 4, outcome, now, historyLimit: 10 });
  assert.equal(kept.revision, 2, 'without records the previous revision and history stay');
  assert.equal(statusChanged(first, kept), true);
});

test('errors are sorted into stalled (needs a user change) and retryable', () => {
  const api = (statusCode: number, reason: string, message: string) => new KubeApiError({ method: 'PATCH', path: '/x', statusCode, status: { kind: 'Status', reason, message } });
  const cases: [unknown, 'stalled' | 'retry', string][] = [
    [new SchemaValidationError('values do not meet the schema'), 'stalled', 'ValuesSchemaInvalid'],
    [new RenderError('template: x.yaml:1:2: boom'), 'stalled', 'TemplateError'],
    [new ApplyConflictError([{ ref: { apiVersion: 'v1', kind: 'ConfigMap', name: 'a', namespace: 'n' }, managers: ['x'], fields: ['.data.a'], message: 'conflict' }]), 'stalled', 'FieldManagerConflict'],
    [api(403, 'Forbidden', 'configmaps is forbidden: User "u" cannot create'), 'stalled', 'Forbidden'],
    [api(422, 'Invalid', 'spec.replicas: Invalid value'), 'stalled', 'InstallFailed'],
    [api(500, 'InternalError', 'etcdserver: leader changed'), 'retry', 'InstallFailed'],
    [api(409, 'Conflict', 'the object has been modified'), 'retry', 'InstallFailed'],
    [new Error('socket hang up'), 'retry', 'InstallFailed'],
  ];
  for (const [err, kind, reason] of cases) {
    const c = classifyError(err, 'Install');
    assert.ok(kind === 'stalled' ? c instanceof StalledError : c instanceof RetryableError, `${(err as Error).message} → ${c.name}`);
    assert.equal(c.reason, reason, (err as Error).message);
  }
});

test("the release manifest is Helm's: one `---` and `# Source:` line per document, in the given order", () => {
  const head = { apiVersion: 'v1', kind: 'ConfigMap', name: 'a', namespace: '' };
  const manifest = releaseManifest({
    manifests: [
      { path: 'web/templates/a.yaml', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a', head },
      { path: 'web/templates/b.yaml', content: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: b', head: { ...head, kind: 'Service', name: 'b' } },
    ],
  });
  assert.equal(
    manifest,
    '---\n# Source: web/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n# Source: web/templates/b.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n',
  );
  assert.equal(releaseManifest({ manifests: [] }), '');
});

test('the render fingerprint changes with anything a render depends on, and a cache hit needs the same one', () => {
  const inputs = (digest: string, specValues: Record<string, number>, overlay = 'a: 1') => ({
    chart: { archive: new Uint8Array(), digest },
    chartDigest: digest,
    overlays: [{ text: overlay, where: 'ConfigMap v key values.yaml (spec.valuesFrom[0])', layer: 'ConfigMap/v values.yaml', secret: false }],
    specValues,
  });
  const release = { releaseName: 'web', namespace: 'shop', revision: 2, isUpgrade: true };
  const base = renderFingerprint(inputs('sha256:x', { b: 1 }), release, 'v1.36.3', ['v1']);
  assert.equal(renderFingerprint(inputs('sha256:x', { b: 1 }), release, 'v1.36.3', ['v1']), base, 'same inputs, same fingerprint');
  const changed = [
    renderFingerprint(inputs('sha256:y', { b: 1 }), release, 'v1.36.3', ['v1']),
    renderFingerprint(inputs('sha256:x', { b: 2 }), release, 'v1.36.3', ['v1']),
    renderFingerprint(inputs('sha256:x', { b: 1 }, 'a: 2'), release, 'v1.36.3', ['v1']),
    renderFingerprint(inputs('sha256:x', { b: 1 }), { ...release, revision: 3 }, 'v1.36.3', ['v1']),
    renderFingerprint(inputs('sha256:x', { b: 1 }), { ...release, isUpgrade: false }, 'v1.36.3', ['v1']),
    renderFingerprint(inputs('sha256:x', { b: 1 }), release, 'v1.36.3', ['v1', 'apps/v1']),
  ];
  for (const [i, fp] of changed.entries()) assert.notEqual(fp, base, `change ${i}`);
  const cache = new RenderCache();
  cache.set('shop/web', base, { manifest: 'm' } as any);
  assert.equal(cache.get('shop/web', base)?.manifest, 'm');
  assert.equal(cache.get('shop/web', changed[0]!), undefined);
  cache.delete('shop/web');
  assert.equal(cache.get('shop/web', base), undefined);
});
