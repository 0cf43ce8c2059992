// Go's strings, unicode and strconv behaviour where it differs from JavaScript: byte offsets,
// white space, simple (one-to-one) case mapping, strconv.Quote.
import { goStringFromBytes, goStringToBytes, GoPanic } from '../value.js';

const goSpaces = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]);

/** unicode.IsSpace. */
export function isGoSpace(cp: number): boolean {
  return goSpaces.has(cp) || (cp >= 0x2000 && cp <= 0x200a);
}

export const isUpper = (ch: string): boolean => /\p{Lu}/u.test(ch);
export const isLower = (ch: string): boolean => /\p{Ll}/u.test(ch);
export const isTitleCase = (ch: string): boolean => /\p{Lt}/u.test(ch);
export const isLetter = (ch: string): boolean => /\p{L}/u.test(ch);
export const isDigit = (ch: string): boolean => /\p{Nd}/u.test(ch);
export const isNumber = (ch: string): boolean => /\p{N}/u.test(ch);

/** unicode.ToUpper of one rune: Go maps one rune to one rune (`ß` stays `ß`). */
export function runeToUpper(ch: string): string {
  const u = ch.toUpperCase();
  return [...u].length === 1 ? u : ch;
}

/** unicode.ToLower of one rune. */
export function runeToLower(ch: string): string {
  const l = ch.toLowerCase();
  return [...l].length === 1 ? l : [...l][0]!;
}

/** strings.ToUpper / strings.ToLower with Go's one-to-one mapping. */
export function goToUpper(s: string): string {
  return /^[\x00-\x7f]*$/.test(s) ? s.toUpperCase() : [...s].map(runeToUpper).join('');
}
export function goToLower(s: string): string {
  return /^[\x00-\x7f]*$/.test(s) ? s.toLowerCase() : [...s].map(runeToLower).join('');
}

/** strings.TrimSpace. */
export function trimSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isGoSpace(s.charCodeAt(start))) start++;
  while (end > start && isGoSpace(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

const isAscii = (s: string): boolean => /^[\x00-\x7f]*$/.test(s);

/** len(s): bytes. */
export function byteLength(s: string): number {
  return isAscii(s) ? s.length : goStringToBytes(s).length;
}

/**
 * s[start:end] on bytes, with Go's bounds checks (a violation panics with the runtime's message).
 * `end` undefined means len(s); `startGiven` false prints the `[:end]` form.
 */
export function byteSlice(s: string, start: number | undefined, end?: number): string {
  const bytes = isAscii(s) ? undefined : goStringToBytes(s);
  const len = bytes ? bytes.length : s.length;
  const hi = end ?? len;
  const lo = start ?? 0;
  if (hi < 0 || hi > len) {
    const lead = start === undefined ? '' : String(start);
    throw new GoPanic(`runtime error: slice bounds out of range [${lead}:${hi}]${hi > len ? ` with length ${len}` : ''}`);
  }
  if (lo < 0 || lo > hi) throw new GoPanic(`runtime error: slice bounds out of range [${lo}:${hi}]`);
  return bytes ? goStringFromBytes(bytes.subarray(lo, hi)) : s.slice(lo, hi);
}

/** Bytes of s read one by one as runes (what goutils does with `rune(str[i])`). */
export function bytesAsRunes(s: string): number[] {
  return isAscii(s) ? Array.from(s, (c) => c.charCodeAt(0)) : Array.from(goStringToBytes(s));
}

const printable = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u;

/** strconv.Quote: Go escapes, printable Unicode kept, invalid bytes as \x.. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\v': out += '\\v'; continue;
    }
    if (cp >= 0xdc80 && cp <= 0xdcff) out += `\\x${(cp - 0xdc00).toString(16).padStart(2, '0')}`;
    else if (cp === 0x20 || printable.test(ch)) out += ch;
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return out + '"';
}
