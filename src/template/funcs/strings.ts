// Sprig's string functions (strings.go, plus the goutils and xstrings helpers it calls).
import { GoPanic, formatValue, goStringFromBytes, withGoType, type FuncMap, type GoValue } from '../value.js';
import { intArg, strval } from './cast.js';
import {
  byteLength, byteSlice, bytesAsRunes, goQuote, goToLower, goToUpper, isDigit, isGoSpace, isLetter,
  isLower, isNumber, isTitleCase, isUpper, runeToLower, runeToUpper, trimSpace,
} from './gostrings.js';
import { goFunc } from './signature.js';

/** strings.Trim(s, cutset): removes leading and trailing runes contained in cutset. */
function trimCutset(s: string, cutset: string): string {
  const set = new Set(cutset);
  const runes = [...s];
  let a = 0;
  let b = runes.length;
  while (a < b && set.has(runes[a]!)) a++;
  while (b > a && set.has(runes[b - 1]!)) b--;
  return runes.slice(a, b).join('');
}

/** strings.Title: upper-cases (title-cases) letters that follow a separator. */
function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    out += isTitleSeparator(prev) ? runeToTitle(ch) : ch;
    prev = ch;
  }
  return out;
}

function isTitleSeparator(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if (cp <= 0x7f) return !/[0-9A-Za-z_]/.test(ch);
  if (isLetter(ch) || isDigit(ch)) return false;
  return isGoSpace(cp);
}

function runeToTitle(ch: string): string {
  // Title case differs from upper case only for a few digraphs (ǆ → ǅ).
  const digraphs: Record<string, string> = { 'ǆ': 'ǅ', 'ǅ': 'ǅ', 'Ǆ': 'ǅ', 'ǉ': 'ǈ', 'Ǉ': 'ǈ', 'ǈ': 'ǈ', 'ǌ': 'ǋ', 'Ǌ': 'ǋ', 'ǋ': 'ǋ', 'ǳ': 'ǲ', 'Ǳ': 'ǲ', 'ǲ': 'ǲ' };
  return digraphs[ch] ?? runeToUpper(ch);
}

/** goutils.Uncapitalize: lower-cases the first rune of every white-space separated word. */
function uncapitalize(s: string): string {
  let next = true;
  let out = '';
  for (const ch of s) {
    if (isGoSpace(ch.codePointAt(0)!)) {
      next = true;
      out += ch;
    } else if (next) {
      out += runeToLower(ch);
      next = false;
    } else out += ch;
  }
  return out;
}

/** goutils.SwapCase: upper↔lower; a lower-case letter after white space becomes title case. */
function swapCase(s: string): string {
  let whitespace = true;
  let out = '';
  for (const ch of s) {
    if (isUpper(ch) || isTitleCase(ch)) {
      out += runeToLower(ch);
      whitespace = false;
    } else if (isLower(ch)) {
      out += whitespace ? runeToTitle(ch) : runeToUpper(ch);
      whitespace = false;
    } else {
      whitespace = isGoSpace(ch.codePointAt(0)!);
      out += ch;
    }
  }
  return out;
}

/** goutils.Initials: the first byte of each white-space separated word (bytes read as runes). */
function initials(s: string): string {
  let gap = true;
  let out = '';
  for (const b of bytesAsRunes(s)) {
    if (isGoSpace(b)) gap = true;
    else if (gap) {
      out += String.fromCodePoint(b);
      gap = false;
    }
  }
  return out;
}

/** goutils.DeleteWhiteSpace: drops white-space bytes; the other bytes are re-encoded as runes. */
function deleteWhiteSpace(s: string): string {
  const bytes = bytesAsRunes(s);
  const kept = bytes.filter((b) => !isGoSpace(b));
  return kept.length === bytes.length ? s : String.fromCodePoint(...kept);
}

/** goutils.AbbreviateFull (byte offsets), as Sprig's abbrev/abbrevboth call it. */
function abbreviateFull(s: string, offset: number, maxWidth: number): string {
  const len = byteLength(s);
  if (s === '') return '';
  if (maxWidth < 4) return '';
  if (len <= maxWidth) return s;
  if (offset > len) offset = len;
  if (len - offset < maxWidth - 3) offset = len - (maxWidth - 3);
  if (offset <= 4) return byteSlice(s, 0, maxWidth - 3) + '...';
  if (maxWidth < 7) return '';
  if (offset + maxWidth - 3 < len) return '...' + abbreviateFull(byteSlice(s, offset), 0, maxWidth - 3);
  return '...' + byteSlice(s, len - (maxWidth - 3));
}

/** goutils.WrapCustom (byte offsets). */
function wrapCustom(s: string, wrapLength: number, newLine: string, wrapLongWords: boolean): string {
  if (s === '') return '';
  if (newLine === '') newLine = '\n';
  if (wrapLength < 1) wrapLength = 1;
  const bytes = Buffer.from(bytesAsRunes(s));
  const text = (a: number, b: number) => goStringFromBytes(bytes.subarray(a, b));
  const len = bytes.length;
  let offset = 0;
  let out = '';
  while (len - offset > wrapLength) {
    if (bytes[offset] === 0x20) {
      offset++;
      continue;
    }
    const end = wrapLength + offset + 1;
    const space = bytes.subarray(offset, end).lastIndexOf(0x20);
    if (space >= 0) {
      out += text(offset, offset + space) + newLine;
      offset += space + 1;
    } else if (wrapLongWords) {
      out += text(offset, offset + wrapLength) + newLine;
      offset += wrapLength;
    } else {
      const next = bytes.indexOf(0x20, wrapLength + offset);
      if (next < 0) {
        out += text(offset, len);
        offset = len;
      } else {
        out += text(offset, next) + newLine;
        offset = next + 1;
      }
    }
  }
  return out + text(offset, len);
}

// ---------------------------------------------------------------------------------------------
// xstrings v1.5 case conversion.

const isPunct = (ch: string): boolean => /\p{P}/u.test(ch);
const isConnector = (ch: string): boolean => ch === '_' || ch === '-' || isGoSpace(ch.codePointAt(0)!);

/** xstrings.ToCamelCase (Pascal case): connectors dropped, the rune after one upper-cased. */
function toCamelCase(s: string): string {
  const runes = [...s];
  if (runes.length === 0) return '';
  let out = '';
  let i = 0;
  while (i < runes.length && isConnector(runes[i]!)) out += runes[i++];
  // Only connectors: xstrings writes the last one a second time.
  if (i === runes.length) return out + (runes.at(-1) ?? '');
  // Inside a word that starts with capitals, further capitals are lowered until a non-capital.
  let lowerCapitals = isUpper(runes[i]!);
  let r0 = runeToUpper(runes[i++]!);
  for (; i < runes.length; i++) {
    const r1 = r0;
    r0 = runes[i]!;
    if (isConnector(r0) && isConnector(r1)) {
      out += r1;
      continue;
    }
    if (isConnector(r1)) {
      lowerCapitals = isUpper(r0);
      r0 = runeToUpper(r0);
    } else {
      if (lowerCapitals) {
        if (isUpper(r0)) r0 = runeToLower(r0);
        else lowerCapitals = false;
      }
      out += r1;
    }
  }
  return out + r0;
}

type WordKind = 'connector' | 'punct' | 'symbol' | 'number' | 'lower' | 'upper';
interface Word {
  kind: WordKind;
  text: string;
}

/** Splits for snake/kebab case: `HTTPServer` → HTTP Server, `fooBar12` → foo Bar 12. */
function splitWords(s: string): Word[] {
  const runes = [...s];
  const words: Word[] = [];
  const isWordLetter = (ch: string) => isLetter(ch) || /\p{M}/u.test(ch);
  let i = 0;
  while (i < runes.length) {
    const ch = runes[i]!;
    if (isConnector(ch)) {
      words.push({ kind: 'connector', text: ch });
      i++;
    } else if (isNumber(ch)) {
      let j = i;
      while (j < runes.length && isNumber(runes[j]!)) j++;
      words.push({ kind: 'number', text: runes.slice(i, j).join('') });
      i = j;
    } else if (isUpper(ch)) {
      let j = i;
      while (j < runes.length && isUpper(runes[j]!)) j++;
      if (j < runes.length && isWordLetter(runes[j]!) && j - i > 1) j--; // last capital starts the next word
      let k = j;
      while (k < runes.length && isWordLetter(runes[k]!) && !isUpper(runes[k]!)) k++;
      words.push({ kind: 'upper', text: runes.slice(i, k).join('') });
      i = k;
    } else if (isWordLetter(ch)) {
      let j = i;
      while (j < runes.length && isWordLetter(runes[j]!) && !isUpper(runes[j]!)) j++;
      words.push({ kind: 'lower', text: runes.slice(i, j).join('') });
      i = j;
    } else {
      // Punctuation (unicode.IsPunct) joins its neighbours directly; a run of other runes (symbols
      // such as `=`, `<`, `$`) is a word of its own.
      const punct = isPunct(ch);
      let j = i;
      while (j < runes.length && !isConnector(runes[j]!) && !isNumber(runes[j]!) && !isWordLetter(runes[j]!) && isPunct(runes[j]!) === punct) j++;
      words.push({ kind: punct ? 'punct' : 'symbol', text: runes.slice(i, j).join('') });
      i = j;
    }
  }
  return words;
}

/** Lower-cases the upper-case runes only (title-case letters such as `ǅ` stay). */
const lowerUppers = (w: string) => [...w].map((ch) => (isUpper(ch) ? runeToLower(ch) : ch)).join('');

/**
 * xstrings' camelCaseToLowerCase: words lower-cased and joined by the connector; every connector
 * rune becomes the connector; a number sticks to the word before it unless lower-case letters
 * follow it (`Bld4Floor` → bld4_floor, `HTTP2xx` → http_2xx).
 */
function toDelimitedLower(s: string, connector: string): string {
  const words = splitWords(s);
  const joins = (w: Word | undefined) => w !== undefined && w.kind !== 'connector' && w.kind !== 'punct';
  let out = '';
  let i = 0;
  // A run of numbers and lower-case words glued together, as after a number in xstrings.
  const gluedRun = () => {
    while (i < words.length && (words[i]!.kind === 'number' || words[i]!.kind === 'lower')) out += lowerUppers(words[i++]!.text);
    if (joins(words[i])) out += connector;
  };
  while (i < words.length) {
    const w = words[i]!;
    if (w.kind === 'connector') {
      out += connector;
      i++;
    } else if (w.kind === 'punct') {
      out += w.text;
      i++;
    } else if (w.kind === 'number') {
      gluedRun();
    } else {
      out += lowerUppers(w.text);
      i++;
      const next = words[i];
      if (next?.kind === 'number') {
        if (words[i + 1]?.kind === 'lower') {
          out += connector;
          gluedRun();
        } else {
          out += next.text;
          i++;
          if (joins(words[i])) out += connector;
        }
      } else if (joins(next)) out += connector;
    }
  }
  return out;
}

/** Sprig's cat/squote/quote drop nil arguments. */
const nonNil = (vs: GoValue[]) => vs.filter((v) => v !== null && v !== undefined);

function indent(spaces: number, s: string): string {
  const pad = repeat(spaces, ' ');
  return pad + s.split('\n').join('\n' + pad);
}

function repeat(count: number, s: string): string {
  if (count < 0) throw new GoPanic('strings: negative Repeat count');
  if (s.length * count > 2 ** 29) throw new GoPanic('strings: Repeat output length overflow');
  return s.repeat(count);
}

/** Keys `_0`, `_1`, ... as Sprig's split and splitn build them. */
function indexedParts(parts: string[]): GoValue {
  const m: Record<string, string> = {};
  parts.forEach((p, i) => (m[`_${i}`] = p));
  return withGoType(m, 'map[string]string');
}

/** strings.SplitN (n < 0: all; n == 0: none). strings.Split with "" separates UTF-8 sequences. */
function splitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const runes = [...s];
    const m = n < 0 || n > runes.length ? runes.length : n;
    if (m === 0) return [];
    return [...runes.slice(0, m - 1), runes.slice(m - 1).join('')];
  }
  const parts = s.split(sep);
  if (n < 0 || parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

export const stringFuncs: FuncMap = {
  abbrev: goFunc('(width int, s string) string', (w, s: string) => (intArg(w) < 4 ? s : abbreviateFull(s, 0, intArg(w)))),
  abbrevboth: goFunc('(left, right int, s string) string', (l, r, s: string) => {
    const left = intArg(l);
    const right = intArg(r);
    return right < 4 || (left > 0 && right < 7) ? s : abbreviateFull(s, left, right);
  }),
  trunc: goFunc('(c int, s string) string', (c, s: string) => {
    const n = intArg(c);
    const len = byteLength(s);
    if (n < 0 && len + n > 0) return byteSlice(s, len + n);
    if (n >= 0 && len > n) return byteSlice(s, 0, n);
    return s;
  }),
  trim: goFunc('(s string) string', trimSpace),
  upper: goFunc('(s string) string', goToUpper),
  lower: goFunc('(s string) string', goToLower),
  title: goFunc('(s string) string', title),
  untitle: goFunc('(str string) string', uncapitalize),
  substr: goFunc('(start, end int, s string) string', (a, b, s: string) => {
    const start = intArg(a);
    const end = intArg(b);
    if (start < 0) return byteSlice(s, undefined, end);
    if (end < 0 || end > byteLength(s)) return byteSlice(s, start);
    return byteSlice(s, start, end);
  }),
  repeat: goFunc('(count int, str string) string', (c, s: string) => repeat(intArg(c), s)),
  trimall: goFunc('(a, b string) string', (a: string, b: string) => trimCutset(b, a)),
  trimAll: goFunc('(a, b string) string', (a: string, b: string) => trimCutset(b, a)),
  trimSuffix: goFunc('(a, b string) string', (a: string, b: string) => (a !== '' && b.endsWith(a) ? b.slice(0, b.length - a.length) : b)),
  trimPrefix: goFunc('(a, b string) string', (a: string, b: string) => (b.startsWith(a) ? b.slice(a.length) : b)),
  nospace: goFunc('(str string) string', deleteWhiteSpace),
  initials: goFunc('(s string) string', initials),
  swapcase: goFunc('(str string) string', swapCase),
  snakecase: goFunc('(s string) string', (s: string) => toDelimitedLower(s, '_')),
  camelcase: goFunc('(s string) string', toCamelCase),
  kebabcase: goFunc('(s string) string', (s: string) => toDelimitedLower(s, '-')),
  wrap: goFunc('(l int, s string) string', (l, s: string) => wrapCustom(s, intArg(l), '', false)),
  wrapWith: goFunc('(l int, sep, str string) string', (l, sep: string, s: string) => wrapCustom(s, intArg(l), sep, true)),
  contains: goFunc('(substr string, str string) bool', (sub: string, s: string) => s.includes(sub)),
  hasPrefix: goFunc('(substr string, str string) bool', (p: string, s: string) => s.startsWith(p)),
  hasSuffix: goFunc('(substr string, str string) bool', (p: string, s: string) => s.endsWith(p)),
  quote: goFunc('(str ...interface{}) string', (...vs: GoValue[]) => nonNil(vs).map((v) => goQuote(strval(v))).join(' ')),
  squote: goFunc('(str ...interface{}) string', (...vs: GoValue[]) => nonNil(vs).map((v) => `'${formatValue(v)}'`).join(' ')),
  cat: goFunc('(v ...interface{}) string', (...vs: GoValue[]) => nonNil(vs).map(formatValue).join(' ')),
  indent: goFunc('(spaces int, v string) string', (n, s: string) => indent(intArg(n), s)),
  nindent: goFunc('(spaces int, v string) string', (n, s: string) => '\n' + indent(intArg(n), s)),
  replace: goFunc('(old, new, src string) string', (o: string, n: string, s: string) => replaceAll(s, o, n)),
  plural: goFunc('(one, many string, count int) string', (one: string, many: string, c) => (intArg(c) === 1 ? one : many)),
  split: goFunc('(sep, orig string) map[string]string', (sep: string, s: string) => indexedParts(splitN(s, sep, -1))),
  splitn: goFunc('(sep string, n int, orig string) map[string]string', (sep: string, n, s: string) => indexedParts(splitN(s, sep, intArg(n)))),
  splitList: goFunc('(sep, orig string) []string', (sep: string, s: string) => withGoType(splitN(s, sep, -1), '[]string')),
};

/** strings.Replace(s, old, new, -1); an empty `old` inserts `new` around every rune. */
function replaceAll(s: string, old: string, rep: string): string {
  if (old !== '') return s.split(old).join(rep);
  return rep + [...s].join(rep) + (s === '' ? '' : rep);
}

