// Inventories (the objects a revision deployed) and what changed: pure.
import { formatRef, refKey, type KubeObject, type ObjectRef } from '../kube/index.js';
import { sortByUninstallOrder } from './order.js';

/** One object a revision deployed, its namespace resolved (absent for cluster-scoped kinds). */
export interface InventoryEntry {
  ref: ObjectRef;
  /** `helm.sh/resource-policy: keep` in the manifest. */
  keep: boolean;
}

export type Inventory = InventoryEntry[];

/**
 * Objects the previous inventory has and the current one lacks, in deletion order. The API version
 * is not part of an object's identity (a move from v1beta1 to v1 is no deletion). Entries marked keep
 * stay in the result with their flag, so the deletion reports them as kept.
 */
export function staleObjects(previous: Inventory, current: Inventory): InventoryEntry[] {
  const wanted = new Set(current.map((e) => refKey(e.ref)));
  const seen = new Set<string>();
  const stale: InventoryEntry[] = [];
  for (const entry of previous) {
    const key = refKey(entry.ref);
    if (wanted.has(key) || seen.has(key)) continue;
    seen.add(key);
    stale.push(entry);
  }
  return deletionOrder(stale);
}

/** Entries sorted for deletion (see sortByUninstallOrder). */
export function deletionOrder(entries: readonly InventoryEntry[]): InventoryEntry[] {
  return sortByUninstallOrder(entries.map((e) => ({ ...e, kind: e.ref.kind }))).map(({ ref, keep }) => ({ ref, keep }));
}

/** What happened to one object. */
export type ChangeAction = 'created' | 'configured' | 'unchanged' | 'deleted' | 'kept' | 'skipped';

export interface Change {
  ref: ObjectRef;
  action: ChangeAction;
  /** Why an object was kept or skipped (resource policy, owned by another release, already gone). */
  reason?: string;
  /** For `configured`: where the live object differed (`.data.key`, `.spec.replicas`); drift when the manifest did not change. */
  fields?: string[];
  /** With keepObjects: the live object (null when absent) and what applying gives (null when unknown: its kind or namespace is not there yet). */
  objects?: { live: KubeObject | null; planned: KubeObject | null };
}

/** Counts per action, e.g. `2 created, 1 configured, 5 unchanged`; 'no changes' when nothing changed. */
export function summarizeChanges(changes: readonly Change[]): string {
  const order: ChangeAction[] = ['created', 'configured', 'deleted', 'kept', 'skipped', 'unchanged'];
  const counts = new Map<ChangeAction, number>();
  for (const c of changes) counts.set(c.action, (counts.get(c.action) ?? 0) + 1);
  const parts = order.filter((a) => counts.get(a)).map((a) => `${counts.get(a)} ${a}`);
  return parts.length ? parts.join(', ') : 'no objects';
}

/** One line per object that changed: `Deployment.apps/web -n shop configured`. */
export function describeChanges(changes: readonly Change[]): string[] {
  return changes.filter((c) => c.action !== 'unchanged').map((c) => `${formatRef(c.ref)} ${c.action}${c.reason ? ` (${c.reason})` : ''}`);
}

/** Whether a change set wrote anything. */
export function hasWrites(changes: readonly Change[]): boolean {
  return changes.some((c) => c.action === 'created' || c.action === 'configured' || c.action === 'deleted');
}
