// Key paths into values maps: segments internally, dotted text for people (`image.tag`,
// `podAnnotations."example.com/team"`), and the lookups provenance needs.
import { GoInt, isMap, type GoMap, type GoValue } from '../template/value.js';

export type KeyPath = readonly string[];

/** `a.b.c`; a segment that is not a plain identifier is quoted (`annotations."example.com/x"`). */
export function formatPath(path: KeyPath): string {
  return path.map((s) => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(s) ? s : JSON.stringify(s))).join('.');
}

/** A map key for a path (segments may hold dots). */
export const pathKey = (path: KeyPath): string => path.join('\0');

/** The value at `path`, or undefined when some segment is missing or not a map. */
export function valueAt(values: GoMap, path: KeyPath): GoValue | undefined {
  let at: GoValue = values;
  for (const segment of path) {
    if (!isMap(at) || !Object.hasOwn(at, segment)) return undefined;
    at = at[segment]!;
  }
  return at;
}

/** Whether the value at `path` exists (a null counts). */
export const hasPath = (values: GoMap, path: KeyPath): boolean => valueAt(values, path) !== undefined;

/** Every leaf (a value that is not a map, or an empty map) with its path, depth first in key order. */
export function leaves(values: GoMap, prefix: KeyPath = []): { path: string[]; value: GoValue }[] {
  const out: { path: string[]; value: GoValue }[] = [];
  for (const [key, value] of Object.entries(values)) {
    const path = [...prefix, key];
    if (isMap(value) && Object.keys(value).length > 0) out.push(...leaves(value, path));
    else out.push({ path, value: value! });
  }
  return out;
}

/** Structural equality of values (maps, lists, scalars; numbers of either Go type compare by value). */
export function sameValue(a: GoValue | undefined, b: GoValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  if (isMap(a) || isMap(b)) {
    if (!isMap(a) || !isMap(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
  }
  const numeric = (v: GoValue) => typeof v === 'number' || v instanceof GoInt;
  if (numeric(a) || numeric(b)) return numeric(a) && numeric(b) && String(a) === String(b);
  return typeof a === typeof b && String(a) === String(b);
}
