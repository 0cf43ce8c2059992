// Sprig's regular expression functions (regex.go) with Go's RE2 semantics (see re2.ts). The plain
// variants compile with regexp.MustCompile (a bad pattern panics), except regexMatch, which
// returns false; the must* variants return the compile error.
import { GoError, GoPanic, nilSlice, withGoType, type FuncMap, type GoValue } from '../value.js';
import { intArg } from './cast.js';
import { goQuote } from './gostrings.js';
import { GoRegexp, RegexpSyntaxError, quoteMeta } from './re2.js';
import { goFunc } from './signature.js';

const cache = new Map<string, GoRegexp | RegexpSyntaxError>();

function compile(expr: string): GoRegexp {
  let r = cache.get(expr);
  if (r === undefined) {
    try {
      r = new GoRegexp(expr);
    } catch (e) {
      if (!(e instanceof RegexpSyntaxError)) throw e;
      r = e;
    }
    if (cache.size > 500) cache.clear();
    cache.set(expr, r);
  }
  if (r instanceof RegexpSyntaxError) throw r;
  return r;
}

/** regexp.Compile: the syntax error becomes the function's returned error. */
function compileOrError(expr: string): GoRegexp {
  try {
    return compile(expr);
  } catch (e) {
    throw new GoError((e as Error).message);
  }
}

/** regexp.MustCompile: the syntax error panics with the expression quoted as Go quotes it. */
function mustCompile(expr: string): GoRegexp {
  try {
    return compile(expr);
  } catch (e) {
    const backquotable = !/[`\x00-\x08\x0a-\x1f\x7f\udc80-\udcff]/.test(expr);
    const quoted = backquotable ? `\`${expr}\`` : goQuote(expr);
    throw new GoPanic(`regexp: Compile(${quoted}): ${(e as Error).message}`);
  }
}

const strings = (v: string[] | null): GoValue => (v === null ? nilSlice('[]string') : withGoType(v, '[]string'));

type Compiler = (expr: string) => GoRegexp;

function family(c: Compiler) {
  return {
    findAll: (re: string, s: string, n: GoValue) => strings(c(re).findAllString(s, intArg(n))),
    find: (re: string, s: string) => c(re).findString(s),
    replaceAll: (re: string, s: string, repl: string) => c(re).replaceAllString(s, repl),
    replaceAllLiteral: (re: string, s: string, repl: string) => c(re).replaceAllLiteralString(s, repl),
    split: (re: string, s: string, n: GoValue) => strings(c(re).split(s, intArg(n))),
  };
}

const plain = family(mustCompile);
const must = family(compileOrError);

export const regexFuncs: FuncMap = {
  regexMatch: goFunc('(regex string, s string) bool', (re: string, s: string) => {
    try {
      return compile(re).matchString(s);
    } catch {
      return false;
    }
  }),
  mustRegexMatch: goFunc('(regex string, s string) (bool, error)', (re: string, s: string) => compileOrError(re).matchString(s)),
  regexFindAll: goFunc('(regex string, s string, n int) []string', plain.findAll),
  mustRegexFindAll: goFunc('(regex string, s string, n int) ([]string, error)', must.findAll),
  regexFind: goFunc('(regex string, s string) string', plain.find),
  mustRegexFind: goFunc('(regex string, s string) (string, error)', must.find),
  regexReplaceAll: goFunc('(regex string, s string, repl string) string', plain.replaceAll),
  mustRegexReplaceAll: goFunc('(regex string, s string, repl string) (string, error)', must.replaceAll),
  regexReplaceAllLiteral: goFunc('(regex string, s string, repl string) string', plain.replaceAllLiteral),
  mustRegexReplaceAllLiteral: goFunc('(regex string, s string, repl string) (string, error)', must.replaceAllLiteral),
  regexSplit: goFunc('(regex string, s string, n int) []string', plain.split),
  mustRegexSplit: goFunc('(regex string, s string, n int) ([]string, error)', must.split),
  regexQuoteMeta: goFunc('(s string) string', quoteMeta),
};
