// Uninstall, the finalizer's work: pre-delete hooks, the deployed revision's objects deleted in
// reverse install order (objects annotated helm.sh/resource-policy: keep stay), post-delete hooks,
// then every record of the release.
import { uninstall, type Change } from '../../apply/index.js';
import { deployedRevision } from '../../release/index.js';
import type { ReleaseContext } from './context.js';
import { inventoryOf } from './deploy.js';
import { runHooks } from './hooks.js';

export interface UninstallReport {
  revision?: number;
  changes: Change[];
  hooks: string[];
}

export async function uninstallRelease(ctx: ReleaseContext): Promise<UninstallReport> {
  const records = await ctx.store.list(ctx.signal);
  const visible = deployedRevision(records);
  const deployed = visible ? await ctx.store.get(visible.release.version, ctx.signal) : null;
  const hooks: string[] = [];
  let changes: Change[] = [];
  if (deployed) {
    hooks.push(...(await runHooks(ctx, deployed.release.hooks, 'pre-delete')));
    changes = await uninstall(ctx.applyClient, ctx.discovery, await inventoryOf(ctx, deployed), { releaseName: ctx.spec.releaseName, signal: ctx.signal });
    hooks.push(...(await runHooks(ctx, deployed.release.hooks, 'post-delete')));
  }
  await ctx.store.deleteAll(ctx.signal);
  return { ...(deployed ? { revision: deployed.release.version } : {}), changes, hooks };
}
