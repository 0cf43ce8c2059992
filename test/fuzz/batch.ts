// One batch of fuzz inputs, run inside a render worker (src/sandbox/) so that a hang meets the
// pool's deadline and a runaway allocation its heap ceiling, as a render in the operator would.
// Properties: every input ends in a result or in an error of the module's own kind, with a message;
// never a JavaScript stack overflow, TypeError or other internal failure; archive entries never
// name a path outside the chart.
import { ChartLoadError, loadChart, parseSetValues, readValuesFile, validateValues, type Chart } from '../../src/chart/index.js';
import { renderChart } from '../../src/render/index.js';
import type { GoMap } from '../../src/template/value.js';
import { tgz } from '../sandbox/tgz.js';
import { randomArchive, randomSchema, randomSet, randomTemplate, randomYaml, rng } from './inputs.js';

export type FuzzKind = 'template' | 'yaml' | 'set' | 'schema' | 'archive';
export const FUZZ_KINDS: readonly FuzzKind[] = ['template', 'yaml', 'set', 'schema', 'archive'];

export interface FuzzBatch {
  kind: FuzzKind;
  seed: number;
  count: number;
}

export interface Finding {
  kind: FuzzKind;
  /** Replays the input: rng(seed) is advanced `index` inputs. */
  seed: number;
  index: number;
  input: string;
  problem: string;
}

const INTERNAL = [TypeError, ReferenceError, SyntaxError, EvalError];

/** Why an error is a bug rather than a refusal of bad input (undefined when it is fine). */
function internalProblem(err: unknown): string | undefined {
  if (!(err instanceof Error)) return `threw a non-error: ${String(err)}`;
  if (err instanceof RangeError) return `RangeError: ${err.message}`;
  if (INTERNAL.some((c) => err instanceof c)) return `${err.name}: ${err.message}`;
  if (!err.message) return `${err.name} without a message`;
  return undefined;
}

const CHART_YAML = 'apiVersion: v2\nname: c\nversion: 0.1.0\n';

function baseChart(): Chart {
  return loadChart(tgz([{ name: 'c/Chart.yaml', data: CHART_YAML }, { name: 'c/values.yaml', data: 'a: 1\nlist: [1, 2]\nm: {k: v}\n' }]));
}

function runOne(kind: FuzzKind, r: () => number, base: Chart): { input: string; problem?: string } {
  switch (kind) {
    case 'template': {
      const { template, helper } = randomTemplate(r);
      const values = r() < 0.5 ? readValuesOrEmpty(randomYaml(r)) : {};
      const chart: Chart = { ...base, templates: [{ name: 'templates/_h.tpl', data: Buffer.from(helper) }, { name: 'templates/t.yaml', data: Buffer.from(template) }] };
      const input = JSON.stringify({ template, helper, values });
      try {
        renderChart(chart, { values, maxOutputBytes: 4 * 1024 * 1024 });
      } catch (err) {
        return { input, problem: internalProblem(err) };
      }
      return { input };
    }
    case 'yaml': {
      const text = randomYaml(r);
      try {
        readValuesFile(text, 'fuzz.yaml');
      } catch (err) {
        return { input: text, problem: internalProblem(err) };
      }
      return { input: text };
    }
    case 'set': {
      const expr = randomSet(r);
      try {
        parseSetValues(expr, {}, r() < 0.5 ? 'set' : 'set-string');
      } catch (err) {
        return { input: expr, problem: internalProblem(err) };
      }
      return { input: expr };
    }
    case 'schema': {
      const schema = randomSchema(r);
      const values = readValuesOrEmpty(randomYaml(r));
      try {
        validateValues({ ...base, schema: Buffer.from(schema) }, values);
      } catch (err) {
        return { input: schema, problem: internalProblem(err) };
      }
      return { input: schema };
    }
    case 'archive': {
      const archive = randomArchive(r);
      const input = archive.toString('base64');
      let chart: Chart;
      try {
        chart = loadChart(archive);
      } catch (err) {
        if (err instanceof ChartLoadError) return { input };
        return { input, problem: internalProblem(err) ?? `${(err as Error).name}: ${(err as Error).message}` };
      }
      const names = [...chart.templates, ...chart.files].map((f) => f.name);
      const outside = names.find((n) => n.startsWith('/') || n.split('/').includes('..'));
      return { input, problem: outside === undefined ? undefined : `entry outside the chart: ${outside}` };
    }
  }
}

function readValuesOrEmpty(text: string): GoMap {
  try {
    return readValuesFile(text, 'fuzz.yaml');
  } catch {
    return {};
  }
}

export function fuzzBatch(batch: FuzzBatch): { inputs: number; findings: Finding[] } {
  const r = rng(batch.seed);
  const base = baseChart();
  const findings: Finding[] = [];
  for (let i = 0; i < batch.count; i++) {
    const { input, problem } = runOne(batch.kind, r, base);
    if (problem) findings.push({ kind: batch.kind, seed: batch.seed, index: i, input: input.slice(0, 2000), problem });
  }
  return { inputs: batch.count, findings };
}
