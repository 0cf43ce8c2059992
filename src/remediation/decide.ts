// When releases fail: the failure counters of a release and what happens after a failed install or
// upgrade (retry as a new revision, roll back, uninstall, or stop). Pure: the reconciler passes in
// what it observed and carries out the step returned.
//
// The rules (docs/operator.md, "When releases fail"):
// - Without spec.install.remediation / spec.upgrade.remediation nothing here applies: a failed revision
//   is applied again under its own number, with backoff, until something changes (the default).
// - With it, every failure counts. The strategy runs after each failed attempt (install: always
//   uninstall; upgrade: rollback, uninstall or none) and the attempt is tried again as a new
//   revision, up to `retries` times; when the last try fails the strategy runs once more (unless
//   remediateLastFailure is false) and the release stalls until chart or values change, or the
//   counters are reset by annotation.
// - An attempt is chart + values as rendered (values and manifest digests): a different one starts
//   with counters at zero.
import type { ResolvedRemediation, ResolvedSpec } from '../api/index.js';

export type AttemptAction = 'install' | 'upgrade';

export interface FailureCounters {
  failures: number;
  installFailures: number;
  upgradeFailures: number;
  lastAttemptedRevision?: number;
  lastAttemptedValuesDigest?: string;
  lastAttemptedManifestDigest?: string;
}

/** What chart + values render to now (digests). */
export interface AttemptContent {
  valuesDigest: string;
  manifestDigest: string;
}

export const NO_FAILURES: FailureCounters = { failures: 0, installFailures: 0, upgradeFailures: 0 };

/** The counters status holds (absent fields are zero). */
export function countersFrom(status: Partial<FailureCounters> | undefined): FailureCounters {
  return {
    failures: status?.failures ?? 0,
    installFailures: status?.installFailures ?? 0,
    upgradeFailures: status?.upgradeFailures ?? 0,
    ...(status?.lastAttemptedRevision !== undefined ? { lastAttemptedRevision: status.lastAttemptedRevision } : {}),
    ...(status?.lastAttemptedValuesDigest !== undefined ? { lastAttemptedValuesDigest: status.lastAttemptedValuesDigest } : {}),
    ...(status?.lastAttemptedManifestDigest !== undefined ? { lastAttemptedManifestDigest: status.lastAttemptedManifestDigest } : {}),
  };
}

export function isSameAttempt(c: FailureCounters, content: AttemptContent): boolean {
  return c.lastAttemptedValuesDigest === content.valuesDigest && c.lastAttemptedManifestDigest === content.manifestDigest;
}

/** The counters that apply to trying `content`: the ones kept for it, or zero for something new. */
export function countersFor(c: FailureCounters, content: AttemptContent): FailureCounters {
  return isSameAttempt(c, content) ? c : { ...c, failures: 0, installFailures: 0, upgradeFailures: 0 };
}

/** A try of `content` as `revision` starts. */
export function withAttempt(c: FailureCounters, revision: number, content: AttemptContent): FailureCounters {
  return { ...countersFor(c, content), lastAttemptedRevision: revision, lastAttemptedValuesDigest: content.valuesDigest, lastAttemptedManifestDigest: content.manifestDigest };
}

/** A release action failed (install and upgrade also count in their own counters). */
export function withFailure(c: FailureCounters, action: AttemptAction | 'rollback'): FailureCounters {
  return {
    ...c,
    failures: c.failures + 1,
    ...(action === 'install' ? { installFailures: c.installFailures + 1 } : {}),
    ...(action === 'upgrade' ? { upgradeFailures: c.upgradeFailures + 1 } : {}),
  };
}

/** The counters zeroed (chartrelease.dev/reset-requested-at); what was last attempted stays. */
export const withReset = (c: FailureCounters): FailureCounters => ({ ...c, failures: 0, installFailures: 0, upgradeFailures: 0 });

export type RemediationPolicy = ResolvedSpec['remediation'];

const failuresOf = (c: FailureCounters, action: AttemptAction) => (action === 'install' ? c.installFailures : c.upgradeFailures);

/** The action whose retries are used up, if any (only actions with remediation configured count). */
export function exhaustedAction(policy: RemediationPolicy, c: FailureCounters): AttemptAction | undefined {
  for (const action of ['install', 'upgrade'] as const) {
    const p = policy[action];
    if (p && failuresOf(c, action) > p.retries) return action;
  }
  return undefined;
}

export function exhaustedMessage(action: AttemptAction, policy: ResolvedRemediation, c: FailureCounters): string {
  const n = failuresOf(c, action);
  return (
    `${action} failed ${n} time${n === 1 ? '' : 's'} (spec.${action}.remediation.retries: ${policy.retries})` +
    `${c.lastAttemptedRevision !== undefined ? `, last as revision ${c.lastAttemptedRevision}` : ''}; ` +
    'nothing more is tried until chart or values change, or the annotation chartrelease.dev/reset-requested-at gets a new value'
  );
}

export type RemediationStep =
  /** No remediation rule applies: the controller's own decision stands. */
  | { kind: 'default' }
  /** Deploy chart + values as a new revision (a retry, or a forced upgrade). */
  | { kind: 'retry'; action: AttemptAction }
  /** Deploy the deployed revision `target` again as a new revision. */
  | { kind: 'rollback'; target: number; failed: number }
  /** Remove the objects of these revisions (newest first) and mark their records uninstalled. */
  | { kind: 'uninstall'; revisions: number[]; failed: number }
  /** Retries used up: stall. */
  | { kind: 'exhausted'; action: AttemptAction; message: string };

export interface RemediationInput {
  policy: RemediationPolicy;
  /** The counters for what is wanted now (countersFor). */
  counters: FailureCounters;
  /** The newest record, when it failed and holds what is wanted now. */
  failed?: { revision: number; action: AttemptAction };
  /** The revision deployed now, if any. */
  deployed?: number;
  /** chartrelease.dev/force-requested-at has a value not handled yet. */
  force: boolean;
}

/**
 * The next step for an unpinned release whose chart + values rendered. `failed` set: the attempt that
 * just failed (or one a restart found failed) is remediated, retried or given up; otherwise a
 * release whose retries are used up stays as it is.
 */
export function remediationStep(input: RemediationInput): RemediationStep {
  const { policy, counters, failed, deployed } = input;
  if (input.force) return { kind: 'retry', action: deployed !== undefined ? 'upgrade' : 'install' };
  if (!failed) {
    const action = exhaustedAction(policy, counters);
    return action && counters.failures > 0 ? { kind: 'exhausted', action, message: exhaustedMessage(action, policy[action]!, counters) } : { kind: 'default' };
  }
  const p = policy[failed.action];
  if (!p) return { kind: 'default' };
  const exhausted = failuresOf(counters, failed.action) > p.retries;
  const strategy = p.strategy === 'rollback' && deployed === undefined ? 'none' : p.strategy;
  if (strategy !== 'none' && (!exhausted || p.remediateLastFailure)) {
    if (strategy === 'rollback') return { kind: 'rollback', target: deployed!, failed: failed.revision };
    return { kind: 'uninstall', revisions: deployed !== undefined ? [failed.revision, deployed] : [failed.revision], failed: failed.revision };
  }
  if (exhausted) return { kind: 'exhausted', action: failed.action, message: exhaustedMessage(failed.action, p, counters) };
  return { kind: 'retry', action: deployed !== undefined ? 'upgrade' : 'install' };
}
