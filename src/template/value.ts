// Go's runtime value model, as far as text/template and Helm can observe it.
//
// Output depends on Go's dynamic types (a values number is a float64 and prints `1e+06`; `eq` of a
// float64 with an int literal is an error), so every value carries its Go kind:
//
//   Go                          JavaScript
//   nil (untyped / interface)   null
//   bool                        boolean
//   string                      string (Go strings are bytes: byte-sensitive functions encode UTF-8)
//   float64                     number
//   int, int64, uint8, ...      GoInt (value + Go type name)
//   complex128                  GoComplex
//   []interface {} / []string   Array; an element type other than interface {} is tagged (see withGoType)
//   map[string]interface {}     plain object (own enumerable string keys); other map types are tagged
//   []byte                      Uint8Array
//   structs, time.Time, ...     GoStruct subclasses
//
// Named types (common.Values, engine.files, common.VersionSet) are maps or slices tagged with their
// name; their underlying type and methods live in a registry, as methods belong to types in Go.

export type GoValue =
  | null
  | boolean
  | string
  | number
  | GoInt
  | GoComplex
  | GoValue[]
  | GoMap
  | Uint8Array
  | GoStruct;

export interface GoMap {
  [key: string]: GoValue;
}

/** Symbol under which maps and arrays carry a Go type other than the default one. */
export const GO_TYPE: unique symbol = Symbol.for('chartrelease.goType');

export type GoIntType =
  | 'int' | 'int8' | 'int16' | 'int32' | 'int64'
  | 'uint' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'uintptr'
  /** A named integer type (`time.Month`, `time.Duration`), declared with defineNamedType. */
  | `${string}.${string}`;

/**
 * A Go integer. JavaScript numbers hold them exactly up to 2^53; beyond that `exact` carries the
 * exact value (see goIntFromBigInt) and `value` its nearest number.
 */
export class GoInt {
  constructor(readonly value: number, readonly type: GoIntType = 'int', readonly exact?: bigint) {}
  get unsigned(): boolean {
    return this.type.startsWith('u');
  }
  /** The decimal digits, exact also beyond 2^53. */
  toString(): string {
    return this.exact === undefined ? String(this.value) : this.exact.toString();
  }
}

/** A Go integer from a bigint, exact also beyond 2^53 (`--set id=9223372036854775807`, literals). */
export function goIntFromBigInt(n: bigint, type: GoIntType = 'int64'): GoInt {
  const value = Number(n);
  return Number.isSafeInteger(value) ? new GoInt(value, type) : new GoInt(value, type, n);
}

const smallInts: GoInt[] = Array.from({ length: 256 }, (_, i) => new GoInt(i, 'int'));

/** A Go `int`; small values are shared instances. */
export function int(n: number): GoInt {
  return n >= 0 && n < 256 && Number.isInteger(n) ? smallInts[n]! : new GoInt(n, 'int');
}

export function int64(n: number): GoInt {
  return new GoInt(n, 'int64');
}

export class GoComplex {
  constructor(readonly re: number, readonly im: number) {}
}

/**
 * A Go struct (or pointer to one), or another non-map, non-slice Go type such as time.Time.
 * `fields` are the exported fields in declaration order; methods come from the type registry.
 */
export class GoStruct {
  constructor(readonly goType: string, readonly fields: Record<string, GoValue> = {}) {}
}

// ---------------------------------------------------------------------------------------------
// Functions and methods: Go signatures, so the executor can check arguments as Go's reflection does.

/**
 * A function callable from templates. `params` are Go type names as Go prints them (`string`, `int`,
 * `interface {}`, `map[string]interface {}`, `[]interface {}`, `time.Time`, ...); `variadic` is the
 * element type of a trailing `...T` parameter. The executor checks and converts arguments exactly as
 * text/template does before calling `fn`, so `fn` may trust the declared types. A Go function that
 * returns `(T, error)` reports the error by throwing a GoError; a Go panic is a thrown GoPanic.
 */
export interface GoFunc {
  params: readonly string[];
  variadic?: string;
  /** Go result type, for `%T`-free uses such as documentation; `interface {}` when omitted. */
  result?: string;
  fn: (...args: any[]) => GoValue;
}

export type FuncMap = Record<string, GoFunc>;

/** An error returned by a Go function (the second result). The executor reports `error calling NAME: message`. */
export class GoError extends Error {
  override name = 'GoError';
}

/** A Go panic inside a function; text/template recovers it and reports it like an error. */
export class GoPanic extends GoError {
  override name = 'GoPanic';
}

interface NamedType {
  underlying: string;
  methods: Record<string, GoFunc>;
}

const namedTypes = new Map<string, NamedType>();

/**
 * Declares a named Go type: its underlying type (for assignability: a named map type is assignable
 * to its unnamed underlying type) and its methods. Methods receive the receiver as first argument.
 * A `String` method makes the type a fmt.Stringer: printing calls it.
 */
export function defineNamedType(name: string, underlying: string, methods: Record<string, GoFunc> = {}): void {
  const existing = namedTypes.get(name);
  if (existing) Object.assign(existing.methods, methods);
  else namedTypes.set(name, { underlying, methods: { ...methods } });
}

export function underlyingType(goType: string): string {
  return namedTypes.get(goType)?.underlying ?? goType;
}

/** The method `name` of the value's dynamic type, if any (receiver is passed as the first argument). */
export function methodOf(v: GoValue, name: string): GoFunc | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  return namedTypes.get(typeName(v))?.methods[name];
}

/** Tags a map or array with a Go type other than `map[string]interface {}` / `[]interface {}`. */
export function withGoType<T extends GoMap | GoValue[]>(v: T, goType: string): T {
  Object.defineProperty(v, GO_TYPE, { value: goType, enumerable: false, configurable: true, writable: true });
  return v;
}

export function isMap(v: GoValue | undefined): v is GoMap {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function isInt(v: GoValue | undefined): v is GoInt {
  return v instanceof GoInt;
}

export function isFloat(v: GoValue | undefined): v is number {
  return typeof v === 'number';
}

/** Own key lookup that never sees the prototype chain. */
export function mapGet(m: GoMap, key: string): GoValue | undefined {
  return Object.prototype.hasOwnProperty.call(m, key) ? m[key] : undefined;
}

/** Go's type name for a value, as `%T` prints it (`<nil>` for an untyped nil). */
export function typeName(v: GoValue | undefined): string {
  if (v === null || v === undefined) return '<nil>';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
  }
  if (v instanceof GoInt) return v.type;
  if (Array.isArray(v)) return (v as unknown as { [GO_TYPE]?: string })[GO_TYPE] ?? '[]interface {}';
  if (v instanceof Uint8Array) return '[]uint8';
  if (v instanceof GoStruct) return v.goType;
  if (v instanceof GoComplex) return 'complex128';
  return (v as { [GO_TYPE]?: string })[GO_TYPE] ?? 'map[string]interface {}';
}

/** Go's reflect.Kind name of a value (`map`, `slice`, `string`, `float64`, `int`, `struct`, `ptr`, `invalid`). */
export function kindName(v: GoValue | undefined): string {
  if (v === null || v === undefined) return 'invalid';
  if (v instanceof GoStruct) return v.goType.startsWith('*') ? 'ptr' : 'struct';
  const t = underlyingType(typeName(v));
  if (t.startsWith('map[')) return 'map';
  if (t.startsWith('[]')) return 'slice';
  return t;
}

/** Go template truthiness: false, 0, "", nil and empty collections are false; structs are true. */
export function truth(v: GoValue | undefined): boolean {
  if (v === null || v === undefined) return false;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'string':
      return v.length > 0;
    case 'number':
      return v !== 0;
  }
  if (v instanceof GoInt) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Uint8Array) return v.length > 0;
  if (v instanceof GoStruct) return true;
  if (v instanceof GoComplex) return v.re !== 0 || v.im !== 0;
  for (const _ in v) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Printing with fmt's %v.

/**
 * strconv.FormatFloat(x, 'g', -1, 64), which fmt's %v uses for float64: the shortest digits that
 * read back as x, in exponent form iff the decimal exponent is < -4 or >= 6 (`1e+06`, `1.2345678e+07`,
 * `123456.7`, `1e-05`). With `exponent` set, always the exponent form (strconv's 'e', -1).
 */
export function formatFloat(x: number, exponent = false): string {
  // Fast path: integers below 1e6 print the same in Go and JavaScript (except -0).
  if (!exponent && Number.isInteger(x) && x < 1e6 && x > -1e6 && (x !== 0 || !Object.is(x, -0))) return String(x);
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return exponent ? `${sign}0e+00` : `${sign}0`;
  // JavaScript's exponential form gives the same shortest round-trip digits as Go.
  const [mant, expStr] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  const exp = Number(expStr); // |x| = d.ddd × 10^exp
  if (exponent || exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (exp + 1 >= digits.length) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** fmt.Sprint of a single value (`%v`), as `{{ . }}` prints it, except that nil prints `<nil>`. */
export function formatValue(v: GoValue | undefined): string {
  if (v === null || v === undefined) return '<nil>';
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return formatFloat(v);
  }
  const stringer = methodOf(v, 'String');
  if (stringer) return stringer.fn(v) as string; // also named integer types such as time.Month
  if (v instanceof GoInt) return v.toString();
  if (Array.isArray(v)) return `[${v.map(formatValue).join(' ')}]`;
  if (v instanceof Uint8Array) return `[${Array.from(v).join(' ')}]`;
  if (v instanceof GoComplex) return `(${formatFloat(v.re)}${v.im < 0 || Object.is(v.im, -0) ? '' : '+'}${formatFloat(v.im)}i)`;
  if (v instanceof GoStruct) {
    const body = Object.values(v.fields).map(formatValue).join(' ');
    return v.goType.startsWith('*') ? `&{${body}}` : `{${body}}`;
  }
  const keys = Object.keys(v).sort(compareBytes);
  return `map[${keys.map((k) => `${k}:${formatValue(v[k]!)}`).join(' ')}]`;
}

/** Byte-wise comparison of strings (Go's `<` on strings), which differs from UTF-16 order above U+FFFF. */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (U+D800-DFFF) encode code points above U+FFFF, whose UTF-8 sorts after U+E000-FFFF.
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1;
      return x - y;
    }
  }
  return a.length - b.length;
}

// ---------------------------------------------------------------------------------------------
// Go strings as bytes.
//
// A Go string is a byte sequence, usually UTF-8. Functions that cut strings at byte offsets
// (`trunc`, `substr`, `index`) can produce invalid UTF-8; such a string is kept in JavaScript by
// writing each byte that is not part of a valid UTF-8 sequence as the lone surrogate U+DC00+byte
// (U+DC80-U+DCFF), so that `goStringToBytes(goStringFromBytes(b))` gives back `b` for any bytes.

const invalidByteBase = 0xdc00;
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** The bytes of a Go string (UTF-8, with escaped invalid bytes restored). */
export function goStringToBytes(s: string): Uint8Array {
  if (!/[\ud800-\udfff]/.test(s)) return Buffer.from(s, 'utf8');
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
        i++;
        continue;
      }
    }
    if (c >= invalidByteBase + 0x80 && c <= invalidByteBase + 0xff) out.push(c - invalidByteBase);
    else if (c >= 0xd800 && c <= 0xdfff) out.push(0xef, 0xbf, 0xbd);
    else if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Uint8Array.from(out);
}

/** A Go string from bytes: valid UTF-8 decodes normally, every invalid byte is escaped. */
export function goStringFromBytes(bytes: Uint8Array): string {
  try {
    return utf8Strict.decode(bytes);
  } catch {
    // Fall through to the byte-by-byte decoder below.
  }
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const size = validUtf8SequenceLength(bytes, i);
    if (size === 0) {
      out += String.fromCharCode(invalidByteBase + bytes[i]!);
      i++;
    } else {
      out += utf8Strict.decode(bytes.subarray(i, i + size));
      i += size;
    }
  }
  return out;
}

/** Length of the valid UTF-8 sequence starting at `i` (as Go's utf8.DecodeRune accepts it), or 0. */
function validUtf8SequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** len(s) in Go: the number of bytes. */
export function goByteLength(s: string): number {
  return /^[\x00-\x7f]*$/.test(s) ? s.length : goStringToBytes(s).length;
}

// ---------------------------------------------------------------------------------------------
// Nil slices. A nil slice prints `[]` like an empty one, but encoding/json writes it as `null`
// (`regexFindAll` without a match, `rest` of an empty list).

const GO_NIL_SLICE: unique symbol = Symbol.for('chartrelease.goNilSlice');

/** A nil slice of the given type (`[]interface {}` unless told). */
export function nilSlice(goType = '[]interface {}'): GoValue[] {
  const v: GoValue[] = goType === '[]interface {}' ? [] : withGoType([], goType);
  Object.defineProperty(v, GO_NIL_SLICE, { value: true, enumerable: false });
  return v;
}

/** Whether a value is a nil slice (see nilSlice). */
export function isNilSlice(v: GoValue | undefined): boolean {
  return Array.isArray(v) && v.length === 0 && (v as { [GO_NIL_SLICE]?: boolean })[GO_NIL_SLICE] === true;
}

/**
 * A nil `map[string]interface {}` (Sprig's `unset` on a missing map returns it): prints `map[]`
 * like an empty map, encoding/json writes `null`, and assigning into it panics.
 */
export function nilMap(): GoMap {
  const m: GoMap = {};
  Object.defineProperty(m, GO_NIL_SLICE, { value: true, enumerable: false });
  return m;
}

/** Whether a value is a nil map (see nilMap). */
export function isNilMap(v: GoValue | undefined): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && (v as { [GO_NIL_SLICE]?: boolean })[GO_NIL_SLICE] === true;
}
