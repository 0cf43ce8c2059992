// Observe → decide → act, part one: the pure classifier. From what the reconciler observed (the
// ChartRelease, its revision records, and the chart and values rendered now), it names the one state
// the release is in. The set of states is closed; decide.ts picks the next action from it.

/** Helm's release statuses, as the records carry them. */
export type RecordStatus = 'deployed' | 'superseded' | 'failed' | 'pending-install' | 'pending-upgrade' | 'pending-rollback' | 'uninstalling' | 'uninstalled' | 'unknown';

/** What the controller needs to know about one revision record (never its values). */
export interface RecordSummary {
  revision: number;
  status: RecordStatus;
  action: 'install' | 'upgrade' | 'rollback';
  /** For rollbacks: the revision whose manifest was deployed again. */
  rollbackTo?: number;
  chart: { name: string; version: string; appVersion?: string };
  manifestDigest: string;
  valuesDigest: string;
  /** What the render of this revision depended on (release/ RevisionMeta.inputsDigest), when known. */
  inputsDigest?: string;
  /** RFC 3339. */
  deployedAt: string;
  description: string;
}

/** What chart + values render to now, as digests. */
export interface DesiredSummary {
  chart: { name: string; version: string; appVersion?: string };
  manifestDigest: string;
  valuesDigest: string;
}

export type DesiredResult =
  | { ok: true; desired: DesiredSummary }
  /** terminal: the user must change something (values schema, template error, missing chart); else retry with backoff. */
  | { ok: false; terminal: boolean; reason: string; message: string };

export interface Observation {
  deleting: boolean;
  hasFinalizer: boolean;
  /** InvalidSpecError's message, when the spec cannot be used. */
  specProblem?: string;
  suspended: boolean;
  /** spec.revision. */
  pin?: number;
  /** Every record of the release, any order. */
  records: readonly RecordSummary[];
  /** Absent while deleting, suspended or invalid (nothing is rendered then). */
  desired?: DesiredResult;
}

export type ReleaseState =
  | { kind: 'deleting'; hasFinalizer: boolean; deployed?: RecordSummary }
  | { kind: 'needsFinalizer' }
  | { kind: 'invalidSpec'; message: string }
  | { kind: 'suspended'; deployed?: RecordSummary }
  /** spec.revision names a revision with no record. */
  | { kind: 'pinMissing'; pin: number; kept: number[] }
  /** spec.revision is set and the deployed revision is not (a rollback to) it. */
  | { kind: 'pinOutOfSync'; pin: number; target: RecordSummary; nextRevision: number }
  /** The pinned revision is deployed; `desiredDiffers` tells whether chart + values would change it. */
  | { kind: 'pinInSync'; pin: number; deployed: RecordSummary; desiredDiffers: boolean }
  /** The newest record was left pending or failed, and it is exactly what is wanted now: finish it under the same number. */
  | { kind: 'interrupted'; record: RecordSummary }
  /** Chart + values could not be turned into manifests. */
  | { kind: 'renderFailed'; terminal: boolean; reason: string; message: string }
  /** No revision was ever recorded. */
  | { kind: 'absent'; nextRevision: number }
  /** The deployed revision differs from chart + values (or none is deployed any more). */
  | { kind: 'outOfSync'; deployed?: RecordSummary; nextRevision: number }
  /** The deployed revision is chart + values; the live objects may still have drifted. */
  | { kind: 'inSync'; deployed: RecordSummary };

const PENDING: readonly RecordStatus[] = ['pending-install', 'pending-upgrade', 'pending-rollback'];
export const isPending = (s: RecordStatus) => PENDING.includes(s);

export function newestFirst(records: readonly RecordSummary[]): RecordSummary[] {
  return [...records].sort((a, b) => b.revision - a.revision);
}

/** The record whose objects are live: the newest deployed one. */
export function deployedRecord(records: readonly RecordSummary[]): RecordSummary | undefined {
  return newestFirst(records).find((r) => r.status === 'deployed');
}

export function sameContent(a: Pick<DesiredSummary, 'manifestDigest' | 'valuesDigest' | 'chart'>, b: Pick<DesiredSummary, 'manifestDigest' | 'valuesDigest' | 'chart'>): boolean {
  return a.manifestDigest === b.manifestDigest && a.valuesDigest === b.valuesDigest && a.chart.name === b.chart.name && a.chart.version === b.chart.version;
}

/** Whether `record` deploys the manifest of revision `pin` (it is pin, or a rollback to it). */
function deploysPin(record: RecordSummary, pin: number): boolean {
  return record.revision === pin || (record.action === 'rollback' && record.rollbackTo === pin);
}

export function classify(o: Observation): ReleaseState {
  const records = newestFirst(o.records);
  const deployed = deployedRecord(records);
  const latest = records[0];
  const nextRevision = (latest?.revision ?? 0) + 1;
  if (o.deleting) return { kind: 'deleting', hasFinalizer: o.hasFinalizer, deployed };
  if (!o.hasFinalizer) return { kind: 'needsFinalizer' };
  if (o.specProblem) return { kind: 'invalidSpec', message: o.specProblem };
  if (o.suspended) return { kind: 'suspended', deployed };
  const unfinished = latest && (isPending(latest.status) || latest.status === 'failed') ? latest : undefined;

  if (o.pin !== undefined) {
    const pin = o.pin;
    if (unfinished && unfinished.action === 'rollback' && unfinished.rollbackTo === pin) return { kind: 'interrupted', record: unfinished };
    const desired = o.desired?.ok ? o.desired.desired : undefined;
    if (deployed && deploysPin(deployed, pin)) {
      return { kind: 'pinInSync', pin, deployed, desiredDiffers: desired !== undefined && !sameContent(desired, deployed) };
    }
    const target = records.find((r) => r.revision === pin);
    if (!target) return { kind: 'pinMissing', pin, kept: records.map((r) => r.revision).reverse() };
    return { kind: 'pinOutOfSync', pin, target, nextRevision };
  }

  const desired = o.desired;
  if (!desired) throw new Error('classify: an unpinned release needs the desired render');
  if (!desired.ok) return { kind: 'renderFailed', terminal: desired.terminal, reason: desired.reason, message: desired.message };
  if (unfinished && unfinished.action !== 'rollback' && sameContent(desired.desired, unfinished)) return { kind: 'interrupted', record: unfinished };
  if (!latest) return { kind: 'absent', nextRevision };
  if (deployed && sameContent(desired.desired, deployed)) return { kind: 'inSync', deployed };
  return { kind: 'outOfSync', deployed, nextRevision };
}
