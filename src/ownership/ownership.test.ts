import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideOwnership, mayUninstall, ownedByOtherMessage, ownerMetadata, ownerOf, recordedOwner, TAKE_OVER_ANNOTATION, type Owner } from './owner.js';

const a: Owner & { name: string } = { namespace: 'team-a', name: 'web', uid: 'uid-a' };
const b: Owner & { name: string } = { namespace: 'team-b', name: 'web', uid: 'uid-b' };
const rec = (version: number, owner?: Owner) => ({ version, ...(owner ? (ownerMetadata(owner) as { labels: Record<string, string>; annotations: Record<string, string> }) : { labels: {}, annotations: {} }) });

test('owner metadata round-trips, and a long name lives in the annotation only', () => {
  assert.deepEqual(ownerOf(rec(1, a)), a);
  const long = { namespace: 'ns', name: 'x'.repeat(70), uid: 'u' };
  const md = ownerMetadata(long);
  assert.equal(md.labels!['chartrelease.dev/owner-name'], undefined);
  assert.deepEqual(ownerOf(rec(1, long)), long);
  // Helm rewrote the record: custom labels stay, annotations go.
  assert.deepEqual(ownerOf({ labels: md.labels!, annotations: {} }), { namespace: 'ns', uid: 'u' });
});

test('the recorded owner is the one the newest record naming an owner names', () => {
  assert.equal(recordedOwner([rec(1), rec(2)]), undefined);
  assert.deepEqual(recordedOwner([rec(1, a), rec(2, b), rec(3)]), b);
});

test('ownership: no records or ours is owned; unowned records are adopted; a live other owner stalls; a gone one is taken over', () => {
  assert.deepEqual(decideOwnership({ claimant: b, records: 0 }), { kind: 'owned' });
  assert.deepEqual(decideOwnership({ claimant: b, records: 2 }), { kind: 'adopt' });
  assert.deepEqual(decideOwnership({ claimant: a, records: 2, owner: a }), { kind: 'owned' });
  assert.deepEqual(decideOwnership({ claimant: b, records: 2, owner: a }), { kind: 'checkOwner', owner: a });
  assert.deepEqual(decideOwnership({ claimant: b, records: 2, owner: a, ownerLive: true }), { kind: 'ownedByOther', owner: a });
  assert.deepEqual(decideOwnership({ claimant: b, records: 2, owner: a, ownerLive: false }), { kind: 'takeOver', previous: a, why: 'ownerGone' });
  // Same name and namespace, re-created (new uid): the old one is gone.
  assert.deepEqual(decideOwnership({ claimant: { ...a, uid: 'uid-a2' }, records: 2, owner: a, ownerLive: false }), { kind: 'takeOver', previous: a, why: 'ownerGone' });
});

test('a hand-over names the current owner exactly, by namespace/name or uid', () => {
  assert.deepEqual(decideOwnership({ claimant: { ...b, takeOverFrom: 'team-a/web' }, records: 1, owner: a }), { kind: 'takeOver', previous: a, why: 'handedOver' });
  assert.deepEqual(decideOwnership({ claimant: { ...b, takeOverFrom: 'uid-a' }, records: 1, owner: a }), { kind: 'takeOver', previous: a, why: 'handedOver' });
  assert.equal(decideOwnership({ claimant: { ...b, takeOverFrom: 'team-a/other' }, records: 1, owner: a, ownerLive: true }).kind, 'ownedByOther');
});

test('only the owner (or a ChartRelease with nothing recorded) uninstalls', () => {
  assert.equal(mayUninstall(a, 0, undefined), true);
  assert.equal(mayUninstall(a, 3, a), true);
  assert.equal(mayUninstall(b, 3, a), false);
  assert.equal(mayUninstall(b, 3, undefined), false);
});

test('the stall message names the owner and the way to move the release', () => {
  const m = ownedByOtherMessage({ name: 'web', namespace: 'team-a' }, a, b);
  assert.match(m, /owned by ChartRelease team-a\/web/);
  assert.ok(m.includes(`annotate team-b/web with ${TAKE_OVER_ANNOTATION}=team-a/web`));
});
