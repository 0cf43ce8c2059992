// A short way through the YAML most inputs hold: block mappings and sequences of one-line scalars,
// `{}` and `[]`, and literal block scalars (`|`, `|-`), the shape of values.yaml files and of
// rendered manifests. A render reads both cold, once per process (`chartrelease template`), and the
// `yaml` package's general lexer, parser and composer cost most of that first read; this reader is a
// single pass over the lines with a handful of functions.
//
// It gives up (undefined) at the first thing outside that shape, before anything else is decided:
// tabs, carriage returns and rare characters, document markers and directives, anchors, aliases,
// tags, flow collections with content, quoted scalars with escapes or over several lines, plain
// scalars over several lines, folded and keeping block scalars, explicit indentation indicators,
// keys that are not plain strings, nesting deeper than 200, and anything malformed. The full reader
// (parse.ts) then reads the text and reports its errors, so errors are always go-yaml's. Where it
// answers, the value is the full reader's: scalars are typed by the same resolveScalar and the same
// conversion (scalarValue), keys are set the same way (setOwn). simple.test.ts checks both agree on
// every values file and rendered document of the corpus and on cases at each edge of the shape.
import { goIntFromBigInt, type GoMap, type GoValue } from '../template/value.js';
import { BOOL_TAG, FLOAT_TAG, INT_TAG, NULL_TAG, resolveScalar } from './resolve.js';

/**
 * A resolved scalar as the decoder returns it: after sigs yaml's JSON step (`jsonNumbers`) integers
 * are float64, else int64; undefined for a float that JSON cannot hold (NaN, infinities).
 */
export function scalarValue(r: ReturnType<typeof resolveScalar>, jsonNumbers: boolean): GoValue | undefined {
  if (r.tag === INT_TAG) return jsonNumbers ? Number(r.value) : goIntFromBigInt(r.value as bigint, 'int64');
  if (r.tag === FLOAT_TAG) return Number.isFinite(r.value as number) ? (r.value as number) : undefined;
  if (r.tag === BOOL_TAG) return r.value as boolean;
  if (r.tag === NULL_TAG) return null;
  return r.value as string;
}

/** Sets a key as an own data property, so that even `__proto__` is just a key. */
export function setOwn(m: GoMap, key: string, value: GoValue): void {
  if (key === '__proto__') Object.defineProperty(m, key, { value, enumerable: true, writable: true, configurable: true });
  else m[key] = value;
}

/** Thrown inside the reader when the text leaves its shape (caught in readSimpleYaml). */
const GIVE_UP = { giveUp: true };

/** Characters outside printable ASCII, line feeds and the plain BMP letters go to the full reader. */
const unusual = /[^\n\x20-\x7e\u00a1-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]/;
/** Document markers and directives at a line's start. */
const markers = /^(---|\.\.\.|%)/m;
const MAX_DEPTH = 200;
const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;

/** Characters of the plain scalars a one-line flow sequence may hold here: letters, digits, `_./=+-`. */
function flowPlainChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 47 || c === 61 || c === 43 || c === DASH;
}

/** Whether a character may appear in a plain key (letters, digits, `_`, `.`, `/`, `-`; the first not `.`, `/`, `-`). */
function keyChar(c: number, first: boolean): boolean {
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) return true;
  return !first && (c === 46 || c === 47 || c === DASH);
}

function indentOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === SPACE) n++;
  return n;
}

/** Whether `rest` of a line after a scalar holds only blanks and a comment. */
function onlyComment(line: string, from: number): boolean {
  let p = from;
  while (line.charCodeAt(p) === SPACE) p++;
  return p === line.length || (p > from && line.charCodeAt(p) === HASH);
}

class SimpleReader {
  private i = 0;
  private depth = 0;
  private readonly lines: string[];

  constructor(
    private readonly text: string,
    private readonly jsonNumbers: boolean,
  ) {
    this.lines = text.split('\n');
  }

  read(): GoValue {
    this.skip();
    const { lines } = this;
    if (this.i >= lines.length || indentOf(lines[this.i]!) !== 0) throw GIVE_UP;
    const root = this.block(0);
    this.skip();
    if (this.i < lines.length) throw GIVE_UP;
    return root;
  }

  /** Moves past blank lines and comment lines. */
  private skip(): void {
    const { lines } = this;
    while (this.i < lines.length) {
      const line = lines[this.i]!;
      const n = indentOf(line);
      if (n < line.length && line.charCodeAt(n) !== HASH) return;
      this.i++;
    }
  }

  private isItem(line: string, n: number): boolean {
    return line.charCodeAt(n) === DASH && (line.length === n + 1 || line.charCodeAt(n + 1) === SPACE);
  }

  /** The key starting at column `c`, and where its value starts, if the line holds `key:` there. */
  private keyAt(line: string, c: number): { key: string; after: number } | undefined {
    const q = line.charCodeAt(c);
    if (q === 34 || q === 39) {
      // A quoted key is a string as written (no typing).
      const quoted = this.quoted(line, c);
      if (quoted === undefined) return undefined;
      const p = quoted.end;
      if (line.charCodeAt(p) !== COLON || (p + 1 < line.length && line.charCodeAt(p + 1) !== SPACE) || p - c > 1000) return undefined;
      return { key: quoted.text, after: p + 1 };
    }
    if (!keyChar(q, true)) return undefined;
    let p = c + 1;
    while (p < line.length && keyChar(line.charCodeAt(p), false)) p++;
    if (line.charCodeAt(p) !== COLON || (p + 1 < line.length && line.charCodeAt(p + 1) !== SPACE) || p - c > 1000) return undefined;
    const resolved = resolveScalar(line.slice(c, p));
    if (typeof resolved.value !== 'string') throw GIVE_UP; // `1:`, `on:`, `null:`: keys the JSON step converts
    return { key: resolved.value, after: p + 1 };
  }

  /** The block collection whose first line is the current one, indented `n`. */
  private block(n: number): GoValue {
    if (++this.depth > MAX_DEPTH) throw GIVE_UP;
    const line = this.lines[this.i]!;
    let value: GoValue;
    if (this.isItem(line, n)) value = this.sequence(n);
    else if (this.keyAt(line, n)) value = this.mapping(n, n);
    else {
      // A one-line node under its key or item (`key:` then `  {}` on the next line).
      value = this.inline(line, n);
      this.i++;
    }
    this.depth--;
    return value;
  }

  /** The next content line's indentation, or -1 at the end. */
  private nextIndent(): number {
    this.skip();
    return this.i < this.lines.length ? indentOf(this.lines[this.i]!) : -1;
  }

  /** A block mapping indented `n` whose first key starts at column `col` of the current line. */
  private mapping(n: number, col: number): GoMap {
    const out: GoMap = {};
    for (let c = col; ; c = n) {
      const line = this.lines[this.i]!;
      const key = this.keyAt(line, c);
      if (!key) throw GIVE_UP;
      setOwn(out, key.key, this.mappingValue(line, key.after, n));
      const next = this.nextIndent();
      if (next < n) return out;
      if (next > n || this.isItem(this.lines[this.i]!, n)) throw GIVE_UP;
    }
  }

  /** The value after `key:` (at `from`) in a mapping indented `n`; leaves the current line after it. */
  private mappingValue(line: string, from: number, n: number): GoValue {
    let p = from;
    while (line.charCodeAt(p) === SPACE) p++;
    if (p < line.length && line.charCodeAt(p) !== HASH) {
      if (line.charCodeAt(p) === 124 /* | */) return this.literal(line, p, n);
      const v = this.inline(line, p);
      this.i++;
      return v;
    }
    this.i++;
    const next = this.nextIndent();
    if (next > n) return this.block(next);
    // A sequence may sit at its key's indentation.
    if (next === n && this.isItem(this.lines[this.i]!, n)) return this.block(n);
    return null;
  }

  /** A block sequence indented `n`, from its first `-` line. */
  private sequence(n: number): GoValue[] {
    const out: GoValue[] = [];
    for (;;) {
      const line = this.lines[this.i]!;
      let p = n + 1;
      while (line.charCodeAt(p) === SPACE) p++;
      if (p >= line.length || line.charCodeAt(p) === HASH) {
        this.i++;
        const next = this.nextIndent();
        out.push(next > n ? this.block(next) : null);
      } else if (this.isItem(line, p)) {
        throw GIVE_UP;
      } else if (line.charCodeAt(p) === 124 /* | */) {
        out.push(this.literal(line, p, n));
      } else if (this.keyAt(line, p)) {
        if (++this.depth > MAX_DEPTH) throw GIVE_UP;
        out.push(this.mapping(p, p));
        this.depth--;
      } else {
        out.push(this.inline(line, p));
        this.i++;
      }
      const next = this.nextIndent();
      if (next < n) return out;
      if (next > n) throw GIVE_UP;
      // At the same indentation, a line that is not an item ends a sequence that was a key's value.
      if (!this.isItem(this.lines[this.i]!, n)) return out;
    }
  }

  /**
   * A quoted scalar starting at `p` (`"` without escapes, or `'` with `''`) that closes on the same
   * line: its text and the column after its closing quote; undefined for any other.
   */
  private quoted(line: string, p: number): { text: string; end: number } | undefined {
    if (line.charCodeAt(p) === 34 /* " */) {
      const close = line.indexOf('"', p + 1);
      if (close < 0) return undefined;
      const text = line.slice(p + 1, close);
      return text.includes('\\') ? undefined : { text, end: close + 1 };
    }
    let text = '';
    let q = p + 1;
    for (;;) {
      const k = line.indexOf("'", q);
      if (k < 0) return undefined;
      text += line.slice(q, k);
      if (line.charCodeAt(k + 1) !== 39) return { text, end: k + 1 };
      text += "'";
      q = k + 2;
    }
  }

  /** A scalar, `{}`, `[]` or a one-line flow sequence of scalars that starts at `p` and ends its line (a comment may follow). */
  private inline(line: string, p: number): GoValue {
    const c = line.charCodeAt(p);
    if (c === 34 /* " */ || c === 39 /* ' */) {
      const quoted = this.quoted(line, p);
      if (quoted === undefined || !onlyComment(line, quoted.end)) throw GIVE_UP;
      return quoted.text;
    }
    if (c === 123 /* { */) {
      let q = p + 1;
      while (line.charCodeAt(q) === SPACE) q++;
      if (line.charCodeAt(q) !== 125 || !onlyComment(line, q + 1)) throw GIVE_UP;
      return {};
    }
    if (c === 91 /* [ */) return this.flowSequence(line, p);
    // Indicators that cannot start a plain scalar here (or start something else); `-` only before a blank.
    if ('?:,]}#&*!|>%@`'.includes(line[p]!) || (c === DASH && (p + 1 === line.length || line.charCodeAt(p + 1) === SPACE))) throw GIVE_UP;
    let end = line.indexOf(' #', p);
    if (end < 0) end = line.length;
    while (end > p && line.charCodeAt(end - 1) === SPACE) end--;
    const text = line.slice(p, end);
    if (text.includes(': ') || text.charCodeAt(text.length - 1) === COLON) throw GIVE_UP;
    const v = scalarValue(resolveScalar(text), this.jsonNumbers);
    if (v === undefined) throw GIVE_UP;
    return v;
  }

  /**
   * `[a, 'b', "c"]` on one line: quoted scalars and plain ones of letters, digits and `_./=+-`
   * (typed as plain scalars are), separated by commas; `[]` and `[ ]` are empty.
   */
  private flowSequence(line: string, p: number): GoValue[] {
    const out: GoValue[] = [];
    let q = p + 1;
    while (line.charCodeAt(q) === SPACE) q++;
    if (line.charCodeAt(q) === 93 /* ] */) {
      if (!onlyComment(line, q + 1)) throw GIVE_UP;
      return out;
    }
    for (;;) {
      const c = line.charCodeAt(q);
      if (c === 34 || c === 39) {
        const quoted = this.quoted(line, q);
        if (quoted === undefined) throw GIVE_UP;
        out.push(quoted.text);
        q = quoted.end;
      } else {
        const start = q;
        while (q < line.length && flowPlainChar(line.charCodeAt(q))) q++;
        // Not `-` alone or a leading `-` before a blank (a block indicator there); nothing empty.
        if (q === start || (c === DASH && q === start + 1)) throw GIVE_UP;
        const v = scalarValue(resolveScalar(line.slice(start, q)), this.jsonNumbers);
        if (v === undefined) throw GIVE_UP;
        out.push(v);
      }
      while (line.charCodeAt(q) === SPACE) q++;
      const sep = line.charCodeAt(q);
      if (sep === 93 /* ] */) {
        if (!onlyComment(line, q + 1)) throw GIVE_UP;
        return out;
      }
      if (sep !== 44 /* , */) throw GIVE_UP;
      q++;
      while (line.charCodeAt(q) === SPACE) q++;
    }
  }

  /** A literal block scalar (`|` or `|-`) at `p`, the value of a key in a mapping indented `n` or an item of a sequence indented `n`. */
  private literal(line: string, p: number, n: number): string {
    const strip = line.charCodeAt(p + 1) === DASH;
    if (!onlyComment(line, p + (strip ? 2 : 1))) throw GIVE_UP;
    const { lines } = this;
    let k = this.i + 1;
    let first = k;
    while (first < lines.length && indentOf(lines[first]!) === lines[first]!.length) first++;
    if (first >= lines.length) throw GIVE_UP;
    const indent = indentOf(lines[first]!);
    if (indent <= n) throw GIVE_UP;
    const parts: string[] = [];
    let content = 0;
    for (; k < lines.length; k++) {
      const l = lines[k]!;
      if (indentOf(l) === l.length) {
        // A line of blanks longer than the indentation is content in a literal scalar: left to the full reader.
        if (l.length > indent) throw GIVE_UP;
        parts.push('');
        continue;
      }
      if (indentOf(l) < indent) break;
      parts.push(l.slice(indent));
      content = parts.length;
    }
    this.i = k;
    // A comment less indented than the scalar but inside its parent: left to the full reader.
    if (k < lines.length && indentOf(lines[k]!) > n && lines[k]!.charCodeAt(indentOf(lines[k]!)) === HASH) throw GIVE_UP;
    const body = parts.slice(0, content).join('\n');
    // A block scalar that ends the input without a line break gets none from go-yaml.
    return strip || (k >= lines.length && !this.text.endsWith('\n')) ? body : `${body}\n`;
  }
}

/**
 * The first document of `text` as the full reader (decodeYaml) would return it, when the text has
 * the simple shape this reader knows; undefined otherwise (and for every text with an error).
 */
export function readSimpleYaml(text: string, jsonNumbers: boolean): GoValue | undefined {
  if (unusual.test(text) || markers.test(text)) return undefined;
  try {
    return new SimpleReader(text, jsonNumbers).read();
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}
