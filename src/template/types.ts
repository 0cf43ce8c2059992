// Go types as the executor needs them for argument checking: kinds of type names, assignability,
// zero values, and which values the executor sees as `interface {}`.
import { GoInt, GoIntType, GoValue, typeName, underlyingType } from './value.js';

/**
 * A value inside the executor: a Go value, or `undefined` for a nil *interface* value (the zero value
 * of an `interface {}` map element or field), which Go keeps apart from an untyped nil (`null`, an
 * "invalid" reflect.Value): `.a.b` on the former is an error, `$x.b` on the latter is not.
 */
export type Val = GoValue | undefined;

export type TypeKind =
  | 'reflectValue' | 'bool' | 'string' | 'int' | 'uint' | 'float' | 'complex' | 'interface' | 'map' | 'slice' | 'ptr'
  | 'func' | 'struct';

const intTypes = new Set(['int', 'int8', 'int16', 'int32', 'int64']);
const uintTypes = new Set(['uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'byte']);

const kindCache = new Map<string, TypeKind>();

/** The reflect.Kind class of a Go type name (memoized: type names come from a small set). */
export function typeKind(t: string): TypeKind {
  let k = kindCache.get(t);
  if (k === undefined) {
    k = computeTypeKind(t);
    kindCache.set(t, k);
  }
  return k;
}

function computeTypeKind(t: string): TypeKind {
  if (t === 'reflect.Value') return 'reflectValue';
  const u = underlyingType(t);
  if (u === 'bool' || u === 'string') return u;
  if (intTypes.has(u) || u === 'rune') return 'int';
  if (uintTypes.has(u)) return 'uint';
  if (u === 'float64' || u === 'float32') return 'float';
  if (u === 'complex128' || u === 'complex64') return 'complex';
  if (u === 'any' || u.startsWith('interface')) return 'interface';
  if (u.startsWith('map[')) return 'map';
  if (u.startsWith('[]')) return 'slice';
  if (u.startsWith('*')) return 'ptr';
  if (u.startsWith('func')) return 'func';
  return 'struct';
}

/** reflect's canBeNil, plus reflect.Value (a zero reflect.Value stands for nil). */
export function canBeNil(t: string): boolean {
  const k = typeKind(t);
  return k === 'reflectValue' || k === 'interface' || k === 'map' || k === 'slice' || k === 'ptr' || k === 'func';
}

function isUnnamedComposite(t: string): boolean {
  return t.startsWith('map[') || t.startsWith('[]') || t.startsWith('*') || t.startsWith('func') || t.startsWith('interface');
}

/** Go assignability of a (non-nil) value to a parameter type. */
export function assignable(v: GoValue, t: string): boolean {
  const k = typeKind(t);
  if (k === 'interface' || k === 'reflectValue') return true;
  const vt = typeName(v);
  if (vt === t) return true;
  if (t === 'byte' && vt === 'uint8') return true;
  if (t === '[]byte' && vt === '[]uint8') return true;
  return underlyingType(vt) === underlyingType(t) && (isUnnamedComposite(vt) || isUnnamedComposite(t));
}

/** The element type of a map or slice type name (`map[string]interface {}` → `interface {}`). */
export function elementType(t: string): string {
  const u = underlyingType(t);
  if (u.startsWith('[]')) return u.slice(2);
  if (u.startsWith('map[')) {
    let depth = 0;
    for (let i = 3; i < u.length; i++) {
      if (u[i] === '[') depth++;
      else if (u[i] === ']' && --depth === 0) return u.slice(i + 1);
    }
  }
  return 'interface {}';
}

/** The key type of a map type name. */
export function keyType(t: string): string {
  const u = underlyingType(t);
  let depth = 0;
  for (let i = 3; i < u.length; i++) {
    if (u[i] === '[') depth++;
    else if (u[i] === ']' && --depth === 0) return u.slice(4, i);
  }
  return 'string';
}

/** reflect.Zero of a type, as a missing map key yields it. */
export function zeroValue(t: string): Val {
  switch (typeKind(t)) {
    case 'interface':
      return undefined;
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'int':
    case 'uint':
      return new GoInt(0, underlyingType(t) as GoIntType);
    case 'float':
      return 0;
    default:
      return null;
  }
}

export interface MapTypeInfo {
  /** Whether field syntax can look keys up (the key type is a string kind). */
  readonly stringKeys: boolean;
  readonly elemType: string;
  /** Whether elements are `interface {}` (a missing key then yields a nil interface). */
  readonly elemIface: boolean;
}

const mapInfoCache = new Map<string, MapTypeInfo>();

/** Key and element facts of a map type name (memoized). */
export function mapTypeInfo(t: string): MapTypeInfo {
  let info = mapInfoCache.get(t);
  if (info === undefined) {
    const elemType = elementType(t);
    info = { stringKeys: typeKind(keyType(t)) === 'string', elemType, elemIface: typeKind(elemType) === 'interface' };
    mapInfoCache.set(t, info);
  }
  return info;
}
