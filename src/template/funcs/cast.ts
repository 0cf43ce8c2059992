// Conversions as github.com/spf13/cast v1.7.0 performs them (ToInt64, ToInt, ToFloat64), and Sprig's
// `strval` (what `toString` and every string-joining function use). Errors are swallowed: a value
// cast cannot convert becomes 0, as in Sprig.
import { parseGoFloat as parseFloatLiteral, underscoreOK } from '../literals.js';
import { GoInt, GoStruct, formatValue, goIntFromBigInt, goStringFromBytes, methodOf, type GoValue } from '../value.js';

const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

/** Go's int64(f) conversion of a float64 (truncation; out of range gives math.MinInt64 as on amd64). */
function truncateToInt64(f: number): bigint {
  if (!Number.isFinite(f) || f >= 9223372036854775808 || f < -9223372036854775808) return INT64_MIN;
  return BigInt(Math.trunc(f));
}

/** A Go integer's exact value, also beyond 2^53. */
export function exactInt(v: GoInt): bigint {
  return v.exact ?? BigInt(v.value);
}

/** cast's trimZeroDecimal: `12.000` → `12`; `12.` and `12.5` are left alone. */
function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === '.') {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === '0') {
      foundZero = true;
    } else {
      return s;
    }
  }
  return s;
}

/**
 * strconv.ParseInt(s, base, 64): base 0 honours 0x/0o/0b prefixes, a leading 0 means octal and
 * underscores are allowed as in Go literals. Returns undefined on a syntax or range error.
 */
export function parseGoInt(s: string, base = 0): bigint | undefined {
  let body = s;
  let sign = 1;
  if (body.startsWith('+') || body.startsWith('-')) {
    sign = body[0] === '-' ? -1 : 1;
    body = body.slice(1);
  }
  let radix = base;
  if (base === 0) {
    radix = 10;
    if (body.length >= 2 && body[0] === '0') {
      const p = body[1]!.toLowerCase();
      if (p === 'x') [radix, body] = [16, body.slice(2)];
      else if (p === 'o') [radix, body] = [8, body.slice(2)];
      else if (p === 'b') [radix, body] = [2, body.slice(2)];
      else [radix, body] = [8, body.slice(1)];
    }
    if (s.includes('_')) {
      if (!underscoreOK(s)) return undefined;
      body = body.replace(/_/g, '');
    }
  }
  if (body === '') return undefined;
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, radix);
  let big = 0n;
  for (const ch of body.toLowerCase()) {
    const d = digits.indexOf(ch);
    if (d < 0) return undefined;
    big = big * BigInt(radix) + BigInt(d);
  }
  big *= BigInt(sign);
  if (big > INT64_MAX || big < INT64_MIN) return undefined;
  return big;
}

/** strconv.ParseFloat(s, 64) as cast uses it: also `inf`, `infinity`, `nan`; undefined on an error. */
export function parseGoFloat(s: string): number | undefined {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special) return special[2]!.toLowerCase() === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
  return parseFloatLiteral(s) ?? undefined;
}

/** cast's integer conversion, exact over the whole int64 range. */
function castInteger(v: GoValue | undefined): bigint {
  if (v === null || v === undefined) return 0n;
  if (v instanceof GoInt) return BigInt.asIntN(64, exactInt(v));
  switch (typeof v) {
    case 'number':
      return truncateToInt64(v);
    case 'boolean':
      return v ? 1n : 0n;
    case 'string':
      return parseGoInt(trimZeroDecimal(v)) ?? 0n;
  }
  return 0n;
}

/** cast.ToInt64 → a Go int64. */
export function toInt64(v: GoValue | undefined): GoInt {
  return goIntFromBigInt(castInteger(v), 'int64');
}

/** cast.ToInt → a Go int. */
export function toInt(v: GoValue | undefined): GoInt {
  return goIntFromBigInt(castInteger(v), 'int');
}

/** cast.ToFloat64 → a Go float64. */
export function toFloat64(v: GoValue | undefined): number {
  if (v === null || v === undefined) return 0;
  if (v instanceof GoInt) return v.value;
  switch (typeof v) {
    case 'number':
      return v;
    case 'boolean':
      return v ? 1 : 0;
    case 'string':
      return parseGoFloat(v) ?? 0;
  }
  return 0;
}

/** The numeric value of an argument declared as a Go integer type (the executor passes a GoInt). */
export function intArg(v: GoValue): number {
  return v instanceof GoInt ? v.value : Number(v);
}

/** Sprig's strval: strings as is, []byte as text, fmt.Stringer via String(), everything else `%v`. */
export function strval(v: GoValue | undefined): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return goStringFromBytes(v);
  if (v instanceof GoStruct || (v !== null && typeof v === 'object')) {
    const stringer = methodOf(v, 'String');
    if (stringer) return stringer.fn(v) as string;
  }
  return formatValue(v);
}
