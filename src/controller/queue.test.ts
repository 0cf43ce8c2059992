import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay } from '../kube/index.js';
import { WorkQueue } from './queue.js';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

test('a key waiting in the queue is there once; a key is never handled twice at the same time', async () => {
  const q = new WorkQueue({ concurrency: 4 });
  const runs: string[] = [];
  let inFlight = 0;
  let maxSameKey = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  q.add('ns/a');
  q.add('ns/a');
  q.add('ns/a');
  q.start(async (key) => {
    inFlight++;
    maxSameKey = Math.max(maxSameKey, inFlight);
    runs.push(key);
    if (runs.length === 1) await gate;
    inFlight--;
  });
  await tick();
  q.add('ns/a'); // during processing: marked dirty, runs once more afterwards
  q.add('ns/a');
  assert.deepEqual(runs, ['ns/a']);
  release();
  await tick(5);
  assert.deepEqual(runs, ['ns/a', 'ns/a']);
  assert.equal(maxSameKey, 1);
  await q.stop();
});

test('at most `concurrency` keys run at once', async () => {
  const q = new WorkQueue({ concurrency: 2 });
  let active = 0;
  let peak = 0;
  const done: string[] = [];
  q.start(async (key) => {
    active++;
    peak = Math.max(peak, active);
    await tick(5);
    active--;
    done.push(key);
  });
  for (const k of ['a', 'b', 'c', 'd', 'e']) q.add(k);
  // Wait for the work rather than a fixed time: on a loaded machine 60 ms did not always suffice.
  for (let waited = 0; done.length < 5 && waited < 10_000; waited += 5) await tick(5);
  assert.equal(peak, 2);
  assert.deepEqual(done.sort(), ['a', 'b', 'c', 'd', 'e']);
  await q.stop();
});

test('backoff doubles per failure up to the cap, with bounded jitter; forget resets it', async () => {
  const opts = { baseMs: 1000, maxMs: 8000, jitter: 0.2 };
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, opts, 0)), [1000, 2000, 4000, 8000, 8000, 8000]);
  assert.equal(backoffDelay(2, opts, 0.999), Math.round(2000 * (1 + 0.2 * 0.999)));
  const q = new WorkQueue({ concurrency: 1, backoff: { baseMs: 5, maxMs: 40, jitter: 0 } });
  const seen: number[] = [];
  const t0 = Date.now();
  q.start(async () => {
    seen.push(Date.now() - t0);
    if (seen.length < 3) q.addRateLimited('k');
  });
  q.add('k');
  await tick(80);
  assert.equal(seen.length, 3);
  assert.equal(q.failureCount('k'), 2);
  assert.ok(seen[2]! - seen[0]! >= 14, `retries were spaced ${seen.join(',')}`);
  q.forget('k');
  assert.equal(q.failureCount('k'), 0);
  await q.stop();
});

test('delayed adds keep the earliest due time', async () => {
  const q = new WorkQueue({ concurrency: 1 });
  const seen: string[] = [];
  q.start(async (k) => void seen.push(k));
  q.addAfter('k', 10);
  q.addAfter('k', 10_000); // later: ignored, the earlier one stays
  await tick(40);
  assert.deepEqual(seen, ['k']);
  q.addAfter('j', 10_000);
  q.addAfter('j', 5); // earlier: replaces
  await tick(40);
  assert.deepEqual(seen, ['k', 'j']);
  await q.stop();
});
