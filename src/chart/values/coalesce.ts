// Helm's values coalescing (pkg/chart/common/util/coalesce.go as of Helm 4.1.4): user values over
// chart defaults, parent values over subchart defaults, globals copied down into every subchart.
// Maps merge deeply; scalars and lists are replaced; in "coalesce" mode a null removes a default,
// in "merge" mode (used while processing dependencies) nulls are kept for a later coalesce.
import { sprintf } from '../../template/fmt.js';
import { formatValue, isMap, type GoMap, type GoValue } from '../../template/value.js';
import type { Chart } from '../types.js';
import { setOwnKey } from './own-key.js';

/**
 * Receives Helm's log lines while values are processed and charts rendered (type conflicts, imports
 * that find nothing, unknown hooks): the message, the level Helm logs it at (coalescing warnings are
 * INFO) and the attributes of the line. The CLI prints them to stderr as helm does.
 */
export type Warn = (message: string, level?: 'INFO' | 'WARN' | 'ERROR', attrs?: Record<string, string>) => void;

export class CoalesceError extends Error {
  override name = 'CoalesceError';
}

const GLOBAL = 'global';

/** Deep copy of maps and lists (copystructure.Copy); other values are immutable or shared as in Go. */
export function deepCopyValues<T extends GoValue>(v: T): T {
  if (Array.isArray(v)) return v.map((e) => deepCopyValues(e)) as T;
  if (isMap(v)) {
    const out: GoMap = {};
    for (const [k, e] of Object.entries(v)) setOwnKey(out, k, deepCopyValues(e));
    return out as T;
  }
  return v;
}

function concatPrefix(a: string, b: string): string {
  return a === '' ? b : `${a}.${b}`;
}

/**
 * CoalesceValues: the chart's and its subcharts' defaults under `userValues` (which is not modified).
 * Nulls in user values delete the defaults they override.
 */
export function coalesceValues(chart: Chart, userValues: GoMap, warn: Warn = () => {}): GoMap {
  return coalesce(warn, chart, deepCopyValues(userValues), '', false);
}

/** MergeValues: like coalesceValues, but nulls are kept (for a later coalesce). */
export function mergeChartValues(chart: Chart, userValues: GoMap, warn: Warn = () => {}): GoMap {
  return coalesce(warn, chart, deepCopyValues(userValues), '', true);
}

function coalesce(warn: Warn, chart: Chart, dest: GoMap, prefix: string, merge: boolean): GoMap {
  coalesceChartDefaults(warn, chart, dest, prefix, merge);
  return coalesceDependencies(warn, chart, dest, prefix, merge);
}

function coalesceDependencies(warn: Warn, chart: Chart, dest: GoMap, prefix: string, merge: boolean): GoMap {
  for (const sub of chart.dependencies) {
    const name = sub.metadata.name;
    if (!Object.hasOwn(dest, name)) dest[name] = {};
    else if (!isMap(dest[name])) throw new CoalesceError(sprintf('type mismatch on %s: %t', [name, dest[name]!]));
    const subValues = dest[name] as GoMap;
    const subPrefix = concatPrefix(prefix, chart.metadata.name);
    coalesceGlobals(warn, subValues, dest, subPrefix);
    dest[name] = coalesce(warn, sub, subValues, subPrefix, merge);
  }
  return dest;
}

/** Copies the globals of `src` (the parent's values) into `dest` (a subchart's); the parent wins. */
function coalesceGlobals(warn: Warn, dest: GoMap, src: GoMap, prefix: string): void {
  let dg: GoMap;
  let sg: GoMap;
  if (!Object.hasOwn(dest, GLOBAL)) dg = {};
  else if (isMap(dest[GLOBAL])) dg = dest[GLOBAL] as GoMap;
  else {
    warn(`warning: skipping globals because destination ${GLOBAL} is not a table.`);
    return;
  }
  if (!Object.hasOwn(src, GLOBAL)) sg = {};
  else if (isMap(src[GLOBAL])) sg = src[GLOBAL] as GoMap;
  else {
    warn(`warning: skipping globals because source ${GLOBAL} is not a table.`);
    return;
  }
  for (const [key, val] of Object.entries(sg)) {
    if (isMap(val)) {
      const copy: GoMap = { ...val };
      if (!Object.hasOwn(dg, key)) dg[key] = copy;
      else if (!isMap(dg[key])) warn(`Conflict: cannot merge map onto non-map for ${JSON.stringify(key)}. Skipping.`);
      else {
        coalesceTablesFullKey(warn, copy, dg[key] as GoMap, concatPrefix(prefix, key), true);
        dg[key] = copy;
      }
    } else if (Object.hasOwn(dg, key) && isMap(dg[key])) {
      warn(`key ${key} is table. Skipping`);
    } else {
      dg[key] = val;
    }
  }
  dest[GLOBAL] = dg;
}

/** Fills `v` (values for this chart) with the chart's defaults; `v` wins. */
function coalesceChartDefaults(warn: Warn, chart: Chart, v: GoMap, prefix: string, merge: boolean): void {
  const subPrefix = concatPrefix(prefix, chart.metadata.name);
  const defaults = deepCopyValues(chart.values);
  for (const [key, val] of Object.entries(defaults)) {
    if (Object.hasOwn(v, key)) {
      const value = v[key]!;
      if (value === null && !merge) {
        delete v[key];
      } else if (isMap(value)) {
        if (!isMap(val)) {
          if (val !== null) warn(`warning: skipped value for ${subPrefix}.${key}: Not a table.`);
        } else {
          const isSubchart = chart.dependencies.some((d) => d.metadata.name === key);
          coalesceTablesFullKey(warn, value, val, concatPrefix(subPrefix, key), isSubchart || merge);
        }
      }
    } else {
      setOwnKey(v, key, val);
    }
  }
}

/** MergeTables: merges `src` into `dst` (which wins), keeping nulls. */
export function mergeTables(dst: GoMap, src: GoMap, warn: Warn = () => {}): GoMap {
  return coalesceTablesFullKey(warn, dst, src, '', true);
}

function coalesceTablesFullKey(warn: Warn, dst: GoMap, src: GoMap, prefix: string, merge: boolean): GoMap {
  const srcNonNil = new Set(Object.keys(src).filter((k) => src[k] !== null));
  for (const [key, val] of Object.entries(dst)) if (val === null) setOwnKey(src, key, null);
  for (const [key, val] of Object.entries(src)) {
    const fullKey = concatPrefix(prefix, key);
    const present = Object.hasOwn(dst, key);
    const dv = dst[key];
    if (present && !merge && dv === null && srcNonNil.has(key)) {
      delete dst[key];
    } else if (!present) {
      setOwnKey(dst, key, val);
    } else if (isMap(val)) {
      if (isMap(dv)) coalesceTablesFullKey(warn, dv, val, fullKey, merge);
      else warn(`warning: cannot overwrite table with non table for ${fullKey} (${formatValue(val)})`);
    } else if (isMap(dv) && val !== null) {
      warn(`warning: destination for ${fullKey} is a table. Ignoring non-table value (${formatValue(val)})`);
    }
  }
  return dst;
}
