import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ArchiveCache, sha256Hex, SingleFlight } from './cache.js';

const dir = () => mkdtempSync(join(tmpdir(), 'chartrelease-cache-unit-'));
const blob = (fill: number, size = 1000) => Buffer.alloc(size, fill);

test('archives are kept by digest and evicted least recently used first beyond maxBytes', () => {
  const cache = new ArchiveCache({ dir: dir(), maxBytes: 3000 });
  const [a, b, c, d] = [blob(1), blob(2), blob(3), blob(4)].map((x) => ({ data: x, hex: sha256Hex(x) }));
  for (const x of [a, b, c]) assert.equal(cache.put(x.data), x.hex);
  assert.ok(cache.get(a.hex)?.equals(a.data), 'a is now the most recently used');
  cache.put(d.data);
  assert.equal(cache.bytes, 3000);
  assert.equal(cache.get(b.hex), undefined, 'b, least recently used, went first');
  for (const x of [a, c, d]) assert.ok(cache.get(x.hex));
  // A new instance on the same directory finds them (recency from file times).
  const again = new ArchiveCache({ dir: cache.dir, maxBytes: 3000 });
  assert.ok(again.get(d.hex)?.equals(d.data));
  assert.deepEqual(readdirSync(cache.dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary files left');
});

test('a cached file whose content no longer matches its digest is dropped', () => {
  const cache = new ArchiveCache({ dir: dir() });
  const hex = cache.put(blob(7));
  writeFileSync(join(cache.dir, `${hex}.tgz`), blob(8));
  assert.equal(cache.get(hex), undefined);
  assert.deepEqual(readdirSync(cache.dir), []);
});

test('an archive larger than the whole cache is not stored', () => {
  const cache = new ArchiveCache({ dir: dir(), maxBytes: 10 });
  const hex = cache.put(blob(1, 100));
  assert.equal(cache.get(hex), undefined);
});

test('single flight: callers of one key at the same time share one call; later callers start a new one', async () => {
  const flights = new SingleFlight<number>();
  let calls = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const fn = async () => {
    calls++;
    await gate;
    return calls;
  };
  const all = [flights.run('k', fn), flights.run('k', fn), flights.run('k', fn)];
  const other = flights.run('other', async () => 99);
  release();
  assert.deepEqual(await Promise.all(all), [1, 1, 1]);
  assert.equal(await other, 99);
  assert.equal(flights.size, 0);
  assert.equal(await flights.run('k', fn), 2);
});
