// Randomized differential run for the Sprig functions: from a seed, calls every deterministic
// function with arguments drawn by its Go signature (right and wrong types, edge values), renders
// the calls with the real helm and with our engine, and prints every difference. Not part of
// `npm test` (it runs helm, about 20 s per 500 snippets); a difference found here becomes a snippet
// in sprig-snippets.ts.
//   npx tsc -p tsconfig.json && node dist/test/differential/random-sprig-snippets.js [SEED] [COUNT]
import { pathToFileURL } from 'node:url';
import { recordSnippets, type Snippet } from '../support/helm-snippets.js';
import { referenceTools } from '../support/tools.js';
import { renderSprigSnippet, snippetFuncs } from './render-sprig-snippet.js';
import { V } from './sprig-snippets.js';

/** mulberry32: a small deterministic generator, so a seed names a reproducible run. */
function generator(seed: number): { pick: <T>(items: readonly T[]) => T; chance: (p: number) => boolean } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { pick: (items) => items[Math.floor(next() * items.length)]!, chance: (p) => next() < p };
}

/**
 * Left out: results that depend on randomness, the clock or Go's map order (sprig-snippets.ts checks
 * their shape or sorts them), and the functions Helm replaces with its own.
 */
const leftOut = new Set(['fail', 'fromJson', 'keys', 'values',
  'randAlphaNum', 'randAlpha', 'randAscii', 'randNumeric', 'randBytes', 'randInt', 'uuidv4', 'shuffle', 'now', 'ago',
  'bcrypt', 'htpasswd', 'genPrivateKey', 'genCA', 'genCAWithKey', 'genSelfSignedCert', 'genSelfSignedCertWithKey',
  'genSignedCert', 'genSignedCertWithKey', 'encryptAES', 'durationRound', 'derivePassword',
]);
/** Functions whose interface{} date argument means "now" unless it is a time or an integer. */
const takesDate = new Set(['date', 'dateInZone', 'date_in_zone', 'htmlDate', 'htmlDateInZone']);

const strings = ['""', '"a"', '"abc def"', '"Hello World"', '"héllo wörld ✓"', '"  x  "', '"a,b,,c"', '"0x1F"', '"12"', '"-3.5"', '"1e3"', '"true"',
  '"snake_case-Mixed Words"', '"HTTPServer2xx"', '"a.b*c"', '"[a-z]+"', '"(x)(y)?"', '"a\\nb\\n"', '"\\t"', '"é"', '"v1.2.3-rc.1"', '">=1.0 <2"', '"/a/b/../c.txt"',
  '"https://u:p@h:8080/p?q=1#f"', '"aGVsbG8="', '"NBSWY3DP"', '"{\\"a\\":[1,2]}"', '"2006-01-02"', '"2024-03-05"', '"1h30m"', '"3700"', '"$1-${1}"', '"%"', '"<b>&</b>"',
  '"(?i)straße"', '"a(?=b)"', '"\\\\d+"', '"[[:alpha:]]"', '"x*"', '"^$"', '"ǅ ß İ ﬁ"', '"日本語"', '"😀 emoji"', '"0777"', '"1_000"', '"+5"', '"1.2.x"', '"^1.2"', '"~>2"',
  '"aGVs\\nbG8="', '"MZXW6==="', '"\\u00a0x\\u2028"', '"a:b@c"', '"../.."', '"MixedCASE_with-Dashes and spaces"'];
const ints = ['0', '1', '2', '3', '-1', '-3', '5', '10', '100', '(int64 4)', '(len "abc")'];
const anyValues = [...strings, ...ints, '1.5', '-2.5', '0.0', '1e6', 'true', 'false', 'nil', '.Values.missing', '.Values.port', '.Values.half', '.Values.str',
  '.Values.empty', '.Values.zero', '.Values.nul', '.Values.list', '.Values.l', '.Values.e', '.Values.m', '.Values.mixed', '.Values.strs', '(list 1 "a" nil)',
  '(list)', '(dict "a" 1 "b" (list 2))', '(dict)', '(splitList "," "x,y")', '(until 3)', '(split "," "p,q")', '(semver "1.2.3")', '(toDate "2006-01-02" "2024-03-05")', '1i'];
const maps = ['(dict "a" 1 "b" (dict "c" 2))', '(dict)', '.Values.m', '(dict "x" nil "y" "")', '(deepCopy .Values.m)', '.Values.nul', '(split "," "a,b")', '.Values.list'];
const lists = ['(list 1 2 3)', '(list)', 'nil', '.Values.l', '(list "a" "b")', '"abc"'];
const dates = ['0', '86400', '(int64 1709596800)', '(toDate "2006-01-02" "2024-03-05")', '(toDate "2006-01-02 15:04" "2024-07-04 09:08")'];
const layouts = ['"2006-01-02"', '"Mon Jan _2 15:04:05 MST 2006"', '"3:04PM"', '"2006-01-02T15:04:05Z07:00"', '"Jan 2, 06"', '"15:04:05.000"'];
const zones = ['"UTC"', '"America/New_York"', '"Asia/Kolkata"', '"Bad/Zone"', '""', '"Local"'];

const timeTexts = ['"2024-03-05"', '"2024-3-5"', '"Tue Mar  5 09:08:07 UTC 2024"', '"9:08AM"', '"2024-03-05T09:08:07+05:30"', '"Mar 5, 24"', '"09:08:07.250"',
  '"2024-02-30"', '"24:00"', '"2024-03-05 EST"', '"12:00PM"', '"07.5"', '""'];
const parsesTime = new Set(['toDate', 'mustToDate']);

function argument(r: ReturnType<typeof generator>, type: string, fn: string, index: number): string {
  if (parsesTime.has(fn) && r.chance(0.8)) return index === 0 ? r.pick(layouts) : r.pick(timeTexts);
  if (takesDate.has(fn)) {
    if (type === 'interface {}') return r.pick(dates);
    if (type === 'string') return (fn === 'dateInZone' || fn === 'date_in_zone') && index === 2 || fn === 'htmlDateInZone' ? r.pick(zones) : r.pick(layouts);
  }
  if (r.chance(0.08)) return r.pick(anyValues); // a wrong type now and then: the type check must match too
  switch (type) {
    case 'string': return r.pick(strings);
    case 'int': case 'uint32': return r.pick(ints.filter((i) => !i.startsWith('(')));
    case 'bool': return r.pick(['true', 'false']);
    case 'float64': return r.pick(['0.5', '0.6', '1.0']);
    case 'map[string]interface {}': return r.pick(maps);
    case '[]interface {}': return r.pick(lists);
    case 'time.Time': return r.pick(dates.slice(3));
    case '*semver.Version': return '(semver "1.3.0")';
    case 'sprig.certificate': return '(dict)';
    default: return r.pick(anyValues);
  }
}

export function randomSprigSnippets(seed: number, count: number): Snippet[] {
  const r = generator(seed);
  const names = Object.keys(snippetFuncs).filter((n) => !leftOut.has(n)).sort();
  const out: Snippet[] = [];
  /** A call with random arguments; `piped` leaves out the last one, which the pipeline supplies. */
  const call = (piped: boolean): string => {
    // A piped value of another type would make the date functions use the clock.
    const name = r.pick(piped ? names.filter((n) => !takesDate.has(n)) : names);
    const f = snippetFuncs[name]!;
    const params = [...f.params];
    if (f.variadic !== undefined) for (let k = r.pick([0, 1, 2, 3]); k > 0; k--) params.push(f.variadic);
    if (r.chance(0.03)) params.pop(); // a wrong argument count
    if (piped) params.pop();
    return [name, ...params.map((t, k) => argument(r, t, name, k))].join(' ');
  };
  for (let i = 0; i < count; i++) {
    // Now and then the result of one call is piped into another as its last argument.
    const expr = r.chance(0.3) ? `${call(false)} | ${call(true)}` : call(false);
    out.push({ id: `random-${seed}-${i}`, template: `{{ ${expr} }}|{{ ${expr} | toJson }}`, values: V });
  }
  return out;
}

async function main(): Promise<void> {
  const seed = Number(process.argv[2] ?? Date.now() % 100000);
  const count = Number(process.argv[3] ?? 500);
  const snippets = randomSprigSnippets(seed, count);
  const expected = await recordSnippets(referenceTools().helm, snippets);
  let differences = 0;
  for (let i = 0; i < snippets.length; i++) {
    const got = renderSprigSnippet(snippets[i]!);
    const want = expected[i]!;
    if (got.output === want.output && got.error === want.error) continue;
    differences++;
    process.stdout.write(`${snippets[i]!.template}\n  helm: ${JSON.stringify(want.output ?? want.error)}\n  ours: ${JSON.stringify(got.output ?? got.error)}\n`);
  }
  process.stdout.write(`seed ${seed}: ${count - differences}/${count} snippets equal\n`);
  process.exitCode = differences ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
