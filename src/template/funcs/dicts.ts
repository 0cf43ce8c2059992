// Sprig's dictionary functions (dict.go) and the merge semantics of dario.cat/mergo v1.0.1, which
// Sprig's merge/mergeOverwrite use: the first argument is mutated in place and returned.
import { GoError, GoPanic, isMap, isNilMap, mapGet, nilMap, typeName, withGoType, type FuncMap, type GoMap, type GoValue } from '../value.js';
import { strval } from './cast.js';
import { deepCopy, isEmpty, sliceElements } from './reflect.js';
import { goFunc } from './signature.js';

// A nil map (a missing value passed for a map parameter) reads as empty, as in Go.
const has = (m: GoMap | null, k: string) => m !== null && Object.prototype.hasOwnProperty.call(m, k);
const keysOf = (m: GoMap | null) => (m === null ? [] : Object.keys(m));

/** mergo's isEmptyValue on an interface element: nil, zero numbers, false, "" and empty collections. */
const emptyElement = (v: GoValue | undefined) => v === undefined || isEmpty(v);

const isMapKind = (v: GoValue | undefined): v is GoMap => v !== undefined && isMap(v);

/**
 * mergo.Merge(&dst, src) for maps (override = mergo.WithOverride). Per key of src:
 * nil src values only overwrite with override; maps merge recursively into an existing map;
 * otherwise the src value is taken when overriding or when dst's value is missing or empty.
 * Slices are never merged element-wise.
 */
function mergoMerge(dst: GoMap, src: GoMap | null, override: boolean): void {
  if (src === null || isNilMap(src)) return; // a nil source map adds nothing
  for (const key of Object.keys(src)) {
    const s = src[key]!;
    const d = mapGet(dst, key);
    if (s === null) {
      if (override) dst[key] = null;
      continue;
    }
    if (isMapKind(s) && isMapKind(d)) mergoMerge(d, s, override);
    else if (sliceElements(s) && !(s instanceof Uint8Array)) {
      // mergo sets the slice when overriding (or when dst is empty), else keeps dst's (or an empty one).
      dst[key] = override ? s : d !== undefined && d !== null ? d : withSameType([], s);
    }
    if (d !== undefined && !emptyElement(d)) {
      if (sliceElements(s) && !(s instanceof Uint8Array)) continue;
      if (isMapKind(s) && isMapKind(d)) continue;
    }
    if (override || d === undefined || emptyElement(d)) dst[key] = s;
  }
}

function withSameType(out: GoValue[], like: GoValue): GoValue[] {
  const t = typeName(like);
  return t === '[]interface {}' ? out : withGoType(out, t);
}

function merge(override: boolean) {
  return (dst: GoMap | null, ...srcs: (GoMap | null)[]) => {
    // mergo replaces a nil destination map with a new one, which Sprig returns, when a source is
    // not nil itself; otherwise the nil map comes back.
    const isNil = (m: GoMap | null) => m === null || isNilMap(m);
    const target = !isNil(dst) ? dst! : srcs.some((s) => !isNil(s)) ? {} : nilMap();
    for (const src of srcs) mergoMerge(target, src, override);
    return target;
  };
}

/** A failed Go type assertion `v.(T)` on an interface{} value. */
function assertionPanic(v: GoValue, want: string): GoPanic {
  return new GoPanic(`interface conversion: interface {} is ${v === null ? 'nil' : typeName(v)}, not ${want}`);
}

/** dig K1 K2 ... DEFAULT DICT: nested lookup; a missing key gives DEFAULT. */
function dig(...ps: GoValue[]): GoValue {
  if (ps.length < 3) throw new GoPanic('dig needs at least three arguments');
  let dict: GoValue = ps[ps.length - 1]!;
  if (!isMap(dict) || typeName(dict) !== 'map[string]interface {}') throw assertionPanic(dict, 'map[string]interface {}');
  const def = ps[ps.length - 2]!;
  const keys = ps.slice(0, -2).map((k) => {
    if (typeof k !== 'string') throw assertionPanic(k, 'string');
    return k;
  });
  for (let i = 0; ; i++) {
    if (!isMap(dict) || typeName(dict) !== 'map[string]interface {}') throw assertionPanic(dict, 'map[string]interface {}');
    const step = mapGet(dict, keys[i]!);
    if (step === undefined) return def;
    if (i === keys.length - 1) return step;
    dict = step;
  }
}

function copyOrFail(v: GoValue): GoValue {
  if (v === null) throw new GoError('reflect: call of reflect.Value.Type on zero Value');
  return deepCopy(v);
}

function dict(...v: GoValue[]): GoMap {
  const out: GoMap = {};
  for (let i = 0; i < v.length; i += 2) out[strval(v[i]!)] = i + 1 < v.length ? v[i + 1]! : '';
  return out;
}

const mapParam = 'map[string]interface{}';

export const dictFuncs: FuncMap = {
  dict: goFunc('(v ...interface{}) map[string]interface{}', dict),
  get: goFunc(`(d ${mapParam}, key string) interface{}`, (d: GoMap | null, k: string) => (has(d, k) ? d![k]! : '')),
  set: goFunc(`(d ${mapParam}, key string, value interface{}) ${mapParam}`, (d: GoMap | null, k: string, v: GoValue) => {
    if (d === null || isNilMap(d)) throw new GoPanic('assignment to entry in nil map');
    d[k] = v;
    return d;
  }),
  unset: goFunc(`(d ${mapParam}, key string) ${mapParam}`, (d: GoMap | null, k: string) => {
    if (d === null) return nilMap();
    delete d[k];
    return d;
  }),
  hasKey: goFunc(`(d ${mapParam}, key string) bool`, (d: GoMap, k: string) => has(d, k)),
  pluck: goFunc(`(key string, d ...${mapParam}) []interface{}`, (k: string, ...ds: (GoMap | null)[]) => ds.filter((d) => has(d, k)).map((d) => d![k]!)),
  keys: goFunc(`(dicts ...${mapParam}) []string`, (...ds: (GoMap | null)[]) => withGoType(ds.flatMap(keysOf), '[]string')),
  values: goFunc(`(dict ${mapParam}) []interface{}`, (d: GoMap | null) => keysOf(d).map((k) => d![k]!)),
  pick: goFunc(`(dict ${mapParam}, keys ...string) ${mapParam}`, (d: GoMap | null, ...ks: string[]) => {
    const out: GoMap = {};
    for (const k of ks) if (has(d, k)) out[k] = d![k]!;
    return out;
  }),
  omit: goFunc(`(dict ${mapParam}, keys ...string) ${mapParam}`, (d: GoMap | null, ...ks: string[]) => {
    const out: GoMap = {};
    for (const k of keysOf(d)) if (!ks.includes(k)) out[k] = d![k]!;
    return out;
  }),
  merge: goFunc(`(dst ${mapParam}, srcs ...${mapParam}) interface{}`, merge(false)),
  mustMerge: goFunc(`(dst ${mapParam}, srcs ...${mapParam}) (interface{}, error)`, merge(false)),
  mergeOverwrite: goFunc(`(dst ${mapParam}, srcs ...${mapParam}) interface{}`, merge(true)),
  mustMergeOverwrite: goFunc(`(dst ${mapParam}, srcs ...${mapParam}) (interface{}, error)`, merge(true)),
  dig: goFunc('(ps ...interface{}) (interface{}, error)', dig),
  deepCopy: goFunc('(i interface{}) interface{}', copyOrFail),
  mustDeepCopy: goFunc('(i interface{}) (interface{}, error)', copyOrFail),
};
