// The render worker's entry: imports the job's module once, runs `fn(input, progress)` and posts the
// result or the error back. Runs with the pool's resourceLimits (heap ceiling, large stack).
import { parentPort } from 'node:worker_threads';
import type { WireError } from './pool.js';

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

parentPort!.on('message', async (msg: { id: number; module: string; fn: string; input: unknown }) => {
  const { id } = msg;
  parentPort!.postMessage({ id, started: true });
  try {
    let mod = modules.get(msg.module);
    if (!mod) {
      // A bundled job module (sandbox/bundle.ts) is a CommonJS script compiled with its code cache.
      const load = msg.module.endsWith('.cjs') ? import('./bundle-run.js').then((b) => b.loadBundle(msg.module).exports) : import(msg.module);
      modules.set(msg.module, (mod = load as Promise<Record<string, unknown>>));
    }
    const fn = (await mod)[msg.fn] as JobFn | undefined;
    if (typeof fn !== 'function') throw new Error(`render worker: ${msg.module} exports no function ${msg.fn}`);
    const result = await fn(msg.input, (what) => parentPort!.postMessage({ id, progress: what }));
    parentPort!.postMessage({ id, ok: result });
  } catch (err) {
    parentPort!.postMessage({ id, error: wireError(err) });
  }
});
