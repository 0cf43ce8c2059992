// Randomized differential run at scale: programs of nested `tpl`, `include`, `template` and `define`
// (empty, white-space and comment-only texts among them) computing with extreme numbers (int64
// limits from --set, float64 limits and 2^53 neighbours from values, big numeric strings), rendered
// by the real helm and by our engine, every difference printed.
//
// helm is run once per batch of programs, not once per program: each program becomes a partial
// file of one chart (templates/_pN.tpl) and NOTES.txt includes them all between markers, so a
// batch of 500 programs costs one helm run; each part is compared with our engine's result for
// the program alone. Programs our engine fails on are run one by one (their error text names their
// own file); when helm fails on a batch our engine renders, the batch is halved until the program
// helm refuses is found (the batching is test/support/helm-batch.ts, shared with the fuzz suite). Not part of `npm test`:
//   npm run build && node dist/test/differential/random-programs.js SEED COUNT [BATCH]
// prints each difference, then one line of figures: programs, batches, helm runs, differences.
import { pathToFileURL } from 'node:url';
import { compareInBatches, HelmRunner, marker, type Outcome } from '../support/helm-batch.js';
import { type Snippet } from '../support/helm-snippets.js';
import { referenceTools } from '../support/tools.js';
import { renderSnippet } from './render-template-snippet.js';

/** mulberry32: a seed names a reproducible run. */
class Random {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(this.a ^ (this.a >>> 15), this.a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Values shared by every program: extreme float64s (values are JSON, so every number is a float64) and texts for tpl. */
export const VALUES = JSON.stringify({
  n: {
    p53: 9007199254740992, p53b: 9007199254740993, i64: 9223372036854775807, i64neg: -9223372036854775808, max: 1.7976931348623157e308,
    tiny: 5e-324, big: 1e21, small: 1e-7, tenth: 0.1, third: 0.3333333333333333, half: 2.5, neg: -7, zero: 0, one: 1, u32: 4294967296,
  },
  s: { i64: '9223372036854775807', over: '9223372036854775808', p53b: '9007199254740993', neg: '-9223372036854775808', oct: '0777', hex: '0x1F', exp: '1e3', frac: '12.50', blank: '' },
  t: {
    empty: '', space: ' ', nl: '\n\n', comment: '{{/* c */}}', trimmed: ' {{- /* c */ -}} ', num: '{{ $.Values.n.p53b }}',
    nested: '[{{ tpl $.Values.t.empty $ }}|{{ tpl $.Values.t.space $ }}]', deep: '({{ tpl $.Values.t.nested $ }})', add: '{{ add $.Values.i 1 }}',
  },
  list: [9007199254740993, -1, 0.5],
});
/** --set values: int64 (helm's strvals types them), one out of range (a string). */
export const SET = ['i=9007199254740993', 'imax=9223372036854775807', 'imin=-9223372036854775808', 'ineg=-5', 'izero=0', 'iover=9223372036854775808', 'il={9007199254740993,-9007199254740993}'];

const numberRefs = [
  '$.Values.n.p53', '$.Values.n.p53b', '$.Values.n.i64', '$.Values.n.i64neg', '$.Values.n.max', '$.Values.n.tiny', '$.Values.n.big', '$.Values.n.small',
  '$.Values.n.tenth', '$.Values.n.third', '$.Values.n.half', '$.Values.n.neg', '$.Values.n.zero', '$.Values.n.one', '$.Values.n.u32',
  '$.Values.i', '$.Values.imax', '$.Values.imin', '$.Values.ineg', '$.Values.izero', '(index $.Values.il 0)', '(index $.Values.list 0)',
  '9223372036854775807', '-9223372036854775808', '9007199254740993', '1e21', '0x7fffffffffffffff', '1.5', '0', '3', '-1', "'x'",
];
const stringRefs = ['$.Values.s.i64', '$.Values.s.over', '$.Values.s.p53b', '$.Values.s.neg', '$.Values.s.oct', '$.Values.s.hex', '$.Values.s.exp', '$.Values.s.frac',
  '$.Values.s.blank', '$.Values.iover', '"9223372036854775807"', '"-9007199254740993"', '"1_000"', '" 7"'];
const binary = ['add', 'sub', 'mul', 'max', 'min', 'addf', 'subf', 'mulf', 'maxf', 'minf', 'biggest'];
const divisions = ['div', 'mod', 'divf'];
const nonZero = ['$.Values.n.neg', '$.Values.n.u32', '$.Values.ineg', '$.Values.imax', '3', '-1', '7', '1e21', '9007199254740993', '$.Values.s.oct'];
const unary = ['int64', 'int', 'float64', 'add1', 'add1f', 'floor', 'ceil', 'toString', 'toDecimal', 'atoi', 'quote', 'toJson', 'typeOf', 'kindOf', 'empty'];
/** Operands that do not go through $ (a define invoked with a number has a number as $). */
const literal = (refs: readonly string[]) => refs.filter((x) => !x.includes('$'));

function numberExpr(r: Random, rooted: boolean, depth = 0): string {
  const nums = rooted ? numberRefs : literal(numberRefs);
  const strs = rooted ? stringRefs : literal(stringRefs);
  const k = r.int(depth > 1 ? 3 : 7);
  if (k === 0) return r.pick(nums);
  if (k === 1) return r.pick(r.chance(0.7) ? nums : strs);
  if (k === 2) {
    const f = r.pick(unary);
    const arg = f === 'atoi' || f === 'toDecimal' ? r.pick([...strs, `(toString ${r.pick(nums)})`]) : numberExpr(r, rooted, depth + 1);
    return r.chance(0.1) ? `(len (toString ${arg}))` : `(${f} ${arg})`;
  }
  if (k === 3) return `(round ${numberExpr(r, rooted, depth + 1)} ${r.pick(['0', '2', '-1'])})`;
  if (k === 4) return `(${r.pick(divisions)} ${numberExpr(r, rooted, depth + 1)} ${r.pick(rooted ? nonZero : literal(nonZero))})`;
  return `(${r.pick(binary)} ${numberExpr(r, rooted, depth + 1)} ${numberExpr(r, rooted, depth + 1)})`;
}

function printNumber(r: Random, rooted: boolean): string {
  const e = numberExpr(r, rooted);
  switch (r.int(7)) {
    case 0: return `{{ ${e} }}`;
    case 1: return `{{ printf "${r.pick(['%v', '%d', '%x', '%g', '%e', '%T', '%s', '%08.3f', '%+d', '%q'])}" ${e} }}`;
    case 2: return `{{ ${e} | toJson }}`;
    case 3: return `{{ toYaml (list ${e} ${numberExpr(r, rooted)}) | nindent 2 }}`;
    case 4: {
      // Go's comparisons refuse mixed kinds: both sides are made the same type.
      const conv = r.pick(['int64', 'float64', 'toString']);
      return `{{ ${r.pick(['eq', 'ne', 'lt', 'ge'])} (${conv} ${e}) (${conv} ${numberExpr(r, rooted)}) }}`;
    }
    case 5: return `{{ ${e} | toString | quote }}`;
    default: return `{{ list ${e} ${numberExpr(r, rooted)} }}`;
  }
}

const trims = (r: Random, action: string): string => {
  const left = r.chance(0.2) ? '{{- ' : '{{ ';
  const right = r.chance(0.2) ? ' -}}' : ' }}';
  return left + action + right;
};

/** Now and then a failing action, so the error paths (wrapped by include and tpl) are compared too. */
const errorPieces = ['{{ div 1 0 }}', '{{ include "nope" . }}', '{{ tpl "{{ .x.y }}" 5 }}', '{{ fail "boom" }}', '{{ required "need it" .missing }}',
  '{{ tpl "{{ fail \\"inner\\" }}" $ }}', '{{ eq 1 "a" }}', '{{ int64 }}', '{{ tpl "{{ end }}" $ }}', '{{ template "nope" }}'];

/** A Go string literal of `text` (JSON's escapes are Go's). */
const goString = (text: string): string => JSON.stringify(text);

interface Scope {
  /** The program's prefix for define names, so that programs sharing a chart never collide. */
  prefix: string;
  /** Names an `include` or `template` here may call: defined before, never the one being defined. */
  names: string[];
  counter: { n: number };
}

/**
 * A text of 1-4 pieces. `top`: defines are allowed (top level of a file or of a tpl text).
 * `dotIsNumber`: the text runs with a number as dot (a define invoked with a number).
 */
function text(r: Random, depth: number, scope: Scope, top: boolean, dotIsNumber: boolean, dollarIsNumber = false): string {
  let out = '';
  const names = [...scope.names];
  for (let j = 1 + r.int(depth > 2 ? 2 : 4); j > 0; j--) {
    // In a define invoked with a number, $ is that number: only . and literals are used there.
    const k = dollarIsNumber ? r.pick([0, 1, 2, 3, 10]) : r.int(depth > 3 ? 4 : 12);
    if (r.chance(0.002)) out += r.pick(errorPieces);
    else if (k === 0) out += r.pick(['x', ' ', '\n', '-', '  ', '\t']);
    else if (k === 1) out += dotIsNumber ? r.pick(['{{ . }}', '{{ add . 1 }}', '{{ printf "%v" . }}', '{{ toString . }}', '{{ int64 . }}']) : printNumber(r, !dollarIsNumber);
    else if (k === 2) out += printNumber(r, !dollarIsNumber);
    else if (k === 3) out += r.pick(['{{/* c */}}', '{{- /* c */ -}}', ' {{- "" -}} ', '{{ "" }}']);
    else if (k <= 5 && top) {
      const name = `${scope.prefix}d${scope.counter.n++}`;
      const numberBody = r.chance(0.3);
      const body = text(r, depth + 1, { ...scope, names: [...names] }, false, numberBody, numberBody);
      out += `{{ define "${name}" }}${body}{{ end }}`;
      if (!numberBody) names.push(name);
      else names.push(`#${name}`);
    } else if (k <= 7 && names.length > 0) {
      const entry = r.pick(names);
      const takesNumber = entry.startsWith('#');
      const name = entry.replace(/^#/, '');
      const arg = takesNumber ? numberExpr(r, true) : r.pick(['$', '$', '(dict "Values" $.Values)']);
      const call = r.chance(0.3) ? `template "${name}" ${arg}` : `include "${name}" ${arg}${r.chance(0.3) ? ` | ${r.pick(['upper', 'quote', 'trim', 'len', 'toJson'])}` : ''}`;
      out += trims(r, call);
    } else if (k <= 9) {
      // tpl: a literal text (possibly nesting further), a value's text (empty, spaces, comments), or an include's output.
      const ctx = r.pick(['$', '$', '(dict "Values" $.Values)']);
      const source = r.int(3);
      let arg: string;
      if (source === 0 || depth > 3) arg = r.pick(['$.Values.t.empty', '$.Values.t.space', '$.Values.t.nl', '$.Values.t.comment', '$.Values.t.trimmed', '$.Values.t.num', '$.Values.t.nested', '$.Values.t.deep', '$.Values.t.add', '""', '" "', '"{{/* x */}}"']);
      else if (source === 1 || names.filter((n) => !n.startsWith('#')).length === 0) arg = goString(text(r, depth + 1, { ...scope, names: [...names] }, true, false));
      else arg = `(include "${r.pick(names.filter((n) => !n.startsWith('#')))}" $)`;
      out += trims(r, `tpl ${arg} ${ctx}`);
    } else if (k === 10) {
      const body = text(r, depth + 1, { ...scope, names: [...names] }, false, dotIsNumber, dollarIsNumber);
      const cond = numberExpr(r, !dollarIsNumber);
      out += r.pick([`{{ if ${cond} }}${body}{{ end }}`, `{{ if ${cond} }}${body}{{ else }}e{{ end }}`]);
    } else {
      // range and with change dot: the body refers to values through $ only.
      const body = text(r, depth + 1, { ...scope, names: [...names] }, false, true);
      out += r.pick([`{{ range until 2 }}${body}{{ end }}`, `{{ range $.Values.il }}${body}{{ end }}`, `{{ with ${numberExpr(r, true)} }}${body}{{ end }}`]);
    }
  }
  return out;
}

export interface Program {
  id: string;
  text: string;
}

export function randomPrograms(seed: number, count: number): Program[] {
  const r = new Random(seed);
  return Array.from({ length: count }, (_, i) => {
    const prefix = `p${seed}x${i}`;
    return { id: `prog-${seed}-${i}`, text: text(r, 0, { prefix, names: [], counter: { n: 0 } }, true, false) };
  });
}

/** One program as a snippet of its own (its text is the chart's NOTES.txt). */
export function programSnippet(p: Program): Snippet {
  return { id: p.id, template: p.text, values: VALUES, set: SET };
}

const fileOf = (i: number) => `templates/_p${i}.tpl`;

/** Many programs as one chart: each a partial file, NOTES.txt including them between markers. */
export function batchSnippet(id: string, programs: readonly Program[]): Snippet {
  const files: Record<string, string> = {};
  let notes = '';
  programs.forEach((p, i) => {
    files[fileOf(i)] = p.text;
    notes += `{{ include "c/${fileOf(i)}" . }}${marker(i)}`;
  });
  return { id, template: notes, values: VALUES, set: SET, files };
}

export interface Difference {
  program: Program;
  helm: string | null;
  ours: string | null;
}

export interface RunFigures {
  programs: number;
  batches: number;
  helmRuns: number;
  differences: Difference[];
}

/** Runs programs against helm in batches (test/support/helm-batch.ts); returns every program whose result differs. */
export async function runPrograms(
  helm: string, programs: readonly Program[], batchSize: number, log: (line: string) => void = () => {},
  progress: (line: string) => void = (line) => process.stderr.write(line + '\n'),
): Promise<RunFigures> {
  const runner = new HelmRunner(helm);
  const figures: RunFigures = { programs: programs.length, batches: 0, helmRuns: 0, differences: [] };
  /** Our engine's result for each program, rendered alone. */
  const ours = new Map<Program, Outcome>();
  const judge = (p: Program, want: Outcome) => {
    const mine = ours.get(p)!;
    if (want.output === mine.output && want.error === mine.error) return;
    const d = { program: p, helm: want.output ?? want.error, ours: mine.output ?? mine.error };
    figures.differences.push(d);
    log(`DIFFERENT ${p.id}: ${JSON.stringify(p.text)}\n  helm: ${JSON.stringify(d.helm)}\n  ours: ${JSON.stringify(d.ours)}`);
  };
  // A part of a batch and the program alone as NOTES.txt execute alike: include of a partial file
  // and NOTES.txt itself run the same text; define names are unique per program.
  const plan = {
    batch: (ps: readonly Program[]) => batchSnippet(`batch-${ps[0]!.id}`, ps),
    single: programSnippet,
    ours: (p: Program) => ours.get(p)!.output!,
    same: () => {},
    judge,
  };
  try {
    for (let start = 0; start < programs.length; start += batchSize) {
      const chunk = programs.slice(start, start + batchSize);
      figures.batches++;
      const ok: Program[] = [];
      for (const p of chunk) {
        const mine = renderSnippet(programSnippet(p));
        ours.set(p, mine);
        if (mine.error === null) ok.push(p);
        else judge(p, await runner.install(programSnippet(p)));
      }
      await compareInBatches(runner, ok, batchSize, plan);
      for (const p of chunk) ours.delete(p);
      figures.helmRuns = runner.runs;
      progress(`${start + chunk.length}/${programs.length} programs, ${figures.helmRuns} helm runs, ${figures.differences.length} differences`);
    }
  } finally {
    runner.close();
  }
  return figures;
}

async function main(): Promise<void> {
  const seed = Number(process.argv[2] ?? Date.now() % 100000);
  const count = Number(process.argv[3] ?? 1000);
  const batchSize = Number(process.argv[4] ?? 500);
  const started = Date.now();
  const f = await runPrograms(referenceTools().helm, randomPrograms(seed, count), batchSize, (line) => process.stdout.write(line + '\n'));
  process.stdout.write(`seed ${seed}: ${f.programs} programs, ${f.batches} batches, ${f.helmRuns} helm runs, ${f.differences.length} differences, ${Math.round((Date.now() - started) / 1000)} s\n`);
  process.exitCode = f.differences.length > 0 ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
