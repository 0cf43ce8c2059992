// The Lease protocol's decisions, pure: given what we last saw of the Lease and the time, what to
// write (create, renew, take over, release) or whether to wait. Same rules as client-go's leader
// election: a lease held by someone else counts as expired only when it has not changed for
// leaseDuration by OUR clock since we first saw that version (no trust in other nodes' clocks).

/** coordination.k8s.io/v1 LeaseSpec, the fields leader election uses. */
export interface LeaseSpec {
  holderIdentity?: string | null;
  leaseDurationSeconds?: number | null;
  acquireTime?: string | null;
  renewTime?: string | null;
  leaseTransitions?: number | null;
}

/** A Lease as read from the API server. */
export interface Lease {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace: string; resourceVersion?: string; [k: string]: unknown };
  spec?: LeaseSpec;
}

/** The Lease as we last saw it, and when (our monotonic clock, milliseconds) it last changed. */
export interface Observation {
  spec: LeaseSpec;
  resourceVersion: string;
  /** When we first saw this spec: the start of its lease period by our clock. */
  observedAt: number;
}

/**
 * Records a fresh read. The observation time moves only when the spec changed (a renewal by the
 * holder changes renewTime), so a holder that stops renewing expires leaseDuration after our first
 * sight of its last renewal.
 */
export function observe(previous: Observation | null, spec: LeaseSpec, resourceVersion: string, now: number): Observation {
  if (previous && sameSpec(previous.spec, spec)) return { spec: previous.spec, resourceVersion, observedAt: previous.observedAt };
  return { spec, resourceVersion, observedAt: now };
}

function sameSpec(a: LeaseSpec, b: LeaseSpec): boolean {
  return (
    (a.holderIdentity ?? '') === (b.holderIdentity ?? '') &&
    (a.leaseDurationSeconds ?? 0) === (b.leaseDurationSeconds ?? 0) &&
    (a.acquireTime ?? '') === (b.acquireTime ?? '') &&
    (a.renewTime ?? '') === (b.renewTime ?? '') &&
    (a.leaseTransitions ?? 0) === (b.leaseTransitions ?? 0)
  );
}

export type LeaseDecision =
  /** No Lease yet: create it with us as holder. */
  | { action: 'create'; spec: LeaseSpec }
  /** Write this spec with the observed resourceVersion (renew, or take over a free or expired lease). */
  | { action: 'update'; spec: LeaseSpec; resourceVersion: string; takeover: boolean }
  /** Someone else holds an unexpired lease. */
  | { action: 'wait'; holder: string; expiresAt: number };

export interface DecideInput {
  /** Null when the Lease does not exist. */
  observation: Observation | null;
  identity: string;
  leaseDurationSeconds: number;
  /** Our monotonic clock (milliseconds), the one observedAt uses. */
  now: number;
  /** Wall-clock time for acquireTime/renewTime. */
  wallClock: Date;
}

export function decide(input: DecideInput): LeaseDecision {
  const { observation, identity, leaseDurationSeconds } = input;
  const stamp = microTime(input.wallClock);
  if (!observation) {
    return { action: 'create', spec: { holderIdentity: identity, leaseDurationSeconds, acquireTime: stamp, renewTime: stamp, leaseTransitions: 0 } };
  }
  const current = observation.spec;
  const holder = current.holderIdentity ?? '';
  const transitions = current.leaseTransitions ?? 0;
  if (holder === identity) {
    return {
      action: 'update',
      resourceVersion: observation.resourceVersion,
      takeover: false,
      spec: { holderIdentity: identity, leaseDurationSeconds, acquireTime: current.acquireTime ?? stamp, renewTime: stamp, leaseTransitions: transitions },
    };
  }
  const expiresAt = observation.observedAt + (current.leaseDurationSeconds ?? leaseDurationSeconds) * 1000;
  if (holder !== '' && input.now < expiresAt) return { action: 'wait', holder, expiresAt };
  return {
    action: 'update',
    resourceVersion: observation.resourceVersion,
    takeover: true,
    spec: { holderIdentity: identity, leaseDurationSeconds, acquireTime: stamp, renewTime: stamp, leaseTransitions: transitions + 1 },
  };
}

/**
 * The spec that gives the lease up: no holder, so a standby takes it on its next try instead of
 * waiting for it to expire. The transition count is kept; the next holder increments it.
 */
export function releaseSpec(observation: Observation, wallClock: Date): LeaseSpec {
  const stamp = microTime(wallClock);
  return { holderIdentity: null, leaseDurationSeconds: 1, acquireTime: stamp, renewTime: stamp, leaseTransitions: observation.spec.leaseTransitions ?? 0 };
}

/** metav1.MicroTime's wire format: RFC 3339 with exactly six fractional digits, UTC. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
