// Manual approval (spec.approval.mode manual): what a deploy would change, found with a server-side
// dry run of its manifest against the cluster (src/diff), as status.plan objects.
import type { PlanObject } from '../../api/index.js';
import { diffAgainstCluster } from '../../diff/index.js';
import { planObjectsFromDiffs } from '../../plan/index.js';
import type { StoredRecord } from '../../release/index.js';
import type { ReleaseContext } from './context.js';

/** The objects applying `manifest` (and `crds`) over the deployed revision `previous` would change, prune included. */
export async function dryRunPlanObjects(ctx: ReleaseContext, manifest: string, crds: readonly { text: string }[], previous: StoredRecord | undefined): Promise<PlanObject[]> {
  const { spec } = ctx;
  const diffs = await diffAgainstCluster(ctx.applyClient, ctx.discovery, manifest, crds, previous?.release.manifest ?? undefined, {
    releaseName: spec.releaseName,
    targetNamespace: spec.targetNamespace,
    force: spec.forceConflicts,
    prune: spec.prune,
    signal: ctx.signal,
  });
  return planObjectsFromDiffs(diffs);
}
