// The status a reconcile ends with, computed from a snapshot of the old one (pure), and written once
// as a merge patch on the status subresource, only when it differs: an unchanged release costs no write.
import { API_VERSION, chartReleasePath, KIND, type PlanStatus, type ChartRelease, type ChartReleaseStatus, type ChartStatus, type HistoryEntry, type HistoryStatus } from '../api/index.js';
import { canonicalJson, statusHistory, type Revision } from '../release/index.js';
import type { KubeClient } from '../kube/index.js';
import { RELEASE_STATUS_FIELDS } from '../remediation/index.js';
import { redact } from '../redact/index.js';
import { conditionsFor, type Outcome } from './conditions.js';
import type { ValuesWarning } from '../provenance/index.js';
import { withValuesWarnings } from './values-warnings.js';


/** Helm's statuses folded into the four API.md shows. */
function historyStatus(status: string): HistoryStatus {
  if (status === 'deployed' || status === 'superseded' || status === 'failed' || status === 'uninstalled') return status;
  if (status.startsWith('pending')) return 'pending';
  return 'superseded';
}

/** status.history from the records: newest first, at most historyLimit, digests only. Pure. */
export function historyFromRecords(records: readonly Revision[], historyLimit: number): HistoryEntry[] {
  return statusHistory(records, historyLimit).map((s) => ({
    revision: s.revision,
    action: s.action,
    ...(s.rollbackTo !== undefined ? { rollbackTo: s.rollbackTo } : {}),
    status: historyStatus(s.status),
    chart: s.chart,
    valuesDigest: s.valuesDigest,
    manifestDigest: s.manifestDigest,
    deployedAt: s.deployedAt,
    message: redact(s.message),
  }));
}

export interface StatusInput {
  previous: ChartReleaseStatus;
  generation: number;
  outcome: Outcome;
  now: Date;
  /** Every record of the release (undefined: keep the previous revision and history). */
  records?: readonly Revision[];
  historyLimit: number;
  /** Values warnings of this reconcile's render (undefined: keep the ValuesWarnings condition as it is). */
  valuesWarnings?: readonly ValuesWarning[];
  /** status.plan (undefined: keep the previous one; null: remove it). */
  plan?: PlanStatus | null;
}

/** status.chart: the deployed revision's chart, with digest and source when it came from a repository or registry. */
function chartStatus({ release, meta }: Revision): ChartStatus {
  return {
    name: release.chart?.metadata?.name ?? '',
    version: release.chart?.metadata?.version ?? '',
    ...(meta.chartDigest ? { digest: meta.chartDigest } : {}),
    ...(meta.chartSource ? { source: meta.chartSource } : {}),
  };
}

const redactOutcome = (o: Outcome): Outcome => ({ ...o, message: redact(o.message) });

/** Longest status.summary (the STATUS column of `kubectl get chr`). */
export const MAX_SUMMARY = 80;

/**
 * status.summary: the reason and the first line of the message, at most MAX_SUMMARY characters
 * (`revision 3` alone when deployed). The full message stays in the conditions. Pure.
 */
export function statusSummary(outcome: Outcome): string {
  const reason = outcome.kind === 'suspended' ? 'Suspended' : outcome.reason;
  const gist = (outcome.message.split('\n')[0] ?? '').replace(/\s+/g, ' ').trim();
  const text = outcome.kind === 'ready' && reason === 'Deployed' ? gist : gist ? `${reason}: ${gist}` : reason;
  return text.length <= MAX_SUMMARY ? text : text.slice(0, MAX_SUMMARY - 3) + '...';
}

/** The next status (messages redacted: src/redact/). */
export function nextStatus(input: StatusInput): ChartReleaseStatus {
  const { previous, records } = input;
  const deployed = records ? [...records].filter((r) => r.release.info.status === 'deployed').sort((a, b) => b.release.version - a.release.version)[0] : undefined;
  const status: ChartReleaseStatus = {
    observedGeneration: input.generation,
    ...(records ? (deployed ? { revision: deployed.release.version } : {}) : previous.revision !== undefined ? { revision: previous.revision } : {}),
    ...(records ? (deployed ? { chart: chartStatus(deployed) } : {}) : previous.chart ? { chart: previous.chart } : {}),
    // Redacted here, where messages go to status: what the user sees and what the next run compares with.
    conditions: withValuesWarnings(conditionsFor(previous.conditions ?? [], redactOutcome(input.outcome), input.generation, input.now), input.valuesWarnings, input.generation, input.now),
    history: records ? historyFromRecords(records, input.historyLimit) : (previous.history ?? []),
    summary: statusSummary(redactOutcome(input.outcome)),
  };
  const plan = input.plan === undefined ? previous.plan : input.plan;
  if (plan) status.plan = plan;
  return status;
}

export function statusChanged(before: ChartReleaseStatus | undefined, after: ChartReleaseStatus): boolean {
  return canonicalJson(before ?? {}) !== canonicalJson(after);
}

/** Fields a merge patch must remove (null) when the new status lacks them. */
const CLEARED_WHEN_ABSENT = ['revision', 'plan', ...RELEASE_STATUS_FIELDS] as const;

/** Writes `status` (merge patch on /status; fields it lacks are removed). */
export async function writeStatus(client: KubeClient, cr: ChartRelease, status: ChartReleaseStatus): Promise<void> {
  const cleared = Object.fromEntries(CLEARED_WHEN_ABSENT.map((k) => [k, status[k] ?? null]));
  const patch = { apiVersion: API_VERSION, kind: KIND, status: { ...status, ...cleared } };
  await client.patch(chartReleasePath(cr.metadata.namespace, cr.metadata.name, 'status'), 'merge', patch, { metadataOnly: true });
}
