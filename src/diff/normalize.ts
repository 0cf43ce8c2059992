// What a diff of two versions of an object shows: the object without what the server manages
// (managedFields, resourceVersion, uid, generation, creationTimestamp, status), and a Secret's
// values never, only whether each one changed. Pure.
import { differingPaths, jsonStringify } from '../json/index.js';
import type { KubeObject } from '../kube/index.js';
import { REDACTED } from '../redact/index.js';

const SERVER_METADATA = ['managedFields', 'resourceVersion', 'uid', 'generation', 'creationTimestamp', 'selfLink'];
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export { REDACTED };
/** A Secret value that changes, on each side (src/redact's marker, with the side). */
export const REDACTED_BEFORE = `${REDACTED.slice(0, -1)}: before]`;
export const REDACTED_AFTER = `${REDACTED.slice(0, -1)}: after]`;

/** A copy without the fields the server manages (status included). */
export function withoutServerFields(obj: KubeObject): Record<string, unknown> {
  const { status: _status, metadata, ...rest } = obj as KubeObject & { status?: unknown };
  const meta: Record<string, unknown> = { ...(metadata ?? {}) };
  for (const key of SERVER_METADATA) delete meta[key];
  return { ...rest, metadata: meta };
}

const isSecret = (obj: KubeObject | null): boolean => obj?.kind === 'Secret' && (obj.apiVersion ?? 'v1') === 'v1';

type Values = Record<string, unknown>;

function redactMaps(before: Values | undefined, after: Values | undefined): [Values | undefined, Values | undefined] {
  const mark = (own: Values | undefined, other: Values | undefined, changed: string): Values | undefined => {
    if (own === undefined || own === null || typeof own !== 'object') return own;
    const out: Values = {};
    for (const [k, v] of Object.entries(own)) out[k] = other && Object.hasOwn(other, k) && other[k] === v ? REDACTED : changed;
    return out;
  };
  return [mark(before, after, REDACTED_BEFORE), mark(after, before, REDACTED_AFTER)];
}

/**
 * The two sides of a diff, normalised: server-managed fields removed, and for Secrets every value of
 * `data` and `stringData` (and kubectl's last-applied annotation, which repeats them) replaced by
 * `[redacted]` when both sides hold the same value, `[redacted: before]`/`[redacted: after]` when
 * it changed. Either side may be null (created, deleted).
 */
export function normalizePair(live: KubeObject | null, planned: KubeObject | null): [Record<string, unknown> | null, Record<string, unknown> | null] {
  const a = live ? withoutServerFields(live) : null;
  const b = planned ? withoutServerFields(planned) : null;
  if (!isSecret(live) && !isSecret(planned)) return [a, b];
  for (const field of ['data', 'stringData'] as const) {
    const [ra, rb] = redactMaps(a?.[field] as Values | undefined, b?.[field] as Values | undefined);
    if (a && ra !== undefined) a[field] = ra;
    if (b && rb !== undefined) b[field] = rb;
  }
  const [ma, mb] = redactMaps(
    (a?.metadata as { annotations?: Values } | undefined)?.annotations?.[LAST_APPLIED] !== undefined ? { [LAST_APPLIED]: (a!.metadata as { annotations: Values }).annotations[LAST_APPLIED] } : undefined,
    (b?.metadata as { annotations?: Values } | undefined)?.annotations?.[LAST_APPLIED] !== undefined ? { [LAST_APPLIED]: (b!.metadata as { annotations: Values }).annotations[LAST_APPLIED] } : undefined,
  );
  for (const [side, marked] of [[a, ma], [b, mb]] as const) {
    if (!side || !marked) continue;
    const meta = side.metadata as { annotations: Values };
    meta.annotations = { ...meta.annotations, ...marked };
  }
  return [a, b];
}

/** Paths of the fields that differ between two normalised objects (`.spec.replicas`, `.data.password`), at most `limit`. */
export function changedPaths(a: unknown, b: unknown, limit = 50): string[] {
  const same = (x: unknown, y: unknown): boolean => jsonStringify(x) === jsonStringify(y);
  return differingPaths(a, b, same, limit).map((p) => (p.length === 0 ? '.' : p.map((k) => `.${k}`).join('')));
}
