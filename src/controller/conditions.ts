// kstatus conditions: Ready (normal-true), Reconciling and Stalled (abnormal-true: present only while
// True, and never both). A reconcile ends in one Outcome; conditionsFor() turns it into the three
// conditions and keeps each lastTransitionTime unless that condition's status, reason or message
// changed. Pure: the clock is a parameter.
import { ConditionType, truncateMessage, type Condition, type ConditionStatus } from '../api/index.js';

export type Outcome =
  /** The desired revision is applied (and ready, when waiting is on). */
  | { kind: 'ready'; reason: string; message: string }
  /** Work is under way and continues by itself (a requeue is planned). */
  | { kind: 'progressing'; reason: string; message: string }
  /** Failed, and will be retried with backoff without any change from the user. */
  | { kind: 'retrying'; reason: string; message: string }
  /** Cannot go on until the user changes something. */
  | { kind: 'stalled'; reason: string; message: string }
  /** spec.suspend: Ready keeps its status, the reason and message say why nothing happens. */
  | { kind: 'suspended'; message: string }
  /** spec.approval.mode manual: a plan waits for its digest in spec.approval.approvedPlan (reason AwaitingApproval or ApprovalStale). */
  | { kind: 'awaitingApproval'; reason: string; message: string };

interface Desired {
  type: string;
  status: ConditionStatus;
  reason: string;
  message: string;
}

function desiredConditions(outcome: Outcome, previous: readonly Condition[]): Desired[] {
  const { Ready, Reconciling, Stalled, AwaitingApproval } = ConditionType;
  switch (outcome.kind) {
    case 'ready':
      return [{ type: Ready, status: 'True', reason: outcome.reason, message: outcome.message }];
    case 'progressing':
      return [
        { type: Ready, status: 'Unknown', reason: outcome.reason, message: outcome.message },
        { type: Reconciling, status: 'True', reason: outcome.reason, message: outcome.message },
      ];
    case 'retrying':
      return [
        { type: Ready, status: 'False', reason: outcome.reason, message: outcome.message },
        { type: Reconciling, status: 'True', reason: 'RetryingAfterFailure', message: outcome.message },
      ];
    case 'stalled':
      return [
        { type: Ready, status: 'False', reason: outcome.reason, message: outcome.message },
        { type: Stalled, status: 'True', reason: outcome.reason, message: outcome.message },
      ];
    case 'awaitingApproval':
      return [
        { type: Ready, status: 'False', reason: outcome.reason, message: outcome.message },
        { type: AwaitingApproval, status: 'True', reason: outcome.reason, message: outcome.message },
      ];
    case 'suspended': {
      const ready = previous.find((c) => c.type === Ready);
      return [{ type: Ready, status: ready?.status ?? 'Unknown', reason: 'Suspended', message: outcome.message }];
    }
  }
}

/**
 * The conditions after a reconcile that ended in `outcome`. Conditions of other types are kept as
 * they are; Reconciling and Stalled disappear unless the outcome sets them.
 */
export function conditionsFor(previous: readonly Condition[], outcome: Outcome, generation: number, now: Date): Condition[] {
  const owned = new Set<string>(Object.values(ConditionType));
  const next: Condition[] = previous.filter((c) => !owned.has(c.type));
  for (const want of desiredConditions(outcome, previous)) {
    const message = truncateMessage(want.message);
    const before = previous.find((c) => c.type === want.type);
    const unchanged = before && before.status === want.status && before.reason === want.reason && before.message === message;
    next.push({
      type: want.type,
      status: want.status,
      reason: want.reason,
      message,
      lastTransitionTime: unchanged ? before.lastTransitionTime : now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      observedGeneration: generation,
    });
  }
  const order = (t: string) => (t === ConditionType.Ready ? 0 : t === ConditionType.Reconciling ? 1 : t === ConditionType.Stalled ? 2 : 3);
  return next.sort((a, b) => order(a.type) - order(b.type));
}
