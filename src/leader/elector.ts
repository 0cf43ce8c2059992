// Leader election on a coordination.k8s.io/v1 Lease: the I/O loop around the pure decisions in
// lease.ts. Try to acquire every retryPeriod; once leader, renew every retryPeriod; if no renewal
// succeeds within renewDeadline, or someone else holds the lease, leadership is lost at once (the
// abort signal fires). release() stops renewing and clears the holder so a standby takes over on its
// next try instead of waiting for the lease to expire.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { decide, observe, releaseSpec, type Lease, type LeaseSpec, type Observation } from './lease.js';

/**
 * The Lease reads and writes the elector needs (leaseClientFor(kube) is the real one); each throws on
 * any non-2xx answer except get's 404, and gives up when the signal aborts.
 */
export interface LeaseClient {
  /** The Lease, or null when it does not exist. */
  get(namespace: string, name: string, signal?: AbortSignal): Promise<Lease | null>;
  create(lease: Lease, signal?: AbortSignal): Promise<Lease>;
  /** PUT with metadata.resourceVersion: fails (409) if the Lease changed since. */
  replace(lease: Lease, signal?: AbortSignal): Promise<Lease>;
}

/** The logging calls the elector makes (a pino logger fits). */
export interface ElectionLogger {
  info(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
  debug(fields: object, msg: string): void;
}

export interface LeaderElectionOptions {
  namespace: string;
  /** The Lease's name; also the `name` label of leader_election_master_status. */
  name: string;
  /** Who we are in holderIdentity (default: hostname_uuid, unique per process). */
  identity?: string;
  /** controller-runtime's defaults: 15 s lease, 10 s renew deadline, 2 s retry period. */
  leaseDurationSeconds?: number;
  renewDeadlineSeconds?: number;
  retryPeriodSeconds?: number;
  logger?: ElectionLogger;
  /** Called with true when we become leader and false when we stop (metrics: obs.metrics.setLeader). */
  onLeadershipChange?: (isLeader: boolean) => void;
}

export type StopReason = 'lost' | 'released';

export interface LeaderCallbacks {
  /** We hold the lease: start reconciling. The signal aborts the moment leadership is lost or released. */
  onStartedLeading(signal: AbortSignal): void;
  /** We no longer lead. 'lost': stop at once and exit (let Kubernetes restart us). 'released': graceful stop. */
  onStoppedLeading(reason: StopReason): void;
}

export const DEFAULT_LEASE_DURATION_SECONDS = 15;
export const DEFAULT_RENEW_DEADLINE_SECONDS = 10;
export const DEFAULT_RETRY_PERIOD_SECONDS = 2;

/** A holder identity unique to this process: the pod's hostname plus a UUID (as controller-runtime). */
export function defaultIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

const silentLogger: ElectionLogger = { info() {}, warn() {}, debug() {} };

export class LeaderElector {
  readonly identity: string;
  /** `namespace/name` of the Lease, for log lines (namespace and name fields belong to ChartReleases). */
  private readonly leaseRef: string;
  private readonly leaseDurationSeconds: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly log: ElectionLogger;

  private observation: Observation | null = null;
  private leading = false;
  private stopping = false;
  private lastContactAt: number | null = null;
  private wake: (() => void) | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly client: LeaseClient,
    private readonly options: LeaderElectionOptions,
  ) {
    this.identity = options.identity ?? defaultIdentity();
    this.leaseRef = `${options.namespace}/${options.name}`;
    this.leaseDurationSeconds = options.leaseDurationSeconds ?? DEFAULT_LEASE_DURATION_SECONDS;
    this.renewDeadlineMs = (options.renewDeadlineSeconds ?? DEFAULT_RENEW_DEADLINE_SECONDS) * 1000;
    this.retryPeriodMs = (options.retryPeriodSeconds ?? DEFAULT_RETRY_PERIOD_SECONDS) * 1000;
    if (this.leaseDurationSeconds * 1000 <= this.renewDeadlineMs) throw new Error('leader election: the lease duration must be longer than the renew deadline');
    if (this.renewDeadlineMs <= this.retryPeriodMs) throw new Error('leader election: the renew deadline must be longer than the retry period');
    this.log = options.logger ?? silentLogger;
  }

  isLeader(): boolean {
    return this.leading;
  }

  /**
   * Readiness: the API server answered our last lease request within the lease duration, so this
   * process can lead now or take over when the leader goes.
   */
  canServe(): boolean {
    return this.lastContactAt !== null && performance.now() - this.lastContactAt < this.leaseDurationSeconds * 1000;
  }

  /** Runs the election until leadership is lost or released; resolves then. Call once. */
  run(callbacks: LeaderCallbacks): Promise<void> {
    if (this.running) throw new Error('leader election is already running');
    this.running = this.loop(callbacks);
    return this.running;
  }

  /**
   * Stops campaigning; if we lead, stops renewing and clears the holder so a standby takes over
   * within its retry period. Call after in-flight work has drained. Resolves when done.
   */
  async release(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
  }

  private async loop(callbacks: LeaderCallbacks): Promise<void> {
    const lease = { lease: this.leaseRef, identity: this.identity };
    this.log.info(lease, 'waiting to acquire the leader lease');
    this.options.onLeadershipChange?.(false); // a standby reports 0 from the start, not nothing
    while (!this.stopping && !(await this.tryAcquireOrRenew())) {
      await this.sleep(this.retryPeriodMs * (1 + Math.random() * 1.2));
    }
    if (this.stopping) return;

    this.leading = true;
    const leadership = new AbortController();
    this.options.onLeadershipChange?.(true);
    this.log.info(lease, 'acquired the leader lease');
    callbacks.onStartedLeading(leadership.signal);

    let lastRenewAt = performance.now();
    let lost = false;
    // The deadline fires even while a renew request hangs: leadership ends on time, not when I/O returns.
    const expire = () => {
      lost = true;
      this.wake?.();
    };
    let deadline = setTimeout(expire, this.renewDeadlineMs);
    while (!this.stopping && !lost) {
      await this.sleep(this.retryPeriodMs);
      if (this.stopping || lost) break;
      const renewed = await this.tryAcquireOrRenew();
      if (lost) break;
      if (renewed) {
        lastRenewAt = performance.now();
        clearTimeout(deadline);
        deadline = setTimeout(expire, this.renewDeadlineMs);
      } else if (this.observation && (this.observation.spec.holderIdentity ?? '') !== this.identity) {
        lost = true;
      }
    }
    clearTimeout(deadline);

    this.leading = false;
    leadership.abort();
    this.options.onLeadershipChange?.(false);
    if (lost) {
      this.log.warn({ ...lease, lastRenewedMsAgo: Math.round(performance.now() - lastRenewAt) }, 'lost the leader lease');
      callbacks.onStoppedLeading('lost');
      return;
    }
    await this.giveUp();
    this.log.info(lease, 'released the leader lease');
    callbacks.onStoppedLeading('released');
  }

  /** One round: read the Lease, decide, write. True when we hold the lease afterwards. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name } = this.options;
    // One round may take at most the renew deadline, as in client-go.
    const signal = AbortSignal.timeout(this.renewDeadlineMs);
    try {
      const current = await this.client.get(namespace, name, signal);
      const now = performance.now();
      this.lastContactAt = now;
      const previousHolder = current?.spec?.holderIdentity || undefined;
      this.observation = current ? observe(this.observation, current.spec ?? {}, current.metadata.resourceVersion ?? '', now) : null;
      const decision = decide({ observation: this.observation, identity: this.identity, leaseDurationSeconds: this.leaseDurationSeconds, now, wallClock: new Date() });
      if (decision.action === 'wait') {
        this.log.debug({ lease: this.leaseRef, holder: decision.holder }, 'the leader lease is held by another process');
        return false;
      }
      const written =
        decision.action === 'create'
          ? await this.client.create(this.leaseObject(decision.spec), signal)
          : await this.client.replace(this.leaseObject(decision.spec, decision.resourceVersion), signal);
      this.recordWrite(written);
      if (decision.action === 'update' && decision.takeover) {
        this.log.info({ lease: this.leaseRef, previousHolder }, 'took over the leader lease');
      }
      return true;
    } catch (err) {
      this.log.debug({ lease: this.leaseRef, err }, 'leader lease request failed');
      return false;
    }
  }

  /** Clears the holder, if the lease is still ours as we last wrote it; a conflict means it is not. */
  private async giveUp(): Promise<void> {
    const observation = this.observation;
    if (!observation || observation.spec.holderIdentity !== this.identity) return;
    try {
      const lease = this.leaseObject(releaseSpec(observation, new Date()), observation.resourceVersion);
      this.recordWrite(await this.client.replace(lease, AbortSignal.timeout(this.renewDeadlineMs)));
    } catch (err) {
      this.log.warn({ lease: this.leaseRef, err }, 'could not release the leader lease; it expires by itself');
    }
  }

  private recordWrite(written: Lease): void {
    const now = performance.now();
    this.lastContactAt = now;
    this.observation = { spec: written.spec ?? {}, resourceVersion: written.metadata.resourceVersion ?? '', observedAt: now };
  }

  private leaseObject(spec: LeaseSpec, resourceVersion?: string): Lease {
    const { namespace, name } = this.options;
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace, ...(resourceVersion ? { resourceVersion } : {}) },
      spec,
    };
  }

  /** Sleeps, or returns early when release() or the renew deadline wakes the loop. */
  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

/**
 * Starts leader election and returns the elector (for isLeader, canServe and release).
 * onStartedLeading runs when we acquire the lease; onStoppedLeading when we lose or release it.
 */
export function runWithLeaderElection(
  client: LeaseClient,
  options: LeaderElectionOptions,
  onStartedLeading: LeaderCallbacks['onStartedLeading'],
  onStoppedLeading: LeaderCallbacks['onStoppedLeading'],
): LeaderElector {
  const elector = new LeaderElector(client, options);
  void elector.run({ onStartedLeading, onStoppedLeading });
  return elector;
}
