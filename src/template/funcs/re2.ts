// Go's regexp (RE2 syntax) on top of JavaScript's RegExp: the pattern is parsed with RE2's rules
// (rejecting what RE2 rejects, with Go's error text) and translated into an equivalent JS pattern
// with the `u` flag; matching loops and replacement templates follow Go's regexp package.

/** A syntax error as regexp/syntax reports it: `error parsing regexp: CODE: `EXPR``. */
export class RegexpSyntaxError extends Error {
  constructor(code: string, expr: string) {
    super(`error parsing regexp: ${code}: \`${expr}\``);
  }
}

const ERR = {
  invalidCharClass: 'invalid character class',
  invalidCharRange: 'invalid character class range',
  invalidEscape: 'invalid escape sequence',
  invalidNamedCapture: 'invalid named capture',
  invalidPerlOp: 'invalid or unsupported Perl syntax',
  invalidRepeatOp: 'invalid nested repetition operator',
  invalidRepeatSize: 'invalid repeat count',
  missingBracket: 'missing closing ]',
  missingParen: 'missing closing )',
  missingRepeatArgument: 'missing argument to repetition operator',
  trailingBackslash: 'trailing backslash at end of expression',
  unexpectedParen: 'unexpected )',
};

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

type Range = [number, number];
const MAX_RUNE = 0x10ffff;

const posixClasses: Record<string, Range[]> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0, 0x1f], [0x7f, 0x7f]],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a], [0x5f, 0x5f]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

const perlClasses: Record<string, Range[]> = {
  d: posixClasses.digit!,
  s: [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]],
  w: posixClasses.word!,
};

function complement(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX_RUNE) out.push([next, MAX_RUNE]);
  return out;
}

const cp = (n: number) => `\\u{${n.toString(16)}}`;
const rangesSource = (rs: Range[]) => rs.map(([a, b]) => (a === b ? cp(a) : `${cp(a)}-${cp(b)}`)).join('');

const generalCategories = new Set(['C', 'Cc', 'Cf', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn', 'N', 'Nd', 'Nl', 'No', 'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So', 'Z', 'Zl', 'Zp', 'Zs']);

/** JS source for a Unicode class \p{name}; undefined when Go does not know the name. */
function unicodeClass(name: string, negated: boolean): string | undefined {
  const p = negated ? 'P' : 'p';
  if (name === 'Any') return negated ? '[]' : '[\\u{0}-\\u{10ffff}]';
  const body = generalCategories.has(name) ? name : `Script=${name}`;
  try {
    new RegExp(`\\p{${body}}`, 'u');
  } catch {
    return undefined;
  }
  return `\\${p}{${body}}`;
}

/** Case variants of the code points in small ranges, for (?i) applied to part of a pattern. */
function foldRanges(rs: Range[]): Range[] {
  const out = [...rs];
  for (const [lo, hi] of rs) {
    if (hi - lo > 400) continue;
    for (let c = lo; c <= hi; c++) {
      const ch = String.fromCodePoint(c);
      for (const v of [ch.toLowerCase(), ch.toUpperCase()]) {
        if ([...v].length === 1 && v !== ch) out.push([v.codePointAt(0)!, v.codePointAt(0)!]);
      }
    }
  }
  return out;
}

class Parser {
  private pos = 0;
  groupNames: (string | undefined)[] = [undefined];
  private readonly foldEverywhere: boolean;

  constructor(private readonly src: string) {
    // (?i) at the very start and never switched off: use JavaScript's `i` flag for everything.
    this.foldEverywhere = /^\(\?[imsU]*i[imsU]*\)/.test(src) && !/\(\?[imsU]*-[imsU]*i/.test(src);
  }

  get jsFlags(): string {
    return this.foldEverywhere ? 'iu' : 'u';
  }

  private peek(k = 0): string | undefined {
    return this.src[this.pos + k];
  }

  parse(): string {
    const out = this.alternation({ i: false, m: false, s: false, U: false }, 0);
    if (this.pos < this.src.length) throw new RegexpSyntaxError(ERR.unexpectedParen, this.src);
    return out;
  }

  private alternation(flags: Flags, depth: number): string {
    const branches = [this.concat(flags, depth)];
    while (this.peek() === '|') {
      this.pos++;
      branches.push(this.concat(flags, depth));
    }
    return branches.join('|');
  }

  private concat(flags: Flags, depth: number): string {
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|') return out;
      if (c === ')') {
        if (depth === 0) throw new RegexpSyntaxError(ERR.unexpectedParen, this.src);
        return out;
      }
      if (c === '*' || c === '+' || c === '?' || (c === '{' && this.repeatAt(this.pos))) {
        const op = this.repeatAt(this.pos)?.text ?? c;
        throw new RegexpSyntaxError(ERR.missingRepeatArgument, op);
      }
      if (this.src.startsWith('\\Q', this.pos)) {
        // \Q...\E: literal runes; a following repetition applies to the last one only.
        const literals = this.quotedLiterals(flags);
        if (literals.length === 0) continue;
        out += literals.slice(0, -1).join('');
        out += this.quantified(literals.at(-1)!, flags);
        continue;
      }
      const atom = this.atom(flags, depth);
      if (atom === null) continue; // a flag group such as (?i) changes `flags` and emits nothing
      out += this.quantified(atom, flags);
    }
  }

  /** A repetition `{n}`, `{n,}`, `{n,m}` at i, or undefined when the brace is a literal. */
  private repeatAt(i: number): { min: number; max: number | undefined; text: string } | undefined {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(i));
    if (!m) return undefined;
    return { min: Number(m[1]), max: m[2] === undefined ? Number(m[1]) : m[3] === '' ? undefined : Number(m[3]), text: m[0] };
  }

  private quantified(atom: string, flags: Flags): string {
    let out = atom;
    let lastOpStart = -1;
    for (;;) {
      const c = this.peek();
      let op: string;
      const opStart = this.pos;
      if (c === '*' || c === '+' || c === '?') {
        op = c;
        this.pos++;
      } else if (c === '{' && this.repeatAt(this.pos)) {
        const r = this.repeatAt(this.pos)!;
        if (r.min > 1000 || (r.max ?? 0) > 1000 || (r.max !== undefined && r.max < r.min)) {
          throw new RegexpSyntaxError(ERR.invalidRepeatSize, r.text);
        }
        op = r.text;
        this.pos += r.text.length;
      } else return out;
      let lazy = false;
      if (this.peek() === '?') {
        lazy = true;
        this.pos++;
      }
      if (lastOpStart >= 0) throw new RegexpSyntaxError(ERR.invalidRepeatOp, this.src.slice(lastOpStart, this.pos));
      lastOpStart = opStart;
      if (flags.U) lazy = !lazy;
      out = `(?:${out})${op}${lazy ? '?' : ''}`;
    }
  }

  private atom(flags: Flags, depth: number): string | null {
    const c = this.peek()!;
    switch (c) {
      case '(':
        return this.group(flags, depth);
      case '[':
        return this.charClass(flags);
      case '.':
        this.pos++;
        return flags.s ? '[\\u{0}-\\u{10ffff}]' : '[^\\n]';
      case '^':
        this.pos++;
        return flags.m ? '(?<![^\\n])' : '^';
      case '$':
        this.pos++;
        return flags.m ? '(?![^\\n])' : '$';
      case '\\':
        return this.escape(flags);
    }
    const ch = String.fromCodePoint(this.src.codePointAt(this.pos)!);
    this.pos += ch.length;
    return this.literal(ch.codePointAt(0)!, flags);
  }

  private literal(code: number, flags: Flags): string {
    if (flags.i && !this.foldEverywhere) {
      const rs = foldRanges([[code, code]]);
      if (rs.length > 1) return `[${rangesSource(rs)}]`;
    }
    const ch = String.fromCodePoint(code);
    if ('^$\\.*+?()[]{}|/'.includes(ch)) return '\\' + ch;
    return code < 0x20 || code === 0x7f ? cp(code) : ch;
  }

  private group(flags: Flags, depth: number): string | null {
    const start = this.pos;
    this.pos++;
    let name: string | undefined;
    if (this.peek() === '?') {
      const rest = this.src.slice(this.pos);
      const named = /^\?P?<([^>]*)>/.exec(rest);
      if (rest.startsWith('?P<') || rest.startsWith('?<')) {
        if (!named) throw new RegexpSyntaxError(ERR.invalidNamedCapture, this.src.slice(start));
        const n = named[1]!;
        if (n === '' || !/^\w+$/.test(n)) {
          throw new RegexpSyntaxError(ERR.invalidNamedCapture, this.src.slice(start, this.pos + named[0].length));
        }
        if (rest.startsWith('?<') && /^[=!]/.test(rest.slice(2))) throw new RegexpSyntaxError(ERR.invalidPerlOp, this.src.slice(start, start + 3));
        name = n;
        this.pos += named[0].length;
      } else {
        const fl = /^\?([a-zA-Z]*(?:-[a-zA-Z]*)?)([:)])/.exec(rest);
        if (!fl || !/^[imsU]*(-[imsU]*)?$/.test(fl[1]!) || fl[1] === '' && fl[2] === ')' || fl[1]!.endsWith('-')) {
          // Go reports the text up to and including the offending character.
          const bad = /^\?[imsU-]*/.exec(rest)![0];
          throw new RegexpSyntaxError(ERR.invalidPerlOp, this.src.slice(start, start + 1 + bad.length + (rest.length > bad.length ? 1 : 0)));
        }
        const next: Flags = { ...flags };
        let on = true;
        for (const f of fl[1]!) {
          if (f === '-') on = false;
          else next[f as keyof Flags] = on;
        }
        this.pos += fl[0].length;
        if (fl[2] === ')') {
          Object.assign(flags, next);
          return null;
        }
        const body = this.alternation(next, depth + 1);
        if (this.peek() !== ')') throw new RegexpSyntaxError(ERR.missingParen, this.src);
        this.pos++;
        return `(?:${body})`;
      }
    }
    this.groupNames.push(name);
    const body = this.alternation({ ...flags }, depth + 1);
    if (this.peek() !== ')') throw new RegexpSyntaxError(ERR.missingParen, this.src);
    this.pos++;
    return `(${body})`;
  }

  /** An escape outside a class: assertions, Perl and Unicode classes, or a literal. */
  private escape(flags: Flags): string {
    const start = this.pos;
    const c = this.peek(1);
    if (c === undefined) throw new RegexpSyntaxError(ERR.trailingBackslash, '');
    switch (c) {
      case 'A':
        this.pos += 2;
        return '^';
      case 'z':
        this.pos += 2;
        return '$';
      case 'b':
        this.pos += 2;
        return '\\b';
      case 'B':
        this.pos += 2;
        return '\\B';
    }
    const cls = this.classEscape(flags);
    if (cls !== undefined) return cls.negated ? `[^${cls.source}]` : `[${cls.source}]`;
    this.pos = start;
    return this.literal(this.escapedRune(), flags);
  }

  private quotedLiterals(flags: Flags): string[] {
    const end = this.src.indexOf('\\E', this.pos + 2);
    const text = this.src.slice(this.pos + 2, end < 0 ? undefined : end);
    this.pos = end < 0 ? this.src.length : end + 2;
    return [...text].map((ch) => this.literal(ch.codePointAt(0)!, flags));
  }

  /** \d \s \w (and negations), \pX \p{Name} \PX: a class body in JS syntax, or undefined. */
  private classEscape(flags: Flags): { source: string; negated: boolean } | undefined {
    const start = this.pos;
    const c = this.peek(1)!;
    const lower = c.toLowerCase();
    if (lower in perlClasses && 'dswDSW'.includes(c)) {
      this.pos += 2;
      const rs = flags.i && !this.foldEverywhere ? foldRanges(perlClasses[lower]!) : perlClasses[lower]!;
      return { source: rangesSource(rs), negated: c !== lower };
    }
    if (c === 'p' || c === 'P') {
      let name: string;
      if (this.peek(2) === '{') {
        const end = this.src.indexOf('}', this.pos);
        if (end < 0) throw new RegexpSyntaxError(ERR.invalidCharRange, this.src.slice(start));
        name = this.src.slice(this.pos + 3, end);
        this.pos = end + 1;
      } else {
        const ch = this.src.codePointAt(this.pos + 2);
        if (ch === undefined) throw new RegexpSyntaxError(ERR.invalidCharRange, this.src.slice(start));
        name = String.fromCodePoint(ch);
        this.pos += 2 + name.length;
      }
      let negated = c === 'P';
      if (name.startsWith('^')) {
        negated = !negated;
        name = name.slice(1);
      }
      const js = unicodeClass(name, false);
      if (js === undefined) throw new RegexpSyntaxError(ERR.invalidCharRange, this.src.slice(start, this.pos));
      return { source: js.startsWith('[') ? js.slice(1, -1) : js, negated };
    }
    return undefined;
  }

  /** A single escaped rune (`\n`, `\x41`, `\x{263a}`, `\101`, `\.`); anything else is an error. */
  private escapedRune(): number {
    const start = this.pos;
    this.pos++;
    const c = this.src[this.pos]!;
    this.pos++;
    const simple: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    if (c in simple) return simple[c]!;
    if (c >= '0' && c <= '7') {
      if (c !== '0' && !/[0-7]/.test(this.peek() ?? '')) throw new RegexpSyntaxError(ERR.invalidEscape, this.src.slice(start, this.pos));
      let v = Number(c);
      for (let k = 0; k < 2 && /[0-7]/.test(this.peek() ?? ''); k++) v = v * 8 + Number(this.src[this.pos++]);
      return v;
    }
    if (c === 'x') {
      if (this.peek() === '{') {
        const m = /^\{([0-9a-fA-F]+)\}/.exec(this.src.slice(this.pos));
        if (!m || parseInt(m[1]!, 16) > MAX_RUNE) throw new RegexpSyntaxError(ERR.invalidEscape, this.src.slice(start, m ? this.pos + m[0].length : this.src.length));
        this.pos += m[0].length;
        return parseInt(m[1]!, 16);
      }
      const m = /^[0-9a-fA-F]{2}/.exec(this.src.slice(this.pos));
      if (!m) throw new RegexpSyntaxError(ERR.invalidEscape, this.src.slice(start, Math.min(this.pos + 2, this.src.length)));
      this.pos += 2;
      return parseInt(m[0], 16);
    }
    if (c.charCodeAt(0) < 0x80 && !/[0-9A-Za-z]/.test(c)) return c.charCodeAt(0);
    const full = String.fromCodePoint(this.src.codePointAt(start + 1)!);
    throw new RegexpSyntaxError(ERR.invalidEscape, '\\' + full);
  }

  private charClass(flags: Flags): string {
    const start = this.pos;
    this.pos++;
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.pos++;
    }
    const ranges: Range[] = [];
    const extra: string[] = []; // \p classes kept in JS syntax
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw new RegexpSyntaxError(ERR.missingBracket, this.src.slice(start));
      if (c === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (c === '[' && this.peek(1) === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(this.src.slice(this.pos));
        if (m) {
          const rs = posixClasses[m[2]!];
          if (!rs) throw new RegexpSyntaxError(ERR.invalidCharRange, m[0]);
          ranges.push(...(m[1] ? complement(rs) : rs));
          this.pos += m[0].length;
          continue;
        }
      }
      if (c === '\\') {
        const cls = this.peek(1) !== undefined ? this.classEscape(flags) : undefined;
        if (cls) {
          if (/^\\[pP]\{/.test(cls.source)) {
            extra.push(cls.negated ? cls.source.replace(/^\\p/, '\\P') : cls.source);
          } else {
            const rs = parseRangesSource(cls.source);
            ranges.push(...(cls.negated ? complement(rs) : rs));
          }
          continue;
        }
      }
      const lo = this.classRune();
      let hi = lo;
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        const rangeStart = this.pos;
        this.pos++;
        hi = this.classRune();
        if (hi < lo) throw new RegexpSyntaxError(ERR.invalidCharRange, this.src.slice(rangeStart - String.fromCodePoint(lo).length, this.pos));
      }
      ranges.push([lo, hi]);
    }
    const folded = flags.i && !this.foldEverywhere ? foldRanges(ranges) : ranges;
    const body = rangesSource(folded) + extra.join('');
    if (body === '') return negated ? '[\\u{0}-\\u{10ffff}]' : '[]';
    return `[${negated ? '^' : ''}${body}]`;
  }

  private classRune(): number {
    if (this.peek() === '\\') {
      if (this.peek(1) === undefined) throw new RegexpSyntaxError(ERR.missingBracket, this.src);
      return this.escapedRune();
    }
    const code = this.src.codePointAt(this.pos)!;
    this.pos += code > 0xffff ? 2 : 1;
    return code;
  }
}

function parseRangesSource(src: string): Range[] {
  const out: Range[] = [];
  const re = /\\u\{([0-9a-f]+)\}(?:-\\u\{([0-9a-f]+)\})?/g;
  for (const m of src.matchAll(re)) out.push([parseInt(m[1]!, 16), parseInt(m[2] ?? m[1]!, 16)]);
  return out;
}

/** A compiled Go regular expression. */
export class GoRegexp {
  private readonly re: RegExp;
  readonly groupNames: (string | undefined)[];

  constructor(readonly expr: string) {
    const parser = new Parser(expr);
    const source = parser.parse();
    this.groupNames = parser.groupNames;
    this.re = new RegExp(source, parser.jsFlags + 'g');
  }

  matchString(s: string): boolean {
    return this.findAll(s, 1).length > 0;
  }

  /** Successive non-overlapping matches as Go's allMatches finds them (n < 0: all). */
  findAll(s: string, n: number): RegExpExecArray[] {
    const out: RegExpExecArray[] = [];
    let pos = 0;
    let prevEnd = -1;
    while ((n < 0 || out.length < n) && pos <= s.length) {
      this.re.lastIndex = pos;
      const m = this.re.exec(s);
      if (!m) break;
      if (insideSurrogatePair(s, m.index)) {
        // V8 may try a start in the middle of a surrogate pair; Go only starts at rune boundaries.
        pos = m.index + 1;
        continue;
      }
      const end = m.index + m[0].length;
      let accept = true;
      if (end === pos && m[0] === '') {
        if (m.index === prevEnd) accept = false;
        const code = s.codePointAt(pos);
        pos += code === undefined ? 1 : code > 0xffff ? 2 : 1;
      } else {
        pos = end;
      }
      prevEnd = end;
      if (accept) out.push(m);
    }
    return out;
  }

  findString(s: string): string {
    return this.findAll(s, 1)[0]?.[0] ?? '';
  }

  findAllString(s: string, n: number): string[] | null {
    if (n === 0) return null;
    const all = this.findAll(s, n).map((m) => m[0]);
    return all.length ? all : null;
  }

  /** ReplaceAllString: `$1`, `${1}`, `$name`, `${name}` expand; `$$` is a dollar. */
  replaceAllString(s: string, template: string): string {
    return this.replace(s, (m) => this.expand(template, m));
  }

  replaceAllLiteralString(s: string, repl: string): string {
    return this.replace(s, () => repl);
  }

  private replace(s: string, f: (m: RegExpExecArray) => string): string {
    let out = '';
    let last = 0;
    for (const m of this.findAll(s, -1)) {
      out += s.slice(last, m.index) + f(m);
      last = m.index + m[0].length;
    }
    return out + s.slice(last);
  }

  private expand(template: string, m: RegExpExecArray): string {
    let out = '';
    let i = 0;
    while (i < template.length) {
      const d = template.indexOf('$', i);
      if (d < 0) {
        out += template.slice(i);
        break;
      }
      out += template.slice(i, d);
      if (template[d + 1] === '$') {
        out += '$';
        i = d + 2;
        continue;
      }
      const braced = /^\{(\w+)\}/.exec(template.slice(d + 1));
      const bare = /^\w+/.exec(template.slice(d + 1));
      const name = braced ? braced[1]! : bare ? bare[0] : undefined;
      if (name === undefined) {
        out += '$';
        i = d + 1;
        continue;
      }
      i = d + 1 + (braced ? braced[0].length : name.length);
      if (/^\d+$/.test(name)) {
        const k = Number(name);
        if (k < m.length) out += m[k] ?? '';
      } else {
        // The first group of that name that took part in the match.
        const k = this.groupNames.findIndex((g, i) => g === name && m[i] !== undefined);
        if (k > 0) out += m[k]!;
      }
    }
    return out;
  }

  /** Regexp.Split(s, n). */
  split(s: string, n: number): string[] | null {
    if (n === 0) return null;
    if (this.expr.length > 0 && s.length === 0) return [''];
    const out: string[] = [];
    let beg = 0;
    let end = 0;
    for (const m of this.findAll(s, n)) {
      if (n > 0 && out.length === n - 1) break;
      end = m.index;
      if (m.index + m[0].length !== 0) out.push(s.slice(beg, end));
      beg = m.index + m[0].length;
    }
    if (end !== s.length) out.push(s.slice(beg));
    return out;
  }
}

function insideSurrogatePair(s: string, i: number): boolean {
  const before = s.charCodeAt(i - 1);
  const at = s.charCodeAt(i);
  return before >= 0xd800 && before <= 0xdbff && at >= 0xdc00 && at <= 0xdfff;
}

/** regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

