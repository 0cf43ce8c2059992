// Chart hooks as Helm runs them: for one event (pre-install, post-upgrade, pre-delete, ...) the hooks
// in order of helm.sh/hook-weight, then name; each one applied, Jobs (and other workloads) waited for,
// and deleted according to helm.sh/hook-delete-policy (before-hook-creation when none is given).
import { applyManifest, parseManifest, resolveInventory, uninstall, waitReady } from '../../apply/index.js';
import type { ReleaseHook } from '../../release/index.js';
import { StalledError } from '../errors.js';
import type { ReleaseContext } from './context.js';

export type HookEvent = 'pre-install' | 'post-install' | 'pre-upgrade' | 'post-upgrade' | 'pre-rollback' | 'post-rollback' | 'pre-delete' | 'post-delete' | 'test';

/** The hooks of `event` in execution order: weight ascending, then name. Pure. */
export function hooksFor(hooks: readonly ReleaseHook[] | null | undefined, event: HookEvent): ReleaseHook[] {
  return (hooks ?? [])
    .filter((h) => h.events.includes(event))
    .sort((a, b) => (a.weight ?? 0) - (b.weight ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function deletePolicies(hook: ReleaseHook): string[] {
  return hook.delete_policies?.length ? hook.delete_policies : ['before-hook-creation'];
}

/** Runs one hook: applied, waited for, its delete policies applied. Returns why it failed, or undefined when it succeeded. */
export async function runHook(ctx: ReleaseContext, hook: ReleaseHook, event: HookEvent, timeoutMs: number): Promise<string | undefined> {
  const { applyClient, discovery, spec } = ctx;
  const objects = parseManifest(hook.manifest);
  const inventory = await resolveInventory(discovery, objects, spec.targetNamespace);
  const policies = deletePolicies(hook);
  const remove = () => uninstall(applyClient, discovery, inventory.map((e) => ({ ...e, keep: false })), { signal: ctx.signal });
  if (policies.includes('before-hook-creation')) await remove();
  await applyManifest(applyClient, discovery, objects, { targetNamespace: spec.targetNamespace, force: spec.forceConflicts, signal: ctx.signal });
  const outcome = await waitReady(applyClient, discovery, inventory, { timeoutMs, intervalMs: 500, signal: ctx.signal });
  if (outcome.state !== 'ready') {
    if (policies.includes('hook-failed')) await remove();
    return `${event} hook ${hook.name} (${hook.path}) ${outcome.state === 'timeout' ? 'did not complete in time' : 'failed'}: ${outcome.messages.join('; ')}`;
  }
  if (policies.includes('hook-succeeded')) await remove();
  return undefined;
}

/** Runs the hooks of one event; returns one line per hook run. Throws StalledError when a hook fails. */
export async function runHooks(ctx: ReleaseContext, hooks: readonly ReleaseHook[] | null | undefined, event: HookEvent): Promise<string[]> {
  const ran: string[] = [];
  for (const hook of hooksFor(hooks, event)) {
    const failed = await runHook(ctx, hook, event, ctx.spec.wait.timeoutMs);
    if (failed) throw new StalledError('HookFailed', failed);
    ran.push(`${event} hook ${hook.kind}/${hook.name} succeeded`);
  }
  return ran;
}
