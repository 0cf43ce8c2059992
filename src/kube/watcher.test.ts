import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runWatcher, step, type ListPage, type Meta, type RawWatchEvent, type WatchSource, type WatcherEvent, type WatcherState } from './watcher.js';

const obj = (name: string, rv: string): Meta => ({ metadata: { name, namespace: 'ns', resourceVersion: rv } });

test('step: pages accumulate, the last page starts watching at the list resourceVersion', () => {
  let s: WatcherState = { kind: 'empty' };
  let r = step(s, { kind: 'page', page: { items: [obj('a', '1')], continueToken: 'c1', resourceVersion: '5' } });
  assert.equal(r.state.kind, 'listing');
  assert.deepEqual(r.events, []);
  r = step(r.state, { kind: 'page', page: { items: [obj('b', '2')], resourceVersion: '5' } });
  assert.deepEqual(r.state, { kind: 'watching', resourceVersion: '5' });
  assert.deepEqual(r.events, [{ type: 'relisted', objects: [obj('a', '1'), obj('b', '2')] }]);
  s = r.state;
  r = step(s, { kind: 'event', event: { type: 'BOOKMARK', object: obj('', '9') } });
  assert.deepEqual(r.state, { kind: 'watching', resourceVersion: '9' });
  assert.deepEqual(r.events, [], 'a bookmark only moves the resourceVersion');
  r = step(r.state, { kind: 'event', event: { type: 'MODIFIED', object: obj('a', '10') } });
  assert.deepEqual(r.events, [{ type: 'applied', object: obj('a', '10') }]);
  r = step(r.state, { kind: 'event', event: { type: 'DELETED', object: obj('a', '11') } });
  assert.deepEqual(r.events, [{ type: 'deleted', object: obj('a', '11') }]);
  assert.deepEqual(step(r.state, { kind: 'event', event: { type: 'ERROR', object: { code: 410 } } }).state, { kind: 'empty' });
  assert.deepEqual(step(r.state, { kind: 'gone' }).state, { kind: 'empty' });
  assert.deepEqual(step(r.state, { kind: 'watchEnded' }).state, r.state, 'a stream end watches again at the same resourceVersion');
});

/** A scripted WatchSource: each call takes the next scripted answer. */
function scripted(lists: (ListPage<Meta> | Error)[], watches: ((rv: string, signal: AbortSignal) => AsyncIterable<RawWatchEvent>)[]) {
  const calls: string[] = [];
  const source: WatchSource = {
    async listPage(token, signal) {
      calls.push(`list${token ? ':' + token : ''}`);
      const next = lists.shift();
      if (!next) return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
      if (next instanceof Error) throw next;
      return next;
    },
    watch(rv, signal) {
      calls.push(`watch@${rv}`);
      const next = watches.shift();
      return next ? next(rv, signal) : untilAborted(signal);
    },
  };
  return { source, calls };
}
async function* untilAborted(signal: AbortSignal): AsyncGenerator<RawWatchEvent> {
  await new Promise<void>((r) => signal.addEventListener('abort', () => r()));
}
async function* events(...es: RawWatchEvent[]) {
  yield* es;
}

test('runWatcher: 410 on watch relists, errors back off and retry, bookmarks move the resourceVersion', async () => {
  const { source, calls } = scripted(
    [new Error('connection refused'), { items: [obj('a', '1')], resourceVersion: '5' }, { items: [obj('a', '12')], resourceVersion: '20' }],
    [
      () => events({ type: 'ADDED', object: obj('b', '6') }, { type: 'BOOKMARK', object: obj('', '8') }), // then the server ends the stream
      () => events({ type: 'ERROR', object: { code: 410, reason: 'Expired' } }),
    ],
  );
  const seen: WatcherEvent<Meta>[] = [];
  const errors: unknown[] = [];
  const stop = new AbortController();
  const done = runWatcher(source, (e) => void seen.push(e), stop.signal, { backoff: { baseMs: 1, maxMs: 2 }, onError: (e) => errors.push(e) });
  await new Promise((r) => setTimeout(r, 50));
  stop.abort();
  await done;
  assert.equal(errors.length, 1);
  assert.deepEqual(calls.slice(0, 5), ['list', 'list', 'watch@5', 'watch@8', 'list']);
  assert.deepEqual(seen.map((e) => e.type), ['relisted', 'applied', 'relisted']);
  assert.deepEqual(calls[5], 'watch@20');
});

test('runWatcher: a silent watch is abandoned after the inactivity timeout and opened again at the same resourceVersion', async () => {
  const { source, calls } = scripted([{ items: [], resourceVersion: '3' }], [
(_rv, signal) => untilAborted(signal)]);
  const stop = new AbortController();
  const done = runWatcher(source, () => {}, stop.signal, { inactivityTimeoutMs: 15 });
  await new Promise((r) => setTimeout(r, 60));
  stop.abort();
  await done;
  assert.deepEqual(calls.slice(0, 3), ['list', 'watch@3', 'watch@3']);
});

/** Runs `body` with setTimeout recording each delay and firing at once; returns the delays. */
async function recordingDelays(body: () => Promise<void>): Promise<number[]> {
  const delays: number[] = [];
  const realSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = ((fn: () => void, ms: number) => {
    delays.push(ms);
    return realSetTimeout(fn, ms >= 60_000 ? ms : 0); // the inactivity timer keeps its time
  }) as typeof setTimeout;
  try {
    await body();
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
  return delays.filter((ms) => ms < 60_000);
}

async function runUntil(source: WatchSource, calls: string[], count: number, opts: Parameters<typeof runWatcher>[3]) {
  const stop = new AbortController();
  const done = runWatcher(source, () => {}, stop.signal, opts);
  while (calls.length < count) await new Promise((r) => setImmediate(r));
  stop.abort();
  await done;
}

test('runWatcher: a watch cut after the server answered starts the backoff over (cuts do not add up to long waits)', async () => {
  async function* answeredThenCut(rv: string): AsyncGenerator<RawWatchEvent> {
    yield { type: 'BOOKMARK', object: obj('', rv) };
    throw new Error('connection reset');
  }
  const { source, calls } = scripted([{ items: [], resourceVersion: '1' }], Array.from({ length: 12 }, () => answeredThenCut));
  const delays = await recordingDelays(() => runUntil(source, calls, 12, { backoff: { baseMs: 10, maxMs: 10_000 }, random: () => 0 }));
  assert.ok(delays.length >= 10);
  // Without the reset the waits would double: 10, 20, 40, ... 10240 ms.
  assert.deepEqual(new Set(delays), new Set([10]), delays.join(' '));
});

test('runWatcher: the default backoff is capped near a second, so a returning apiserver is seen within two', async () => {
  const { source, calls } = scripted(Array.from({ length: 12 }, () => new Error('connection refused')), []);
  const delays = await recordingDelays(() => runUntil(source, calls, 12, { random: () => 1 }));
  assert.ok(delays.length >= 10);
  assert.ok(Math.max(...delays) <= 1_500, `longest wait ${Math.max(...delays)} ms`);
});
