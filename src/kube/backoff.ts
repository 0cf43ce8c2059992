// Retry delays after failed API calls: exponential per consecutive failure, capped, with jitter so the
// retries of many keys or watches spread out. The work queue (per key) and the watcher (per watch) use it.

export interface BackoffOptions {
  /** First retry delay. */
  baseMs: number;
  /** Longest delay. */
  maxMs: number;
  /** Up to this fraction is added at random (0.2: at most 20 % longer). */
  jitter: number;
}

/** The delay before retry number `failures` (1 = first retry); `random` in [0, 1). Pure. */
export function backoffDelay(failures: number, opts: BackoffOptions, random: number): number {
  const exponential = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(Math.min(opts.maxMs * (1 + opts.jitter), exponential * (1 + opts.jitter * random)));
}
