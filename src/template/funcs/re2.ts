// Go's regexp package on top of re2js, a JavaScript port of RE2/J, which itself ports Go's regexp:
// the same syntax (RE2's, with Go's error texts), leftmost-first semantics and, above all, matching
// in time linear in the input: no pattern can make a render backtrack for ever. This file adds what
// Go's regexp does around the engine: the allMatches loop (successive non-overlapping matches, an
// empty match right after a match skipped), Expand's `$name` templates and Split.
import { createRequire } from 'node:module';

/** The part of re2js's API used here. */
interface RE2JS {
  groupCount(): number;
  namedGroups(): Record<string, number>;
  test(input: string): boolean;
  matcher(input: string): { find(start: number): boolean; start(): number; end(): number; group(g: number): string | null };
}
interface Re2js {
  RE2JS: { compile(expr: string): RE2JS };
  RE2JSException: new (...args: never[]) => Error;
  RE2JSSyntaxException: new (...args: never[]) => Error & { error: string; input: string | null };
}

// re2js is loaded on first use: most renders use no regular expression, and loading it costs a
// CLI run tens of milliseconds.
let engine: Re2js | undefined;
const re2js = (): Re2js => (engine ??= createRequire(import.meta.url)('re2js') as Re2js);

/** A syntax error as regexp/syntax reports it: `error parsing regexp: CODE: `EXPR``. */
export class RegexpSyntaxError extends Error {}

/** One match: its bounds in UTF-16 code units, and each group's text (undefined when it took no part). */
export interface GoMatch {
  index: number;
  end: number;
  groups: (string | undefined)[];
}

function compileRe2(expr: string): RE2JS {
  const { RE2JS, RE2JSException, RE2JSSyntaxException } = re2js();
  try {
    return RE2JS.compile(expr);
  } catch (e) {
    if (e instanceof RE2JSSyntaxException) {
      // Go names the whole expression for the size limits, and an empty one for a trailing backslash.
      const whole = e.error === 'expression nests too deeply' || e.error === 'expression too large';
      throw new RegexpSyntaxError(`error parsing regexp: ${e.error}: \`${whole && !e.input ? expr : e.input ?? ''}\``);
    }
    if (e instanceof RE2JSException) throw new RegexpSyntaxError(e.message);
    throw e;
  }
}

/** The capturing groups' openings in a pattern: where each starts, its prefix length and name. */
function groupOpenings(expr: string): { at: number; prefix: number; name: string | undefined }[] {
  const out: { at: number; prefix: number; name: string | undefined }[] = [];
  let inClass = false;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === '\\') {
      if (expr[i + 1] === 'Q') {
        const end = expr.indexOf('\\E', i + 2);
        i = end < 0 ? expr.length : end + 1;
      } else i++;
    } else if (inClass) {
      if (c === '[' && expr[i + 1] === ':') {
        const end = expr.indexOf(':]', i + 2);
        if (end > 0) i = end + 1;
      } else if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      if (expr[i + 1] === '^') i++;
      if (expr[i + 1] === ']') i++; // a leading ] is a literal
    } else if (c === '(') {
      const named = /^\(\?P?<(\w+)>/.exec(expr.slice(i, i + 300));
      if (named) out.push({ at: i, prefix: named[0].length, name: named[1] });
      else if (expr[i + 1] !== '?') out.push({ at: i, prefix: 1, name: undefined });
    }
  }
  return out;
}

/** The name of each group by index; index 0, the whole match, has none. */
function namedGroups(expr: string): (string | undefined)[] {
  return [undefined, ...groupOpenings(expr).map((g) => g.name)];
}

function withoutGroupNames(expr: string): string {
  let out = '';
  let last = 0;
  for (const g of groupOpenings(expr)) {
    out += expr.slice(last, g.at) + '(';
    last = g.at + g.prefix;
  }
  return out + expr.slice(last);
}

/** A compiled Go regular expression. */
export class GoRegexp {
  private readonly re: RE2JS;
  /** The name of each group by index (index 0, the whole match, has none). */
  readonly groupNames: (string | undefined)[];

  constructor(readonly expr: string) {
    const names = namedGroups(expr);
    const repeated = names.some((n, i) => n !== undefined && names.indexOf(n) !== i);
    // Go accepts a name given to several groups (Expand takes the first that matched); RE2/J does
    // not, so such a pattern is compiled with its group names left out, and the names kept here.
    this.re = compileRe2(repeated ? withoutGroupNames(expr) : expr);
    this.groupNames = new Array<string | undefined>(this.re.groupCount() + 1).fill(undefined);
    if (repeated) names.forEach((n, i) => (this.groupNames[i] = n));
    else for (const [name, index] of Object.entries(this.re.namedGroups())) this.groupNames[index] = name;
  }

  matchString(s: string): boolean {
    return this.re.test(s);
  }

  /** Successive non-overlapping matches as Go's allMatches finds them (n < 0: all). */
  findAll(s: string, n: number): GoMatch[] {
    const out: GoMatch[] = [];
    const m = this.re.matcher(s);
    const groups = this.re.groupCount();
    let pos = 0;
    let prevEnd = -1;
    while ((n < 0 || out.length < n) && pos <= s.length) {
      // find(pos) searches from pos with the whole input as context, as Go's doExecute does.
      if (!m.find(pos)) break;
      const index = m.start();
      const end = m.end();
      let accept = true;
      if (end === pos) {
        // An empty match: Go advances one rune, and drops it when it touches the previous match.
        if (index === prevEnd) accept = false;
        const code = s.codePointAt(pos);
        pos += code !== undefined && code > 0xffff ? 2 : 1;
      } else {
        pos = end;
      }
      prevEnd = end;
      if (accept) {
        const g: (string | undefined)[] = [s.slice(index, end)];
        for (let k = 1; k <= groups; k++) g.push(m.group(k) ?? undefined);
        out.push({ index, end, groups: g });
      }
    }
    return out;
  }

  findString(s: string): string {
    return this.findAll(s, 1)[0]?.groups[0] ?? '';
  }

  findAllString(s: string, n: number): string[] | null {
    if (n === 0) return null;
    const all = this.findAll(s, n).map((m) => m.groups[0]!);
    return all.length ? all : null;
  }

  /** ReplaceAllString: `$1`, `${1}`, `$name`, `${name}` expand; `$$` is a dollar. */
  replaceAllString(s: string, template: string): string {
    return this.replace(s, (m) => this.expand(template, m));
  }

  replaceAllLiteralString(s: string, repl: string): string {
    return this.replace(s, () => repl);
  }

  private replace(s: string, f: (m: GoMatch) => string): string {
    let out = '';
    let last = 0;
    for (const m of this.findAll(s, -1)) {
      out += s.slice(last, m.index) + f(m);
      last = m.end;
    }
    return out + s.slice(last);
  }

  /** Regexp.Expand: a name is the longest run of letters, digits and underscores. */
  private expand(template: string, m: GoMatch): string {
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
        if (k < m.groups.length) out += m.groups[k] ?? '';
      } else {
        // The first group of that name that took part in the match.
        const k = this.groupNames.findIndex((g, i) => g === name && m.groups[i] !== undefined);
        if (k > 0) out += m.groups[k]!;
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
      if (m.end !== 0) out.push(s.slice(beg, end));
      beg = m.end;
    }
    if (end !== s.length) out.push(s.slice(beg));
    return out;
  }
}

/** regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}
