// Remediation by uninstall (spec.install.remediation, spec.upgrade.remediation.strategy uninstall):
// the failed revision's hooks around the deletion as `helm uninstall` runs them (pre-delete, post-delete),
// the objects of the failed revision and of the revision deployed before it deleted (keep respected),
// and their records marked `uninstalled`, kept with their messages so history shows what failed.
import { prune, type Change } from '../../apply/index.js';
import type { ReleaseContext } from './context.js';
import { inventoryOf } from './deploy.js';
import { runHooks } from './hooks.js';

export interface RemediationUninstallReport {
  changes: Change[];
  hooks: string[];
}

/** `revisions` newest first; the first is the failed one. */
export async function uninstallRevisions(ctx: ReleaseContext, revisions: readonly number[]): Promise<RemediationUninstallReport> {
  const records = [];
  for (const version of revisions) {
    const record = await ctx.store.get(version, ctx.signal);
    if (record) records.push(record);
  }
  const failed = records[0];
  const hooks: string[] = [];
  if (failed) hooks.push(...(await runHooks(ctx, failed.release.hooks, 'pre-delete')));
  const inventory = (await Promise.all(records.map((r) => inventoryOf(ctx, r)))).flat();
  // prune against nothing: every object once, in reverse install order.
  const changes = await prune(ctx.applyClient, ctx.discovery, inventory, [], { releaseName: ctx.spec.releaseName, signal: ctx.signal });
  if (failed) hooks.push(...(await runHooks(ctx, failed.release.hooks, 'post-delete')));
  for (const r of records) {
    const before = r.release.info.description ?? '';
    const why = r === failed ? `${before}; uninstalled by remediation` : `Uninstalled by remediation after revision ${failed!.release.version} failed`;
    await ctx.store.setStatus(r.release.version, 'uninstalled', why, ctx.signal);
  }
  ctx.log.info({ revisions: records.map((r) => r.release.version), deleted: changes.filter((c) => c.action === 'deleted').length }, 'release uninstalled by remediation');
  return { changes, hooks };
}
