// The fuzz suite's comparison with the reference helm: fuzzed and mutated inputs (inputs.ts) are
// rendered by our engine in a render worker (diff-ours.ts, with the sandbox's limits) and by the
// real helm 4.1.4, and each input gets a verdict:
// - both render: the outputs must be equal byte for byte;
// - both refuse: the errors must be of the same class (errorClass); the text pairs are counted;
// - otherwise it is a finding, unless it is one of the differences classified below (deliberate
//   limits of docs/reliability.md, or a known open finding).
// Helm runs are batched (test/support/helm-batch.ts): inputs our engine renders share one chart
// per helm install; inputs our engine refuses get helm's verdict from `helm lint` over one chart
// each, many per process, and an install of the input alone whenever lint and we disagree.
//
// Kinds of input:
// - template: a fuzzed/mutated template and its helper file (own define name per input); a group
//   of inputs shares one fuzzed values.yaml. Compared: the text it renders.
// - values: a fuzzed/mutated values.yaml, as the values.yaml of a subchart (charts/sN/), so many
//   share one chart. Compared: `toJson` of the values the chart sees.
// - schema: a fuzzed values.schema.json with a fuzzed values.yaml, in a subchart. Compared: the
//   verdict (helm validates every subchart's schema) and the values.
// - flags: a values.yaml, a -f overlay, --set, --set-string and --set-json strings (each present or
//   not), one helm install each (values flags apply to a whole helm run). Compared: `toJson .Values`.
import { DEFAULT_RENDER_LIMITS, RenderLimitError, RenderPool } from '../../src/sandbox/index.js';
import { compareInBatches, HelmRunner, marker, splitBatch } from '../support/helm-batch.js';
import type { Snippet, SnippetExpectation } from '../support/helm-snippets.js';
import { randomSchema, randomSet, randomSetJson, randomTemplate, randomYaml, rng, type Rand } from './inputs.js';
import type { OursJob, OursOutcome } from './diff-ours.js';

export type DiffKind = 'template' | 'values' | 'schema' | 'flags';
export const DIFF_KINDS: readonly DiffKind[] = ['template', 'values', 'schema', 'flags'];

export interface DiffCase {
  kind: DiffKind;
  /** Replays the input: generateCases(kind, seed, count)[index]. */
  seed: number;
  index: number;
  /** The chart's values.yaml (template, flags). */
  values?: string;
  template?: string;
  helper?: string;
  /** The subchart's values.yaml and values.schema.json (values, schema). */
  subValues?: string;
  schema?: string;
  overlay?: string;
  set?: string;
  setString?: string;
  setJson?: string;
}

const BASE_VALUES = 'a: 1\nlist: [1, 2]\nm: {k: v}\n';
/**
 * The values.yaml texts template inputs run with (a group of inputs shares one): valid documents of
 * other shapes, so `.Values.a` is a map, a list, a string, a big integer... The values kind fuzzes
 * the YAML itself.
 */
const TEMPLATE_VALUES = [
  BASE_VALUES,
  'a: "str"\nlist: []\nm: {k: "", n: null}\n',
  'a: {x: [1, 2.5, "s"], y: {z: true}}\nlist: [a, b, c]\nm: {k: 9223372036854775807}\n',
  'a: [1, "2", null, {k: v}]\nlist: [0.1, -0, 1e3]\nm: &m {k: "{{ .Values.a }}"}\nn:\n  <<: *m\n  j: 2\n',
  'a: |\n  multi\n  line\nlist: [yes, no, on, "on", ~]\nm: {k: "x,y=z", "a.b": 2}\n',
  'a: 0\nlist: [[1, 2], [3]]\nm: {k: 2001-12-14, t: 0x1F, o: 0o17}\n',
];
/** Template inputs sharing one values.yaml. */
const VALUES_GROUP = 50;

/** The inputs of one kind from one seed (deterministic). */
export function generateCases(kind: DiffKind, seed: number, count: number): DiffCase[] {
  const r: Rand = rng(seed);
  const out: DiffCase[] = [];
  let values = BASE_VALUES;
  for (let index = 0; index < count; index++) {
    const c: DiffCase = { kind, seed, index };
    switch (kind) {
      case 'template': {
        if (index % VALUES_GROUP === 0) values = TEMPLATE_VALUES[Math.floor(r() * TEMPLATE_VALUES.length)]!;
        const { template, helper } = randomTemplate(r, `h${seed}_${index}`, r() < 0.7);
        Object.assign(c, { values, template, helper });
        break;
      }
      case 'values':
        c.subValues = randomYaml(r);
        break;
      case 'schema':
        c.schema = randomSchema(r);
        c.subValues = r() < 0.5 ? BASE_VALUES : randomYaml(r);
        break;
      case 'flags':
        c.values = r() < 0.5 ? randomYaml(r) : BASE_VALUES;
        if (r() < 0.5) c.overlay = randomYaml(r);
        if (r() < 0.6) c.set = randomSet(r);
        if (r() < 0.3) c.setString = randomSet(r);
        if (r() < 0.4) c.setJson = randomSetJson(r);
        break;
    }
    out.push(c);
  }
  return out;
}

const caseId = (c: DiffCase) => `${c.kind}-${c.seed}-${c.index}`;

/** Several inputs of one kind as one chart (a single input: the reproducible form of its verdict). */
export function chartOf(cases: readonly DiffCase[]): Snippet {
  const first = cases[0]!;
  const id = caseId(first);
  if (first.kind === 'template') {
    const files: Record<string, string> = {};
    let notes = '';
    cases.forEach((c, i) => {
      files[`templates/_p${i}.tpl`] = c.template!;
      files[`templates/_h${i}.tpl`] = c.helper!;
      notes += `{{ include "c/templates/_p${i}.tpl" . }}${marker(i)}`;
    });
    return { id, template: notes, values: first.values!, files };
  }
  if (first.kind === 'flags') {
    if (cases.length !== 1) throw new Error('flags inputs are compared one per helm run');
    return {
      id,
      template: `{{ toJson .Values }}${marker(0)}`,
      values: first.values!,
      ...(first.overlay !== undefined ? { valueFiles: [first.overlay] } : {}),
      ...(first.set !== undefined ? { set: [first.set] } : {}),
      ...(first.setString !== undefined ? { setString: [first.setString] } : {}),
      ...(first.setJson !== undefined ? { setJson: [first.setJson] } : {}),
    };
  }
  // values, schema: one subchart per input, declared as a dependency (helm lint asks for it).
  const files: Record<string, string> = {};
  let notes = '';
  let deps = '';
  cases.forEach((c, i) => {
    files[`charts/s${i}/Chart.yaml`] = `apiVersion: v2\nname: s${i}\nversion: 0.1.0\n`;
    files[`charts/s${i}/values.yaml`] = c.subValues!;
    if (c.schema !== undefined) files[`charts/s${i}/values.schema.json`] = c.schema;
    notes += `{{ toJson .Values.s${i} }}${marker(i)}`;
    deps += `  - name: s${i}\n    version: 0.1.0\n`;
  });
  return { id, template: notes, values: '', files, chartYaml: `apiVersion: v2\nname: c\nversion: 0.1.0\ndependencies:\n${deps}` };
}

/** The input's part of its own chart's output. */
const partOf = (output: string): string => splitBatch(output, 1)?.[0] ?? output;

/**
 * The class of an error, for both engines' texts: two refusals agree when their classes do.
 * Ordered: a template error wraps whatever it called (a YAML error inside fromYaml is `exec`).
 */
export function errorClass(text: string): string {
  if (/goroutine stack exceeds|^fatal error:|^runtime: |helm killed after|Maximum call stack size exceeded/m.test(text)) return 'crash';
  if (/failed parsing --set-json/.test(text)) return 'set-json';
  if (/failed parsing --set-string/.test(text)) return 'set-string';
  if (/failed parsing --set/.test(text)) return 'set';
  if (/executing "|error calling |execution error at /.test(text)) return 'template-exec';
  if (/parse error|^template: |function ".*" not defined/m.test(text)) return 'template-parse';
  if (/values don't meet the specifications of the schema|values\.schema\.json|causing reference cycle|jsonschema|json-schema/.test(text)) return 'schema';
  if (/failed to parse .*values-\d+\.yaml/.test(text)) return 'overlay';
  if (/values\.yaml|error converting YAML to JSON|yaml: /.test(text)) return 'values-file';
  return 'other';
}

/**
 * The documented limit a refusal of ours comes from, when an input's template reached one: helm has
 * no such limit and runs away on these (an `until` of 10^11 allocates until the address space ends),
 * so they are classified without a helm run.
 */
export function stoppedAtLimit(ours: OursOutcome): string | undefined {
  const text = ours.error ?? '';
  if (/is longer than a render may build/.test(text)) return 'the until/untilStep/seq bound (10,000,000 elements)';
  if (/rendered output exceeds/.test(text)) return 'the output ceiling';
  if (/exhausted the stack|Maximum call stack size exceeded/.test(text)) return 'the stack (runaway recursion)';
  if (ours.errorName === 'RenderLimitError') return 'the render deadline or heap ceiling';
  return undefined;
}

export type Verdict =
  | { kind: 'equal' }
  | { kind: 'both-fail'; sameText: boolean }
  | { kind: 'classified'; class: string }
  | { kind: 'finding'; class: string };

/**
 * Differences kept on purpose (docs/reliability.md) or known and owned elsewhere; anything else
 * where the engines disagree is a finding.
 */
/** The `$schema` URLs helm's validator knows without loading them (the drafts it ships). */
const KNOWN_DRAFTS = new Set([
  'http://json-schema.org/draft-04/schema#', 'http://json-schema.org/draft-06/schema#', 'http://json-schema.org/draft-07/schema#',
  'https://json-schema.org/draft/2019-09/schema', 'https://json-schema.org/draft/2020-12/schema',
  'https://json-schema.org/draft-07/schema#', 'http://json-schema.org/draft-07/schema', 'https://json-schema.org/draft-07/schema',
]);

/** The text of a schema document's top-level `$schema` ('' when it has none or does not parse). */
function schemaKeyword(text: string | undefined): string {
  try {
    const doc = JSON.parse(text ?? '') as { $schema?: unknown };
    return typeof doc.$schema === 'string' ? doc.$schema : '';
  } catch {
    return '';
  }
}

export function classify(c: DiffCase, helm: SnippetExpectation, ours: OursOutcome): string | undefined {
  const mine = ours.error ?? '';
  const theirs = helm.error ?? '';
  if (/is longer than a render may build/.test(mine)) return 'deliberate: until/untilStep/seq bound (10,000,000 elements)';
  if (/rendered output exceeds/.test(mine)) return 'deliberate: output ceiling';
  if (helm.error !== null && errorClass(theirs) === 'crash' && ours.error !== null) return 'deliberate: helm crashes or runs away, ours refuses cleanly';
  if (ours.errorName === 'RenderLimitError' && helm.error !== null) return 'deliberate: ours stops at the render deadline or heap ceiling, helm fails too';
  if (c.kind === 'schema' && helm.error === null && /causing reference cycle/.test(mine) && /"\$schema":"https?:\/\/json-schema\.org\/draft-07\/schema#?"/.test(c.schema ?? '')) {
    return 'open (schema.ts): a $ref cycle inside "$defs" of a draft-07 schema ("$defs" is no keyword there) that nothing uses: helm accepts it, ours refuses';
  }
  if (c.kind === 'schema' && ours.error === null && /invalid \$schema in |failing loading "/.test(theirs) && !KNOWN_DRAFTS.has(schemaKeyword(c.schema))) {
    return 'open: a $schema that is not a known draft: helm loads it as a metaschema (fetches the URL, refuses one that does not parse), ours ignores it';
  }
  return undefined;
}

/** Go's fmt prints a pointer inside a map as its address (the root context's Capabilities): no fixed text to match. */
const POINTER = /(?:^|[ :[])0xc[0-9a-f]{8,}/;

export function verdictOf(c: DiffCase, helm: SnippetExpectation, ours: OursOutcome): Verdict {
  if (helm.error === null && ours.error === null) {
    if (helm.output === ours.output) return { kind: 'equal' };
    if (POINTER.test(helm.output ?? '')) return { kind: 'classified', class: 'deliberate: helm prints a pointer address (the root context printed whole), a text that changes from run to run' };
    return { kind: 'finding', class: 'output differs' };
  }
  const known = classify(c, helm, ours);
  if (known) return { kind: 'classified', class: known };
  if (helm.error === null) return { kind: 'finding', class: `ours refuses (${errorClass(ours.error!)}), helm renders` };
  if (ours.error === null) return { kind: 'finding', class: `helm refuses (${errorClass(helm.error)}), ours renders` };
  const mine = errorClass(ours.error);
  const theirs = errorClass(helm.error);
  if (mine !== theirs) return { kind: 'finding', class: `error class differs: ours ${mine}, helm ${theirs}` };
  return { kind: 'both-fail', sameText: ours.error === helm.error };
}

export interface DiffFinding {
  kind: DiffKind;
  seed: number;
  index: number;
  class: string;
  input: DiffCase;
  helm: string | null;
  ours: string | null;
}

export interface DiffFigures {
  inputs: number;
  perKind: Record<string, number>;
  helmRuns: number;
  /** Inputs helm rendered (with the equal/different split among those). */
  helmSucceeded: number;
  equal: number;
  different: number;
  bothFailed: number;
  bothFailedSameText: number;
  /** Verdict counts by class: findings and classified differences. */
  findingClasses: Record<string, number>;
  classified: Record<string, number>;
  /** The first few inputs of each classified difference (kind-seed-index), with both texts. */
  classifiedSamples: Record<string, { input: string; helm: string | null; ours: string | null }[]>;
  findings: DiffFinding[];
  /** Both refused with other words: a bounded sample of the text pairs (ours, helm's). */
  textPairs: { kind: DiffKind; seed: number; index: number; ours: string; helm: string }[];
}

export function emptyFigures(): DiffFigures {
  return { inputs: 0, perKind: {}, helmRuns: 0, helmSucceeded: 0, equal: 0, different: 0, bothFailed: 0, bothFailedSameText: 0, findingClasses: {}, classified: {}, classifiedSamples: {}, findings: [], textPairs: [] };
}

const MAX_SAMPLES = 200;
const clip = (s: string | null) => (s === null ? null : s.length > 4000 ? `${s.slice(0, 4000)}...` : s);

export interface DiffOptions {
  helm: string;
  pool: RenderPool;
  /** Helm install batch size (inputs our engine renders). */
  batchSize?: number;
  /** Replaces our outcome before the comparison (the test that plants a difference). */
  perturb?: (c: DiffCase, ours: OursOutcome) => OursOutcome;
  log?: (line: string) => void;
}

const OURS = new URL('./diff-ours.js', import.meta.url).href;
/** Our output ceiling for fuzzed inputs (a documented limit; helm past it is classified). */
export const FUZZ_MAX_OUTPUT = 4 * 1024 * 1024;

/** Our outcome for each case, in the worker; a job that meets a limit is rerun case by case. */
async function oursFor(pool: RenderPool, cases: readonly DiffCase[]): Promise<OursOutcome[]> {
  const run = (cs: readonly DiffCase[]) =>
    pool.run<OursJob, OursOutcome[]>({ module: OURS, fn: 'renderCharts', input: { charts: cs.map((c) => chartOf([c])), maxOutputBytes: FUZZ_MAX_OUTPUT }, label: `fuzz ${caseId(cs[0]!)}` });
  try {
    return await run(cases);
  } catch (err) {
    if (!(err instanceof RenderLimitError)) throw err;
    const out: OursOutcome[] = [];
    for (const c of cases) {
      try {
        out.push((await run([c]))[0]!);
      } catch (e) {
        if (!(e instanceof RenderLimitError)) throw e;
        out.push({ output: null, error: e.message, errorName: 'RenderLimitError' });
      }
    }
    return out;
  }
}

/** Compares the cases (all of one kind) with helm; adds to `figures`. */
export async function compareCases(cases: readonly DiffCase[], options: DiffOptions, figures: DiffFigures): Promise<void> {
  if (cases.length === 0) return;
  const runner = new HelmRunner(options.helm);
  try {
    const raw = await oursFor(options.pool, cases);
    const ours = new Map<DiffCase, OursOutcome>();
    cases.forEach((c, i) => {
      const o = raw[i]!;
      const own = o.output === null ? o : { ...o, output: partOf(o.output) };
      ours.set(c, options.perturb ? options.perturb(c, own) : own);
    });
    const record = (c: DiffCase, helm: SnippetExpectation) => {
      const mine = ours.get(c)!;
      if (helm.output !== null) helm = { ...helm, output: partOf(helm.output) };
      const v = verdictOf(c, helm, mine);
      if (helm.error === null) figures.helmSucceeded++;
      if (v.kind === 'equal') figures.equal++;
      else if (helm.error === null && mine.error === null) figures.different++;
      if (v.kind === 'both-fail') {
        figures.bothFailed++;
        if (v.sameText) figures.bothFailedSameText++;
        else if (figures.textPairs.length < MAX_SAMPLES) figures.textPairs.push({ kind: c.kind, seed: c.seed, index: c.index, ours: clip(mine.error)!, helm: clip(helm.error)! });
      }
      if (v.kind === 'classified') {
        figures.classified[v.class] = (figures.classified[v.class] ?? 0) + 1;
        const samples = (figures.classifiedSamples[v.class] ??= []);
        if (samples.length < 3) samples.push({ input: caseId(c), helm: clip(helm.output ?? helm.error)?.slice(0, 600) ?? null, ours: clip(mine.output ?? mine.error)?.slice(0, 600) ?? null });
      }
      if (v.kind === 'finding') {
        figures.findingClasses[v.class] = (figures.findingClasses[v.class] ?? 0) + 1;
        const f: DiffFinding = { kind: c.kind, seed: c.seed, index: c.index, class: v.class, input: c, helm: clip(helm.output ?? helm.error), ours: clip(mine.output ?? mine.error) };
        if (figures.findings.length < 5 * MAX_SAMPLES) figures.findings.push(f);
        options.log?.(`FINDING ${caseId(c)} ${v.class}\n  helm: ${JSON.stringify(f.helm)?.slice(0, 600)}\n  ours: ${JSON.stringify(f.ours)?.slice(0, 600)}`);
      }
    };
    const rendered = cases.filter((c) => ours.get(c)!.error === null);
    const refused: DiffCase[] = [];
    for (const c of cases) {
      const limit = c.kind !== 'template' || ours.get(c)!.error === null ? undefined : stoppedAtLimit(ours.get(c)!);
      if (limit) {
        // Not given to helm: it would allocate without bound or crash (docs/reliability.md).
        const cls = `deliberate (not run with helm): ours stops at ${limit}`;
        figures.classified[cls] = (figures.classified[cls] ?? 0) + 1;
        const samples = (figures.classifiedSamples[cls] ??= []);
        if (samples.length < 3) samples.push({ input: caseId(c), helm: null, ours: clip(ours.get(c)!.error)?.slice(0, 600) ?? null });
      } else if (ours.get(c)!.error !== null) refused.push(c);
    }
    if (cases[0]!.kind === 'flags') {
      // Values flags apply to a whole helm run: one install per input.
      for (const c of cases) record(c, await runner.install(chartOf([c])));
    } else {
      // Refused by us: helm lint's verdict on each alone; where lint renders (lint mode lets
      // `required` and `fail` pass) or refuses with another class, an install of the input decides.
      const lint = await runner.lint(refused.map((c) => chartOf([c])));
      for (let i = 0; i < refused.length; i++) {
        const c = refused[i]!;
        const said = lint[i]!;
        if (said !== null && errorClass(said) === errorClass(ours.get(c)!.error!)) record(c, { id: caseId(c), output: null, error: said });
        else record(c, await runner.install(chartOf([c])));
      }
      // Rendered by us: batches of one chart per helm install (template inputs share values per group).
      const groups = new Map<string, DiffCase[]>();
      for (const c of rendered) {
        const key = c.values ?? '';
        groups.set(key, [...(groups.get(key) ?? []), c]);
      }
      for (const group of groups.values()) {
        await compareInBatches(runner, group, options.batchSize ?? 200, {
          batch: chartOf,
          single: (c) => chartOf([c]),
          part: partOf,
          ours: (c) => ours.get(c)!.output!,
          same: (c) => record(c, { id: caseId(c), output: ours.get(c)!.output!, error: null }),
          judge: record,
        });
      }
    }
    figures.inputs += cases.length;
    figures.perKind[cases[0]!.kind] = (figures.perKind[cases[0]!.kind] ?? 0) + cases.length;
  } finally {
    figures.helmRuns += runner.runs;
    runner.close();
  }
}

/** A render pool for the comparison: the sandbox's limits, a longer deadline for a job of many charts. */
export function diffPool(): RenderPool {
  return new RenderPool({ limits: { ...DEFAULT_RENDER_LIMITS, timeoutMs: 120_000, maxHeapMiB: 512 }, size: 1 });
}
