// The limits every render runs under (chart load, values, templates, output parsing), for the
// operator and `chartrelease template` alike. The defaults sit far above what the largest chart of
// the corpus needs (docs/reliability.md; rerun with `node dist/bench/render-limits.js`).
import { formatDuration, parseDuration } from '../api/duration.js';

export interface RenderLimits {
  /** Wall-clock time one render may take before its worker is terminated and replaced. */
  timeoutMs: number;
  /** The render worker's heap ceiling (V8 old generation), in MiB. */
  maxHeapMiB: number;
  /** The largest rendered output (every template's text together), in bytes. */
  maxOutputBytes: number;
  /** The render worker's stack, in MiB: deep enough for Helm's 1000 nested `include`s and 10,000 levels of values. */
  stackMiB: number;
}

export const MiB = 1024 * 1024;

export const DEFAULT_RENDER_LIMITS: RenderLimits = {
  timeoutMs: 30_000,
  maxHeapMiB: 1024,
  maxOutputBytes: 100 * MiB,
  stackMiB: 64,
};

/** The flags that change the limits (the operator's and `chartrelease template`'s). */
export const RENDER_LIMIT_FLAGS = [
  { name: 'render-timeout', kind: 'string', usage: `how long one render may take before it is stopped, as a Go duration (default ${formatDuration(DEFAULT_RENDER_LIMITS.timeoutMs)})` },
  { name: 'render-max-memory', kind: 'string', usage: `heap ceiling of a render, in MiB (default ${DEFAULT_RENDER_LIMITS.maxHeapMiB})` },
  { name: 'render-max-output', kind: 'string', usage: `largest rendered output of a chart, in MiB (default ${DEFAULT_RENDER_LIMITS.maxOutputBytes / MiB})` },
] as const;

export class RenderLimitFlagError extends Error {
  override name = 'RenderLimitFlagError';
}

function wholeMiB(text: string, flag: string, min: number): number {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(n) || n < min) {
    throw new RenderLimitFlagError(`invalid argument "${text}" for "--${flag}" flag: must be a whole number of MiB, at least ${min}`);
  }
  return n;
}

/** The limits from parsed flag values (undefined: the default). Throws RenderLimitFlagError. */
export function renderLimitsFromFlags(flags: Record<string, unknown>): RenderLimits {
  const limits = { ...DEFAULT_RENDER_LIMITS };
  const timeout = flags['render-timeout'] as string | undefined;
  if (timeout !== undefined) {
    let ms: number;
    try {
      ms = parseDuration(timeout);
    } catch (err) {
      throw new RenderLimitFlagError(`invalid argument "${timeout}" for "--render-timeout" flag: ${(err as Error).message}`);
    }
    if (ms < 100) throw new RenderLimitFlagError(`invalid argument "${timeout}" for "--render-timeout" flag: must be at least 100ms`);
    limits.timeoutMs = ms;
  }
  const memory = flags['render-max-memory'] as string | undefined;
  if (memory !== undefined) limits.maxHeapMiB = wholeMiB(memory, 'render-max-memory', 64);
  const output = flags['render-max-output'] as string | undefined;
  if (output !== undefined) limits.maxOutputBytes = wholeMiB(output, 'render-max-output', 1) * MiB;
  return limits;
}

/** "30s", "1m30s", "250ms" for messages. */
export const describeTimeout = (ms: number): string => formatDuration(ms);
