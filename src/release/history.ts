// Revision bookkeeping: pure. Building a record, numbering, superseding, pruning by historyLimit, and
// the status.history view.
import { manifestDigest, valuesDigest } from './codec.js';
import type { ChartMetadata, HelmRelease, ReleaseAction, ReleaseHook, ReleaseStatus, RevisionMeta, RevisionSummary } from './types.js';

/** A release record with our bookkeeping: what the revision store hands out. */
export interface Revision {
  release: HelmRelease;
  meta: RevisionMeta;
}

export interface NewReleaseInput {
  name: string;
  namespace: string;
  version: number;
  chart: ChartMetadata;
  /** The chart's default values (stored so `helm get values --all` works); dropped first when a record is too large. */
  chartValues?: Record<string, unknown> | null;
  /** The user-supplied values: valuesFrom overlays and spec.values, coalesced. */
  config: Record<string, unknown>;
  manifest: string;
  hooks?: ReleaseHook[];
  notes?: string;
  action: ReleaseAction;
  rollbackTo?: number;
  /** RevisionMeta.inputsDigest of the render this revision deploys. */
  inputsDigest?: string;
  status?: ReleaseStatus;
  /** Overrides the default description ("Install complete", "Upgrade complete", "Rollback to N"). */
  description?: string;
  /** Digest and source of the chart, when it came from a repository or registry. */
  chartSource?: { digest: string; source: string };
  /** first_deployed of the release (from its first revision); default now. */
  firstDeployed?: string;
  now: Date;
}

export function defaultDescription(action: ReleaseAction, rollbackTo?: number): string {
  switch (action) {
    case 'install':
      return 'Install complete';
    case 'upgrade':
      return 'Upgrade complete';
    case 'rollback':
      return `Rollback to ${rollbackTo}`;
  }
}

/**
 * A release record as Helm's storage holds it, minus what only re-rendering needs: the chart keeps its
 * metadata (and default values), not its templates and files.
 */
export function newRelease(input: NewReleaseInput): Revision {
  const now = input.now.toISOString();
  const release: HelmRelease = {
    name: input.name,
    info: {
      first_deployed: input.firstDeployed ?? now,
      last_deployed: now,
      description: input.description ?? defaultDescription(input.action, input.rollbackTo),
      status: input.status ?? 'deployed',
      ...(input.notes ? { notes: input.notes } : {}),
    },
    chart: { metadata: input.chart, lock: null, templates: [], values: input.chartValues ?? {}, schema: null, files: [] },
    config: input.config,
    manifest: input.manifest,
    hooks: input.hooks ?? [],
    version: input.version,
    namespace: input.namespace,
    apply_method: 'ssa',
  };
  const meta: RevisionMeta = {
    action: input.action,
    ...(input.action === 'rollback' && input.rollbackTo !== undefined ? { rollbackTo: input.rollbackTo } : {}),
    valuesDigest: valuesDigest(input.config),
    manifestDigest: manifestDigest(input.manifest),
    ...(input.chartSource ? { chartDigest: input.chartSource.digest, chartSource: input.chartSource.source } : {}),
    ...(input.inputsDigest && input.action !== 'rollback' ? { inputsDigest: input.inputsDigest } : {}),
  };
  return { release, meta };
}

/**
 * Our bookkeeping for a record another writer made (`helm install`/`upgrade`/`rollback`): the action
 * from Helm's description, digests computed.
 */
export function inferMeta(release: HelmRelease): RevisionMeta {
  const description = release.info?.description ?? '';
  const rollback = /^Rollback to (\d+)/.exec(description);
  const action: ReleaseAction = rollback ? 'rollback' : release.version === 1 || /^Install/i.test(description) ? 'install' : 'upgrade';
  return {
    action,
    ...(rollback ? { rollbackTo: Number(rollback[1]) } : {}),
    valuesDigest: valuesDigest(release.config),
    manifestDigest: manifestDigest(release.manifest ?? ''),
  };
}

/**
 * The next revision number: one more than the highest ever recorded. `floor` is a number known to be
 * used already (e.g. the revision in the ChartRelease's status), for when old records were deleted.
 */
export function nextRevision(versions: readonly number[], floor = 0): number {
  return Math.max(floor, 0, ...versions) + 1;
}

/** The deployed revision: the highest version with status deployed. */
export function deployedRevision<T extends { release: HelmRelease }>(revisions: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const r of revisions) if (r.release.info.status === 'deployed' && (!best || r.release.version > best.release.version)) best = r;
  return best;
}

/**
 * The revision whose objects are live: the deployed one, or, in the moment between superseding it and
 * marking its successor deployed (an operator killed there), the newest superseded one.
 */
export function liveRevision<T extends { release: HelmRelease }>(revisions: readonly T[]): T | undefined {
  const deployed = deployedRevision(revisions);
  if (deployed) return deployed;
  let best: T | undefined;
  for (const r of revisions) if (r.release.info.status === 'superseded' && (!best || r.release.version > best.release.version)) best = r;
  return best;
}

/** Versions to mark superseded once `deployed` is deployed: every other revision still marked deployed. */
export function versionsToSupersede(revisions: readonly { release: HelmRelease }[], deployed: number): number[] {
  return revisions.filter((r) => r.release.version !== deployed && r.release.info.status === 'deployed').map((r) => r.release.version);
}

/**
 * Versions to delete so at most `historyLimit` records stay: the oldest go first, the deployed
 * revision never does (it is kept even beyond the limit). A limit of 0 or less keeps everything.
 */
export function versionsToPrune(revisions: readonly { release: HelmRelease }[], historyLimit: number): number[] {
  if (historyLimit <= 0) return [];
  const deployed = deployedRevision(revisions)?.release.version;
  const newestFirst = [...revisions].sort((a, b) => b.release.version - a.release.version);
  const keep = new Set(newestFirst.slice(0, historyLimit).map((r) => r.release.version));
  if (deployed !== undefined && !keep.has(deployed)) {
    // Make room for the deployed revision: drop the oldest of the kept ones (not the newest).
    const kept = newestFirst.filter((r) => keep.has(r.release.version));
    if (kept.length >= historyLimit && kept.length > 0) keep.delete(kept[kept.length - 1]!.release.version);
    keep.add(deployed);
  }
  return newestFirst.filter((r) => !keep.has(r.release.version)).map((r) => r.release.version).sort((a, b) => a - b);
}

/** status.history: newest first, at most `limit` entries, digests only (values may hold secrets). */
export function statusHistory(revisions: readonly Revision[], limit: number): RevisionSummary[] {
  const newestFirst = [...revisions].sort((a, b) => b.release.version - a.release.version);
  const shown = limit > 0 ? newestFirst.slice(0, limit) : newestFirst;
  return shown.map(({ release, meta }) => {
    const status = release.info.status;
    const failed = status === 'failed' || status === 'uninstalled';
    return {
      revision: release.version,
      action: meta.action,
      ...(meta.action === 'rollback' && meta.rollbackTo !== undefined ? { rollbackTo: meta.rollbackTo } : {}),
      status,
      chart: {
        name: release.chart?.metadata?.name ?? '',
        version: release.chart?.metadata?.version ?? '',
        ...(release.chart?.metadata?.appVersion ? { appVersion: release.chart.metadata.appVersion } : {}),
        ...(meta.chartDigest ? { digest: meta.chartDigest } : {}),
      },
      valuesDigest: meta.valuesDigest,
      manifestDigest: meta.manifestDigest,
      deployedAt: release.info.last_deployed ?? '',
      message: failed ? (release.info.description ?? '') : '',
    };
  });
}
