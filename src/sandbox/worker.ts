// The render worker's entry: imports the job's module once, runs `fn(input, progress)` and posts the
// result or the error back. Runs with the pool's resourceLimits (heap ceiling, large stack). The
// template a job executes is recorded in memory shared with the pool (progress.ts), which reads it
// only for a limit error.
import { parentPort, workerData } from 'node:worker_threads';
import type { WireError, WorkerData } from './pool.js';
import { writeProgress } from './progress.js';

type JobFn = (input: unknown, progress: (what: string) => void) => unknown;

const modules = new Map<string, Promise<Record<string, unknown>>>();

function wireError(err: unknown): WireError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(err)) {
    if (key === 'cause' || typeof value === 'function') continue;
    try {
      fields[key] = structuredClone(value);
    } catch {
      /* not cloneable: left out */
    }
  }
  return { name: err.name, message: err.message, fields };
}

const { progress, preload } = workerData as WorkerData;

function load(module: string): Promise<Record<string, unknown>> {
  let mod = modules.get(module);
  if (!mod) {
    // A bundled job module (sandbox/bundle.ts) is a CommonJS script compiled with its code cache.
    mod = (module.endsWith('.cjs') ? import('./bundle-run.js').then((b) => b.loadBundle(module).exports) : import(module)) as Promise<Record<string, unknown>>;
    modules.set(module, mod);
  }
  return mod;
}

// A failure to load shows in the job that needs the module.
if (preload) load(preload).catch(() => {});

parentPort!.on('message', async (msg: { id: number; module: string; fn: string; input: unknown }) => {
  const { id } = msg;
  parentPort!.postMessage({ id, started: true });
  try {
    const fn = (await load(msg.module))[msg.fn] as JobFn | undefined;
    if (typeof fn !== 'function') throw new Error(`render worker: ${msg.module} exports no function ${msg.fn}`);
    const result = await fn(msg.input, (what) => {
      if (!writeProgress(progress, id, what)) parentPort!.postMessage({ id, progress: what });
    });
    parentPort!.postMessage({ id, ok: result });
  } catch (err) {
    parentPort!.postMessage({ id, error: wireError(err) });
  }
});
