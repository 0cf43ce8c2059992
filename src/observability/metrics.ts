// The operator's Prometheus metrics, one registry per operator instance (never prom-client's global one).
// Names and labels follow controller-runtime and client-go, so dashboards and alerts written for Go
// operators work unchanged; chartrelease_* series are our own.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, exponentialBuckets } from 'prom-client';
import { WorkQueueMetrics, type WorkQueueMetricFamilies } from './workqueue-metrics.js';

/** controller-runtime's reconcile_total results. */
const RECONCILE_RESULTS = ['success', 'error', 'requeue', 'requeue_after'] as const;
export type ReconcileResult = (typeof RECONCILE_RESULTS)[number];

/** The change an apply made to one object (fluxcd/pkg ssa's change set vocabulary). */
const APPLIED_CHANGES = ['created', 'configured', 'unchanged'] as const;
export type AppliedChange = (typeof APPLIED_CHANGES)[number];

/** One status condition, as it appears in status.conditions. */
export interface ConditionSnapshot {
  type: string;
  status: string;
}

/** controller-runtime's reconcile_time_seconds buckets. */
const RECONCILE_TIME_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0,
  3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];

/** Render and apply take from milliseconds (a small chart) to minutes (CRDs waiting to be established). */
const PHASE_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/** The condition statuses a gauge is kept for: the current one is 1, the others 0. */
const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;

export interface OperatorMetricsOptions {
  /** Node's default process metrics (process_*, nodejs_*). Default true. */
  processMetrics?: boolean;
}

export class OperatorMetrics {
  readonly registry = new Registry();

  readonly reconcileTotal: Counter<'controller' | 'result'>;
  readonly reconcileErrors: Counter<'controller'>;
  readonly reconcileTime: Histogram<'controller'>;
  readonly maxConcurrentReconciles: Gauge<'controller'>;
  readonly activeWorkers: Gauge<'controller'>;
  readonly leaderElectionMasterStatus: Gauge<'name'>;
  readonly renderDuration: Histogram<never>;
  readonly applyDuration: Histogram<never>;
  readonly objectsApplied: Counter<'change'>;
  readonly objectsPruned: Counter<never>;
  readonly releaseCondition: Gauge<'name' | 'namespace' | 'type' | 'status'>;

  /** The workqueue_* families; one WorkQueueMetrics per queue name via workQueue(). */
  private readonly queueFamilies: WorkQueueMetricFamilies;
  private readonly queues = new Map<string, WorkQueueMetrics>();
  /** Condition types each release has a series for, so a vanished type is removed. */
  private readonly conditionTypes = new Map<string, Set<string>>();

  constructor(options: OperatorMetricsOptions = {}) {
    const registers = [this.registry];
    this.reconcileTotal = new Counter({
      name: 'controller_runtime_reconcile_total',
      help: 'Total number of reconciliations per controller',
      labelNames: ['controller', 'result'],
      registers,
    });
    this.reconcileErrors = new Counter({
      name: 'controller_runtime_reconcile_errors_total',
      help: 'Total number of reconciliation errors per controller',
      labelNames: ['controller'],
      registers,
    });
    this.reconcileTime = new Histogram({
      name: 'controller_runtime_reconcile_time_seconds',
      help: 'Length of time per reconciliation per controller',
      labelNames: ['controller'],
      buckets: RECONCILE_TIME_BUCKETS,
      registers,
    });
    this.maxConcurrentReconciles = new Gauge({
      name: 'controller_runtime_max_concurrent_reconciles',
      help: 'Maximum number of concurrent reconciles per controller',
      labelNames: ['controller'],
      registers,
    });
    this.activeWorkers = new Gauge({
      name: 'controller_runtime_active_workers',
      help: 'Number of currently used workers per controller',
      labelNames: ['controller'],
      registers,
    });
    this.leaderElectionMasterStatus = new Gauge({
      name: 'leader_election_master_status',
      help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. Group by name.',
      labelNames: ['name'],
      registers,
    });
    this.renderDuration = new Histogram({
      name: 'chartrelease_render_duration_seconds',
      help: 'Time to load a chart, coalesce its values and render its templates',
      buckets: PHASE_DURATION_BUCKETS,
      registers,
    });
    this.applyDuration = new Histogram({
      name: 'chartrelease_apply_duration_seconds',
      help: 'Time to apply one rendered revision with server-side apply, prune included',
      buckets: PHASE_DURATION_BUCKETS,
      registers,
    });
    this.objectsApplied = new Counter({
      name: 'chartrelease_objects_applied_total',
      help: 'Objects sent with server-side apply, by the change the apply made (created, configured, unchanged)',
      labelNames: ['change'],
      registers,
    });
    for (const change of APPLIED_CHANGES) this.objectsApplied.inc({ change }, 0);
    this.objectsPruned = new Counter({
      name: 'chartrelease_objects_pruned_total',
      help: 'Objects deleted because the new revision no longer renders them',
      registers,
    });
    this.releaseCondition = new Gauge({
      name: 'chartrelease_condition',
      help: 'Status conditions of each ChartRelease: 1 for the current status of a condition type, 0 for the others',
      labelNames: ['name', 'namespace', 'type', 'status'],
      registers,
    });
    this.queueFamilies = {
      depth: new Gauge({ name: 'workqueue_depth', help: 'Current depth of workqueue', labelNames: ['name', 'controller'], registers }),
      adds: new Counter({ name: 'workqueue_adds_total', help: 'Total number of adds handled by workqueue', labelNames: ['name', 'controller'], registers }),
      retries: new Counter({ name: 'workqueue_retries_total', help: 'Total number of retries handled by workqueue', labelNames: ['name', 'controller'], registers }),
      queueDuration: new Histogram({
        name: 'workqueue_queue_duration_seconds',
        help: 'How long in seconds an item stays in workqueue before being requested',
        labelNames: ['name', 'controller'],
        buckets: exponentialBuckets(1e-8, 10, 12),
        registers,
      }),
      workDuration: new Histogram({
        name: 'workqueue_work_duration_seconds',
        help: 'How long in seconds processing an item from workqueue takes',
        labelNames: ['name', 'controller'],
        buckets: exponentialBuckets(1e-8, 10, 12),
        registers,
      }),
      unfinishedWork: new Gauge({
        name: 'workqueue_unfinished_work_seconds',
        help: 'How many seconds of work has been done that is in progress and has not been observed by work_duration',
        labelNames: ['name', 'controller'],
        registers,
        collect: () => this.queues.forEach((q) => q.updateUnfinishedWork()),
      }),
      longestRunningProcessor: new Gauge({
        name: 'workqueue_longest_running_processor_seconds',
        help: 'How many seconds the longest running processor for workqueue has been running',
        labelNames: ['name', 'controller'],
        registers,
        collect: () => this.queues.forEach((q) => q.updateUnfinishedWork()),
      }),
    };
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /**
   * The metrics of one work queue (client-go's queue metrics provider): call its hooks from the queue.
   * The same name always returns the same object.
   */
  workQueue(name: string, clock: () => number = () => performance.now()): WorkQueueMetrics {
    let q = this.queues.get(name);
    if (!q) {
      q = new WorkQueueMetrics(this.queueFamilies, name, clock);
      this.queues.set(name, q);
    }
    return q;
  }

  /**
   * Records the outcome of one reconcile the way controller-runtime does: reconcile_total{result},
   * reconcile_errors_total on error, reconcile_time_seconds.
   */
  observeReconcile(controller: string, result: ReconcileResult, seconds: number): void {
    this.reconcileTotal.inc({ controller, result });
    if (result === 'error') this.reconcileErrors.inc({ controller });
    this.reconcileTime.observe({ controller }, seconds);
  }

  /**
   * Sets controller_runtime_max_concurrent_reconciles and, as controller-runtime does when a
   * controller starts, creates its other series at 0 so rates and alerts have data from the start.
   */
  registerController(controller: string, maxConcurrentReconciles: number): void {
    this.maxConcurrentReconciles.set({ controller }, maxConcurrentReconciles);
    this.activeWorkers.set({ controller }, 0);
    for (const result of RECONCILE_RESULTS) this.reconcileTotal.inc({ controller, result }, 0);
    this.reconcileErrors.inc({ controller }, 0);
  }

  /** leader_election_master_status{name}: 1 while this process holds the lease, else 0. */
  setLeader(leaseName: string, isLeader: boolean): void {
    this.leaderElectionMasterStatus.set({ name: leaseName }, isLeader ? 1 : 0);
  }

  /** The change set of one apply: counts per change, and the pruned objects. */
  observeApply(seconds: number, changes: Partial<Record<AppliedChange, number>>, pruned: number): void {
    this.applyDuration.observe(seconds);
    for (const [change, count] of Object.entries(changes)) if (count) this.objectsApplied.inc({ change }, count);
    if (pruned) this.objectsPruned.inc(pruned);
  }

  /**
   * chartrelease_condition for one release: for each condition type the current status is 1 and
   * the other statuses 0; types the release no longer has are removed.
   */
  setReleaseConditions(namespace: string, name: string, conditions: readonly ConditionSnapshot[]): void {
    const key = `${namespace}/${name}`;
    const before = this.conditionTypes.get(key) ?? new Set<string>();
    const now = new Set<string>();
    for (const c of conditions) {
      now.add(c.type);
      for (const status of CONDITION_STATUSES) this.releaseCondition.set({ name, namespace, type: c.type, status }, c.status === status ? 1 : 0);
    }
    for (const type of before) if (!now.has(type)) this.removeConditionSeries(namespace, name, type);
    if (now.size) this.conditionTypes.set(key, now);
    else this.conditionTypes.delete(key);
  }

  /** Removes every chartrelease_condition series of a deleted release. */
  forgetRelease(namespace: string, name: string): void {
    this.setReleaseConditions(namespace, name, []);
  }

  /** The exposition text and its content type, for /metrics. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private removeConditionSeries(namespace: string, name: string, type: string): void {
    for (const status of CONDITION_STATUSES) this.releaseCondition.remove({ name, namespace, type, status });
  }
}
