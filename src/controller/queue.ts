// A keyed work queue with controller-runtime's semantics: it carries keys ("namespace/name"), never
// event payloads; a key waiting in the queue is there once however often it is added; a key is never
// handled by two workers at once (an add during processing marks it dirty and it runs again after);
// at most `concurrency` keys are handled at a time; delayed adds keep the earliest due time; failures
// back off per key, exponentially with jitter, until forget().
import { backoffDelay, type BackoffOptions } from '../kube/index.js';

export interface WorkQueueOptions {
  concurrency: number;
  /** Per-key retry delays (default 1 s doubling to 5 min, 20 % jitter). */
  backoff?: Partial<BackoffOptions>;
  /** [0, 1); default Math.random. */
  random?: () => number;
  observer?: QueueObserver;
}

export type KeyHandler = (key: string) => Promise<void>;

/** What the queue reports (src/observability's WorkQueueMetrics has this shape). */
export interface QueueObserver {
  added(key: string): void;
  started(key: string): void;
  finished(key: string): void;
  retried(key: string): void;
}

export class WorkQueue {
  private readonly ready: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly delayed = new Map<string, { due: number; timer: NodeJS.Timeout }>();
  private readonly failures = new Map<string, number>();
  private readonly backoff: BackoffOptions;
  private readonly random: () => number;
  private handler: KeyHandler | undefined;
  private idle: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly opts: WorkQueueOptions) {
    if (!(opts.concurrency >= 1)) throw new Error('WorkQueue: concurrency must be at least 1');
    this.backoff = { baseMs: 1000, maxMs: 300_000, jitter: 0.2, ...opts.backoff };
    this.random = opts.random ?? Math.random;
  }

  /** Starts handing keys to `handler`, at most `concurrency` at a time. */
  start(handler: KeyHandler): void {
    this.handler = handler;
    this.pump();
  }

  /** Queue `key` now. */
  add(key: string): void {
    if (this.stopped) return;
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.ready.push(key);
    this.opts.observer?.added(key);
    this.pump();
  }

  /** Queue `key` after `ms`; an earlier pending delayed add of the same key wins. */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.add(key);
    const due = Date.now() + ms;
    const pending = this.delayed.get(key);
    if (pending && pending.due <= due) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    timer.unref?.();
    this.delayed.set(key, { due, timer });
  }

  /** Queue `key` after its next backoff delay; returns the delay. */
  addRateLimited(key: string): number {
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    this.opts.observer?.retried(key);
    const delay = backoffDelay(n, this.backoff, this.random());
    this.addAfter(key, delay);
    return delay;
  }

  /** Resets the backoff of `key` (after a success). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** Failures since the last forget(). */
  failureCount(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Drops every trace of a key (the object is gone): pending delayed adds and backoff. */
  remove(key: string): void {
    const pending = this.delayed.get(key);
    if (pending) clearTimeout(pending.timer);
    this.delayed.delete(key);
    this.failures.delete(key);
  }

  /** Stops taking keys; resolves when the keys being handled are done. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    this.ready.length = 0;
    this.queued.clear();
    if (this.processing.size > 0) await new Promise<void>((resolve) => (this.idle = resolve));
  }

  private pump(): void {
    const handler = this.handler;
    if (!handler || this.stopped) return;
    while (this.processing.size < this.opts.concurrency && this.ready.length > 0) {
      const key = this.ready.shift()!;
      this.queued.delete(key);
      this.processing.add(key);
      this.opts.observer?.started(key);
      void handler(key)
        .catch(() => undefined) // the handler reports its own errors; the queue only schedules
        .finally(() => {
          this.processing.delete(key);
          this.opts.observer?.finished(key);
          if (this.dirty.delete(key)) this.add(key);
          if (this.stopped && this.processing.size === 0) this.idle?.();
          this.pump();
        });
    }
  }
}
