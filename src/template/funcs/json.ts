// Go's encoding/json for template values: Marshal (sorted keys, HTML escaping, Go's float format,
// MarshalIndent) and Unmarshal into interface{} (numbers float64) with Go's error texts; and the
// Sprig JSON functions built on them.
import {
  GoComplex, GoError, GoInt, GoPanic, GoStruct, isMap, isNilMap, isNilSlice, methodOf, compareBytes,
  goStringFromBytes, goStringToBytes, type FuncMap, type GoMap, type GoValue,
} from '../value.js';
import { goQuote } from './gostrings.js';
import { goFunc } from './signature.js';

export interface MarshalOptions {
  /** Escape `<`, `>`, `&` as \u003c, \u003e, \u0026 (json.Marshal does; Encoder.SetEscapeHTML(false) does not). */
  escapeHTML?: boolean;
  /** MarshalIndent's indent per level (prefix is always ""). */
  indent?: string;
}

/** An error json.Marshal returns (`json: unsupported value: NaN`, ...). */
export class JsonMarshalError extends GoError {}

function quoteJson(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c < 0x7f && !(escapeHTML && (c === 0x3c || c === 0x3e || c === 0x26))) {
      out += ch;
      continue;
    }
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
    }
    if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += '\\ufffd'; // invalid UTF-8 (escaped bytes or lone surrogates)
    } else out += ch;
  }
  return out + '"';
}

/** Go's float64 JSON form: 'f' format for 1e-6 <= |x| < 1e21, else 'e' with `e-07` shortened to `e-7`. */
function formatJsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new JsonMarshalError(`json: unsupported value: ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`);
  if (Object.is(f, -0)) return '-0';
  return String(f); // JavaScript's number-to-string coincides with Go's rule for JSON
}

function encode(v: GoValue | undefined, opts: Required<MarshalOptions>, depth: number): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return quoteJson(v, opts.escapeHTML);
    case 'number':
      return formatJsonFloat(v);
  }
  if (v instanceof GoInt) return v.toString();
  if (v instanceof GoComplex) throw new JsonMarshalError('json: unsupported type: complex128');
  const marshaler = methodOf(v, 'MarshalJSON');
  if (marshaler) {
    const raw = marshaler.fn(v);
    return reindent(raw instanceof Uint8Array ? goStringFromBytes(raw) : String(raw), opts, depth);
  }
  if (v instanceof Uint8Array) return `"${Buffer.from(v).toString('base64')}"`;
  const nl = opts.indent ? '\n' + opts.indent.repeat(depth + 1) : '';
  const close = opts.indent ? '\n' + opts.indent.repeat(depth) : '';
  const colon = opts.indent ? ': ' : ':';
  if (Array.isArray(v)) {
    if (isNilSlice(v)) return 'null';
    if (v.length === 0) return '[]';
    return `[${v.map((x) => nl + encode(x, opts, depth + 1)).join(',')}${close}]`;
  }
  if (isNilMap(v)) return 'null';
  const entries: [string, GoValue][] = v instanceof GoStruct ? Object.entries(v.fields) : isMap(v) ? Object.keys(v).sort(compareBytes).map((k) => [k, (v as GoMap)[k]!]) : [];
  if (entries.length === 0) return '{}';
  return `{${entries.map(([k, x]) => nl + quoteJson(k, opts.escapeHTML) + colon + encode(x, opts, depth + 1)).join(',')}${close}}`;
}

/** A MarshalJSON result is compacted and re-indented by the encoder, as Go does. */
function reindent(raw: string, opts: Required<MarshalOptions>, depth: number): string {
  return encode(unmarshalJson(raw), opts, depth);
}

/** json.Marshal / json.MarshalIndent(v, "", indent) / Encoder with SetEscapeHTML (without the newline). */
export function marshalJson(v: GoValue | undefined, options: MarshalOptions = {}): string {
  return encode(v, { escapeHTML: options.escapeHTML ?? true, indent: options.indent ?? '' }, 0);
}

// ---------------------------------------------------------------------------------------------
// Unmarshal into interface{}.

/** A JSON syntax or type error with Go's text. */
export class JsonUnmarshalError extends GoError {}

/** The character as Go's scanner quotes it in errors: 'x', '\n', '\''. */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const q = goQuote(c);
  return `'${q.slice(1, -1)}'`;
}

class JsonParser {
  private i = 0;
  constructor(private readonly s: string) {}

  /**
   * Go's scanner feeds a space at the end of the input: inside a literal or a number that space is
   * the offending character; elsewhere the input just ended.
   */
  private fail(context: string, spaceAtEnd = false): never {
    if (this.i >= this.s.length) {
      if (spaceAtEnd) throw new JsonUnmarshalError(`invalid character ' ' ${context}`);
      throw new JsonUnmarshalError('unexpected end of JSON input');
    }
    // Go's scanner works on bytes: a non-ASCII character is reported by its first byte (`é` as 'Ã').
    const ch = String.fromCharCode(goStringToBytes(String.fromCodePoint(this.s.codePointAt(this.i)!))[0]!);
    throw new JsonUnmarshalError(`invalid character ${quoteChar(ch)} ${context}`);
  }

  private ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i]!)) this.i++;
  }

  parseTop(): GoValue {
    this.ws();
    const v = this.value();
    this.ws();
    if (this.i < this.s.length) this.fail('after top-level value');
    return v;
  }

  private value(): GoValue {
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, val] of [['true', true], ['false', false], ['null', null]] as const) {
      if (c === word[0]) {
        this.i++;
        for (const expect of word.slice(1)) {
          if (this.s[this.i] !== expect) this.fail(`in literal ${word} (expecting ${quoteChar(expect)})`, true);
          this.i++;
        }
        return val;
      }
    }
    return this.fail('looking for beginning of value');
  }

  private object(): GoValue {
    this.i++;
    const out: GoMap = {};
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('looking for beginning of object key string');
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail('after object key');
      this.i++;
      this.ws();
      out[key] = this.value();
      this.ws();
      const c = this.s[this.i];
      this.i++;
      if (c === '}') return out;
      if (c !== ',') {
        this.i--;
        this.fail('after object key:value pair');
      }
    }
  }

  private array(): GoValue {
    this.i++;
    const out: GoValue[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      out.push(this.value());
      this.ws();
      const c = this.s[this.i];
      this.i++;
      if (c === ']') return out;
      if (c !== ',') {
        this.i--;
        this.fail('after array element');
      }
    }
  }

  private string(): string {
    this.i++;
    let out = '';
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) this.fail('');
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c < ' ') this.fail('in string literal');
      if (c === '\\') {
        this.i++;
        const e = this.s[this.i];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          this.i++;
        } else if (e === 'u') {
          this.i++;
          const code = this.hex4();
          if (code >= 0xd800 && code < 0xdc00 && this.s.startsWith('\\u', this.i)) {
            const save = this.i;
            this.i += 2;
            const low = this.hex4();
            if (low >= 0xdc00 && low <= 0xdfff) out += String.fromCharCode(code, low);
            else {
              out += '\ufffd';
              this.i = save;
            }
          } else out += code >= 0xd800 && code <= 0xdfff ? '\ufffd' : String.fromCharCode(code);
        } else this.fail('in string escape code');
        continue;
      }
      out += c;
      this.i++;
    }
  }

  private hex4(): number {
    for (let k = 0; k < 4; k++) {
      if (!/[0-9a-fA-F]/.test(this.s[this.i + k] ?? '')) {
        this.i += k;
        this.fail('in \\u hexadecimal character escape');
      }
    }
    const v = parseInt(this.s.slice(this.i, this.i + 4), 16);
    this.i += 4;
    return v;
  }

  private number(): number {
    const start = this.i;
    if (this.s[this.i] === '-') this.i++;
    const digit = () => /[0-9]/.test(this.s[this.i] ?? '');
    if (this.s[this.i] === '0') this.i++;
    else if (digit()) while (digit()) this.i++;
    else this.fail('in numeric literal', true);
    if (this.s[this.i] === '.') {
      this.i++;
      if (!digit()) this.fail('after decimal point in numeric literal', true);
      while (digit()) this.i++;
    }
    if (this.s[this.i] === 'e' || this.s[this.i] === 'E') {
      this.i++;
      if (this.s[this.i] === '+' || this.s[this.i] === '-') this.i++;
      if (!digit()) this.fail('in exponent of numeric literal', true);
      while (digit()) this.i++;
    }
    const text = this.s.slice(start, this.i);
    const n = Number(text);
    if (!Number.isFinite(n)) throw new JsonUnmarshalError(`json: cannot unmarshal number ${text} into Go value of type float64`);
    return n;
  }
}

/** json.Unmarshal into an interface{}: objects become maps, arrays slices, numbers float64. */
export function unmarshalJson(text: string): GoValue {
  return new JsonParser(text).parseTop();
}

/** The value kind as json's UnmarshalTypeError names it (`array`, `object`, `string`, `number`, `bool`). */
export function jsonKind(v: GoValue): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return 'object';
}

function marshalOrPanic(v: GoValue, options: MarshalOptions): string {
  try {
    return marshalJson(v, options);
  } catch (e) {
    if (e instanceof JsonMarshalError) throw new GoPanic(e.message);
    throw e;
  }
}

function marshalOrEmpty(v: GoValue, options: MarshalOptions): string {
  try {
    return marshalJson(v, options);
  } catch (e) {
    if (e instanceof JsonMarshalError) return '';
    throw e;
  }
}

export const jsonFuncs: FuncMap = {
  fromJson: goFunc('(v string) interface{}', (s: string) => {
    try {
      return unmarshalJson(s);
    } catch (e) {
      if (e instanceof JsonUnmarshalError) return null;
      throw e;
    }
  }),
  mustFromJson: goFunc('(v string) (interface{}, error)', unmarshalJson),
  toJson: goFunc('(v interface{}) string', (v: GoValue) => marshalOrEmpty(v, {})),
  mustToJson: goFunc('(v interface{}) (string, error)', (v: GoValue) => marshalJson(v)),
  toPrettyJson: goFunc('(v interface{}) string', (v: GoValue) => marshalOrEmpty(v, { indent: '  ' })),
  mustToPrettyJson: goFunc('(v interface{}) (string, error)', (v: GoValue) => marshalJson(v, { indent: '  ' })),
  toRawJson: goFunc('(v interface{}) string', (v: GoValue) => marshalOrPanic(v, { escapeHTML: false })),
  mustToRawJson: goFunc('(v interface{}) (string, error)', (v: GoValue) => marshalJson(v, { escapeHTML: false })),
};
