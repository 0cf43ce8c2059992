// Go's fmt package as templates observe it: fmt.Sprint, fmt.Sprintln and fmt.Sprintf over Go values,
// including the `%!verb(type=value)`, `%!d(MISSING)` and `%!(EXTRA ...)` forms. Verbs and flags follow
// fmt/print.go and fmt/format.go of Go 1.25; floats follow strconv.AppendFloat.
import {
  GoComplex, GoInt, GoStruct, GoValue, compareBytes, formatFloat, goStringFromBytes, goStringToBytes, isMap, isNilMap, isNilSlice, methodOf, typeName,
} from './value.js';

interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  wid: number;
  widPresent: boolean;
  prec: number;
  precPresent: boolean;
}

function newFlags(): Flags {
  return {
    plus: false, minus: false, sharp: false, space: false, zero: false, plusV: false, sharpV: false,
    wid: 0, widPresent: false, prec: 0, precPresent: false,
  };
}

const plainFlags: Readonly<Flags> = newFlags();

/** fmt.Sprint: operands are separated by a space when neither side is a string. */
export function sprint(args: readonly GoValue[]): string {
  let out = '';
  let prevString = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const isString = typeof arg === 'string';
    if (i > 0 && !isString && !prevString) out += ' ';
    out += isString ? arg : printArg(arg, 'v', plainFlags);
    prevString = isString;
  }
  return out;
}

/** fmt.Sprintln: operands always separated by a space, followed by a newline. */
export function sprintln(args: readonly GoValue[]): string {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    if (i > 0) out += ' ';
    const arg = args[i]!;
    out += typeof arg === 'string' ? arg : printArg(arg, 'v', plainFlags);
  }
  return out + '\n';
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Parses a decimal number at `i`; `present` is false when there are no digits. Too large (> 1e6) counts as absent. */
function parseNum(s: string, i: number, end: number): { num: number; present: boolean; next: number } {
  if (i >= end) return { num: 0, present: false, next: i };
  let num = 0;
  let present = false;
  while (i < end && isDigit(s.charCodeAt(i))) {
    if (num > 1e6) return { num: 0, present: false, next: end };
    num = num * 10 + (s.charCodeAt(i) - 48);
    present = true;
    i++;
  }
  return { num, present, next: i };
}

/** fmt's intFromArg: a width or precision taken from an integer argument (`%*d`). */
function intFromArg(args: readonly GoValue[], argNum: number): { num: number; isInt: boolean; next: number } {
  if (argNum >= args.length) return { num: 0, isInt: false, next: argNum };
  const a = args[argNum];
  let num = 0;
  let isInt = false;
  if (a instanceof GoInt) {
    num = a.value;
    isInt = true;
  }
  if (num > 1e6 || num < -1e6) {
    num = 0;
    isInt = false;
  }
  return { num, isInt, next: argNum + 1 };
}

/** fmt.Sprintf with Go's verbs, flags, width, precision and explicit argument indexes. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  const end = format.length;
  let argNum = 0;
  let afterIndex = false;
  let reordered = false;
  let goodArgNum = true;
  let i = 0;

  const argNumber = (at: number): { at: number; found: boolean } => {
    if (at >= end || format[at] !== '[') return { at, found: false };
    reordered = true;
    // parseArgNumber: there must be at least 3 bytes: [n].
    if (end - at < 3) {
      goodArgNum = false;
      return { at: at + 1, found: false };
    }
    for (let j = at + 1; j < end; j++) {
      if (format[j] === ']') {
        const n = parseNum(format, at + 1, j);
        if (!n.present || n.next !== j) {
          goodArgNum = false;
          return { at: j + 1, found: false };
        }
        const index = n.num - 1;
        if (index >= 0 && index < args.length) {
          argNum = index;
          return { at: j + 1, found: true };
        }
        goodArgNum = false;
        return { at: j + 1, found: true };
      }
    }
    goodArgNum = false;
    return { at: at + 1, found: false };
  };

  formatLoop: while (i < end) {
    goodArgNum = true;
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    if (pct > i) out += format.slice(i, pct);
    i = pct + 1;
    const f = newFlags();
    simple: for (; i < end; i++) {
      const c = format[i]!;
      switch (c) {
        case '#': f.sharp = true; break;
        case '0': f.zero = !f.minus; break;
        case '+': f.plus = true; break;
        case '-': f.minus = true; f.zero = false; break;
        case ' ': f.space = true; break;
        default:
          if (c >= 'a' && c <= 'z' && argNum < args.length) {
            if (c === 'v') {
              f.sharpV = f.sharp;
              f.sharp = false;
              f.plusV = f.plus;
              f.plus = false;
            }
            out += printArg(args[argNum]!, c, f);
            argNum++;
            i++;
            continue formatLoop;
          }
          break simple;
      }
    }

    let r = argNumber(i);
    i = r.at;
    afterIndex = r.found;

    if (i < end && format[i] === '*') {
      i++;
      const w = intFromArg(args, argNum);
      f.wid = w.num;
      f.widPresent = w.isInt;
      argNum = w.next;
      if (!f.widPresent) out += '%!(BADWIDTH)';
      if (f.wid < 0) {
        f.wid = -f.wid;
        f.minus = true;
        f.zero = false;
      }
      afterIndex = false;
    } else {
      const w = parseNum(format, i, end);
      f.wid = w.num;
      f.widPresent = w.present;
      i = w.next;
      if (afterIndex && f.widPresent) goodArgNum = false;
    }

    if (i + 1 < end && format[i] === '.') {
      i++;
      if (afterIndex) goodArgNum = false;
      r = argNumber(i);
      i = r.at;
      afterIndex = r.found;
      if (i < end && format[i] === '*') {
        i++;
        const p = intFromArg(args, argNum);
        f.prec = p.num;
        f.precPresent = p.isInt;
        argNum = p.next;
        if (f.prec < 0) {
          f.prec = 0;
          f.precPresent = false;
        }
        if (!f.precPresent) out += '%!(BADPREC)';
        afterIndex = false;
      } else {
        const p = parseNum(format, i, end);
        f.prec = p.num;
        f.precPresent = true;
        i = p.next;
      }
    }

    if (!afterIndex) {
      r = argNumber(i);
      i = r.at;
      afterIndex = r.found;
    }

    if (i >= end) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;

    if (verb === '%') {
      out += '%';
    } else if (!goodArgNum) {
      out += `%!${verb}(BADINDEX)`;
    } else if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
    } else {
      if (verb === 'v') {
        f.sharpV = f.sharp;
        f.sharp = false;
        f.plusV = f.plus;
        f.plus = false;
      }
      out += printArg(args[argNum]!, verb, f);
      argNum++;
    }
  }

  if (!reordered && argNum < args.length) {
    const extras = args.slice(argNum).map((a) => (a === null ? '<nil>' : `${typeName(a)}=${printArg(a, 'v', plainFlags)}`));
    out += `%!(EXTRA ${extras.join(', ')})`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Printing one argument (pp.printArg / pp.printValue).

function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

function padding(n: number, zero: boolean): string {
  return n > 0 ? (zero ? '0' : ' ').repeat(n) : '';
}

/** fmt.pad: applies width (in runes), left or right, with spaces or zeros. */
function pad(s: string, f: Flags): string {
  if (!f.widPresent || f.wid === 0) return s;
  const width = f.wid - runeCount(s);
  if (width <= 0) return s;
  return f.minus ? s + ' '.repeat(width) : padding(width, f.zero) + s;
}

function badVerb(v: GoValue, verb: string, f: Flags): string {
  if (v === null) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${printValue(v, 'v', f, 0)})`;
}

function printArg(arg: GoValue, verb: string, f: Flags): string {
  if (arg === null) return verb === 'T' || verb === 'v' ? pad('<nil>', f) : badVerb(arg, verb, f);
  if (verb === 'T') return fmtS(typeName(arg), f);
  return printValue(arg, verb, f, 0);
}

function printValue(v: GoValue, verb: string, f: Flags, depth: number): string {
  if (v === null) return f.sharpV ? 'interface {}(nil)' : '<nil>';
  switch (typeof v) {
    case 'string':
      return fmtString(v, verb, f);
    case 'boolean':
      return verb === 't' || verb === 'v' ? pad(v ? 'true' : 'false', f) : badVerb(v, verb, f);
    case 'number':
      return fmtFloatVerb(v, verb, f);
  }
  if (!f.sharpV && (verb === 'v' || verb === 's' || verb === 'x' || verb === 'X' || verb === 'q')) {
    const stringer = methodOf(v, 'String');
    if (stringer) return fmtString(stringer.fn(v) as string, verb, f);
  }
  if (v instanceof GoInt) return fmtIntegerVerb(v, verb, f);
  if (v instanceof GoComplex) return fmtComplex(v, verb, f);
  if (v instanceof Uint8Array) return fmtBytes(v, verb, f, depth);
  if (Array.isArray(v)) {
    if (f.sharpV) return isNilSlice(v) ? `${typeName(v)}(nil)` : `${typeName(v)}{${v.map((e) => printValue(e, verb, f, depth + 1)).join(', ')}}`;
    return `[${v.map((e) => printValue(e, verb, f, depth + 1)).join(' ')}]`;
  }
  if (v instanceof GoStruct) {
    const names = Object.keys(v.fields);
    const body = names
      .map((n) => (f.plusV || f.sharpV ? `${n}:` : '') + printValue(v.fields[n]!, verb, f, depth + 1))
      .join(f.sharpV ? ', ' : ' ');
    const pointer = v.goType.startsWith('*');
    if (f.sharpV) return `${pointer ? '&' + v.goType.slice(1) : v.goType}{${body}}`;
    return pointer ? `&{${body}}` : `{${body}}`;
  }
  if (isMap(v)) {
    const keys = Object.keys(v).sort(compareBytes);
    const pairs = keys.map((k) => `${printValue(k, verb, f, depth + 1)}:${printValue(v[k]!, verb, f, depth + 1)}`);
    if (f.sharpV) return isNilMap(v) ? `${typeName(v)}(nil)` : `${typeName(v)}{${pairs.join(', ')}}`;
    return `map[${pairs.join(' ')}]`;
  }
  return badVerb(v, verb, f);
}

// ---------------------------------------------------------------------------------------------
// Strings and bytes.

function truncateRunes(s: string, f: Flags): string {
  if (!f.precPresent) return s;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) continue;
    if (n === f.prec) return s.slice(0, i);
    n++;
  }
  return s;
}

function fmtS(s: string, f: Flags): string {
  return pad(truncateRunes(s, f), f);
}

function fmtString(s: string, verb: string, f: Flags): string {
  switch (verb) {
    case 'v':
      return f.sharpV ? fmtQ(s, f) : fmtS(s, f);
    case 's':
      return fmtS(s, f);
    case 'x':
    case 'X':
      return fmtSbx(goStringToBytes(s), verb, f);
    case 'q':
      return fmtQ(s, f);
    default:
      return badVerb(s, verb, f);
  }
}

/** Hex encoding of bytes (%x / %X on strings and byte slices), with Go's space and sharp flags. */
function fmtSbx(bytes: Uint8Array, verb: string, f: Flags): string {
  const digits = verb === 'X' ? '0123456789ABCDEF' : '0123456789abcdef';
  let length = bytes.length;
  if (f.precPresent && f.prec < length) length = f.prec;
  let out = '';
  for (let i = 0; i < length; i++) {
    if (f.space && i > 0) out += ' ';
    if (f.sharp && (f.space || i === 0)) out += verb === 'X' ? '0X' : '0x';
    out += digits[bytes[i]! >> 4]! + digits[bytes[i]! & 15]!;
  }
  if (length === 0) return pad('', f);
  return pad(out, f);
}

function fmtQ(s: string, f: Flags): string {
  s = truncateRunes(s, f);
  if (f.sharp && canBackquote(s)) return pad('`' + s + '`', f);
  return pad(quote(s, f.plus), f);
}

function canBackquote(s: string): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c === 0x60 || c === 0xfeff) return false;
    if (c < 0x20 && c !== 9) return false;
    if (c === 0x7f) return false;
  }
  return true;
}

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/**
 * Graphic characters of Node's Unicode (17) that Go's tables (Unicode 15.0.0, what helm 4.1.4 is
 * built with) do not have: for Go they are neither letters nor printable. Computed by comparing
 * strconv.IsPrint with `printable` over every code point (found by the fuzz suite's helm comparison:
 * `{{ .Val\u0CDCes }}` is "bad character U+0CDC" for helm).
 */
export const newerThanGo = /[\u{88F}\u{897}\u{C5C}\u{CDC}\u{1ACF}-\u{1ADD}\u{1AE0}-\u{1AEB}\u{1B4E}-\u{1B4F}\u{1B7F}\u{1C89}-\u{1C8A}\u{20C1}\u{2427}-\u{2429}\u{2B96}\u{2FFC}-\u{2FFF}\u{31E4}-\u{31E5}\u{31EF}\u{A7CB}-\u{A7CF}\u{A7D2}\u{A7D4}\u{A7DA}-\u{A7DC}\u{A7F1}\u{FBC3}-\u{FBD2}\u{FD90}-\u{FD91}\u{FDC8}-\u{FDCE}\u{105C0}-\u{105F3}\u{10940}-\u{10959}\u{10D40}-\u{10D65}\u{10D69}-\u{10D85}\u{10D8E}-\u{10D8F}\u{10EC2}-\u{10EC7}\u{10ED0}-\u{10ED8}\u{10EFA}-\u{10EFC}\u{11380}-\u{11389}\u{1138B}\u{1138E}\u{11390}-\u{113B5}\u{113B7}-\u{113C0}\u{113C2}\u{113C5}\u{113C7}-\u{113CA}\u{113CC}-\u{113D5}\u{113D7}-\u{113D8}\u{113E1}-\u{113E2}\u{116D0}-\u{116E3}\u{11B60}-\u{11B67}\u{11BC0}-\u{11BE1}\u{11BF0}-\u{11BF9}\u{11DB0}-\u{11DDB}\u{11DE0}-\u{11DE9}\u{11F5A}\u{13460}-\u{143FA}\u{16100}-\u{16139}\u{16D40}-\u{16D79}\u{16EA0}-\u{16EB8}\u{16EBB}-\u{16ED3}\u{16FF2}-\u{16FF6}\u{187F8}-\u{187FF}\u{18CFF}\u{18D09}-\u{18D1E}\u{18D80}-\u{18DF2}\u{1CC00}-\u{1CCFC}\u{1CD00}-\u{1CEB3}\u{1CEBA}-\u{1CED0}\u{1CEE0}-\u{1CEF0}\u{1E5D0}-\u{1E5FA}\u{1E5FF}\u{1E6C0}-\u{1E6DE}\u{1E6E0}-\u{1E6F5}\u{1E6FE}-\u{1E6FF}\u{1F6D8}\u{1F777}-\u{1F77A}\u{1F8B2}-\u{1F8BB}\u{1F8C0}-\u{1F8C1}\u{1F8D0}-\u{1F8D8}\u{1FA54}-\u{1FA57}\u{1FA89}-\u{1FA8A}\u{1FA8E}-\u{1FA8F}\u{1FABE}\u{1FAC6}\u{1FAC8}\u{1FACD}\u{1FADC}\u{1FADF}\u{1FAE9}-\u{1FAEA}\u{1FAEF}\u{1FBCB}-\u{1FBEF}\u{1FBFA}\u{2B73A}-\u{2B73F}\u{2CEA2}-\u{2CEAD}\u{2EBF0}-\u{2EE5D}\u{323B0}-\u{33479}]/u;

/** strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space (in Go's Unicode). */
export function isPrint(ch: string): boolean {
  return printable.test(ch) && !newerThanGo.test(ch);
}

const hex4 = (c: number, width: number): string => c.toString(16).padStart(width, '0');

/** The escaped form of one rune inside a quoted Go string or rune literal (strconv.appendEscapedRune). */
function escapeRune(ch: string, quoteChar: string, asciiOnly: boolean): string {
  if (ch === quoteChar || ch === '\\') return '\\' + ch;
  const c = ch.codePointAt(0)!;
  if (asciiOnly ? c < 0x80 && isPrint(ch) : isPrint(ch)) return ch;
  switch (c) {
    case 7: return '\\a';
    case 8: return '\\b';
    case 12: return '\\f';
    case 10: return '\\n';
    case 13: return '\\r';
    case 9: return '\\t';
    case 11: return '\\v';
  }
  if (c < 0x20 || c === 0x7f) return '\\x' + hex4(c, 2);
  if (c >= 0xd800 && c <= 0xdfff) return '\\ufffd'; // a lone surrogate is not valid UTF-8
  if (c < 0x10000) return '\\u' + hex4(c, 4);
  return '\\U' + hex4(c, 8);
}

/** strconv.Quote (or QuoteToASCII with `asciiOnly`). */
function quote(s: string, asciiOnly = false): string {
  let out = '"';
  for (const ch of s) out += escapeRune(ch, '"', asciiOnly);
  return out + '"';
}

function quoteRune(c: number, asciiOnly: boolean): string {
  if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) || c < 0) c = 0xfffd;
  return "'" + escapeRune(String.fromCodePoint(c), "'", asciiOnly) + "'";
}

function fmtBytes(b: Uint8Array, verb: string, f: Flags, depth: number): string {
  switch (verb) {
    case 'v':
    case 'd': {
      if (f.sharpV) {
        const body = Array.from(b, (x) => '0x' + x.toString(16)).join(', ');
        return `[]byte{${body}}`;
      }
      return `[${Array.from(b, (x) => fmtInteger(x, 10, verb, f, false)).join(' ')}]`;
    }
    case 's':
      return fmtS(goStringFromBytes(b), f);
    case 'x':
    case 'X':
      return fmtSbx(b, verb, f);
    case 'q':
      return fmtQ(goStringFromBytes(b), f);
    default:
      return `[${Array.from(b, (x) => printValue(new GoInt(x, 'uint8'), verb, f, depth + 1)).join(' ')}]`;
  }
}

// ---------------------------------------------------------------------------------------------
// Integers.

function fmtIntegerVerb(v: GoInt, verb: string, f: Flags): string {
  const n = v.value;
  const exact = v.exact ?? n; // the digits, exact also beyond 2^53
  switch (verb) {
    case 'v':
      if (f.sharpV && v.unsigned) return '0x' + exact.toString(16);
      return fmtInteger(exact, 10, verb, f, false);
    case 'd':
      return fmtInteger(exact, 10, verb, f, false);
    case 'b':
      return fmtInteger(exact, 2, verb, f, false);
    case 'o':
    case 'O':
      return fmtInteger(exact, 8, verb, f, false);
    case 'x':
      return fmtInteger(exact, 16, verb, f, false);
    case 'X':
      return fmtInteger(exact, 16, verb, f, true);
    case 'c':
      return pad(String.fromCodePoint(validRune(n)), f);
    case 'q':
      return pad(quoteRune(n, f.plus), f);
    case 'U': {
      // fmt.fmtUnicode: at least four hex digits, more with a larger precision; never zero-padded.
      // The value is taken as a uint64, so -1 prints U+FFFFFFFFFFFFFFFF.
      const hex = (n < 0 ? BigInt.asUintN(64, BigInt(n)) : n).toString(16).toUpperCase();
      let s = 'U+' + hex.padStart(f.precPresent ? Math.max(4, f.prec) : 4, '0');
      if (f.sharp && n >= 0 && n <= 0x10ffff && isPrint(String.fromCodePoint(validRune(n)))) {
        s += ` '${String.fromCodePoint(n)}'`;
      }
      return pad(s, { ...f, zero: false });
    }
    default:
      return badVerb(v, verb, f);
  }
}

function validRune(n: number): number {
  return n < 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff) ? 0xfffd : n;
}

/** fmt.fmtInteger: precision as minimum digits, zero padding, sign and base prefixes. */
function fmtInteger(n: number | bigint, base: number, verb: string, f: Flags, upper: boolean): string {
  const negative = n < 0;
  let digits = (negative ? -n : n).toString(base);
  if (upper) digits = digits.toUpperCase();
  let prec = 0;
  if (f.precPresent) {
    prec = f.prec;
    if (prec === 0 && Number(n) === 0) return padding(f.widPresent ? f.wid : 0, false);
  } else if (f.zero && !f.minus && f.widPresent) {
    prec = f.wid;
    if (negative || f.plus || f.space) prec--;
  }
  if (digits.length < prec) digits = '0'.repeat(prec - digits.length) + digits;
  if (f.sharp) {
    if (base === 2) digits = '0b' + digits;
    else if (base === 8 && digits[0] !== '0') digits = '0' + digits;
    else if (base === 16) digits = (upper ? '0X' : '0x') + digits;
  }
  if (verb === 'O') digits = '0o' + digits;
  if (negative) digits = '-' + digits;
  else if (f.plus) digits = '+' + digits;
  else if (f.space) digits = ' ' + digits;
  return pad(digits, { ...f, zero: false });
}

// ---------------------------------------------------------------------------------------------
// Floats (strconv.AppendFloat) and complex numbers.

function fmtFloatVerb(x: number, verb: string, f: Flags): string {
  switch (verb) {
    case 'v':
      return fmtFloat(x, 'g', -1, f);
    case 'b':
    case 'g':
    case 'G':
    case 'x':
    case 'X':
      return fmtFloat(x, verb, -1, f);
    case 'f':
    case 'e':
    case 'E':
    case 'F':
      return fmtFloat(x, verb, 6, f);
    default:
      return badVerb(x, verb, f);
  }
}

function fmtComplex(v: GoComplex, verb: string, f: Flags): string {
  switch (verb) {
    case 'v': case 'b': case 'g': case 'G': case 'x': case 'X': case 'f': case 'F': case 'e': case 'E': {
      const re = fmtFloatVerb(v.re, verb, f);
      const im = fmtFloatVerb(v.im, verb, { ...f, plus: true });
      return `(${re}${im}i)`;
    }
    default:
      return badVerb(v, verb, f);
  }
}

/** fmt.fmtFloat: strconv formatting, then sign, space and zero-padding rules. */
function fmtFloat(x: number, verb: string, prec: number, f: Flags): string {
  if (f.precPresent) prec = f.prec;
  let num = formatFloatStrconv(x, verb === 'F' ? 'f' : verb, prec);
  if (num[0] !== '-' && num[0] !== '+') num = '+' + num;
  if (f.space && num[0] === '+' && !f.plus) num = ' ' + num.slice(1);
  if (num[1] === 'I' || num[1] === 'N') {
    if (num[1] === 'N' && !f.space && !f.plus) num = num.slice(1);
    return pad(num, { ...f, zero: false });
  }
  if (f.sharp && verb !== 'b') num = sharpFloat(num, verb, prec);
  if (f.plus || num[0] !== '+') {
    if (f.zero && !f.minus && f.widPresent && f.wid > num.length) {
      return num[0] + '0'.repeat(f.wid - num.length) + num.slice(1);
    }
    return pad(num, f);
  }
  return pad(num.slice(1), f);
}

/**
 * The `#` flag on floats (fmt.fmtFloat): always a decimal point; %v/%g/%x keep zeros up to the
 * precision (6 when unset). Like Go, every character from the first non-zero one on counts as a
 * digit, including the `x` of a hex prefix.
 */
function sharpFloat(num: string, verb: string, prec: number): string {
  let digits = 0;
  if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') digits = prec === -1 ? 6 : prec;
  let tail = '';
  let hasDecimalPoint = false;
  let sawNonzeroDigit = false;
  for (let i = 1; i < num.length; i++) {
    const c = num[i]!;
    if (c === '.') {
      hasDecimalPoint = true;
      continue;
    }
    if (c === 'p' || c === 'P' || ((c === 'e' || c === 'E') && verb !== 'x' && verb !== 'X')) {
      tail = num.slice(i);
      num = num.slice(0, i);
      break;
    }
    if (c !== '0') sawNonzeroDigit = true;
    if (sawNonzeroDigit) digits--;
  }
  if (!hasDecimalPoint) {
    if (num.length === 2 && num[1] === '0') digits--; // a leading 0 counts once
    num += '.';
  }
  while (digits > 0) {
    num += '0';
    digits--;
  }
  return num + tail;
}

/** Exact decimal expansion of a finite, positive float64: digits (no leading zeros) and decimal point position. */
function exactDecimal(x: number): { d: string; dp: number } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (bexp === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = bexp - 1075;
  }
  let d: string;
  let dp: number;
  if (e2 >= 0) {
    d = (mant << BigInt(e2)).toString();
    dp = d.length;
  } else {
    d = (mant * 5n ** BigInt(-e2)).toString();
    dp = d.length + e2;
  }
  const trimmed = d.replace(/0+$/, '');
  return { d: trimmed, dp };
}

/** Rounds decimal digits to `nd` digits, half to even on exact ties (strconv's decimal.Round). */
function roundDigits(d: string, dp: number, nd: number): { d: string; dp: number } {
  if (nd < 0) return { d: '', dp };
  if (nd >= d.length) return { d, dp };
  const next = d.charCodeAt(nd) - 48;
  let up: boolean;
  if (next > 5) up = true;
  else if (next < 5) up = false;
  else if (nd + 1 < d.length) up = true; // more nonzero digits follow (d is trimmed)
  else up = nd > 0 && (d.charCodeAt(nd - 1) - 48) % 2 === 1;
  let kept = d.slice(0, nd);
  if (up) {
    let i = nd - 1;
    const arr = kept.split('');
    while (i >= 0 && arr[i] === '9') {
      arr[i] = '0';
      i--;
    }
    if (i < 0) {
      arr.unshift('1');
      dp++;
    } else arr[i] = String.fromCharCode(arr[i]!.charCodeAt(0) + 1);
    kept = arr.join('');
  }
  return { d: kept.replace(/0+$/, ''), dp };
}

/** Shortest digits that read back as x (JavaScript and Go agree on these). */
function shortestDecimal(x: number): { d: string; dp: number } {
  const [mant, exp] = x.toExponential().split('e') as [string, string];
  const d = mant.replace('.', '');
  return { d, dp: Number(exp) + 1 };
}

/** strconv.FormatFloat(x, fmt, prec, 64) for fmt in b, e, E, f, g, G, x, X. */
function formatFloatStrconv(x: number, fmt: string, prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  const ax = Math.abs(x);
  if (fmt === 'b') return (neg ? '-' : '') + binaryExponent(ax);
  if (fmt === 'x' || fmt === 'X') return (neg ? '-' : '') + hexFloat(ax, prec, fmt === 'X');
  if (prec < 0 && fmt === 'g') return formatFloat(x);
  const shortest = prec < 0;
  let digs: { d: string; dp: number };
  if (ax === 0) digs = { d: '', dp: 0 };
  else if (shortest) digs = shortestDecimal(ax);
  else {
    const exact = exactDecimal(ax);
    if (fmt === 'f') digs = roundDigits(exact.d, exact.dp, exact.dp + prec);
    else if (fmt === 'e' || fmt === 'E') digs = roundDigits(exact.d, exact.dp, prec + 1);
    else digs = roundDigits(exact.d, exact.dp, prec === 0 ? 1 : prec);
  }
  if (shortest) {
    if (fmt === 'e' || fmt === 'E') prec = Math.max(digs.d.length - 1, 0);
    else if (fmt === 'f') prec = Math.max(digs.d.length - digs.dp, 0);
    else prec = digs.d.length;
  }
  const sign = neg ? '-' : '';
  switch (fmt) {
    case 'e':
    case 'E':
      return sign + fmtE(digs, prec, fmt);
    case 'f':
      return sign + fmtF(digs, prec);
    case 'g':
    case 'G': {
      if (!shortest && prec === 0) prec = 1;
      let eprec = prec;
      if (eprec > digs.d.length && digs.d.length >= digs.dp) eprec = digs.d.length;
      if (shortest) eprec = 6;
      const exp = digs.dp - 1;
      if (ax !== 0 && (exp < -4 || exp >= eprec)) {
        if (prec > digs.d.length) prec = digs.d.length;
        return sign + fmtE(digs, prec - 1, fmt === 'g' ? 'e' : 'E');
      }
      if (prec > digs.dp) prec = digs.d.length;
      return sign + fmtF(digs, Math.max(prec - digs.dp, 0));
    }
  }
  throw new Error(`formatFloatStrconv: unsupported format ${fmt}`);
}

function digitAt(digs: { d: string }, i: number): string {
  return i < digs.d.length ? digs.d[i]! : '0';
}

function fmtE(digs: { d: string; dp: number }, prec: number, e: string): string {
  let out = digs.d.length === 0 ? '0' : digs.d[0]!;
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) out += digitAt(digs, i);
  }
  let exp = digs.d.length === 0 ? 0 : digs.dp - 1;
  out += e;
  if (exp < 0) {
    out += '-';
    exp = -exp;
  } else out += '+';
  return out + (exp < 10 ? '0' : '') + String(exp);
}

function fmtF(digs: { d: string; dp: number }, prec: number): string {
  let out = '';
  if (digs.dp > 0) {
    out = digs.d.slice(0, digs.dp);
    if (digs.dp > digs.d.length) out += '0'.repeat(digs.dp - digs.d.length);
  } else out = '0';
  if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      const j = digs.dp + i;
      out += j < 0 || j >= digs.d.length ? '0' : digs.d[j]!;
    }
  }
  return out;
}

function floatBits(x: number): { mant: bigint; exp: number } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(buf.getUint32(4));
  let exp: number;
  if (bexp === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = bexp - 1075;
  }
  return { mant, exp };
}

/** strconv 'b' format: decimal mantissa, `p`, binary exponent (`4503599627370496p-52`). */
function binaryExponent(ax: number): string {
  const { mant, exp } = floatBits(ax);
  return `${mant}p${exp >= 0 ? '+' : ''}${exp}`;
}

/** strconv 'x' format: `0x1.8p+01`, with the mantissa rounded to `prec` hex digits (-1: as few as exact). */
function hexFloat(ax: number, prec: number, upper: boolean): string {
  let { mant, exp } = floatBits(ax);
  if (mant === 0n) exp = 0;
  else {
    // Normalise so that the leading 1 bit is bit 60 (one hex digit before the point, 15 after).
    while (mant < 1n << 60n) {
      mant <<= 1n;
      exp--;
    }
    exp += 60;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(60 - 4 * prec);
    const half = 1n << (shift - 1n);
    const rem = mant & ((1n << shift) - 1n);
    mant >>= shift;
    if (rem > half || (rem === half && (mant & 1n) === 1n)) mant++;
    mant <<= shift;
    if (mant >= 1n << 61n) {
      mant >>= 1n;
      exp++;
    }
  }
  let frac = (mant & ((1n << 60n) - 1n)).toString(16).padStart(15, '0');
  if (prec < 0) frac = frac.replace(/0+$/, '');
  else frac = frac.slice(0, prec).padEnd(prec, '0');
  let out = (mant === 0n ? '0x0' : '0x1') + (frac.length > 0 ? '.' + frac : '');
  out += 'p' + (exp >= 0 ? '+' : '-') + String(Math.abs(exp)).padStart(2, '0');
  return upper ? out.toUpperCase() : out;
}
