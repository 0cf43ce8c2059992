// TOML as Helm's toToml and fromToml see it (BurntSushi/toml v1.6.0): the encoder's layout (direct
// keys first, then tables, two-space indentation per table level, floats always with a decimal
// point or exponent) and a TOML 1.0 decoder giving int64 integers, float64 floats and time.Time
// date-times (the template library's GoTime), with the library's error texts for the common mistakes.
import { formatTime, GoLocation, GoTime, timeDate, UTC } from '../template/funcs/gotime.js';
import { formatFloat, GoInt, GoStruct, goIntFromBigInt, isMap, withGoType, type GoMap, type GoValue } from '../template/value.js';
import { marshalledText } from './encode.js';
import { YamlError } from './errors.js';

// ---------------------------------------------------------------------------------------------
// Encoding

const TOML_INDENT = '  ';

/** The replacements of the encoder's double-quoted strings. */
function quoteToml(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `"${out}"`;
}

function keyPart(k: string): string {
  if (k === '') return '""';
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : quoteToml(k);
}

function isNilValue(v: GoValue | undefined): boolean {
  return v === null || v === undefined;
}

class TomlEncodeError extends Error {}

/** A map or a struct other than time.Time and the types that marshal to text (semver versions). */
function isTable(v: GoValue): boolean {
  return isMap(v) || (v instanceof GoStruct && !(v instanceof GoTime) && marshalledText(v) === undefined);
}

/** Whether a value is written as a table ([key]) or an array of tables ([[key]]) rather than `key = value`. */
function isTableLike(v: GoValue): boolean {
  return isTable(v) || isArrayOfTables(v);
}

function isArrayOfTables(v: GoValue): boolean {
  if (!Array.isArray(v) || v.length === 0) return false;
  if (v.some(isNilValue)) throw new TomlEncodeError('toml: cannot encode array with nil element');
  return v.every(isTable);
}

function entriesOf(v: GoValue): [string, GoValue][] {
  return Object.entries(v instanceof GoStruct ? v.fields : (v as GoMap));
}

class TomlEncoder {
  private out = '';

  text(): string {
    return this.out;
  }

  private write(s: string): void {
    this.out += s;
  }

  private newline(): void {
    if (this.out !== '') this.write('\n');
  }

  private indent(key: string[]): string {
    return TOML_INDENT.repeat(Math.max(key.length - 1, 0));
  }

  encode(key: string[], v: GoValue): void {
    if (isNilValue(v)) return;
    if (Array.isArray(v) && isArrayOfTables(v)) return this.arrayOfTables(key, v);
    if (isTable(v)) return this.table(key, v);
    this.keyValue(key, v);
  }

  private keyValue(key: string[], v: GoValue, inline = false): void {
    if (key.length > 0) this.write(`${this.indent(key)}${keyPart(key[key.length - 1]!)} = `);
    this.element(v);
    if (!inline && key.length > 0) this.newline();
  }

  private table(key: string[], v: GoValue): void {
    if (key.length === 1) this.newline();
    if (key.length > 0) {
      this.write(`${this.indent(key)}[${key.map(keyPart).join('.')}]`);
      this.newline();
    }
    this.tableBody(key, v, false);
  }

  private arrayOfTables(key: string[], v: GoValue[]): void {
    if (key.length === 0) throw new TomlEncodeError('toml: top-level values must be Go maps or structs');
    for (const t of v) {
      this.newline();
      this.write(`${this.indent(key)}[[${key.map(keyPart).join('.')}]]`);
      this.newline();
      this.tableBody(key, t, false);
    }
  }

  /** Keys holding plain values first, then the ones holding tables, each group in byte order. */
  private tableBody(key: string[], v: GoValue, inline: boolean): void {
    const direct: [string, GoValue][] = [];
    const sub: [string, GoValue][] = [];
    for (const [k, x] of entriesOf(v)) (isTableLike(x) ? sub : direct).push([k, x]);
    const byKey = (a: [string, GoValue], b: [string, GoValue]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    const writeGroup = (group: [string, GoValue][], trailingComma: boolean) => {
      group.sort(byKey).forEach(([k, x], i) => {
        if (isNilValue(x)) return;
        if (inline) {
          this.keyValue([k], x, true);
          if (trailingComma || i !== group.length - 1) this.write(', ');
        } else this.encode([...key, k], x);
      });
    };
    if (inline) this.write('{');
    writeGroup(direct, sub.length > 0);
    writeGroup(sub, false);
    if (inline) this.write('}');
  }

  private element(v: GoValue): void {
    if (v instanceof GoTime) return this.write(tomlTime(v));
    const text = marshalledText(v);
    if (text !== undefined) return this.write(quoteToml(text));
    if (typeof v === 'string') return this.write(quoteToml(v));
    if (typeof v === 'boolean') return this.write(v ? 'true' : 'false');
    if (v instanceof GoInt) return this.write(v.toString());
    if (typeof v === 'number') return this.write(tomlFloat(v));
    if (v instanceof Uint8Array) return this.element(Array.from(v, (b) => new GoInt(b, 'uint8')));
    if (Array.isArray(v)) {
      this.write('[');
      v.forEach((x, i) => {
        this.element(x);
        if (i !== v.length - 1) this.write(', ');
      });
      return this.write(']');
    }
    if (isMap(v) || v instanceof GoStruct) return this.tableBody([], v, true);
    throw new TomlEncodeError(`toml: unexpected type: ${typeof v}`);
  }
}

/** Floats keep a decimal point or an exponent: `1.0`, `1.5`, `1e+06`; `nan`, `+inf`, `-inf`. */
function tomlFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? '+inf' : '-inf';
  const s = formatFloat(x);
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}

/** Helm's `toToml`: the TOML text of a value, or the encoder's error text. */
export function toToml(v: GoValue): string {
  const e = new TomlEncoder();
  try {
    e.encode([], v);
  } catch (err) {
    if (err instanceof TomlEncodeError) return err.message;
    throw err;
  }
  return e.text();
}

// ---------------------------------------------------------------------------------------------
// Date-times: Go time.Time values. TOML's local date-times, dates and times have offset 0 in the
// library's own zones `datetime-local`, `date-local` and `time-local`, which the encoder writes back
// in their short forms.

const localZones = {
  datetime: new GoLocation('datetime-local', { offset: 0, abbrev: 'datetime-local' }),
  date: new GoLocation('date-local', { offset: 0, abbrev: 'date-local' }),
  time: new GoLocation('time-local', { offset: 0, abbrev: 'time-local' }),
};

function tomlTime(t: GoTime): string {
  switch (t.loc) {
    case localZones.datetime:
      return formatTime(t, '2006-01-02T15:04:05.999999999');
    case localZones.date:
      return formatTime(t, '2006-01-02');
    case localZones.time:
      return formatTime(t, '15:04:05.999999999');
  }
  return formatTime(t, '2006-01-02T15:04:05.999999999Z07:00');
}

/** Go's time.FixedZone("", offset) for a numeric offset: its abbreviation reads `+0100`. */
function fixedZone(sign: string, hh: string, mm: string): GoLocation {
  const offset = (sign === '-' ? -1 : 1) * (Number(hh) * 3600 + Number(mm) * 60);
  return offset === 0 && sign === '+' ? new GoLocation('', { offset: 0, abbrev: '+0000' }) : new GoLocation('', { offset, abbrev: `${sign}${hh}${mm}` });
}

const dateTimePattern = /^(?:(\d{4})-(\d{2})-(\d{2}))?(?:(?<=\d)[Tt ]|^)?(?:(\d{2}):(\d{2}):(\d{2})(\.\d+)?)?([Zz]|([+-])(\d{2}):(\d{2}))?/;

/** A TOML date-time, date or time at the start of `text`, with the length it takes. */
function readDateTime(text: string): { time: GoTime | undefined; length: number } | undefined {
  const m = dateTimePattern.exec(text);
  if (!m || (m[1] === undefined && m[4] === undefined) || m[0] === '') return undefined;
  const [all, y, mo, d, h, mi, sec, frac, zone, sign, zh, zm] = m;
  if (y === undefined && zone !== undefined) return undefined;
  const year = y === undefined ? 0 : Number(y);
  const month = mo === undefined ? 1 : Number(mo);
  const day = d === undefined ? 1 : Number(d);
  const valid =
    month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate() && Number(h ?? 0) <= 23 && Number(mi ?? 0) <= 59 && Number(sec ?? 0) <= 59;
  const nanos = frac ? Number(frac.slice(1, 10).padEnd(9, '0')) : 0;
  const loc =
    y === undefined ? localZones.time : h === undefined ? localZones.date : zone === undefined ? localZones.datetime : sign === undefined ? UTC : fixedZone(sign, zh!, zm!);
  const time = valid ? timeDate(year, month, day, Number(h ?? 0), Number(mi ?? 0), Number(sec ?? 0), nanos, loc) : undefined;
  return { time, length: all.length };
}

// ---------------------------------------------------------------------------------------------
// Decoding

/** A TOML syntax error with BurntSushi's text (`toml: line 1 (last key "a"): ...`). */
class TomlSyntaxError extends YamlError {
  constructor(line: number, lastKey: string, message: string) {
    super(lastKey === '' ? `toml: line ${line}: ${message}` : `toml: line ${line} (last key ${JSON.stringify(lastKey)}): ${message}`, undefined, line);
  }
}

const bareKey = /[A-Za-z0-9_-]/;

class TomlParser {
  private pos = 0;
  private line = 1;
  /** The key of the table being filled, and the last key read (for error messages, as BurntSushi reports them). */
  private context: string[] = [];
  private lastKey: string[] = [];
  readonly root: GoMap = {};
  /** Tables created by a header or by dotted keys, and whether they may still be opened by a header. */
  private readonly explicit = new Set<GoMap>();
  private readonly implicitByDotted = new Set<GoMap>();
  private readonly frozen = new Set<GoMap | GoValue[]>();
  private readonly arraysOfTables = new Set<GoValue[]>();

  constructor(private readonly src: string) {}

  private fail(message: string, line = this.line): never {
    throw new TomlSyntaxError(line, this.lastKey.join('.'), message);
  }

  private peek(offset = 0): string {
    return this.src[this.pos + offset] ?? '';
  }

  private eof(): boolean {
    return this.pos >= this.src.length;
  }

  private describe(c: string): string {
    return c === '' ? 'EOF' : c === '\n' ? 'newline' : `'${c}'`;
  }

  private skipSpace(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  private skipComment(): void {
    if (this.peek() !== '#') return;
    while (!this.eof() && this.peek() !== '\n') {
      const c = this.src.charCodeAt(this.pos);
      if ((c < 0x20 && c !== 0x09 && c !== 0x0d) || c === 0x7f) this.fail(`control characters are not allowed in comments: '0x${c.toString(16)}'`);
      this.pos++;
    }
  }

  private newline(): boolean {
    if (this.peek() === '\n') {
      this.pos++;
      this.line++;
      return true;
    }
    if (this.peek() === '\r' && this.peek(1) === '\n') {
      this.pos += 2;
      this.line++;
      return true;
    }
    return false;
  }

  /** Blank space, comments and line breaks (inside arrays). */
  private skipAll(): void {
    for (;;) {
      this.skipSpace();
      this.skipComment();
      if (!this.newline()) return;
    }
  }

  parse(): GoMap {
    let table = this.root;
    for (;;) {
      this.skipAll();
      if (this.eof()) return this.root;
      if (this.peek() === '[') table = this.header();
      else this.keyValue(table);
      this.skipSpace();
      this.skipComment();
      if (!this.eof() && !this.newline()) this.fail(`expected a top-level item to end with a newline, comment, or EOF, but got ${this.describe(this.peek())} instead`);
    }
  }

  private key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipSpace();
      const c = this.peek();
      if (c === '"') parts.push(this.basicString(false));
      else if (c === "'") parts.push(this.literalString(false));
      else if (bareKey.test(c)) {
        const start = this.pos;
        while (bareKey.test(this.peek())) this.pos++;
        parts.push(this.src.slice(start, this.pos));
      } else if (c === '=' && parts.length === 0) this.fail("unexpected '=': key name appears blank");
      else if (c === '' || c === '\n') this.fail(`unexpected ${this.describe(c)}; expected key name`);
      else this.fail(`bare keys cannot contain ${this.describe(c)}`);
      this.skipSpace();
      if (this.peek() !== '.') return parts;
      this.pos++;
    }
  }

  private header(): GoMap {
    const array = this.peek(1) === '[';
    this.pos += array ? 2 : 1;
    const key = this.key();
    this.context = key;
    this.lastKey = key;
    if (this.peek() !== ']' || (array && this.peek(1) !== ']')) this.fail(`expected ${array ? "']]'" : "']'"} but got ${this.describe(this.peek())}`);
    this.pos += array ? 2 : 1;
    let table = this.root;
    for (const part of key.slice(0, -1)) table = this.descend(table, part, true);
    const last = key[key.length - 1]!;
    const existing = table[last];
    if (array) {
      let list: GoValue[];
      if (existing === undefined) {
        list = withGoType([], '[]map[string]interface {}');
        this.arraysOfTables.add(list);
        setKey(table, last, list);
      } else if (Array.isArray(existing) && this.arraysOfTables.has(existing)) list = existing;
      else this.fail(`Key '${key.join('.')}' has already been defined.`);
      const t: GoMap = {};
      list.push(t);
      this.explicit.add(t);
      return t;
    }
    if (existing === undefined) {
      const t: GoMap = {};
      setKey(table, last, t);
      this.explicit.add(t);
      return t;
    }
    if (isMap(existing) && !this.explicit.has(existing) && !this.implicitByDotted.has(existing) && !this.frozen.has(existing)) {
      this.explicit.add(existing);
      return existing;
    }
    this.fail(`Key '${key.join('.')}' has already been defined.`);
  }

  /** The table under `part`, created implicitly; array-of-tables entries continue at their last element. */
  private descend(table: GoMap, part: string, fromHeader: boolean): GoMap {
    const existing = table[part];
    if (existing === undefined) {
      const t: GoMap = {};
      setKey(table, part, t);
      if (!fromHeader) this.implicitByDotted.add(t);
      return t;
    }
    if (Array.isArray(existing) && this.arraysOfTables.has(existing)) return existing[existing.length - 1] as GoMap;
    if (isMap(existing) && !this.frozen.has(existing) && (fromHeader || !this.explicit.has(existing) || this.implicitByDotted.has(existing))) return existing;
    this.fail(`Key '${this.lastKey.join('.')}' has already been defined.`);
  }

  private keyValue(table: GoMap): void {
    const key = this.key();
    this.lastKey = [...this.context, ...key];
    if (this.peek() !== '=') this.fail(`expected key separator '=', but got ${this.describe(this.peek())} instead`);
    this.pos++;
    this.skipSpace();
    let target = table;
    for (const part of key.slice(0, -1)) target = this.descend(target, part, false);
    const last = key[key.length - 1]!;
    if (target[last] !== undefined) this.fail(`Key '${this.lastKey.join('.')}' has already been defined.`);
    setKey(target, last, this.value());
  }

  private value(): GoValue {
    const c = this.peek();
    if (c === '' || c === '\n' || (c === '\r' && this.peek(1) === '\n')) this.fail(`unexpected ${c === '' ? 'EOF' : 'newline'}; expected value`);
    if (c === '"') return this.src.startsWith('"""', this.pos) ? this.multilineBasic() : this.basicString(true);
    if (c === "'") return this.src.startsWith("'''", this.pos) ? this.multilineLiteral() : this.literalString(true);
    if (c === '[') return this.array();
    if (c === '{') return this.inlineTable();
    const m = /^[0-9A-Za-z_+\-.:]+(?: [0-9][0-9:.+\-Zz]*)?/.exec(this.src.slice(this.pos));
    const word = m ? m[0] : '';
    if (word === '') this.fail(`expected value but found ${this.describe(c)} instead`);
    return this.scalarWord(word);
  }

  private scalarWord(text: string): GoValue {
    const dt = /^\d{4}-\d{2}-\d{2}|^\d{2}:\d{2}:\d{2}/.test(text) ? readDateTime(text) : undefined;
    if (dt) {
      if (!dt.time) this.fail(`invalid datetime: "${text.slice(0, dt.length)}"`);
      this.pos += dt.length;
      return dt.time;
    }
    const word = /^[0-9A-Za-z_+\-.]+/.exec(text)![0];
    this.pos += word.length;
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (/^[+-]?(inf|nan)$/.test(word)) return word.endsWith('nan') ? NaN : word.startsWith('-') ? -Infinity : Infinity;
    const underscoresOk = (digits: string) => !/^_|_$|__/.test(digits);
    let m = /^0x([0-9A-Fa-f_]+)$|^0o([0-7_]+)$|^0b([01_]+)$/.exec(word);
    if (m) {
      const digits = m[1] ?? m[2] ?? m[3]!;
      if (!underscoresOk(digits)) this.fail(`invalid integer: "${word}"`);
      const prefix = m[1] !== undefined ? '0x' : m[2] !== undefined ? '0o' : '0b';
      return this.int64(BigInt(prefix + digits.replaceAll('_', '')), word);
    }
    m = /^[+-]?(0|[1-9](?:_?[0-9])*)$/.exec(word);
    if (m) return this.int64(BigInt(word.replaceAll('_', '')), word);
    if (/^[+-]?(0|[1-9](?:_?[0-9])*)(\.[0-9](?:_?[0-9])*)?([eE][+-]?[0-9](?:_?[0-9])*)?$/.test(word)) {
      const x = Number(word.replaceAll('_', ''));
      if (!Number.isFinite(x)) this.fail(`float ${JSON.stringify(word)} is out of the range of 64-bit IEEE-754 floating-point numbers`);
      return x;
    }
    this.fail(`invalid value: "${word}"`);
  }

  private int64(v: bigint, text: string): GoInt {
    if (v < -(2n ** 63n) || v > 2n ** 63n - 1n) this.fail(`integer "${text}" is out of the range of 64-bit signed integers`);
    return goIntFromBigInt(v, 'int64');
  }

  private escape(): string {
    const c = this.peek();
    this.pos++;
    const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };
    if (c in simple) return simple[c]!;
    if (c === 'u' || c === 'U') {
      const n = c === 'u' ? 4 : 8;
      const hex = this.src.slice(this.pos, this.pos + n);
      if (!new RegExp(`^[0-9A-Fa-f]{${n}}$`).test(hex)) this.fail(`invalid escape in string '\\${c}${hex}'`);
      this.pos += n;
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) this.fail(`invalid escape in string '\\${c}${hex}'`);
      return String.fromCodePoint(cp);
    }
    this.fail(`invalid escape character ${JSON.stringify(c)}; only the following escape characters are allowed: \\b, \\t, \\n, \\f, \\r, \\", \\\\, \\uXXXX, and \\UXXXXXXXX`);
  }

  private checkControl(c: string, where: string): void {
    const code = c.charCodeAt(0);
    if ((code < 0x20 && c !== '\t') || code === 0x7f) this.fail(`control characters are not allowed in ${where}: '0x${code.toString(16)}'`);
  }

  private basicString(inValue: boolean): string {
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === '') this.fail(`unexpected EOF; expected '"'`);
      if (c === '\n') this.fail(`strings cannot contain newlines`);
      this.pos++;
      if (c === '"') return out;
      if (c === '\\') out += this.escape();
      else {
        this.checkControl(c, inValue ? 'strings' : 'keys');
        out += c;
      }
    }
  }

  private literalString(inValue: boolean): string {
    this.pos++;
    const start = this.pos;
    for (;;) {
      const c = this.peek();
      if (c === '') this.fail(`unexpected EOF; expected "'"`);
      if (c === '\n') this.fail(`strings cannot contain newlines`);
      if (c === "'") break;
      this.checkControl(c, inValue ? 'strings' : 'keys');
      this.pos++;
    }
    const s = this.src.slice(start, this.pos);
    this.pos++;
    return s;
  }

  /**
   * At the closing delimiter of a multi-line string: consumes it and returns the one or two quotes
   * just before it that belong to the content (`"""""` ends a string with two quotes).
   */
  private closingQuotes(quote: string): string | undefined {
    if (!this.src.startsWith(quote.repeat(3), this.pos)) return undefined;
    let quotes = 3;
    while (this.peek(quotes) === quote && quotes < 5) quotes++;
    this.pos += quotes;
    return quote.repeat(quotes - 3);
  }

  private multilineBasic(): string {
    this.pos += 3;
    this.newline();
    let out = '';
    for (;;) {
      if (this.eof()) this.fail(`unexpected EOF; expected '"""'`);
      const end = this.closingQuotes('"');
      if (end !== undefined) return out + end;
      const c = this.peek();
      if (c === '\\') {
        const rest = /^\\[ \t]*\r?\n/.exec(this.src.slice(this.pos));
        if (rest) {
          this.pos++;
          this.skipAll();
          continue;
        }
        this.pos++;
        out += this.escape();
      } else if (this.newline()) out += '\n';
      else {
        this.checkControl(c, 'strings');
        out += c;
        this.pos++;
      }
    }
  }

  private multilineLiteral(): string {
    this.pos += 3;
    this.newline();
    let out = '';
    for (;;) {
      if (this.eof()) this.fail(`unexpected EOF; expected "'''"`);
      const end = this.closingQuotes("'");
      if (end !== undefined) return out + end;
      if (this.newline()) out += '\n';
      else {
        this.checkControl(this.peek(), 'strings');
        out += this.peek();
        this.pos++;
      }
    }
  }

  private array(): GoValue[] {
    this.pos++;
    const out: GoValue[] = [];
    for (;;) {
      this.skipAll();
      if (this.peek() === ']') {
        this.pos++;
        this.frozen.add(out);
        return out;
      }
      out.push(this.value());
      this.skipAll();
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== ']') this.fail(`expected a comma (',') or array terminator (']'), but got ${this.describe(this.peek())}`);
    }
  }

  private inlineTable(): GoMap {
    this.pos++;
    const out: GoMap = {};
    const outerKey = this.lastKey;
    this.skipSpace();
    if (this.peek() === '}') {
      this.pos++;
      this.frozen.add(out);
      return out;
    }
    for (;;) {
      this.skipSpace();
      const key = this.key();
      this.lastKey = [...outerKey, ...key];
      if (this.peek() !== '=') this.fail(`expected key separator '=', but got ${this.describe(this.peek())} instead`);
      this.pos++;
      this.skipSpace();
      let target = out;
      for (const part of key.slice(0, -1)) target = this.descend(target, part, false);
      const last = key[key.length - 1]!;
      if (target[last] !== undefined) this.fail(`Key '${this.lastKey.join('.')}' has already been defined.`);
      setKey(target, last, this.value());
      this.skipSpace();
      if (this.peek() === ',') {
        this.pos++;
        continue;
      }
      if (this.peek() === '}') {
        this.pos++;
        this.lastKey = outerKey;
        this.frozen.add(out);
        return out;
      }
      this.fail(`expected a comma or an inline table terminator '}', but got ${this.describe(this.peek())} instead`);
    }
  }
}

function setKey(m: GoMap, key: string, value: GoValue): void {
  Object.defineProperty(m, key, { value, enumerable: true, writable: true, configurable: true });
}

/** BurntSushi/toml Unmarshal into `map[string]interface {}`; throws a YamlError with the library's text. */
export function parseToml(text: string): GoMap {
  return new TomlParser(text).parse();
}

/** Helm's `fromToml`: the map, or `{Error: text}` when the text is not valid TOML. */
export function fromToml(text: string): GoMap {
  try {
    return parseToml(text);
  } catch (e) {
    if (e instanceof TomlSyntaxError) return { Error: e.message };
    throw e;
  }
}
