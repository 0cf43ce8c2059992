// Adding and removing our finalizer with a JSON Patch whose first operation tests the current list,
// so a concurrent change by another writer fails the patch (409/422, retried after a fresh read)
// instead of being overwritten.
import { FINALIZER } from '../api/index.js';
import type { KubeClient } from '../kube/index.js';

export type JsonPatch = ({ op: 'test' | 'add' | 'replace'; path: string; value: unknown } | { op: 'remove'; path: string })[];

/** The patch that adds `finalizer` to `current` (null when it is already there). Pure. */
export function addFinalizerPatch(current: readonly string[] | undefined, finalizer = FINALIZER): JsonPatch | null {
  if (current?.includes(finalizer)) return null;
  if (!current || current.length === 0) {
    // An absent list reads as null in a test; an empty list as []: test for what is there.
    return [
      { op: 'test', path: '/metadata/finalizers', value: current ? [] : null },
      { op: 'add', path: '/metadata/finalizers', value: [finalizer] },
    ];
  }
  return [
    { op: 'test', path: '/metadata/finalizers', value: current },
    { op: 'add', path: '/metadata/finalizers/-', value: finalizer },
  ];
}

/** The patch that removes `finalizer` from `current` (null when it is not there). Pure. */
export function removeFinalizerPatch(current: readonly string[] | undefined, finalizer = FINALIZER): JsonPatch | null {
  const index = current?.indexOf(finalizer) ?? -1;
  if (index < 0) return null;
  return [
    { op: 'test', path: `/metadata/finalizers/${index}`, value: finalizer },
    { op: 'remove', path: `/metadata/finalizers/${index}` },
  ];
}

/** Applies `patch`; returns the object as the server wrote it (undefined when there was nothing to patch). */
export async function patchFinalizers<T>(client: KubeClient, objectPath: string, patch: JsonPatch | null): Promise<T | undefined> {
  return patch ? client.patch<T>(objectPath, 'json', patch) : undefined;
}
