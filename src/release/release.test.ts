import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  ANNOTATION,
  PART_TYPE,
  RECORD_TYPE,
  RecordTooLargeError,
  ReleaseDecodeError,
  canonicalJson,
  decodeRelease,
  deployedRevision,
  encodeRelease,
  inferMeta,
  manifestDigest,
  newRelease,
  nextRevision,
  recordFromSecret,
  recordName,
  releaseFromParts,
  revisionSecrets,
  statusHistory,
  valuesDigest,
  versionsToPrune,
  versionsToSupersede,
  withStatus,
  type HelmRelease,
  type ReleaseStatus,
  type Revision,
} from './index.js';

const NOW = new Date('2026-06-12T11:04:17.000Z');
const chart = { name: 'checkout-api', version: '1.4.0', appVersion: '1.4.0', apiVersion: 'v2' };

function rev(version: number, status: ReleaseStatus = 'superseded', extra: Partial<Parameters<typeof newRelease>[0]> = {}): Revision {
  return newRelease({ name: 'checkout', namespace: 'shop', version, chart, config: { image: { tag: `v${version}` } }, manifest: `---\n# Source: c/templates/cm.yaml\nkind: ConfigMap\n# ${version}\n`, action: version === 1 ? 'install' : 'upgrade', status, now: NOW, ...extra });
}

test('newRelease: Helm record shape without templates and files, with our digests', () => {
  const { release, meta } = rev(3, 'deployed', { action: 'rollback', rollbackTo: 1, notes: 'hello', chartValues: { image: { tag: 'latest' } }, firstDeployed: '2026-01-01T00:00:00Z' });
  assert.deepEqual(release.info, { first_deployed: '2026-01-01T00:00:00Z', last_deployed: '2026-06-12T11:04:17.000Z', description: 'Rollback to 1', status: 'deployed', notes: 'hello' });
  assert.deepEqual(release.chart, { metadata: chart, lock: null, templates: [], values: { image: { tag: 'latest' } }, schema: null, files: [] });
  assert.equal(release.version, 3);
  assert.equal(release.namespace, 'shop');
  assert.equal(release.apply_method, 'ssa');
  assert.deepEqual(meta, { action: 'rollback', rollbackTo: 1, valuesDigest: valuesDigest({ image: { tag: 'v3' } }), manifestDigest: manifestDigest(release.manifest) });
  assert.equal(rev(1, 'deployed').release.info.description, 'Install complete');
  assert.equal(rev(2, 'deployed').release.info.description, 'Upgrade complete');
  assert.equal(rev(2, 'deployed').meta.rollbackTo, undefined);
});

test('encode/decode round trip; records Helm wrote (gzip or plain JSON) decode', () => {
  const { release } = rev(1, 'deployed');
  assert.deepEqual(decodeRelease(encodeRelease(release)), release);
  assert.equal(Buffer.from(encodeRelease(release), 'base64').subarray(0, 2).toString('hex'), '1f8b', 'gzip inside base64');
  const helmWritten = { name: 'x', version: 4, info: { status: 'deployed' }, chart: { metadata: { name: 'c', version: '1' }, templates: [{ name: 'templates/a.yaml', data: 'YQ==' }] }, config: {}, manifest: '', namespace: 'n' };
  assert.deepEqual(decodeRelease(gzipSync(JSON.stringify(helmWritten)).toString('base64')), helmWritten);
  assert.deepEqual(decodeRelease(Buffer.from(JSON.stringify(helmWritten)).toString('base64')), helmWritten, 'uncompressed JSON, as old Helm wrote');
  for (const bad of ['', Buffer.from('not json').toString('base64'), Buffer.from([0x1f, 0x8b, 0x08, 0, 1]).toString('base64'), Buffer.from('{"a":1}').toString('base64')]) {
    assert.throws(() => decodeRelease(bad), ReleaseDecodeError, bad);
  }
});

test('digests: values independent of key order, null and {} alike; manifest by text', () => {
  assert.equal(canonicalJson({ b: [1, { d: 1, c: 2 }], a: null }), '{"a":null,"b":[1,{"c":2,"d":1}]}');
  assert.equal(valuesDigest({ a: 1, b: { c: 2, d: 3 } }), valuesDigest({ b: { d: 3, c: 2 }, a: 1 }));
  assert.notEqual(valuesDigest({ a: 1 }), valuesDigest({ a: '1' }));
  assert.equal(valuesDigest(null), valuesDigest({}));
  assert.match(manifestDigest('x'), /^sha256:[0-9a-f]{64}$/);
  assert.notEqual(manifestDigest('x'), manifestDigest('x\n'));
});

test('inferMeta: action from Helm descriptions', () => {
  const table: [number, string, string, number | undefined][] = [
    [1, 'Install complete', 'install', undefined],
    [2, 'Upgrade complete', 'upgrade', undefined],
    [3, 'Rollback to 1', 'rollback', 1],
    [4, 'Upgrade "x" failed: timed out', 'upgrade', undefined],
    [1, 'Release "x" failed: boom', 'install', undefined],
  ];
  for (const [version, description, action, rollbackTo] of table) {
    const { release } = rev(version);
    release.info.description = description;
    const meta = inferMeta(release);
    assert.equal(meta.action, action, description);
    assert.equal(meta.rollbackTo, rollbackTo);
    assert.equal(meta.manifestDigest, manifestDigest(release.manifest));
  }
});

test('numbering: one more than the highest ever recorded, never below a known floor', () => {
  assert.equal(nextRevision([]), 1);
  assert.equal(nextRevision([1, 2, 7, 3]), 8);
  assert.equal(nextRevision([4, 5], 9), 10);
  assert.equal(nextRevision([], 3), 4);
});

test('deployed, superseded and pruned revisions', () => {
  const history = [rev(1), rev(2), rev(3, 'deployed'), rev(4, 'failed'), rev(5, 'deployed')];
  assert.equal(deployedRevision(history)?.release.version, 5);
  assert.deepEqual(versionsToSupersede(history, 5), [3]);
  assert.deepEqual(versionsToSupersede(history, 6), [3, 5]);
  const table: [Revision[], number, number[]][] = [
    [history, 10, []],
    [history, 0, []],
    [history, 3, [1, 2]],
    [history, 1, [1, 2, 3, 4]],
    // The deployed revision (2) stays even when it is older than the newest `limit`.
    [[rev(1), rev(2, 'deployed'), rev(3, 'failed'), rev(4, 'failed'), rev(5, 'failed')], 3, [1, 3]],
    [[rev(1, 'deployed'), rev(2, 'failed')], 1, [2]],
  ];
  for (const [revisions, limit, want] of table) assert.deepEqual(versionsToPrune(revisions, limit), want, `limit ${limit}`);
});

test('statusHistory: newest first, bounded, digests and no values', () => {
  const failed = rev(4, 'failed', { description: 'Upgrade "checkout" failed: Deployment.apps/web: conflict' });
  const history = [rev(1), rev(2), rev(3, 'deployed', { action: 'rollback', rollbackTo: 1 }), failed];
  const shown = statusHistory(history, 3);
  assert.deepEqual(shown.map((h) => [h.revision, h.action, h.status, h.rollbackTo]), [
    [4, 'upgrade', 'failed', undefined],
    [3, 'rollback', 'deployed', 1],
    [2, 'upgrade', 'superseded', undefined],
  ]);
  assert.deepEqual(shown[1], {
    revision: 3,
    action: 'rollback',
    rollbackTo: 1,
    status: 'deployed',
    chart: { name: 'checkout-api', version: '1.4.0', appVersion: '1.4.0' },
    valuesDigest: valuesDigest({ image: { tag: 'v3' } }),
    manifestDigest: manifestDigest(history[2]!.release.manifest),
    deployedAt: '2026-06-12T11:04:17.000Z',
    message: '',
  });
  assert.equal(shown[0]!.message, 'Upgrade "checkout" failed: Deployment.apps/web: conflict');
  assert.doesNotMatch(JSON.stringify(statusHistory(history, 10)), /v3"|image/, 'no values in status');
});

test('record Secret: Helm name, type, labels; our meta in annotations; read back', () => {
  const revision = rev(2, 'deployed', { action: 'upgrade' });
  const { record, parts, omitted } = revisionSecrets(revision, NOW);
  assert.equal(record.metadata.name, 'sh.helm.release.v1.checkout.v2');
  assert.equal(record.metadata.namespace, 'shop');
  assert.equal(record.type, RECORD_TYPE);
  assert.deepEqual(record.metadata.labels, { name: 'checkout', owner: 'helm', status: 'deployed', version: '2', modifiedAt: String(NOW.getTime() / 1000) });
  assert.equal(record.metadata.annotations?.[ANNOTATION.action], 'upgrade');
  assert.deepEqual(parts, []);
  assert.deepEqual(omitted, []);
  // Kubernetes base64-encodes data once more: data.release is base64 of Helm's base64 text.
  assert.deepEqual(decodeRelease(Buffer.from(record.data.release!, 'base64').toString('utf8')), revision.release);
  const read = recordFromSecret({ ...record, metadata: { ...record.metadata, resourceVersion: '42' } });
  assert.deepEqual(read.release, revision.release);
  assert.deepEqual(read.meta, revision.meta);
  assert.equal(read.resourceVersion, '42');
  assert.equal(read.managedByUs, true);
  assert.equal(recordName('a.b', 10), 'sh.helm.release.v1.a.b.v10');
});

test('a record Helm wrote (no annotations) reads with inferred meta', () => {
  const helm: HelmRelease = { ...rev(3).release, info: { status: 'deployed', description: 'Rollback to 1' } };
  const secret = { metadata: { name: recordName('checkout', 3), labels: { owner: 'helm', name: 'checkout', status: 'deployed', version: '3' } }, type: RECORD_TYPE, data: { release: Buffer.from(encodeRelease(helm)).toString('base64') } };
  const read = recordFromSecret(secret);
  assert.equal(read.meta.action, 'rollback');
  assert.equal(read.meta.rollbackTo, 1);
  assert.equal(read.parts, 0);
  assert.equal(read.managedByUs, false);
});

test('withStatus changes label and info.status and keeps every other field', () => {
  const revision = rev(2, 'deployed');
  (revision.release.chart as Record<string, unknown>).templates = [{ name: 'templates/a.yaml', data: 'YQ==' }];
  const { record } = revisionSecrets(revision, NOW);
  const later = new Date(NOW.getTime() + 60_000);
  const updated = withStatus(record, recordFromSecret(record), 'uninstalled', later, 'Uninstallation complete');
  assert.equal(updated.metadata.labels.status, 'uninstalled');
  assert.equal(updated.metadata.labels.modifiedAt, String(later.getTime() / 1000));
  const release = recordFromSecret(updated).release;
  assert.equal(release.info.status, 'uninstalled');
  assert.equal(release.info.description, 'Uninstallation complete');
  assert.equal(release.info.deleted, later.toISOString());
  assert.deepEqual(release.chart.templates, [{ name: 'templates/a.yaml', data: 'YQ==' }]);
  assert.deepEqual(updated.metadata.annotations, record.metadata.annotations);
});

test('too large for one Secret: chart defaults dropped first, then split into parts', () => {
  // Random text does not compress: its size is what the Secret holds.
  const noise = (n: number) => randomBytes(n).toString('base64');
  const withBigDefaults = rev(1, 'deployed', { chartValues: { blob: noise(3000) } });
  const small = revisionSecrets(withBigDefaults, NOW, 4000);
  assert.deepEqual(small.omitted, ['chart.values']);
  assert.deepEqual(small.parts, []);
  assert.equal(recordFromSecret(small.record).release.chart.values, null);
  assert.equal(small.record.metadata.annotations?.[ANNOTATION.omitted], 'chart.values');

  const big = rev(2, 'deployed', { manifest: `---\n# Source: c/templates/big.yaml\n${noise(9000)}\n`, hooks: [{ name: 'h', kind: 'Job', path: 'c/templates/h.yaml', manifest: 'kind: Job', events: ['pre-delete'] }], chartValues: { a: 1 } });
  const split = revisionSecrets(big, NOW, 4000);
  assert.deepEqual(split.omitted, ['chart.values', 'manifest', 'hooks']);
  assert.ok(split.parts.length >= 3, `parts: ${split.parts.length}`);
  for (const part of split.parts) {
    assert.equal(part.type, PART_TYPE);
    assert.equal(part.metadata.labels.owner, undefined, 'helm must not list parts');
    assert.ok(Buffer.from(part.data.part!, 'base64').length <= 4000);
  }
  assert.ok(split.record.data.release!.length <= (4000 * 4) / 3 + 4);
  const visible = recordFromSecret(split.record);
  assert.match(visible.release.manifest, /^# chartrelease: the manifest of revision 2 .* is stored with the whole record in \d+ Secret\(s\) chartrelease\.release\.v1\.checkout\.v2\.part\*/);
  assert.deepEqual(visible.release.hooks, []);
  assert.deepEqual(visible.release.config, big.release.config, 'user values stay visible to helm get values');
  assert.deepEqual(visible.meta, big.meta, 'digests are those of the whole record');
  const whole = releaseFromParts(visible, [...split.parts].reverse());
  assert.deepEqual(whole, big.release);
  assert.throws(() => releaseFromParts(visible, split.parts.slice(1)), /part 0 of \d+ is missing/);
  const superseded = recordFromSecret(withStatus(split.record, visible, 'superseded', NOW));
  assert.equal(releaseFromParts(superseded, split.parts).info.status, 'superseded', 'the status comes from the visible record');
  assert.equal(releaseFromParts(superseded, split.parts).manifest, big.release.manifest);
  const tampered = split.parts.map((p, i) => (i === 0 ? { ...p, data: { part: Buffer.from('x').toString('base64') } } : p));
  assert.throws(() => releaseFromParts(visible, tampered), /do not match the recorded digest/);

  const bigValues = revisionSecrets(rev(3, 'deployed', { config: { blob: noise(9000) } }), NOW, 4000);
  assert.deepEqual(bigValues.omitted, ['chart.values', 'manifest', 'hooks', 'config']);
  const bigNotes = revisionSecrets(rev(4, 'deployed', { config: { blob: noise(9000) }, notes: noise(9000) }), NOW, 4000);
  assert.deepEqual(bigNotes.omitted, ['chart.values', 'manifest', 'hooks', 'config', 'notes']);
  assert.equal(releaseFromParts(recordFromSecret(bigNotes.record), bigNotes.parts).info.notes?.length, noise(9000).length);
  assert.throws(() => revisionSecrets(rev(5, 'deployed', { chart: { ...chart, description: noise(9000) } }), NOW, 4000), RecordTooLargeError);
});
