// The parts of Go's reflect package Sprig relies on: DeepEqual, emptiness, Kind names in error
// messages, and walking any slice or array as a list of elements.
import {
  GO_TYPE, GoComplex, GoInt, GoPanic, GoStruct, isMap, isNilMap, kindName, nilMap, truth, typeName, withGoType,
  type GoMap, type GoValue,
} from '../value.js';

/** The panic of reflect.TypeOf(nil).Kind() and other nil dereferences. */
export function nilDereference(): GoPanic {
  return new GoPanic('runtime error: invalid memory address or nil pointer dereference');
}

/** Sprig's `empty`: the zero value of its type (structs are never empty). */
export function isEmpty(v: GoValue | undefined): boolean {
  return !truth(v);
}

/** Elements of a slice or array value (any element type), or undefined for other kinds. */
export function sliceElements(v: GoValue | undefined): GoValue[] | undefined {
  if (Array.isArray(v)) return v;
  if (v instanceof Uint8Array) return Array.from(v, (b) => new GoInt(b, 'uint8'));
  return undefined;
}

/**
 * reflect.TypeOf(v).Kind() as Sprig's list functions use it before a type switch: a nil argument
 * panics exactly as Go does; otherwise the Kind name for the error text.
 */
export function kindOrPanic(v: GoValue | undefined): string {
  if (v === null || v === undefined) throw nilDereference();
  return kindName(v);
}

/** reflect.DeepEqual on Go values: dynamic types must match, then contents are compared deeply. */
export function deepEqual(a: GoValue | undefined, b: GoValue | undefined): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (typeName(a) !== typeName(b)) return false;
  if (typeof a === 'number') return a === b; // NaN is not DeepEqual to itself
  if (a instanceof GoInt) return a.value === (b as GoInt).value;
  if (a instanceof GoComplex) return a.re === (b as GoComplex).re && a.im === (b as GoComplex).im;
  if (a instanceof Uint8Array) {
    const y = b as Uint8Array;
    return a.length === y.length && a.every((x, i) => x === y[i]);
  }
  if (Array.isArray(a)) {
    const y = b as GoValue[];
    return a.length === y.length && a.every((x, i) => deepEqual(x, y[i]));
  }
  if (a instanceof GoStruct) {
    const y = b as GoStruct;
    const eq = (a as { equalTo?: (o: GoStruct) => boolean }).equalTo;
    if (eq) return eq.call(a, y);
    const ka = Object.keys(a.fields);
    return ka.length === Object.keys(y.fields).length && ka.every((k) => deepEqual(a.fields[k], y.fields[k]));
  }
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** copystructure.Copy: maps and slices are copied recursively, keeping their Go types. */
export function deepCopy<T extends GoValue | undefined>(v: T): T {
  if (Array.isArray(v)) {
    const out = v.map((x) => deepCopy(x));
    const t = (v as { [GO_TYPE]?: string })[GO_TYPE];
    return (t ? withGoType(out, t) : out) as T;
  }
  if (v instanceof Uint8Array) return Uint8Array.from(v) as T;
  // copystructure copies exported fields only: a struct with private state (semver) comes out zero.
  const copy = (v as { copyStructure?: () => GoStruct } | undefined)?.copyStructure;
  if (v instanceof GoStruct && copy) return copy.call(v) as T;
  if (isMap(v)) {
    if (isNilMap(v)) return nilMap() as T;
    const out: GoMap = {};
    for (const k of Object.keys(v)) out[k] = deepCopy(v[k]!);
    const t = (v as { [GO_TYPE]?: string })[GO_TYPE];
    return (t ? withGoType(out, t) : out) as T;
  }
  return v;
}
