// The status fields about failures and on-demand requests, and the Released, Remediated and
// TestSuccess conditions: applied on top of the status the controller computes (pure). These
// conditions sit beside kstatus' Ready/Reconciling/Stalled, which kstatus alone reads.
import { ReleaseConditionType, truncateMessage, type ChartReleaseStatus, type Condition, type ConditionStatus } from '../api/index.js';
import type { FailureCounters } from './decide.js';

export interface ConditionChange {
  status: ConditionStatus;
  reason: string;
  message: string;
}

/** What one reconcile learned: counters, annotation values handled, condition changes (null: remove). */
export interface ReleaseStatusUpdate {
  counters: FailureCounters;
  handled: { reconcileAt?: string; forceAt?: string; resetAt?: string };
  conditions: Partial<Record<keyof typeof ReleaseConditionType, ConditionChange | null>>;
  /** The chart tests run after a revision (spec.test), for its status.history entry. */
  tests?: { revision: number; lines: string[] };
}

const ORDER: readonly string[] = Object.values(ReleaseConditionType);

/** The status fields this module sets; absent means zero or never set (the status writer removes them). */
export const RELEASE_STATUS_FIELDS = [
  'failures',
  'installFailures',
  'upgradeFailures',
  'lastAttemptedRevision',
  'lastAttemptedValuesDigest',
  'lastAttemptedManifestDigest',
  'lastHandledReconcileAt',
  'lastHandledForceAt',
  'lastHandledResetAt',
] as const satisfies readonly (keyof ChartReleaseStatus)[];

function setConditions(previous: readonly Condition[], changes: ReleaseStatusUpdate['conditions'], generation: number, now: Date): Condition[] {
  let next = [...previous];
  for (const [type, change] of Object.entries(changes) as [string, ConditionChange | null | undefined][]) {
    if (change === undefined) continue;
    const before = next.find((c) => c.type === type);
    next = next.filter((c) => c.type !== type);
    if (change === null) continue;
    const message = truncateMessage(change.message);
    const unchanged = before && before.status === change.status && before.reason === change.reason && before.message === message;
    next.push({
      type,
      status: change.status,
      reason: change.reason,
      message,
      lastTransitionTime: unchanged ? before.lastTransitionTime : now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      observedGeneration: generation,
    });
  }
  // kstatus' conditions first (as the controller ordered them), then these in a fixed order.
  const rank = (t: string) => (ORDER.includes(t) ? 1 + ORDER.indexOf(t) : 0);
  return next.map((c, i) => [c, i] as const).sort(([a, i], [b, j]) => rank(a.type) - rank(b.type) || i - j).map(([c]) => c);
}

/**
 * `status` (computed from the records) with the update applied; fields at zero or unset are left out.
 * The test outcomes of history entries are carried over from `previous` (records do not hold them).
 */
export function applyReleaseStatus(status: ChartReleaseStatus, previous: ChartReleaseStatus, update: ReleaseStatusUpdate, generation: number, now: Date): ChartReleaseStatus {
  const { counters: c, handled } = update;
  const out: ChartReleaseStatus = { ...status, conditions: setConditions(status.conditions ?? [], update.conditions, generation, now) };
  if (status.history) {
    const tested = new Map((previous.history ?? []).filter((h) => h.tests).map((h) => [h.revision, h.tests!]));
    if (update.tests) tested.set(update.tests.revision, update.tests.lines);
    out.history = status.history.map((h) => (tested.has(h.revision) ? { ...h, tests: tested.get(h.revision)! } : h));
  }
  if (c.failures) out.failures = c.failures;
  if (c.installFailures) out.installFailures = c.installFailures;
  if (c.upgradeFailures) out.upgradeFailures = c.upgradeFailures;
  if (c.lastAttemptedRevision !== undefined) out.lastAttemptedRevision = c.lastAttemptedRevision;
  if (c.lastAttemptedValuesDigest !== undefined) out.lastAttemptedValuesDigest = c.lastAttemptedValuesDigest;
  if (c.lastAttemptedManifestDigest !== undefined) out.lastAttemptedManifestDigest = c.lastAttemptedManifestDigest;
  if (handled.reconcileAt !== undefined) out.lastHandledReconcileAt = handled.reconcileAt;
  if (handled.forceAt !== undefined) out.lastHandledForceAt = handled.forceAt;
  if (handled.resetAt !== undefined) out.lastHandledResetAt = handled.resetAt;
  return out;
}

/** TestSuccess after the chart tests of `revision` ran (spec.test). */
export function testSuccess(revision: number, report: { lines: string[]; failure?: string }, ignored: boolean): ConditionChange {
  const n = report.lines.length;
  if (report.failure) return { status: 'False', reason: 'TestFailed', message: `revision ${revision}: ${report.lines[n - 1]}${ignored ? ' (ignored: spec.test.ignoreFailures)' : ''}` };
  return { status: 'True', reason: 'TestSucceeded', message: `revision ${revision}: ${n ? `${n} test${n === 1 ? '' : 's'} succeeded` : 'the chart has no test hooks'}` };
}

/** The annotation values handled before this reconcile (from status), to carry over. */
export function handledFrom(status: ChartReleaseStatus | undefined): ReleaseStatusUpdate['handled'] {
  return {
    ...(status?.lastHandledReconcileAt !== undefined ? { reconcileAt: status.lastHandledReconcileAt } : {}),
    ...(status?.lastHandledForceAt !== undefined ? { forceAt: status.lastHandledForceAt } : {}),
    ...(status?.lastHandledResetAt !== undefined ? { resetAt: status.lastHandledResetAt } : {}),
  };
}
