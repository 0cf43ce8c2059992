// Observe → decide → act, part two: the pure next-action picker. One state, one action; each action
// is carried out by one small function in actions/.
import type { RemediationStep } from '../remediation/index.js';
import type { RecordSummary, ReleaseState } from './state.js';

export type NextAction =
  | { kind: 'addFinalizer' }
  /** Deleting, finalizer ours: uninstall the deployed objects and the records, then release the finalizer. */
  | { kind: 'uninstall'; deployed?: RecordSummary }
  /** Nothing to do (deleting without our finalizer). */
  | { kind: 'forget' }
  | { kind: 'suspend'; message: string }
  | { kind: 'stall'; reason: string; message: string }
  | { kind: 'retryRender'; reason: string; message: string }
  /** Render chart + values and deploy them as revision `revision`. */
  | { kind: 'deploy'; action: 'install' | 'upgrade'; revision: number }
  /** Deploy the stored manifest of `target` as revision `revision`. */
  | { kind: 'rollback'; target: RecordSummary; revision: number }
  /** Apply a pending or failed record again and mark it deployed. */
  | { kind: 'resume'; record: RecordSummary }
  /** Apply the deployed revision again (unchanged objects are skipped, drift is corrected). */
  | { kind: 'verify'; deployed: RecordSummary; pinnedWithChanges?: number }
  /** After a failed install or upgrade (src/remediation): roll back to the deployed revision as `revision`, or uninstall. */
  | { kind: 'remediate'; step: Extract<RemediationStep, { kind: 'rollback' | 'uninstall' }>; revision: number };

export function decide(state: ReleaseState): NextAction {
  switch (state.kind) {
    case 'deleting':
      return state.hasFinalizer ? { kind: 'uninstall', deployed: state.deployed } : { kind: 'forget' };
    case 'needsFinalizer':
      return { kind: 'addFinalizer' };
    case 'invalidSpec':
      return { kind: 'stall', reason: 'InvalidSpec', message: state.message };
    case 'suspended':
      return {
        kind: 'suspend',
        message: `suspended: nothing is applied until spec.suspend is false${state.deployed ? `; revision ${state.deployed.revision} stays deployed` : ''}`,
      };
    case 'pinMissing':
      return {
        kind: 'stall',
        reason: 'RevisionNotFound',
        message:
          `spec.revision ${state.pin} has no record` +
          (state.kept.length ? ` (kept revisions: ${state.kept.join(', ')})` : ' (no revision is recorded yet)') +
          '; set spec.revision to a kept revision or remove it. Nothing was changed.',
      };
    case 'pinOutOfSync':
      return { kind: 'rollback', target: state.target, revision: state.nextRevision };
    case 'pinInSync':
      return { kind: 'verify', deployed: state.deployed, pinnedWithChanges: state.desiredDiffers ? state.pin : undefined };
    case 'interrupted':
      return { kind: 'resume', record: state.record };
    case 'renderFailed':
      return state.terminal ? { kind: 'stall', reason: state.reason, message: state.message } : { kind: 'retryRender', reason: state.reason, message: state.message };
    case 'absent':
      return { kind: 'deploy', action: 'install', revision: state.nextRevision };
    case 'outOfSync':
      return { kind: 'deploy', action: state.deployed ? 'upgrade' : 'install', revision: state.nextRevision };
    case 'inSync':
      return { kind: 'verify', deployed: state.deployed };
  }
}
