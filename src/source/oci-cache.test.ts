import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OciRegistryCache, TAG_LIST_MAX_AGE_MS, tokenUsableUntil } from './oci-cache.js';

/** A clock the test moves, and a request that counts its calls and answers when released. */
function setup() {
  let now = 1_000_000;
  const cache = new OciRegistryCache(() => now);
  return { cache, advance: (ms: number) => (now += ms) };
}

function gate<T>() {
  let release!: (v: T) => void;
  let fail!: (e: unknown) => void;
  const p = new Promise<T>((resolve, reject) => {
    release = resolve;
    fail = reject;
  });
  return { p, release, fail };
}

test('a token is shared by fetches of the same repository until its expires_in (less a margin), then asked again', async () => {
  const { cache, advance } = setup();
  let asked = 0;
  const g = gate<{ token: string; expiresInS: number }>();
  const request = () => {
    asked++;
    return g.p;
  };
  const concurrent = Promise.all(Array.from({ length: 5 }, () => cache.token('reg/repo', request)));
  g.release({ token: 't1', expiresInS: 300 });
  assert.deepEqual(await concurrent, ['t1', 't1', 't1', 't1', 't1']);
  assert.equal(asked, 1, 'five fetches at the same moment: one token request');
  advance(294_000);
  assert.equal(cache.heldToken('reg/repo'), 't1');
  assert.equal(await cache.token('reg/repo', async () => ({ token: 'never' })), 't1');
  advance(2_000); // 296 s: within the last 5 s of its 300, no longer handed out
  assert.equal(cache.heldToken('reg/repo'), undefined);
  assert.equal(await cache.token('reg/repo', async () => ({ token: 't2', expiresInS: 300 })), 't2');
  assert.equal(cache.tokenRequests, 2);
});

test('without expires_in a token lives the spec default of 60 s; a short lifetime keeps a tenth as margin', async () => {
  const { cache, advance } = setup();
  await cache.token('k', async () => ({ token: 'a' }));
  advance(54_999);
  assert.equal(cache.heldToken('k'), 'a');
  advance(2);
  assert.equal(cache.heldToken('k'), undefined);
  assert.equal(tokenUsableUntil(0, 10), 9_000);
  assert.equal(tokenUsableUntil(0, undefined), 55_000);
  assert.equal(tokenUsableUntil(0, -3), 55_000, 'a nonsensical expires_in counts as absent');
  assert.equal(tokenUsableUntil(0, 3600), 3_595_000);
});

test('a refused token is forgotten, but not a newer one that replaced it', async () => {
  const { cache } = setup();
  await cache.token('k', async () => ({ token: 'old' }));
  cache.rejectToken('k', 'old');
  assert.equal(cache.heldToken('k'), undefined);
  await cache.token('k', async () => ({ token: 'new' }));
  cache.rejectToken('k', 'old'); // a late refusal of the old token by another fetch
  assert.equal(cache.heldToken('k'), 'new');
});

test('tokens and tag lists are kept apart per key (repository and credentials)', async () => {
  const { cache } = setup();
  await cache.token('repo-a\0alice', async () => ({ token: 'for-alice' }));
  assert.equal(await cache.token('repo-a\0bob', async () => ({ token: 'for-bob' })), 'for-bob');
  await cache.tags('repo-a\0alice', 30_000, async () => ['1.0.0']);
  assert.deepEqual(await cache.tags('repo-b\0alice', 30_000, async () => ['2.0.0']), ['2.0.0']);
  assert.equal(cache.tokenRequests, 2);
  assert.equal(cache.tagListReads, 2);
});

test('a tag list is read once for fetches at the same moment and reused for at most min(maxAge, 30 s)', async () => {
  const { cache, advance } = setup();
  let reads = 0;
  const g = gate<string[]>();
  const list = () => {
    reads++;
    return g.p;
  };
  const concurrent = Promise.all(Array.from({ length: 8 }, () => cache.tags('k', 300_000, list)));
  g.release(['1.0.0', '1.1.0']);
  for (const tags of await concurrent) assert.deepEqual(tags, ['1.0.0', '1.1.0']);
  assert.equal(reads, 1);
  advance(TAG_LIST_MAX_AGE_MS - 1);
  assert.deepEqual(await cache.tags('k', 300_000, async () => (reads++, ['new'])), ['1.0.0', '1.1.0'], 'a 5-minute interval still reuses for 30 s only');
  advance(1);
  assert.deepEqual(await cache.tags('k', 300_000, async () => (reads++, ['1.2.0'])), ['1.2.0']);
  advance(5_000);
  assert.deepEqual(await cache.tags('k', 5_000, async () => (reads++, ['1.3.0'])), ['1.3.0'], 'a shorter maxAge wins');
  assert.deepEqual(await cache.tags('k', 0, async () => (reads++, ['1.4.0'])), ['1.4.0'], 'maxAge 0: no reuse after the read');
  assert.equal(reads, 4);
  assert.equal(cache.tagListReads, 4);
});

test('a failed read is shared by those waiting on it and not kept', async () => {
  const { cache } = setup();
  const g = gate<string[]>();
  const waiting = [cache.tags('k', 30_000, () => g.p), cache.tags('k', 30_000, () => g.p)];
  g.fail(new Error('registry down'));
  for (const w of waiting) await assert.rejects(w, /registry down/);
  assert.deepEqual(await cache.tags('k', 30_000, async () => ['1.0.0']), ['1.0.0']);
  await assert.rejects(cache.token('k', async () => Promise.reject(new Error('token service down'))), /token service down/);
  assert.equal(await cache.token('k', async () => ({ token: 't' })), 't');
});
