// The deployed revision, applied again: objects whose live state equals the manifest cost only a
// server-side dry-run (no write); objects someone edited or deleted are put back (drift correction).
// The manifest did not change, so every field in it is one this operator applied before: a field
// another manager holds now was taken by hand (kubectl edit/patch) and is taken back (forced).
// Conflicts on a new revision's fields are different: deploy reports them unless spec.forceConflicts.
// With waiting on, the workloads' readiness is checked once (no blocking). With src/inventory-watch,
// objects that did not move since they were applied cost nothing.
import { applyManifest, parseManifest, resolveInventory, waitReady, type Change } from '../../apply/index.js';
import { refKey } from '../../kube/index.js';
import type { StoredRecord } from '../../release/index.js';
import { releaseKey, type ReleaseContext } from './context.js';
import { inventoryOf, RELEASE_FIELD_MANAGERS } from './deploy.js';

export interface VerifyReport {
  /** Every object of the manifest and what happened to it. */
  changes: Change[];
  /** Objects that were changed back (`configured`, with the fields that differed) or created again. */
  drift: Change[];
  /** Workloads not ready yet (only with spec.wait.enabled). */
  notReady: string[];
}

/** With `dryRun` nothing is written: the drift is what applying would correct (manual approval). */
export async function verifyDeployed(ctx: ReleaseContext, deployed: StoredRecord, opts: { dryRun?: boolean } = {}): Promise<VerifyReport> {
  const { spec } = ctx;
  const objects = parseManifest(deployed.release.manifest ?? '');
  const digest = deployed.meta.manifestDigest;
  // With the inventory watch, only objects whose resourceVersion moved since they were last applied
  // (or that nothing vouches for) are dry-run again; the others are unchanged without a request.
  const entries = ctx.inventory ? await resolveInventory(ctx.discovery, objects, spec.targetNamespace) : [];
  const changed = ctx.inventory && !ctx.checkAll ? await ctx.inventory.changedSince(releaseKey(ctx), digest, entries.map((e) => e.ref)) : undefined;
  const toCheck = changed ? objects.filter((_, i) => changed.has(refKey(entries[i]!.ref))) : objects;
  const result = toCheck.length
    ? await applyManifest(ctx.applyClient, ctx.discovery, toCheck, {
        targetNamespace: spec.targetNamespace,
        force: true,
        dryRun: opts.dryRun,
        ownership: { releaseName: spec.releaseName, releaseNamespace: spec.targetNamespace },
        takeOverManagers: RELEASE_FIELD_MANAGERS,
        signal: ctx.signal,
      })
    : { changes: [], versions: new Map<string, string>() };
  ctx.inventory?.remember(releaseKey(ctx), digest, result.versions, changed !== undefined);
  const checked = new Map(result.changes.map((c) => [refKey(c.ref), c]));
  const changes: Change[] = changed ? entries.map((e) => checked.get(refKey(e.ref)) ?? { ref: e.ref, action: 'unchanged' }) : result.changes;
  const drift = changes.filter((c) => c.action === 'created' || c.action === 'configured');
  let notReady: string[] = [];
  if (spec.wait.enabled) {
    const outcome = await waitReady(ctx.applyClient, ctx.discovery, await inventoryOf(ctx, deployed), { timeoutMs: 0, signal: ctx.signal });
    if (outcome.state !== 'ready') notReady = outcome.messages;
  }
  return { changes, drift, notReady };
}
