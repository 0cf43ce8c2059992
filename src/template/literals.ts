// Literal constants of the template language, read as Go reads them: strconv.Unquote for strings,
// strconv.UnquoteChar for character constants, and parse.newNumber's rules for numbers (which
// of int, uint, float and complex a constant can be).
import type { NumberNode } from './nodes.js';
import { goStringFromBytes } from './value.js';

const simpleEscapes: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };

/**
 * Decodes one escape or character at `i` of `s` (strconv.UnquoteChar). Returns the code point or
 * byte, whether it is a single byte (`\x`, octal), and the next index; null on a syntax error.
 */
function unquoteOne(s: string, i: number, quote: string): { value: number; isByte: boolean; next: number } | null {
  const c = s.codePointAt(i)!;
  const ch = String.fromCodePoint(c);
  if (ch === quote && (quote === "'" || quote === '"')) return null;
  if (ch !== '\\') return { value: c, isByte: false, next: i + ch.length };
  const e = s[i + 1];
  if (e === undefined) return null;
  if (e in simpleEscapes) return { value: simpleEscapes[e]!, isByte: false, next: i + 2 };
  if (e === "'" || e === '"') return e === quote ? { value: e.charCodeAt(0), isByte: false, next: i + 2 } : null;
  if (e === 'x' || e === 'u' || e === 'U') {
    const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
    const hex = s.slice(i + 2, i + 2 + n);
    if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) return null;
    const v = parseInt(hex, 16);
    if (e === 'x') return { value: v, isByte: true, next: i + 2 + n };
    if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return null;
    return { value: v, isByte: false, next: i + 2 + n };
  }
  if (e >= '0' && e <= '7') {
    const oct = s.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(oct)) return null;
    const v = parseInt(oct, 8);
    if (v > 255) return null;
    return { value: v, isByte: true, next: i + 4 };
  }
  return null;
}

/** strconv.Unquote of a double-quoted Go string literal; null on invalid syntax. */
export function unquoteString(quoted: string): string | null {
  const body = quoted.slice(1, -1);
  if (!body.includes('\\') && !body.includes('"')) return body;
  const bytes: number[] = [];
  for (let i = 0; i < body.length;) {
    const r = unquoteOne(body, i, '"');
    if (r === null) return null;
    if (r.isByte || r.value < 0x80) bytes.push(r.value);
    else for (const b of Buffer.from(String.fromCodePoint(r.value), 'utf8')) bytes.push(b);
    i = r.next;
  }
  return goStringFromBytes(Uint8Array.from(bytes));
}

/** A character constant such as `'a'` or `'\n'`: its code point, or Go's error message. */
export function unquoteChar(text: string): { value: number } | string {
  const r = unquoteOne(text, 1, "'");
  if (r === null) return 'invalid syntax';
  if (text.slice(r.next) !== "'") return `malformed character constant: ${text}`;
  return { value: r.value };
}

/** strconv's underscoreOK: underscores only between digits (or after a base prefix). */
export function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1]!)) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** strconv.ParseUint(s, 0, 64) without sign; null when s is not an unsigned integer or is out of range. */
function parseUnsigned(s: string): bigint | null {
  if (s.length === 0) return null;
  let base = 10;
  let digits = s;
  if (s[0] === '0') {
    const p = s[1];
    if (s.length >= 3 && (p === 'b' || p === 'B')) [base, digits] = [2, s.slice(2)];
    else if (s.length >= 3 && (p === 'o' || p === 'O')) [base, digits] = [8, s.slice(2)];
    else if (s.length >= 3 && (p === 'x' || p === 'X')) [base, digits] = [16, s.slice(2)];
    else [base, digits] = [8, s.slice(1)];
  }
  if (digits.includes('_') && !underscoreOK(s)) return null;
  digits = digits.replace(/_/g, '');
  const valid = { 2: /^[01]*$/, 8: /^[0-7]*$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[base as 2 | 8 | 10 | 16];
  if (!valid.test(digits)) return null;
  if (digits.length === 0) return base === 8 ? 0n : null;
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '';
  const n = BigInt(prefix + digits);
  return n < 1n << 64n ? n : null;
}

/** strconv.ParseFloat(s, 64) for Go float literals (decimal or hex); null on syntax or range error. */
export function parseGoFloat(s: string): number | null {
  if (s.includes('_') && !underscoreOK(s)) return null;
  const t = s.replace(/_/g, '');
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(t);
  if (hex) {
    const [, sign, intPart, frac = '', exp] = hex;
    if (intPart!.length + frac.length === 0) return null;
    const mant = BigInt('0x' + (intPart! + frac || '0'));
    const v = Number(mant) * 2 ** (Number(exp) - 4 * frac.length);
    if (!Number.isFinite(v)) return null;
    return sign === '-' ? -v : v;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** parse.newNumber: classifies a number constant, or returns Go's error message. */
export function parseNumber(pos: number, text: string, complexToken: boolean): NumberNode | string {
  const n: NumberNode = {
    kind: 'number', pos, text, isInt: false, isUint: false, isFloat: false, isComplex: false, int: 0, float: 0, re: 0, im: 0,
  };
  const simplifyComplex = (): NumberNode => {
    n.isComplex = true;
    n.isFloat = n.im === 0;
    if (n.isFloat) {
      n.float = n.re;
      n.isInt = Number.isInteger(n.re) && BigInt(n.re) >= INT64_MIN && BigInt(n.re) <= INT64_MAX;
      if (n.isInt) n.int = n.re;
      n.isUint = Number.isInteger(n.re) && n.re >= 0;
    }
    return n;
  };
  if (complexToken) {
    // `RE+IMi`: the sign that splits the parts is the last one not starting an exponent.
    let split = -1;
    for (let i = text.length - 2; i > 0; i--) {
      if ((text[i] === '+' || text[i] === '-') && !/[eEpP]/.test(text[i - 1]!)) {
        split = i;
        break;
      }
    }
    const re = split > 0 ? parseGoFloat(text.slice(0, split)) : null;
    const im = split > 0 ? parseGoFloat(text.slice(split, -1)) : null;
    if (re === null || im === null) return 'expected integer';
    n.re = re;
    n.im = im;
    return simplifyComplex();
  }
  if (text.endsWith('i')) {
    const f = parseGoFloat(text.slice(0, -1));
    if (f !== null) {
      n.im = f;
      return simplifyComplex();
    }
  }
  const sign = text[0] === '-' || text[0] === '+' ? text[0] : '';
  const magnitude = parseUnsigned(sign ? text.slice(1) : text);
  if (magnitude !== null) {
    if (!sign) n.isUint = true;
    const signed = sign === '-' ? -magnitude : magnitude;
    if (signed >= INT64_MIN && signed <= INT64_MAX) {
      n.isInt = true;
      n.int = Number(signed);
      if (!Number.isSafeInteger(n.int)) n.exactInt = signed;
      if (signed === 0n) n.isUint = true;
    }
  }
  if (n.isInt || n.isUint) {
    n.isFloat = true;
    n.float = n.isInt ? n.int : Number(magnitude);
  } else {
    const f = parseGoFloat(text);
    if (f !== null) {
      if (!/[.eEpP]/.test(text)) return `integer overflow: ${JSON.stringify(text)}`;
      n.isFloat = true;
      n.float = f;
      if (Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63) {
        n.isInt = true;
        n.int = f;
      }
      if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) n.isUint = true;
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) return `illegal number syntax: ${JSON.stringify(text)}`;
  return n;
}
