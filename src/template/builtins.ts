// The predefined functions of text/template (text/template/funcs.go). Parameters typed
// `reflect.Value` receive executor values as they are (`undefined` = nil interface, `null` = no value).
import { isPrint, sprint, sprintf, sprintln } from './fmt.js';
import { Val, elementType, keyType, typeKind, zeroValue } from './types.js';
import {
  GoComplex, GoError, GoFunc, GoPanic, GoInt, GoStruct, GoValue, compareBytes, goByteLength, goStringFromBytes, goStringToBytes, isMap, mapGet,
  truth, typeName,
} from './value.js';

const RV = 'reflect.Value';

/** indirectInterface: a nil interface becomes "no value"; a value in an interface is itself. */
function indirectInterface(v: Val): GoValue {
  return v === undefined ? null : v;
}

// --- comparison (eq, ne, lt, le, gt, ge) --------------------------------------------------

type BasicKind = 'invalid' | 'bool' | 'complex' | 'int' | 'float' | 'string' | 'uint';

function basicKind(v: GoValue): BasicKind {
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'number':
      return 'float';
  }
  if (v instanceof GoInt) return v.unsigned ? 'uint' : 'int';
  if (v instanceof GoComplex) return 'complex';
  return 'invalid';
}

function numeric(v: GoValue): number {
  return v instanceof GoInt ? v.value : (v as number);
}

/** An integer's exact value: beyond 2^53 the numbers alone would compare wrongly. */
function exactInt(v: GoValue): bigint {
  const i = v as GoInt;
  return i.exact ?? BigInt(i.value);
}

/** Whether two integer values (of either sign class) need exact comparison. */
function needsExact(a: GoValue, b: GoValue): boolean {
  return (a as GoInt).exact !== undefined || (b as GoInt).exact !== undefined;
}

/** Go's `==` on values of one of the non-basic kinds (nil, structs, maps, slices). */
function equalOther(a: GoValue, b: GoValue): boolean {
  const aNil = a === null;
  const bNil = b === null;
  if (aNil || bNil) return aNil === bNil;
  if (!(b instanceof GoStruct) || !(a instanceof GoStruct)) {
    throw new GoError(`non-comparable type ${sprintf('%s', [b])}: ${typeName(b)}`);
  }
  if (a.goType !== b.goType) return false;
  const keys = Object.keys(a.fields);
  return keys.every((k) => {
    const x = a.fields[k]!;
    const y = b.fields[k]!;
    const kx = basicKind(x);
    return kx === 'invalid' ? equalOther(x, y) : kx === basicKind(y) && basicEqual(kx, x, y);
  });
}

function basicEqual(k: BasicKind, a: GoValue, b: GoValue): boolean {
  switch (k) {
    case 'complex':
      return (a as GoComplex).re === (b as GoComplex).re && (a as GoComplex).im === (b as GoComplex).im;
    case 'int':
    case 'uint':
      return needsExact(a, b) ? exactInt(a) === exactInt(b) : numeric(a) === numeric(b);
    case 'float':
      return numeric(a) === numeric(b);
    default:
      return a === b;
  }
}

function kindOfValue(v: GoValue): string {
  if (v === null) return 'invalid';
  const t = typeKind(typeName(v));
  return t;
}

function eq(arg1: Val, ...rest: Val[]): boolean {
  const a = indirectInterface(arg1);
  if (rest.length === 0) throw new GoError('missing argument for comparison');
  const k1 = basicKind(a);
  for (const r of rest) {
    const b = indirectInterface(r);
    const k2 = basicKind(b);
    let result = false;
    if (k1 !== k2) {
      if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) result = exactInt(a) === exactInt(b);
      else if (a !== null && b !== null) {
        throw new GoError(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`);
      }
    } else if (k1 === 'invalid') {
      const ka = kindOfValue(a);
      const kb = kindOfValue(b);
      if (ka !== kb && a !== null && b !== null) {
        throw new GoError(`non-comparable types ${sprintf('%s', [a])}: ${typeName(a)}, ${typeName(b)}: ${sprintf('%v', [b])}`);
      }
      result = equalOther(a, b);
    } else {
      result = basicEqual(k1, a, b);
    }
    if (result) return true;
  }
  return false;
}

function lt(arg1: Val, arg2: Val): boolean {
  const a = indirectInterface(arg1);
  const k1 = basicKind(a);
  if (k1 === 'invalid') throw new GoError('invalid type for comparison');
  const b = indirectInterface(arg2);
  const k2 = basicKind(b);
  if (k2 === 'invalid') throw new GoError('invalid type for comparison');
  if (k1 !== k2) {
    if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) return exactInt(a) < exactInt(b);
    throw new GoError(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`);
  }
  switch (k1) {
    case 'bool':
    case 'complex':
      throw new GoError('invalid type for comparison');
    case 'string':
      return compareBytes(a as string, b as string) < 0;
    case 'int':
    case 'uint':
      return needsExact(a, b) ? exactInt(a) < exactInt(b) : numeric(a) < numeric(b);
    default:
      return numeric(a) < numeric(b);
  }
}

function le(a: Val, b: Val): boolean {
  return lt(a, b) || eq(a, b);
}

// --- index, slice, len ----------------------------------------------------------------------

function indexArg(index: GoValue, cap: number): number {
  let x: number;
  if (index instanceof GoInt) x = index.value;
  else if (index === null) throw new GoError('cannot index slice/array with nil');
  else throw new GoError(`cannot index slice/array with type ${typeName(index)}`);
  if (x < 0 || x > cap) throw new GoError(`index out of range: ${x}`);
  return x;
}

function isIntLike(t: string): boolean {
  const k = typeKind(t);
  return k === 'int' || k === 'uint';
}

/** A map key argument converted to the map's key type (text/template's prepareArg). */
function prepareKey(index: GoValue, kt: string): string {
  if (index === null) {
    throw new GoError(`value is nil; should be of type ${kt}`);
  }
  const it = typeName(index);
  if (it === kt || typeKind(kt) === 'interface') return typeof index === 'string' ? index : String(numeric(index));
  if (isIntLike(it) && isIntLike(kt)) return String(numeric(index));
  throw new GoError(`value has type ${it}; should be ${kt}`);
}

function index(item: Val, ...indexes: Val[]): Val {
  let cur: Val = indirectInterface(item);
  if (cur === null) throw new GoError('index of untyped nil');
  for (const raw of indexes) {
    const idx = indirectInterface(raw);
    if (cur === undefined || cur === null) throw new GoError('index of nil pointer');
    if (typeof cur === 'string') {
      const bytes = goStringToBytes(cur);
      const x = indexArg(idx, bytes.length);
      if (x === bytes.length) throw new GoPanic('reflect: string index out of range');
      cur = new GoInt(bytes[x]!, 'uint8');
    } else if (Array.isArray(cur) || cur instanceof Uint8Array) {
      const x = indexArg(idx, cur.length);
      if (x === cur.length) throw new GoPanic('reflect: slice index out of range');
      const t = typeName(cur);
      const elem: GoValue = cur instanceof Uint8Array ? new GoInt(cur[x]!, 'uint8') : cur[x]!;
      cur = elem === null && typeKind(elementType(t)) === 'interface' ? undefined : elem;
    } else if (isMap(cur)) {
      const t = typeName(cur);
      const key = prepareKey(idx, keyType(t));
      const v = mapGet(cur, key);
      const et = elementType(t);
      if (v === undefined) cur = zeroValue(et);
      else cur = v === null && typeKind(et) === 'interface' ? undefined : v;
    } else {
      throw new GoError(`can't index item of type ${typeName(cur)}`);
    }
  }
  return cur;
}

function slice(item: Val, ...indexes: Val[]): Val {
  const v = indirectInterface(item);
  if (v === null) throw new GoError('slice of untyped nil');
  if (indexes.length > 3) throw new GoError(`too many slice indexes: ${indexes.length}`);
  let len: number;
  let bytes: Uint8Array | null = null;
  if (typeof v === 'string') {
    if (indexes.length === 3) throw new GoError('cannot 3-index slice a string');
    bytes = goStringToBytes(v);
    len = bytes.length;
  } else if (Array.isArray(v) || v instanceof Uint8Array) {
    len = v.length;
  } else {
    throw new GoError(`can't slice item of type ${typeName(v)}`);
  }
  const idx = [0, len, len];
  indexes.forEach((x, i) => {
    idx[i] = indexArg(indirectInterface(x), len);
  });
  if (idx[0]! > idx[1]!) throw new GoError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) throw new GoError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (bytes) return goStringFromBytes(bytes.subarray(idx[0], idx[1]));
  return v.slice(idx[0], idx[1]) as GoValue;
}

function length(item: Val): GoInt {
  if (item === undefined) throw new GoError('len of nil pointer');
  if (item === null) throw new GoError('reflect: call of reflect.Value.Type on zero Value');
  if (typeof item === 'string') return new GoInt(goByteLength(item));
  if (Array.isArray(item) || item instanceof Uint8Array) return new GoInt(item.length);
  if (isMap(item)) return new GoInt(Object.keys(item).length);
  throw new GoError(`len of type ${typeName(item)}`);
}

// --- escapers ---------------------------------------------------------------------------------

/** The text of escaper arguments: one string as is, else fmt.Sprint with nil as `<no value>`. */
function escaperText(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === null ? '<no value>' : a)));
}

const htmlEscapes: Record<string, string> = { '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;', '\0': '\uFFFD' };

function htmlEscapeString(s: string): string {
  return s.replace(/["'&<>\0]/g, (c) => htmlEscapes[c]!);
}

const jsEscapes: Record<string, string> = {
  '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D',
};

function jsEscapeString(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const simple = jsEscapes[ch];
    if (simple) out += simple;
    else if (c < 0x20) out += '\\u00' + c.toString(16).toUpperCase().padStart(2, '0');
    else if (c < 0x80 || isPrint(ch)) out += ch;
    else if (c >= 0xdc80 && c <= 0xdcff) out += '\\uFFFD'; // an invalid byte decodes as U+FFFD
    else out += '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

function urlQueryEscape(s: string): string {
  let out = '';
  for (const b of goStringToBytes(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (b === 0x20) out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/**
 * The builtin `call`: calls a function value. Go values from charts never hold functions, so this
 * reports Go's error for the value (`name` is the argument's text, as Go's message shows it).
 */
export function callFunctionValue(name: string, fn: Val): never {
  const f = indirectInterface(fn);
  if (f === null) throw new GoError('call of nil');
  throw new GoError(`non-function ${name} of type ${typeName(f)}`);
}

// --- the table ---------------------------------------------------------------------------------

const fixed = (params: string[], fn: (...args: any[]) => Val, result = 'interface {}'): GoFunc =>
  ({ params, fn: fn as GoFunc['fn'], result });
const variadic = (params: string[], elem: string, fn: (...args: any[]) => Val, result = 'interface {}'): GoFunc =>
  ({ params, variadic: elem, fn: fn as GoFunc['fn'], result });

/**
 * Builtins by name. `and`, `or` and `call` are listed for their signatures; the executor evaluates
 * them itself (short-circuit, and the callee's name for `call`).
 */
export const builtins: Readonly<Record<string, GoFunc>> = {
  and: variadic([RV], RV, (...args: Val[]) => args[args.length - 1], RV),
  or: variadic([RV], RV, (...args: Val[]) => args[args.length - 1], RV),
  call: variadic([RV], RV, (fn: Val) => callFunctionValue('', fn), RV),
  not: fixed([RV], (v: Val) => !truth(indirectInterface(v)), 'bool'),
  len: fixed([RV], length, 'int'),
  index: variadic([RV], RV, index, RV),
  slice: variadic([RV], RV, slice, RV),
  print: variadic([], 'interface {}', (...args: GoValue[]) => sprint(args), 'string'),
  printf: variadic(['string'], 'interface {}', (format: string, ...args: GoValue[]) => sprintf(format, args), 'string'),
  println: variadic([], 'interface {}', (...args: GoValue[]) => sprintln(args), 'string'),
  html: variadic([], 'interface {}', (...args: GoValue[]) => htmlEscapeString(escaperText(args)), 'string'),
  js: variadic([], 'interface {}', (...args: GoValue[]) => jsEscapeString(escaperText(args)), 'string'),
  urlquery: variadic([], 'interface {}', (...args: GoValue[]) => urlQueryEscape(escaperText(args)), 'string'),
  eq: variadic([RV], RV, eq, 'bool'),
  ne: fixed([RV, RV], (a: Val, b: Val) => !eq(a, b), 'bool'),
  lt: fixed([RV, RV], lt, 'bool'),
  le: fixed([RV, RV], le, 'bool'),
  gt: fixed([RV, RV], (a: Val, b: Val) => !le(a, b), 'bool'),
  ge: fixed([RV, RV], (a: Val, b: Val) => !lt(a, b), 'bool'),
};
