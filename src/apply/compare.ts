// Pure comparisons for the apply engine: is a dry-run result the live object already (nothing to
// write), and which managers own the fields a server-side apply conflicts on.
import { differingPaths as jsonDifferingPaths, jsonEqual } from '../json/index.js';
import type { KubeObject, StatusCause } from '../kube/index.js';

/** Metadata that changes without the object changing: bookkeeping of the server. */
const VOLATILE_METADATA = ['managedFields', 'resourceVersion'];

function withoutVolatile(obj: KubeObject): unknown {
  const { metadata, ...rest } = obj;
  const meta: Record<string, unknown> = { ...(metadata ?? {}) };
  for (const key of VOLATILE_METADATA) delete meta[key];
  return { ...rest, metadata: meta };
}

export const deepEqual = jsonEqual;

/**
 * Whether applying would leave the live object as it is: the server-side dry-run result equals the
 * live object apart from managedFields and resourceVersion.
 */
export function isUnchanged(live: KubeObject, dryRun: KubeObject): boolean {
  return deepEqual(withoutVolatile(live), withoutVolatile(dryRun));
}

/** Metadata the server sets itself: never a field anyone edited, so never named in a drift report. */
const SERVER_SET_METADATA = ['generation', 'uid', 'creationTimestamp', 'managedFields', 'resourceVersion'];

function withoutServerSet(obj: KubeObject): KubeObject {
  const metadata: Record<string, unknown> = { ...(obj.metadata ?? {}) };
  for (const key of SERVER_SET_METADATA) delete metadata[key];
  return { ...obj, metadata } as KubeObject;
}

/** The top-level paths where two objects differ (for drift reports: `.spec.replicas`, `.data.key`), server-set metadata aside. */
export function differingPaths(live: KubeObject, desired: KubeObject, limit = 20): string[] {
  return jsonDifferingPaths(withoutServerSet(live), withoutServerSet(desired), jsonEqual, limit).map((p) => (p.length === 0 ? '.' : p.map((k) => `.${k}`).join('')));
}

/** Fields of one object that other managers own. */
export interface FieldConflict {
  /** Field managers named by the server, e.g. ["kubectl-edit"]. */
  managers: string[];
  /** Field paths, e.g. [".data.a", ".spec.replicas"]. */
  fields: string[];
  /** The API server's message. */
  message: string;
}

/** The managers and fields of a server-side apply conflict (409 with FieldManagerConflict causes). */
export function parseFieldConflict(message: string, causes: readonly StatusCause[]): FieldConflict {
  const managers = new Set<string>();
  const fields: string[] = [];
  for (const cause of causes) {
    if (cause.reason && cause.reason !== 'FieldManagerConflict') continue;
    for (const m of (cause.message ?? '').matchAll(/conflicts? with "([^"]+)"/g)) managers.add(m[1]!);
    if (cause.field) fields.push(cause.field);
  }
  if (managers.size === 0) for (const m of message.matchAll(/conflicts? with "([^"]+)"/g)) managers.add(m[1]!);
  return { managers: [...managers].sort(), fields, message };
}
