// The operator: three watches (ChartReleases, and the ConfigMaps and Secrets releases read), one keyed
// work queue, the reconciler. Watch events only queue keys; the reconcile reads everything itself.
// A ChartRelease is queued when it appears, its generation, deletion or finalizers change, or the
// annotations chartrelease.dev/reconcile-requested-at, force-requested-at or reset-requested-at change
// (status-only updates are our own writes);
// a ConfigMap or Secret queues the releases that read it; every release is queued again at its
// interval by the reconcile's own result.
import { FINALIZER, FORCE_REQUEST_ANNOTATION, RECONCILE_REQUEST_ANNOTATION, RESET_REQUEST_ANNOTATION, chartReleasesPath, type ChartRelease } from '../api/index.js';
import { apiWatchSource, runWatcher, type Discovery, type KubeClient, type Meta, type WatcherEvent } from '../kube/index.js';
import type { InventoryWatch } from '../inventory-watch/index.js';
import type { OperatorMetrics } from '../observability/index.js';
import type { ActionLogger } from './actions/index.js';
import { classifyError, RetryableError } from './errors.js';
import { EventRecorder } from './events.js';
import { WorkQueue } from './queue.js';
import { Reconciler, type ReconcileResult } from './reconciler.js';
import { dependenciesOf, notReadyBecause, refKey } from '../dependencies/index.js';
import { ReferenceIndex, referencesOf, type ReferencedKind } from './references.js';

/** Annotate a ChartRelease with a new value to have it reconciled now (like `flux reconcile`). */
export { RECONCILE_REQUEST_ANNOTATION };
export const CONTROLLER_NAME = 'chartrelease';

export interface OperatorOptions {
  client: KubeClient;
  discovery: Discovery;
  log: ActionLogger;
  /** Watch one namespace only (default: all). */
  namespace?: string;
  /** Reconcile only ChartReleases with these labels (sharding). */
  labelSelector?: string;
  /** Releases reconciled at the same time (default 4). */
  concurrency?: number;
  metrics?: OperatorMetrics;
  now?: () => Date;
  /** A watch silent this long is opened again (default 5 min). */
  watchInactivityTimeoutMs?: number;
  /** The logger of one reconcile (src/observability's reconcileLogger: namespace, name, reconcileID on every line). */
  logFor?: (namespace: string, name: string) => ActionLogger;
  /** Per-key retry backoff (default 1 s doubling to 5 min). */
  backoff?: { baseMs?: number; maxMs?: number };
  /** Metadata-only watches of the applied objects (src/inventory-watch), run with the operator: resyncs dry-run only what moved. */
  inventory?: InventoryWatch;
}

interface Seen {
  generation: number | undefined;
  deleting: boolean;
  finalizers: string;
  requestedAt: string | undefined;
  /** Whether it is Ready at its generation (releases that depend on it are queued when this changes). */
  ready: boolean;
  dependsOn: string[];
}

function seenOf(cr: ChartRelease): Seen {
  return {
    generation: cr.metadata.generation,
    deleting: Boolean(cr.metadata.deletionTimestamp),
    finalizers: (cr.metadata.finalizers ?? []).join(','),
    ready: notReadyBecause(cr) === undefined,
    dependsOn: dependenciesOf(cr).map(refKey),
    requestedAt: [RECONCILE_REQUEST_ANNOTATION, FORCE_REQUEST_ANNOTATION, RESET_REQUEST_ANNOTATION].map((a) => cr.metadata.annotations?.[a] ?? '').join('\n'),
  };
}

const keyOf = (m: { metadata?: { namespace?: string; name?: string } }) => `${m.metadata?.namespace ?? ''}/${m.metadata?.name ?? ''}`;

export class Operator {
  private readonly queue: WorkQueue;
  private readonly reconciler: Reconciler;
  private readonly references = new ReferenceIndex();
  private readonly seen = new Map<string, Seen>();
  /** Releases the user changed or asked to reconcile: their next reconcile checks every object, not only those the inventory watch saw move. */
  private readonly requested = new Set<string>();
  private synced = false;
  private syncedOnce: Promise<void>;
  private markSynced!: () => void;

  constructor(private readonly opts: OperatorOptions) {
    const events = new EventRecorder(opts.client, { now: opts.now, onError: (err) => opts.log.warn({ err: (err as Error).message }, 'could not record an event') });
    this.reconciler = new Reconciler({ client: opts.client, discovery: opts.discovery, events, log: opts.log, now: opts.now, metrics: opts.metrics, inventory: opts.inventory });
    const concurrency = opts.concurrency ?? 4;
    opts.metrics?.registerController(CONTROLLER_NAME, concurrency);
    this.queue = new WorkQueue({ concurrency, backoff: opts.backoff, observer: opts.metrics?.workQueue(CONTROLLER_NAME) });
    this.syncedOnce = new Promise((resolve) => (this.markSynced = resolve));
  }

  /** True once the first list of ChartReleases is done (the readiness probe). */
  get hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves after the first complete list of ChartReleases. */
  waitForSync(): Promise<void> {
    return this.syncedOnce;
  }

  /** Runs until `signal` aborts, then lets the reconciles in flight finish. */
  async run(signal: AbortSignal): Promise<void> {
    const { client, log } = this.opts;
    const watchOpts = {
      inactivityTimeoutMs: this.opts.watchInactivityTimeoutMs,
      onError: (err: unknown, state: { kind: string }) => log.warn({ err: (err as Error).message, state: state.kind }, 'watch failed; retrying'),
    };
    const ns = this.opts.namespace;
    const core = (resource: string) => (ns ? `/api/v1/namespaces/${encodeURIComponent(ns)}/${resource}` : `/api/v1/${resource}`);
    // Reconciles get no abort signal: a stop lets the ones in flight finish their revision.
    this.queue.start((key) => this.handle(key));
    // ConfigMaps and Secrets only tell which releases to look at again: their metadata is enough,
    // and Secret contents never stream through the operator.
    const watches = [
      runWatcher<ChartRelease & Meta>(apiWatchSource(client, chartReleasesPath(ns), { labelSelector: this.opts.labelSelector }), (e) => this.onChartRelease(e), signal, watchOpts),
      runWatcher<Meta>(apiWatchSource(client, core('configmaps'), { metadataOnly: true }), (e) => this.onReferenced('ConfigMap', e), signal, watchOpts),
      runWatcher<Meta>(apiWatchSource(client, core('secrets'), { metadataOnly: true }), (e) => this.onReferenced('Secret', e), signal, watchOpts),
      ...(this.opts.inventory ? [this.opts.inventory.run(signal)] : []),
    ];
    log.info({ namespace: ns ?? '(all)', concurrency: this.opts.concurrency ?? 4 }, 'operator started');
    await Promise.all(watches);
    await this.queue.stop();
    log.info({}, 'operator stopped');
  }

  private onChartRelease(e: WatcherEvent<ChartRelease & Meta>): void {
    if (e.type === 'relisted') {
      const present = new Set(e.objects.map(keyOf));
      for (const key of this.seen.keys()) if (!present.has(key)) this.forget(key);
      for (const cr of e.objects) this.track(cr, true);
      if (!this.synced) {
        this.synced = true;
        this.markSynced();
      }
      return;
    }
    if (e.type === 'deleted') {
      this.forget(keyOf(e.object));
      return;
    }
    this.track(e.object, false);
  }

  private track(cr: ChartRelease, always: boolean): void {
    const key = keyOf(cr);
    const before = this.seen.get(key);
    const now = seenOf(cr);
    this.seen.set(key, now);
    this.references.set(key, referencesOf(cr));
    // Our finalizer added (and nothing else changed) is the reconcile's own doing: it goes on by itself.
    const ownFinalizer = before !== undefined && now.finalizers === (before.finalizers ? `${before.finalizers},${FINALIZER}` : FINALIZER);
    const changed = !before || before.generation !== now.generation || before.deleting !== now.deleting || (before.finalizers !== now.finalizers && !ownFinalizer) || before.requestedAt !== now.requestedAt;
    // The user's own doing (not our finalizer): the spec, or a reconcile request.
    if (before && (before.generation !== now.generation || before.requestedAt !== now.requestedAt)) this.requested.add(key);
    if (always || changed) this.queue.add(key);
    if (before && before.ready !== now.ready) for (const [k, s] of this.seen) if (s.dependsOn.includes(key)) this.queue.add(k);
  }

  private forget(key: string): void {
    this.seen.delete(key);
    this.requested.delete(key);
    this.references.delete(key);
    this.queue.remove(key);
    const [namespace, name] = key.split('/') as [string, string];
    this.opts.metrics?.forgetRelease(namespace, name);
  }

  private onReferenced(kind: ReferencedKind, e: WatcherEvent<Meta>): void {
    // After a relist (start, or a 410) changes may have been missed: every release that reads this kind looks again.
    const objects = e.type === 'relisted' ? (this.synced ? e.objects : []) : [e.object];
    for (const o of objects) {
      for (const key of this.references.releasesUsing(kind, o.metadata?.namespace ?? '', o.metadata?.name ?? '')) this.queue.add(key);
    }
  }

  /** One reconcile, and its result mapped to the queue and the reconcile_total metric. */
  private async handle(key: string): Promise<void> {
    const [namespace, name] = key.split('/') as [string, string];
    const started = performance.now();
    const workers = { controller: CONTROLLER_NAME };
    this.opts.metrics?.activeWorkers.inc(workers);
    let r: ReconcileResult;
    try {
      // A ChartRelease the watch showed without our finalizer and not being deleted: the reconcile adds it first, without a read.
      const seen = this.seen.get(key);
      const finalizers = seen && !seen.deleting && !seen.finalizers.split(',').includes(FINALIZER) ? seen.finalizers.split(',').filter(Boolean) : undefined;
      r = await this.reconciler.reconcile(namespace, name, undefined, this.opts.logFor?.(namespace, name), { checkAll: this.requested.delete(key), ...(finalizers ? { finalizers } : {}) });
    } catch (err) {
      const c = classifyError(err, 'Reconcile');
      r = c instanceof RetryableError ? { result: 'retry', error: c, state: 'unobserved' } : { result: 'stalled', error: c, requeueAfterMs: 60_000, state: 'unobserved' };
    }
    this.opts.metrics?.activeWorkers.dec(workers);
    const seconds = (performance.now() - started) / 1000;
    const log = this.opts.log;
    switch (r.result) {
      case 'success':
        this.queue.forget(key);
        if (r.requeueAfterMs !== undefined) this.queue.addAfter(key, r.requeueAfterMs);
        this.opts.metrics?.observeReconcile(CONTROLLER_NAME, r.requeueAfterMs === undefined ? 'success' : r.requeueAfterMs === 0 ? 'requeue' : 'requeue_after', seconds);
        log.debug({ release: key, state: r.state, seconds }, 'reconciled');
        break;
      case 'retry': {
        const delay = this.queue.addRateLimited(key);
        this.opts.metrics?.observeReconcile(CONTROLLER_NAME, 'error', seconds);
        log.warn({ release: key, state: r.state, reason: r.error.reason, err: r.error.message, retryInMs: delay }, 'reconcile failed; retrying with backoff');
        break;
      }
      case 'stalled':
        this.queue.forget(key);
        this.queue.addAfter(key, r.requeueAfterMs);
        this.opts.metrics?.observeReconcile(CONTROLLER_NAME, 'error', seconds);
        log.error({ release: key, state: r.state, reason: r.error.reason, err: r.error.message }, 'release stalled: it needs a change of its spec or inputs');
        break;
      case 'gone':
        this.queue.remove(key);
        this.opts.metrics?.observeReconcile(CONTROLLER_NAME, 'success', seconds);
        break;
    }
  }
}
