// Helm's `--set` syntax (pkg/strvals): `a.b=1,c[0]=x,d={l1,l2}`, `\` escapes the next character,
// values typed as Helm types them (`true`/`false`/`null` in any case, int64 for decimal integers not
// starting with 0, everything else a string); `--set-string` keeps strings, `--set-json` reads JSON
// values, `--set-file` reads the value from the named file, `--set-literal` takes everything after
// the first `=` as one string (no escapes, no commas, no lists).
import { unmarshalJson } from '../../template/funcs/json.js';
import { goIntFromBigInt, int64, typeName, type GoMap, type GoValue } from '../../template/value.js';
import { mergeMaps } from './files.js';
import { setOwnKey } from './own-key.js';

export class SetValuesError extends Error {
  override name = 'SetValuesError';
}

/** Largest list index `--set` accepts, and deepest key nesting (Helm's limits). */
const MAX_INDEX = 65536;
const MAX_NESTED_NAME_LEVEL = 30;

export type SetKind = 'set' | 'set-string' | 'set-json' | 'set-file' | 'set-literal';

class Eof extends Error {}
const EOF = new Eof('EOF');
class NotList extends Error {}
const NOT_LIST = new NotList('not a list');

type Reader = (runes: string[]) => GoValue;

function goIntType(v: GoValue | undefined): string {
  return v === undefined ? '<nil>' : typeName(v);
}

/** Go's interface conversion panic text, as strvals reports it. */
function conversionPanic(v: GoValue | undefined, want: string): SetValuesError {
  const got = v === null || v === undefined ? 'nil' : goIntType(v);
  return new SetValuesError(`unable to parse key: interface conversion: interface {} is ${got}, not ${want}`);
}

class Parser {
  private pos = 0;
  constructor(
    private readonly runes: string[],
    private readonly data: GoMap,
    private readonly reader: Reader | null,
    /** --set-literal: keys without escapes or commas, the value is the rest of the text. */
    private readonly literal = false,
  ) {}

  /** The rest of the input, as --set-literal's value. */
  private rest(): string {
    const v = this.runes.slice(this.pos).join('');
    this.pos = this.runes.length;
    return v;
  }

  parse(): void {
    for (;;) {
      try {
        this.key(this.data, 0);
      } catch (err) {
        if (err === EOF) return;
        throw err;
      }
    }
  }

  private readRune(): string | undefined {
    return this.pos < this.runes.length ? this.runes[this.pos++] : undefined;
  }

  /** Runes up to one of `stop` (consumed and returned as `last`); `\` takes the next rune literally. */
  private runesUntil(stop: string): { v: string[]; last: string | undefined; eof: boolean } {
    const v: string[] = [];
    for (;;) {
      const r = this.readRune();
      if (r === undefined) return { v, last: undefined, eof: true };
      if (stop.includes(r)) return { v, last: r, eof: false };
      if (r === '\\' && !this.literal) {
        const next = this.readRune();
        if (next === undefined) return { v, last: undefined, eof: true };
        v.push(next);
      } else v.push(r);
    }
  }

  private key(data: GoMap, level: number): void {
    const { v, last, eof } = this.runesUntil(this.literal ? '=[.' : '=[,.');
    const k = v.join('');
    if (eof) {
      if (k.length === 0) throw EOF;
      throw new SetValuesError(`key ${JSON.stringify(k)} has no value`);
    }
    switch (last) {
      case '[': {
        const i = this.keyIndex();
        let list: GoValue[] = [];
        if (Object.hasOwn(data, k)) {
          const existing = data[k];
          if (!Array.isArray(existing)) throw conversionPanic(existing, '[]interface {}');
          list = existing;
        }
        const { list: result, error } = this.listItemSafe(list, i, level);
        set(data, k, result);
        if (error) throw error;
        return;
      }
      case '=': {
        if (this.literal) {
          set(data, k, this.rest());
          return;
        }
        if (this.reader === null) {
          if (this.emptyVal()) {
            set(data, k, null);
            return;
          }
          set(data, k, this.jsonValue());
          this.emptyVal();
          return;
        }
        let vl: GoValue[];
        try {
          vl = this.valList();
        } catch (e) {
          if (e === EOF) {
            set(data, k, '');
            throw e;
          }
          if (e === NOT_LIST) {
            const rs = this.val();
            set(data, k, this.reader(rs));
            return;
          }
          throw e;
        }
        set(data, k, vl);
        return;
      }
      case ',':
        set(data, k, '');
        throw new SetValuesError(`key ${JSON.stringify(k)} has no value (cannot end with ,)`);
      case '.': {
        level++;
        if (level > MAX_NESTED_NAME_LEVEL) throw new SetValuesError(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`);
        let inner: GoMap = {};
        if (Object.hasOwn(data, k)) {
          const existing = data[k];
          if (existing === null || typeof existing !== 'object' || Array.isArray(existing) || existing instanceof Uint8Array) {
            throw conversionPanic(existing, 'map[string]interface {}');
          }
          inner = existing as GoMap;
        }
        let error: unknown;
        try {
          this.key(inner, level);
        } catch (e) {
          error = e;
        }
        if (error === undefined && Object.keys(inner).length === 0) throw new SetValuesError(`key map ${JSON.stringify(k)} has no value`);
        if (Object.keys(inner).length !== 0) set(data, k, inner);
        if (error !== undefined) throw error;
        return;
      }
    }
  }

  private keyIndex(): number {
    const { v, eof } = this.runesUntil(']');
    if (eof) throw EOF;
    const text = v.join('');
    if (!/^[+-]?\d+$/.test(text)) throw new SetValuesError(`error parsing index: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
    return Number(text);
  }

  private listItemSafe(list: GoValue[], i: number, level: number): { list: GoValue[]; error?: unknown } {
    try {
      return { list: this.listItem(list, i, level) };
    } catch (error) {
      return { list, error };
    }
  }

  private listItem(list: GoValue[], i: number, level: number): GoValue[] {
    if (i < 0) throw new SetValuesError(`negative ${i} index not allowed`);
    const { v, last, eof } = this.runesUntil('[.=');
    if (v.length > 0) throw new SetValuesError(`unexpected data at end of array index: ${JSON.stringify(v.join(''))}`);
    if (eof) throw EOF;
    switch (last) {
      case '=': {
        if (this.literal) return setIndex(list, i, this.rest());
        if (this.reader === null) {
          if (this.emptyVal()) return setIndex(list, i, null);
          const result = setIndex(list, i, this.jsonValue());
          this.emptyVal();
          return result;
        }
        try {
          return setIndex(list, i, this.valList());
        } catch (e) {
          if (e === EOF) return setIndex(list, i, '');
          if (e === NOT_LIST) return setIndex(list, i, this.reader(this.val()));
          throw e;
        }
      }
      case '[': {
        const next = this.keyIndex();
        let current: GoValue[] = [];
        if (list.length > i && list[i] !== null) {
          const existing = list[i];
          if (!Array.isArray(existing)) throw conversionPanic(existing, '[]interface {}');
          current = existing;
        }
        return setIndex(list, i, this.listItem(current, next, level));
      }
      case '.': {
        let inner: GoMap = {};
        if (list.length > i) {
          const existing = list[i];
          if (existing !== null && typeof existing === 'object' && !Array.isArray(existing) && !(existing instanceof Uint8Array)) inner = existing as GoMap;
          else list[i] = inner;
        }
        this.key(inner, level);
        return setIndex(list, i, inner);
      }
    }
    throw new SetValuesError(`parse error: unexpected token ${last}`);
  }

  /** Skips blanks up to a ',' or the end (an empty value: true) or another character (false, not consumed). */
  private emptyVal(): boolean {
    for (;;) {
      const r = this.readRune();
      if (r === undefined || r === ',') return true;
      if (!/\s/u.test(r)) {
        this.pos--;
        return false;
      }
    }
  }

  private val(): string[] {
    return this.runesUntil(',').v;
  }

  private valList(): GoValue[] {
    const r = this.readRune();
    if (r === undefined) throw EOF;
    if (r !== '{') {
      this.pos--;
      throw NOT_LIST;
    }
    const list: GoValue[] = [];
    for (;;) {
      const { v, last, eof } = this.runesUntil(',}');
      if (eof) throw new SetValuesError("list must terminate with '}'");
      if (last === '}') {
        const next = this.readRune();
        if (next !== undefined && next !== ',') this.pos--;
        list.push(this.reader!(v));
        return list;
      }
      list.push(this.reader!(v));
    }
  }

  /** One JSON value from the current position (Go's json.Decoder.Decode): numbers are float64. */
  private jsonValue(): GoValue {
    const rest = this.runes.slice(this.pos).join('');
    const end = jsonValueEnd(rest);
    const text = rest.slice(0, end);
    // Go's decoder: a number past float64's range (1e400) is an error, not Infinity.
    let value: GoValue;
    try {
      value = unmarshalJson(text);
    } catch (err) {
      throw new SetValuesError((err as Error).message);
    }
    this.pos += Array.from(text).length;
    return value;
  }
}

/** Index just after the first JSON value of `s` (leading white space skipped). */
function jsonValueEnd(s: string): number {
  let i = 0;
  while (i < s.length && /\s/.test(s[i]!)) i++;
  const start = s[i];
  if (start === '{' || start === '[') {
    let depth = 0;
    let inString = false;
    for (; i < s.length; i++) {
      const c = s[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return s.length;
  }
  if (start === '"') {
    for (i++; i < s.length; i++) {
      if (s[i] === '\\') i++;
      else if (s[i] === '"') return i + 1;
    }
    return s.length;
  }
  const m = /^[^\s,{}[\]"]*/.exec(s.slice(i));
  return i + (m ? m[0].length : 0);
}

function set(data: GoMap, key: string, val: GoValue): void {
  if (key.length === 0) return;
  setOwnKey(data, key, val);
}

function setIndex(list: GoValue[], index: number, val: GoValue): GoValue[] {
  if (index < 0) throw new SetValuesError(`negative ${index} index not allowed`);
  if (index > MAX_INDEX) throw new SetValuesError(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`);
  while (list.length <= index) list.push(null);
  list[index] = val;
  return list;
}

/** strvals typedVal: how `--set` types a value. */
function typedSetValue(text: string): GoValue {
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (text === '0') return int64(0);
  if (text.length !== 0 && text[0] !== '0' && /^[+-]?\d+$/.test(text)) {
    const n = BigInt(text);
    if (n >= -(2n ** 63n) && n < 2n ** 63n) return goIntFromBigInt(n, 'int64');
  }
  return text;
}

/**
 * Parses one `--set`-style argument into `dest` (modified and returned). `readFile` is needed for
 * `--set-file` and returns the file's content.
 */
export function parseSetValues(expr: string, dest: GoMap = {}, kind: SetKind = 'set', readFile?: (path: string) => string): GoMap {
  let reader: Reader | null;
  switch (kind) {
    case 'set':
      reader = (rs) => typedSetValue(rs.join(''));
      break;
    case 'set-string':
      reader = (rs) => rs.join('');
      break;
    case 'set-json':
      reader = null;
      break;
    case 'set-file':
      if (!readFile) throw new SetValuesError('--set-file needs a file reader');
      reader = (rs) => readFile(rs.join(''));
      break;
    case 'set-literal':
      reader = (rs) => rs.join('');
      break;
  }
  new Parser(Array.from(expr), dest, reader, kind === 'set-literal').parse();
  return dest;
}

export interface UserValueOptions {
  /** Parsed `-f` files, already merged (see mergeValueFiles). */
  fileValues?: GoMap;
  setJson?: readonly string[];
  set?: readonly string[];
  setString?: readonly string[];
  setFile?: readonly string[];
  setLiteral?: readonly string[];
  readFile?: (path: string) => string;
}

/** Helm's order for user values: -f files, then --set-json, --set, --set-string, --set-file, --set-literal. */
export function composeUserValues(opts: UserValueOptions): GoMap {
  let base: GoMap = { ...(opts.fileValues ?? {}) };
  const apply = (list: readonly string[] | undefined, kind: SetKind) => {
    for (const value of list ?? []) {
      try {
        const trimmed = value.trim();
        if (kind === 'set-json' && trimmed.startsWith('{')) {
          let parsed: unknown;
          try {
            parsed = unmarshalJson(trimmed);
          } catch {
            throw new SetValuesError(`failed parsing --set-json data JSON: ${value}`);
          }
          if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SetValuesError(`failed parsing --set-json data JSON: ${value}`);
          base = mergeMaps(base, parsed as GoMap);
        } else parseSetValues(value, base, kind, opts.readFile);
      } catch (err) {
        if (err instanceof SetValuesError && err.message.startsWith('failed parsing')) throw err;
        if (kind === 'set-json') throw new SetValuesError(`failed parsing --set-json data ${value}`);
        throw new SetValuesError(`failed parsing --${kind} data: ${(err as Error).message}`);
      }
    }
  };
  apply(opts.setJson, 'set-json');
  apply(opts.set, 'set');
  apply(opts.setString, 'set-string');
  apply(opts.setFile, 'set-file');
  apply(opts.setLiteral, 'set-literal');
  return base;
}
