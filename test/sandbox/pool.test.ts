// The render pool: a deadline, a heap ceiling and a large stack per worker; errors keep their class;
// a worker that hit a limit is replaced and the next render runs. Go values cross intact.
import assert from 'node:assert/strict';
import test from 'node:test';
import { RenderLimitError, RenderPool, flattenValue, unflattenValue, DEFAULT_RENDER_LIMITS } from '../../src/sandbox/index.js';
import { GO_TYPE, GoInt, withGoType, type GoMap, type GoValue } from '../../src/template/value.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomError } from './jobs.js';

const JOBS = new URL('./jobs.js', import.meta.url).href;

test('a render past its deadline is stopped, named, and the next render runs on a new worker', async () => {
  const pool = new RenderPool({ limits: { ...DEFAULT_RENDER_LIMITS, timeoutMs: 300 }, size: 1 });
  try {
    await assert.rejects(pool.run({ module: JOBS, fn: 'spin', input: null, label: 'chart "loop"' }), (e: unknown) => {
      assert.ok(e instanceof RenderLimitError);
      assert.equal(e.limit, 'timeout');
      assert.equal(e.message, 'rendering chart "loop" exceeded 300ms');
      return true;
    });
    assert.equal(await pool.run({ module: JOBS, fn: 'echo', input: 'still here', label: 'x' }), 'still here');
  } finally {
    await pool.close();
  }
});

test('a limit error names the template the job started last, however long its name, and not one of an earlier job', async () => {
  const pool = new RenderPool({ limits: { ...DEFAULT_RENDER_LIMITS, timeoutMs: 300 }, size: 1 });
  const long = `c/templates/${'x'.repeat(5000)}.yaml`;
  const timeout = (names: string[]) => pool.run({ module: JOBS, fn: 'spinNamed', input: names, label: 'chart "c"' }).then(
    () => assert.fail('the job returned'),
    (e: Error) => e.message,
  );
  try {
    assert.equal(await timeout(['c/templates/a.yaml', 'c/templates/b.yaml']), 'rendering chart "c" exceeded 300ms while executing c/templates/b.yaml');
    assert.equal(await timeout(['c/templates/a.yaml', long]), `rendering chart "c" exceeded 300ms while executing ${long}`);
    assert.equal(await timeout([long, 'c/templates/ü.yaml']), 'rendering chart "c" exceeded 300ms while executing c/templates/ü.yaml');
    // A new job on a worker that already ran one starts with no name.
    pool.prestart(JOBS);
    assert.equal(await pool.run({ module: JOBS, fn: 'named', input: ['c/templates/done.yaml'], label: 'x' }), 1);
    assert.equal(await timeout([]), 'rendering chart "c" exceeded 300ms');
  } finally {
    await pool.close();
  }
});

test('a worker started ahead of its first job does not keep the process alive', () => {
  const pool = new URL('../../src/sandbox/pool.js', import.meta.url).href;
  const script = `const { RenderPool } = await import(${JSON.stringify(pool)}); new RenderPool({ size: 1 }).prestart(${JSON.stringify(JOBS)});`;
  // A script file: with `node -e` the process ends either way.
  const dir = mkdtempSync(join(tmpdir(), 'pool-test-'));
  writeFileSync(join(dir, 'prestart.mjs'), script);
  const r = spawnSync(process.execPath, [join(dir, 'prestart.mjs')], { timeout: 20_000, encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  assert.equal(r.signal, null, 'the process had to be killed');
  assert.equal(r.status, 0, r.stderr);
});

test('a render past the heap ceiling ends in a memory error naming the template; other renders go on', async () => {
  const pool = new RenderPool({ limits: { ...DEFAULT_RENDER_LIMITS, maxHeapMiB: 64 }, size: 1 });
  try {
    const [hog, ok] = await Promise.allSettled([
      pool.run({ module: JOBS, fn: 'hog', input: null, label: 'chart "hog"' }),
      pool.run({ module: JOBS, fn: 'echo', input: 1, label: 'x' }),
    ]);
    assert.equal(hog.status, 'rejected');
    const err = (hog as PromiseRejectedResult).reason;
    assert.ok(err instanceof RenderLimitError, String(err));
    assert.equal(err.limit, 'memory');
    assert.equal(err.message, 'rendering chart "hog" exceeded the memory limit of 64 MiB while executing hog/templates/big.yaml');
    assert.deepEqual(ok, { status: 'fulfilled', value: 1 });
  } finally {
    await pool.close();
  }
});

test('a worker idle for idleStopMs is stopped and the next job starts a new one; a busy or promptly reused worker is kept', async () => {
  const pool = new RenderPool({ size: 1, idleStopMs: 200 });
  const thread = () => pool.run<null, number>({ module: JOBS, fn: 'thread', input: null, label: 'x' });
  try {
    const first = await thread();
    assert.equal(pool.workerCount, 1);
    // Jobs that follow each other closer than idleStopMs run on the same worker.
    assert.equal(await thread(), first);
    assert.equal(await thread(), first);
    // Left idle, the worker goes (a generous bound, so a pool that keeps it fails instead of hanging).
    for (let i = 0; pool.workerCount > 0; i++) {
      if (i === 1500) assert.fail('the idle worker was still running 30 s after its last job');
      await new Promise((r) => setTimeout(r, 20));
    }
    const second = await thread();
    assert.notEqual(second, first);
    assert.equal(pool.workerCount, 1);
  } finally {
    await pool.close();
  }
});

test('errors thrown by a job come back as the classes the caller names, with their fields', async () => {
  const pool = new RenderPool({ size: 1 });
  try {
    await assert.rejects(pool.run({ module: JOBS, fn: 'fail', input: null, label: 'x', errors: [CustomError] }), (e: unknown) => {
      assert.ok(e instanceof CustomError);
      assert.equal(e.message, 'bad input at line 3');
      assert.equal(e.extra, 'kept');
      return true;
    });
  } finally {
    await pool.close();
  }
});

test('the worker stack holds recursion far deeper than the main thread does', async () => {
  const pool = new RenderPool({ size: 1 });
  try {
    assert.equal(await pool.run({ module: JOBS, fn: 'deep', input: 200_000, label: 'x' }), 200_000);
  } finally {
    await pool.close();
  }
});

test('Go values cross the worker boundary with their types, however deep', () => {
  const tagged = withGoType({ a: 1 } as GoMap, 'chartutil.Values');
  const value: GoMap = { n: 1.5, i: new GoInt(3, 'int64'), big: new GoInt(2 ** 63, 'int64', 2n ** 63n - 1n), s: 'x', b: true, z: null, l: [1, 'two', [3]], tagged, bytes: new Uint8Array([1, 2]) };
  Object.defineProperty(value, '__proto__', { value: 'key', enumerable: true, writable: true, configurable: true });
  const back = unflattenValue(structuredClone(flattenValue(value))) as GoMap;
  assert.deepEqual(Object.keys(back), Object.keys(value));
  assert.equal((back.i as GoInt).type, 'int64');
  assert.equal((back.big as GoInt).toString(), '9223372036854775807');
  assert.equal((back.tagged as { [GO_TYPE]?: string })[GO_TYPE], 'chartutil.Values');
  assert.deepEqual(back.l, [1, 'two', [3]]);
  assert.equal(Object.getOwnPropertyDescriptor(back, '__proto__')?.value, 'key');
  let deep: GoValue = 'leaf';
  for (let i = 0; i < 50_000; i++) deep = i % 2 ? { k: deep } : [deep];
  let out = unflattenValue(flattenValue(deep));
  let depth = 0;
  while (typeof out !== 'string') {
    out = Array.isArray(out) ? out[0]! : (out as GoMap).k!;
    depth++;
  }
  assert.equal(depth, 50_000);
});
