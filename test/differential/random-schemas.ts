// Randomized differential run for values.schema.json reference cycles: random schemas built from
// in-place applicators (allOf, anyOf, oneOf, not, if/then/else, dependentSchemas), properties and
// references (to the root, definitions, an anchor, an $id-relative URI, subschemas), validated by
// the real helm and by ours. A difference is a schema where one side passes and the other fails, or
// where the "causing reference cycle" lines differ. Schemas where only one side finds a reference
// that does not resolve are counted apart (helm does not compile the dead branch of a constant `if`;
// we check every reference). Not part of `npm test`:
//   npm run build && node dist/test/differential/random-schemas.js SEED COUNT
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadChart } from '../../src/chart/index.js';
import { validateValues } from '../../src/chart/values/schema.js';
import { recordSnippet, writeSnippetChart, type Snippet } from '../support/helm-snippets.js';
import { rng } from '../support/random.js';
import { referenceTools } from '../support/tools.js';

const REFS = ['#', '#/$defs/x', '#/$defs/y', '#/properties/a', '#/$defs/x/anyOf/0', 'sub.json', '#anc'];

export function randomSchema(r: () => number): { schema: object; values: object } {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const node = (d: number): unknown => {
    if (d > 3) return pick([{ type: 'integer' }, { type: 'object' }, true, false, { $ref: pick(REFS) }]);
    switch (Math.floor(r() * 10)) {
      case 0: return { anyOf: [node(d + 1), node(d + 1)] };
      case 1: return { allOf: [node(d + 1), node(d + 1)] };
      case 2: return { oneOf: [node(d + 1), node(d + 1)] };
      case 3: return { not: node(d + 1) };
      case 4: return { if: node(d + 1), then: node(d + 1), else: node(d + 1) };
      case 5: return { dependentSchemas: { a: node(d + 1) } };
      case 6: return { $ref: pick(REFS), ...(r() < 0.5 ? { type: 'object' } : {}) };
      case 7: return { properties: { a: node(d + 1) } };
      case 8: return { type: pick(['object', 'integer', 'string']) };
      default: return { $ref: pick(REFS) };
    }
  };
  const schema = {
    ...(node(0) as object),
    ...(r() < 0.7 ? { properties: { a: node(1) } } : {}),
    $defs: { x: { $anchor: 'anc', ...(node(1) as object), anyOf: [node(2), node(2)] }, y: { $id: 'sub.json', ...(node(1) as object) } },
  };
  return { schema, values: pick([{}, { a: 1 }, { a: { a: 2 } }, { b: 'x' }]) };
}

const cycleLines = (text: string | null): string => (text ?? '').split('\n').filter((l) => l.includes('reference cycle')).map((l) => l.trim()).sort().join('\n');
const unresolved = (text: string | null): boolean => /can't resolve reference|not found|could not be resolved/.test(text ?? '');

async function main(): Promise<void> {
  const seed = Number(process.argv[2] ?? 1);
  const count = Number(process.argv[3] ?? 200);
  const { helm } = referenceTools();
  const r = rng(seed);
  const work = mkdtempSync(join(tmpdir(), 'chartrelease-random-schemas-'));
  let differences = 0;
  let cycles = 0;
  let skipped = 0;
  try {
    for (let i = 0; i < count; i++) {
      const { schema, values } = randomSchema(r);
      const s: Snippet = { id: `r${i}`, template: 'ok\n', values: JSON.stringify(values), files: { 'values.schema.json': JSON.stringify(schema) } };
      const want = await recordSnippet(helm, s, work);
      const dir = join(work, 'ours', s.id);
      writeSnippetChart(dir, s);
      let got: string | null = null;
      try {
        const chart = loadChart(dir);
        validateValues(chart, chart.values);
      } catch (e) {
        got = (e as Error).message;
      }
      if (unresolved(want.error) !== unresolved(got)) {
        skipped++;
        continue;
      }
      if (cycleLines(want.error)) cycles++;
      if ((want.error === null) !== (got === null) || cycleLines(want.error) !== cycleLines(got)) {
        differences++;
        process.stdout.write(`--- schema ${JSON.stringify(schema)} values ${JSON.stringify(values)}\nhelm: ${want.error}\nours: ${got}\n`);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write(`${count} schemas (seed ${seed}): ${cycles} with reference cycles in helm's errors, ${skipped} set aside (a reference only one side resolves), ${differences} differences\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
