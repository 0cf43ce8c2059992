// Deploying a revision: install/upgrade (rendered chart + values), rollback (a stored revision's
// manifest) and resume (a record left pending or failed). Crash-safe by construction: the record is
// written first as pending-install/-upgrade/-rollback, then hooks, CRDs, apply, prune, wait and post
// hooks run, and only then is it marked deployed (and the previous one superseded). A restart at any
// point finds the pending record, whose content is what is wanted, and resumes it under the same
// number: no revision is lost or written twice. A first install that only applies objects
// (progress.ts, recordsDeployedFirst) writes its record once, as deployed, before the apply: a
// restart then applies that record's objects again where they differ or are missing, which is what
// resuming would do.
import {
  ApplyConflictError,
  applyManifest,
  ensureNamespace,
  parseManifest,
  prune,
  resolveInventory,
  summarizeChanges,
  waitReady,
  type Change,
  type Inventory,
} from '../../apply/index.js';
import { isNotFound } from '../../kube/index.js';
import { defaultDescription, newRelease, type Revision, type StoredRecord } from '../../release/index.js';
import { classifyError, RetryableError, StalledError } from '../errors.js';
import type { RenderedRelease } from '../desired.js';
import { releaseKey, type ReleaseContext } from './context.js';
import { runHooks, type HookEvent } from './hooks.js';
import { runTests, TestFailedError, type TestReport } from './tests.js';

export interface DeployReport {
  revision: number;
  action: 'install' | 'upgrade' | 'rollback';
  rollbackTo?: number;
  changes: Change[];
  pruned: Change[];
  hooks: string[];
  /** The chart tests run after it (spec.test). */
  tests?: TestReport;
  /** How long applying (hooks, apply, prune, wait) took. */
  seconds: number;
  /** The release's records once this revision is deployed and history pruned (status is built from them). */
  records: StoredRecord[];
}

const PENDING = { install: 'pending-install', upgrade: 'pending-upgrade', rollback: 'pending-rollback' } as const;
const VERB = { install: 'Install', upgrade: 'Upgrade', rollback: 'Rollback' } as const;

/** The objects a stored manifest deployed, namespaces resolved. */
export async function inventoryOf(ctx: ReleaseContext, record: Revision | undefined): Promise<Inventory> {
  if (!record) return [];
  return resolveInventory(ctx.discovery, parseManifest(record.release.manifest ?? ''), ctx.spec.targetNamespace);
}

/** The record goes first (it lives in the target namespace, which createNamespace may have to create). */
async function createRecord(ctx: ReleaseContext, revision: Revision): Promise<StoredRecord> {
  const ns = ctx.spec.targetNamespace;
  if (ctx.spec.createNamespace) await ensureNamespace(ctx.applyClient, ns);
  try {
    return await ctx.store.create(revision, ctx.signal);
  } catch (err) {
    // Creating a Secret finds nothing only when its namespace is missing.
    if (!isNotFound(err) || ctx.spec.createNamespace) throw err;
    throw new RetryableError('NamespaceNotFound', `target namespace ${ns} does not exist: create it (kubectl create namespace ${ns}) or set spec.createNamespace: true`);
  }
}

/**
 * Writes revision `version` from a render and deploys it: pending, or deployed when `deployedFirst`
 * (a first install that only applies objects; the release then has no other record).
 */
export async function deployRendered(ctx: ReleaseContext, rendered: RenderedRelease, action: 'install' | 'upgrade', version: number, previous: StoredRecord | undefined, firstDeployed: string | undefined, deployedFirst = false): Promise<DeployReport> {
  const revision = newRelease({
    name: ctx.spec.releaseName,
    namespace: ctx.spec.targetNamespace,
    version,
    chart: rendered.chartMetadata,
    chartValues: rendered.chartValues,
    config: rendered.config,
    manifest: rendered.manifest,
    hooks: rendered.hooks,
    notes: rendered.notes,
    ...(rendered.chartSource ? { chartSource: rendered.chartSource } : {}),
    inputsDigest: rendered.inputsDigest,
    action,
    status: deployedFirst ? 'deployed' : PENDING[action],
    description: deployedFirst ? defaultDescription(action) : `${VERB[action]} in progress`,
    firstDeployed,
    now: ctx.now(),
  });
  const created = await createRecord(ctx, revision);
  return deployRecord(ctx, revision, previous, rendered.crds, deployedFirst ? created : undefined);
}

/** Writes revision `version` (pending) holding `target`'s manifest, values and chart, and deploys it. */
export async function deployRollback(ctx: ReleaseContext, targetVersion: number, version: number, previous: StoredRecord | undefined, firstDeployed: string | undefined): Promise<DeployReport> {
  const target = await ctx.store.get(targetVersion, ctx.signal);
  if (!target) throw new StalledError('RevisionNotFound', `revision ${targetVersion} has no record any more; set spec.revision to a kept revision or remove it`);
  const { release } = target;
  const revision = newRelease({
    name: ctx.spec.releaseName,
    namespace: ctx.spec.targetNamespace,
    version,
    chart: release.chart.metadata,
    chartValues: (release.chart.values ?? {}) as Record<string, unknown>,
    config: release.config ?? {},
    manifest: release.manifest ?? '',
    hooks: release.hooks ?? [],
    notes: release.info.notes,
    action: 'rollback',
    rollbackTo: targetVersion,
    ...(target.meta.chartDigest ? { chartSource: { digest: target.meta.chartDigest, source: target.meta.chartSource ?? '' } } : {}),
    status: 'pending-rollback',
    description: `Rollback to ${targetVersion} in progress`,
    firstDeployed,
    now: ctx.now(),
  });
  await createRecord(ctx, revision);
  return deployRecord(ctx, revision, previous, []);
}

/** Deploys a record that was left pending (a restart) or failed, under its own number. */
export async function resumeRecord(ctx: ReleaseContext, version: number, previous: StoredRecord | undefined): Promise<DeployReport> {
  const record = await ctx.store.get(version, ctx.signal);
  if (!record) throw new RetryableError('RecordGone', `revision ${version} disappeared while resuming it`);
  return deployRecord(ctx, record, previous, []);
}

/**
 * Field managers that deployed this same release before us: Helm's own (`helm install`/`upgrade`
 * with server-side apply). Their fields are the release's, so adopting the release takes them over;
 * any other manager's conflict is reported unless spec.forceConflicts.
 */
export const RELEASE_FIELD_MANAGERS: readonly string[] = ['helm'];

async function applyTakingOverFromHelm(ctx: ReleaseContext, objects: ReturnType<typeof parseManifest>, previous: StoredRecord | undefined) {
  const { spec } = ctx;
  // Fields the deployed revision set are ours to take back; Helm's managedFields move to ours (adoption).
  const previousObjects = previous ? parseManifest(previous.release.manifest ?? '') : [];
  const apply = (force: boolean) =>
    applyManifest(ctx.applyClient, ctx.discovery, objects, {
      targetNamespace: spec.targetNamespace,
      force,
      ownership: { releaseName: spec.releaseName, releaseNamespace: spec.targetNamespace },
      previousObjects,
      takeOverManagers: RELEASE_FIELD_MANAGERS,
      signal: ctx.signal,
    });
  try {
    return await apply(spec.forceConflicts);
  } catch (err) {
    if (!(err instanceof ApplyConflictError) || !err.conflicts.every((c) => c.managers.every((m) => RELEASE_FIELD_MANAGERS.includes(m)))) throw err;
    ctx.log.info({ conflicts: err.message }, 'taking over the fields of the release from Helm');
    return apply(true);
  }
}

/** `deployedAlready`: the record as created deployed (recordsDeployedFirst), the release's only one. */
async function deployRecord(ctx: ReleaseContext, revision: Revision, previous: StoredRecord | undefined, crds: RenderedRelease['crds'], deployedAlready?: StoredRecord): Promise<DeployReport> {
  const { spec, applyClient, discovery, store } = ctx;
  const { action, rollbackTo } = revision.meta;
  const version = revision.release.version;
  const hooks: string[] = [];
  const started = performance.now();
  try {
    hooks.push(...(await runHooks(ctx, revision.release.hooks, `pre-${action}` as HookEvent)));
    if (crds.length) {
      const crdObjects = crds.flatMap((c) => parseManifest(c.text));
      await applyManifest(applyClient, discovery, crdObjects, { targetNamespace: spec.targetNamespace, force: spec.forceConflicts, signal: ctx.signal });
    }
    ctx.inventory?.forget(releaseKey(ctx));
    const result = await applyTakingOverFromHelm(ctx, parseManifest(revision.release.manifest ?? ''), previous);
    ctx.inventory?.remember(releaseKey(ctx), revision.meta.manifestDigest, result.versions);
    const pruned = spec.prune && previous ? await prune(applyClient, discovery, await inventoryOf(ctx, previous), result.inventory, { releaseName: spec.releaseName, signal: ctx.signal }) : [];
    if (spec.wait.enabled) {
      const onWaiting = ctx.progress && ((messages: string[]) => ctx.progress!(`revision ${version} applied; waiting up to ${Math.round(spec.wait.timeoutMs / 1000)}s for ${messages.join('; ')}`));
      const outcome = await waitReady(applyClient, discovery, result.inventory, { timeoutMs: spec.wait.timeoutMs, signal: ctx.signal, ...(onWaiting ? { onWaiting } : {}) });
      if (outcome.state !== 'ready') {
        throw new RetryableError('WaitFailed', `revision ${version} ${outcome.state === 'timeout' ? `not ready after ${Math.round(spec.wait.timeoutMs / 1000)}s` : 'failed'}: ${outcome.messages.join('; ')}`);
      }
    }
    hooks.push(...(await runHooks(ctx, revision.release.hooks, `post-${action}` as HookEvent)));
    const tests = spec.test.enabled && action !== 'rollback' ? await runTests(ctx, revision.release.hooks) : undefined;
    if (tests?.failure && !spec.test.ignoreFailures) throw new TestFailedError(tests, tests.failure);
    // The previous revision is superseded before this one is marked deployed: never two deployed at once.
    const records = deployedAlready ? [deployedAlready] : await store.markDeployed(version, ctx.signal, defaultDescription(action, rollbackTo));
    const dropped = await store.prune(spec.historyLimit, ctx.signal, records);
    ctx.log.info({ revision: version, action, changes: summarizeChanges(result.changes), pruned: pruned.length }, 'revision deployed');
    return { revision: version, action, ...(rollbackTo !== undefined ? { rollbackTo } : {}), changes: result.changes, pruned, hooks, ...(tests ? { tests } : {}), seconds: (performance.now() - started) / 1000, records: records.filter((r) => !dropped.includes(r.release.version)) };
  } catch (err) {
    const failure = classifyError(err, VERB[action]);
    try {
      await store.setStatus(version, 'failed', `${VERB[action]} "${spec.releaseName}" failed: ${failure.message}`, ctx.signal);
    } catch (statusErr) {
      ctx.log.warn({ revision: version, err: (statusErr as Error).message }, 'could not mark the revision failed; it stays pending and is resumed');
    }
    throw failure;
  }
}
