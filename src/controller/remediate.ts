// Observe → decide → act, the remediation rules' part (pure): for an unpinned release whose chart +
// values rendered, src/remediation's step as the next action when it overrides decide(): a retry or
// forced deploy as a new revision, a rollback or uninstall after a failure, or a stall when the
// retries are used up. Also says whether a chartrelease.dev/force-requested-at value is handled.
import type { ResolvedSpec } from '../api/index.js';
import { countersFor, remediationStep, type AttemptContent, type FailureCounters } from '../remediation/index.js';
import type { NextAction } from './decide.js';
import { deployedRecord, newestFirst, type RecordSummary, type ReleaseState } from './state.js';

export interface RemediationDecisionInput {
  state: ReleaseState;
  spec: Pick<ResolvedSpec, 'revision' | 'suspend' | 'remediation'>;
  /** What chart + values render to now (absent when nothing rendered). */
  desired?: AttemptContent;
  records: readonly RecordSummary[];
  counters: FailureCounters;
  /** The force-requested-at annotation's value, and the value handled last. */
  forceAt?: string;
  forceHandledAt?: string;
}

export interface RemediationDecision {
  /** Overrides decide() when set. */
  action?: NextAction;
  /** The force-requested-at value this decision handles. */
  forceHandled?: string;
}

export function decideRemediation(input: RemediationDecisionInput): RemediationDecision {
  const { state, spec, desired, records, forceAt } = input;
  const forced = forceAt !== undefined && forceAt !== input.forceHandledAt;
  // A deployed revision that is what is wanted stays verified, whatever the counters say.
  const applies = ['interrupted', 'absent', 'outOfSync'].includes(state.kind) || (state.kind === 'inSync' && forced);
  if (!desired || spec.revision !== undefined || !applies) {
    // Forcing does nothing while spec.revision pins a revision: handled, so nobody waits for it.
    return forced && spec.revision !== undefined && !spec.suspend ? { forceHandled: forceAt } : {};
  }
  const failed = state.kind === 'interrupted' && state.record.status === 'failed' && state.record.action !== 'rollback' ? { revision: state.record.revision, action: state.record.action } : undefined;
  const step = remediationStep({ policy: spec.remediation, counters: countersFor(input.counters, desired), failed, deployed: deployedRecord(records)?.revision, force: forced });
  const revision = (newestFirst(records)[0]?.revision ?? 0) + 1;
  switch (step.kind) {
    case 'default':
      return {};
    case 'retry':
      return { action: { kind: 'deploy', action: step.action, revision }, ...(forced ? { forceHandled: forceAt } : {}) };
    case 'exhausted':
      return { action: { kind: 'stall', reason: 'RetriesExhausted', message: step.message } };
    case 'rollback':
    case 'uninstall':
      return { action: { kind: 'remediate', step, revision } };
  }
}
