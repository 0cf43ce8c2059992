// Randomized differential run: generates snippets from a seed (printf formats over values; layouts of
// trim markers, comments and white space; builtins over mixes of values; nested control structures
// with variables, break and continue), renders them with the real helm and with our engine, and
// prints every difference. Not part of `npm test` (it runs helm, about 30 s); a difference found
// here becomes a snippet in template-snippets.ts.
//   npx tsc -p tsconfig.json && node dist/test/differential/random-template-snippets.js [SEED] [COUNT]
import { pathToFileURL } from 'node:url';
import { recordSnippets, type Snippet } from '../support/helm-snippets.js';
import { referenceTools } from '../support/tools.js';
import { renderSnippet } from './render-template-snippet.js';
import { V } from './template-snippets.js';

/** A small deterministic generator (LCG), so a seed names a reproducible run. */
class Random {
  constructor(private seed: number) {}
  next(): number {
    this.seed = (this.seed * 1103515245 + 12345) % 2147483648;
    return this.seed / 2147483648;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

const operands = [
  '.Values.port', '.Values.half', '.Values.neg', '.Values.tiny', '.Values.big', '.Values.huge', '.Values.name', '.Values.utf', '.Values.flag',
  '.Values.nul', '.Values.missing', '.Values.list', '.Values.strs', '.Values.m', '.Values.mixed', '.Values.nest', '.Values.nest.inner',
  '.Values.withnul.a', '.Values.emptylist', '.Values.emptymap', '.Values.zero', '.Values.html', '3', '-7', '0', '255', "'x'", '1.5', '1e21',
  '1e-7', '"str"', '""', 'true', 'false', 'nil', '1i', '(len "abc")', '(index .Values.list 0)', '(list 1 "a")', '(dict "k" 1)', '$x', '$y',
];

function printfSnippet(r: Random): string {
  const verbs = ['v', 'd', 's', 'q', 'x', 'X', 'o', 'b', 'e', 'E', 'f', 'F', 'g', 'G', 't', 'c', 'U', 'T', '%', 'z'];
  const flags = ['', '', '+', '-', '#', ' ', '0', '-0', '+#', '# '];
  let format = '';
  let needed = 0;
  for (let j = 1 + r.int(3); j > 0; j--) {
    const width = r.pick(['', '', '', '1', '5', '12', '*']);
    const prec = r.pick(['', '', '.0', '.1', '.3', '.10', '.*']);
    format += `[%${r.pick(flags)}${width}${prec}${r.pick(verbs)}]`;
    needed += 1 + (width === '*' ? 1 : 0) + (prec === '.*' ? 1 : 0);
  }
  const args = Array.from({ length: Math.max(0, needed + r.int(3) - 1) }, () => r.pick(operands));
  return `{{ printf ${JSON.stringify(format)} ${args.join(' ')} }}`;
}

function layoutSnippet(r: Random): string {
  const pieces = ['{{ 1 }}', '{{- 2 }}', '{{ 3 -}}', '{{- 4 -}}', '{{/* c */}}', '{{- /* c */ -}}', '{{- /* c */}}', '{{/* c */ -}}', ' ', '  ',
    '\n', '\t', '\r\n', 'x', '{{ "" }}', '{{- "" -}}', 'IF', 'END'];
  let text = '';
  let depth = 0;
  for (let j = 3 + r.int(10); j > 0; j--) {
    const p = r.pick(pieces);
    if (p === 'END') {
      if (depth > 0) {
        depth--;
        text += r.pick(['{{ end }}', '{{- end }}', '{{ end -}}']);
      }
    } else if (p === 'IF') {
      depth++;
      text += r.pick(['{{ if true }}', '{{- if .Values.flag -}}', '{{ with .Values.name }}']);
    } else text += p;
  }
  return text + '{{ end }}'.repeat(depth);
}

function builtinSnippet(r: Random): string {
  const fns = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'index', 'len', 'and', 'or', 'not', 'print', 'println', 'html', 'js', 'urlquery', 'typeOf',
    'kindOf', 'default', 'list'];
  const args = Array.from({ length: r.int(4) }, () => r.pick(operands));
  const pipe = r.next() < 0.3 ? `${r.pick(operands)} | ` : '';
  const [open, close] = r.pick([['', ''], ['', ''], ['{{ range .Values.mixed }}', '{{ end }}'], ['{{ with .Values.nest }}', '{{ end }}']]);
  return `{{ $x := .Values.missing }}{{ $y := .Values.list }}${open}[{{ ${pipe}${r.pick(fns)} ${args.join(' ')} }}]${close}`;
}

function controlSnippet(r: Random): string {
  const sources = ['.Values.list', '.Values.strs', '.Values.m', '.Values.mixed', '.Values.emptylist', '.Values.missing', '3', '0', '(list 1 2)'];
  // Printing the root context itself is avoided: helm's holds a pointer whose address varies.
  const block = (depth: number, inRange: boolean, dotIsRoot: boolean, vars: string[]): string => {
    const values = [...vars, '$.Values.name', '$.Values.list', ...(dotIsRoot ? [] : ['.'])];
    let out = '';
    for (let j = 1 + r.int(3); j > 0; j--) {
      const k = r.int(depth > 2 ? 4 : 9);
      if (k === 0) out += `{{ ${r.pick(values)} }}`;
      else if (k === 1 && vars.length > 0) out += `{{ ${r.pick(vars)} = ${r.pick(['1', '"s"', ...values])} }}`;
      else if (k === 2) {
        const v = `$v${depth}${j}`;
        out += `{{ ${v} := ${r.pick(['.Values.name', '(len "ab")', '.Values.list', ...values])} }}`;
        vars = [...vars, v];
      } else if (k === 3 && inRange) out += r.pick(['{{ break }}', '{{ continue }}', '{{ if eq 1 1 }}{{ continue }}{{ end }}']);
      else if (k === 3) out += '-';
      else if (k <= 5) {
        const decl = r.pick(['', '$k, $e := ', '$e := ']);
        const declared = decl === '' ? [] : decl.replace(' := ', '').split(', ');
        const body = block(depth + 1, true, false, [...vars, ...declared]);
        const elseBody = r.next() < 0.3 ? `{{ else }}E${block(depth + 1, inRange, dotIsRoot, vars)}` : '';
        out += `{{ range ${decl}${r.pick(sources)} }}${body}${elseBody}{{ end }}`;
      } else if (k <= 7) {
        const isWith = r.next() < 0.5;
        const cond = r.pick(['.Values.flag', '.Values.missing', '.Values.nest', '.Values.strs', ...vars]);
        const body = block(depth + 1, inRange, isWith ? false : dotIsRoot, vars);
        const elseBody = r.next() < 0.4 ? `{{ else }}${block(depth + 1, inRange, dotIsRoot, vars)}` : '';
        out += `{{ ${isWith ? 'with' : 'if'} ${cond} }}${body}${elseBody}{{ end }}`;
      } else out += `{{ ${r.pick(values)} }},`;
    }
    return out;
  };
  return block(0, false, true, []);
}

/** Random token sequences in actions: exercises the parser's and lexer's error paths. */
function tokenSoupSnippet(r: Random): string {
  const tokens = ['{{', '}}', '{{-', '-}}', '(', ')', '|', '$x', '$', ':=', '=', ',', '.a', '.', '.Values.name', 'print', 'len', 'if', 'else',
    'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue', 'nil', 'true', '"s"', '`r`', "'c'", '1', '-', '2.5', 'x',
    '/*', '*/', '\n', ' '];
  let text = '{{ $x := 1 }}{{ ';
  for (let j = 2 + r.int(8); j > 0; j--) text += r.pick(tokens) + r.pick([' ', ' ', '', '\n']);
  return text;
}

const generators = [printfSnippet, layoutSnippet, builtinSnippet, controlSnippet, tokenSoupSnippet];

export function randomSnippets(seed: number, count: number): Snippet[] {
  const r = new Random(seed);
  return Array.from({ length: count }, (_, i) => ({ id: `random-${seed}-${i}`, template: generators[i % generators.length]!(r), values: V }));
}

async function main(): Promise<void> {
  const seed = Number(process.argv[2] ?? Date.now() % 100000);
  const count = Number(process.argv[3] ?? 200);
  const snippets = randomSnippets(seed, count);
  const expected = await recordSnippets(referenceTools().helm, snippets);
  let differences = 0;
  snippets.forEach((s, i) => {
    const want = expected[i]!;
    const got = renderSnippet(s);
    if (got.output === want.output && got.error === want.error) return;
    differences++;
    process.stdout.write(`DIFFERENT ${s.id}: ${JSON.stringify(s.template)}\n  helm: ${JSON.stringify(want.output ?? want.error)}\n  ours: ${JSON.stringify(got.output ?? got.error)}\n`);
  });
  process.stdout.write(`seed ${seed}: ${count - differences}/${count} equal\n`);
  process.exitCode = differences > 0 ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
