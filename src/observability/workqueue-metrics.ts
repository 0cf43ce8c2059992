// The metrics of one work queue, kept the way client-go's queue keeps them: the queue calls added /
// started / finished / retried, and this class turns those calls into workqueue_* series.
import type { Counter, Gauge, Histogram } from 'prom-client';

type QueueLabels = 'name' | 'controller';

export interface WorkQueueMetricFamilies {
  depth: Gauge<QueueLabels>;
  adds: Counter<QueueLabels>;
  retries: Counter<QueueLabels>;
  queueDuration: Histogram<QueueLabels>;
  workDuration: Histogram<QueueLabels>;
  unfinishedWork: Gauge<QueueLabels>;
  longestRunningProcessor: Gauge<QueueLabels>;
}

/**
 * Hooks for a work queue whose items are keys (`namespace/name`). Call them at these points:
 * - `added(key)` when the key is put into the queue (not when it was already waiting there);
 * - `started(key)` when a worker takes the key out of the queue;
 * - `finished(key)` when that worker is done with it;
 * - `retried(key)` when the key is queued again after a failure (rate-limited requeue).
 */
export class WorkQueueMetrics {
  private readonly labels: Record<QueueLabels, string>;
  /** When each waiting key was added (clock milliseconds). */
  private readonly addedAt = new Map<string, number>();
  /** When each key in a worker's hands was started. */
  private readonly startedAt = new Map<string, number>();

  constructor(
    private readonly families: WorkQueueMetricFamilies,
    name: string,
    private readonly clock: () => number,
  ) {
    // controller-runtime names the queue after its controller and labels it with both.
    this.labels = { name, controller: name };
    families.depth.set(this.labels, 0);
    families.adds.inc(this.labels, 0);
    families.retries.inc(this.labels, 0);
    families.queueDuration.zero(this.labels);
    families.workDuration.zero(this.labels);
  }

  added(key: string): void {
    this.families.adds.inc(this.labels);
    this.families.depth.inc(this.labels);
    if (!this.addedAt.has(key)) this.addedAt.set(key, this.clock());
  }

  started(key: string): void {
    const now = this.clock();
    this.families.depth.dec(this.labels);
    this.startedAt.set(key, now);
    const addedAt = this.addedAt.get(key);
    if (addedAt !== undefined) {
      this.families.queueDuration.observe(this.labels, (now - addedAt) / 1000);
      this.addedAt.delete(key);
    }
  }

  finished(key: string): void {
    const startedAt = this.startedAt.get(key);
    if (startedAt === undefined) return;
    this.families.workDuration.observe(this.labels, (this.clock() - startedAt) / 1000);
    this.startedAt.delete(key);
  }

  retried(_key: string): void {
    this.families.retries.inc(this.labels);
  }

  /** Sets unfinished_work_seconds and longest_running_processor_seconds; called when metrics are collected. */
  updateUnfinishedWork(): void {
    const now = this.clock();
    let total = 0;
    let longest = 0;
    for (const startedAt of this.startedAt.values()) {
      const seconds = (now - startedAt) / 1000;
      total += seconds;
      longest = Math.max(longest, seconds);
    }
    this.families.unfinishedWork.set(this.labels, total);
    this.families.longestRunningProcessor.set(this.labels, longest);
  }
}
