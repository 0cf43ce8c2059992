// Randomized differential run for the regular expressions: random RE2 patterns (classes, groups,
// named groups, alternations with empty branches, greedy and lazy repetitions, flags, anchors,
// Unicode) over random inputs, through every Sprig regex function, against the real helm, batched
// as random-programs.ts does. Not part of `npm test`:
//   npm run build && node dist/test/differential/random-regex.js SEED COUNT [BATCH]
import { pathToFileURL } from 'node:url';
import { referenceTools } from '../support/tools.js';
import { runPrograms, type Program } from './random-programs.js';

/** mulberry32, as in the other random runs. */
function generator(seed: number): { pick: <T>(items: readonly T[]) => T; int: (n: number) => number; chance: (p: number) => boolean } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { pick: (items) => items[Math.floor(next() * items.length)]!, int: (n) => Math.floor(next() * n), chance: (p) => next() < p };
}
type Gen = ReturnType<typeof generator>;

const atoms = ['a', 'b', 'c', 'ab', '.', '\\d', '\\w', '\\s', '\\W', '\\b', '\\B', '^', '$', '[abc]', '[^a]', '[a-c]', '[[:alpha:]]', '\\pL', '\\p{Greek}',
  'é', 'É', '😀', '\\x41', '\\n', '\\.', '-', ' ', '\\A', '\\z', '[^\\n]', '\\Q.*\\E', '[é-ü]', '(?i:b)', '\\PL', 'x'];
const quantifiers = ['', '', '', '*', '+', '?', '*?', '+?', '??', '{2}', '{1,2}', '{0,}', '{2,3}?', '{0}'];

function pattern(r: Gen, depth = 0): string {
  let out = '';
  for (let j = 1 + r.int(depth > 1 ? 2 : 4); j > 0; j--) {
    const k = r.int(depth > 2 ? 2 : 7);
    let atom: string;
    if (k <= 2) atom = r.pick(atoms);
    else if (k === 3) atom = `(${pattern(r, depth + 1)})`;
    else if (k === 4) atom = `(?:${pattern(r, depth + 1)}|${r.chance(0.5) ? '' : pattern(r, depth + 1)})`;
    else if (k === 5) atom = `(${r.chance(0.5) ? '' : pattern(r, depth + 1)}|${pattern(r, depth + 1)})`;
    else atom = `(?P<${r.pick(['n', 'm', 'n'])}>${pattern(r, depth + 1)})`;
    // Go refuses a repetition of an empty-width assertion only in nesting; keep assertions bare.
    out += /^(\^|\$|\\[bBAz])$/.test(atom) ? atom : atom + r.pick(quantifiers);
  }
  return out;
}

const flags = ['', '', '', '(?i)', '(?m)', '(?s)', '(?U)', '(?ims)'];
const alphabet = ['a', 'a', 'b', 'c', 'A', 'B', ' ', '\n', '-', '.', '1', 'é', 'É', 'λ', '😀', 'x'];
const input = (r: Gen): string => Array.from({ length: r.int(9) }, () => r.pick(alphabet)).join('');
const replacements = ['-', '$1', '${1}x', '$n', '${n}', '<$0>', '$$', '$2$1', '[$m]', '$1W', ''];

/** A Go string literal (JSON's escapes are Go's). */
const lit = (s: string) => JSON.stringify(s);

export function randomRegexPrograms(seed: number, count: number): Program[] {
  const r = generator(seed);
  return Array.from({ length: count }, (_, i) => {
    const re = lit(r.pick(flags) + pattern(r));
    const s = lit(input(r));
    const calls = [
      `regexMatch ${re} ${s}`, `regexFind ${re} ${s} | quote`, `regexFindAll ${re} ${s} ${r.pick(['-1', '-1', '1', '2'])} | toJson`,
      `regexReplaceAll ${re} ${s} ${lit(r.pick(replacements))} | quote`, `regexReplaceAllLiteral ${re} ${s} ${lit(r.pick(replacements))} | quote`,
      `regexSplit ${re} ${s} ${r.pick(['-1', '-1', '0', '2'])} | toJson`, `mustRegexFindAll ${re} ${s} -1 | len`,
    ];
    const text = Array.from({ length: 3 }, () => `{{ ${r.pick(calls)} }}`).join('|');
    return { id: `regex-${seed}-${i}`, text };
  });
}

async function main(): Promise<void> {
  const seed = Number(process.argv[2] ?? Date.now() % 100000);
  const count = Number(process.argv[3] ?? 1000);
  const batchSize = Number(process.argv[4] ?? 500);
  const started = Date.now();
  const f = await runPrograms(referenceTools().helm, randomRegexPrograms(seed, count), batchSize, (line) => process.stdout.write(line + '\n'));
  process.stdout.write(`seed ${seed}: ${f.programs} programs, ${f.batches} batches, ${f.helmRuns} helm runs, ${f.differences.length} differences, ${Math.round((Date.now() - started) / 1000)} s\n`);
  process.exitCode = f.differences.length > 0 ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
