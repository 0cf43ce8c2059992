// `chartrelease values` on the real-chart corpus: the computed values equal what helm prints as
// COMPUTED VALUES (`helm install --dry-run=client --debug`), every `file:line` that --explain cites
// points at a line holding that key, and the annotated output reads back as the same values. Goldens
// of --explain for a few charts pin the whole output (record-values-goldens.ts writes them).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadChart, readValuesFile } from '../../src/chart/index.js';
import { marshalYaml, parseValuesYaml } from '../../src/goyaml/index.js';
import { annotatedYaml, explainValues } from '../../src/provenance/index.js';
import { corpusCases } from '../support/corpus.js';
import { repoRoot } from '../support/paths.js';
import { referenceTools } from '../support/tools.js';
import { GOLDEN_CASES, goldenPath, explainCase } from './values-goldens.js';

const cases = corpusCases().filter((c) => c.valuesFile !== null && c.expectedRc === 0);

/** The text of the file a citation names (`values.yaml`, `charts/x/values.yaml`, or the overlay). */
function citedFile(chartDir: string, overlay: string, label: string): string | undefined {
  if (label === overlay) return readFileSync(overlay, 'utf8');
  if (label.endsWith('values.yaml') && !label.startsWith('/')) {
    // charts/<key>/values.yaml: the key may be an alias, or a directory named with its version.
    const parts = label.split('/');
    let dir = chartDir;
    for (let i = 0; i + 1 < parts.length; i += 2) {
      const key = parts[i + 1]!;
      const direct = join(dir, 'charts', key);
      if (existsSync(direct)) dir = direct;
      else return undefined;
    }
    const p = join(dir, 'values.yaml');
    return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
  }
  return undefined;
}

test('values --explain on every corpus overlay: cited lines hold the key, output reads back as the values', () => {
  let cited = 0;
  for (const c of cases) {
    const chart = loadChart(c.chartDir);
    const text = readFileSync(c.valuesFile!, 'utf8');
    const layer = { name: c.valuesFile!, values: readValuesFile(text, c.valuesFile!), text };
    const explained = explainValues(chart, layer.values, [layer]);
    assert.deepEqual(parseValuesYaml(annotatedYaml(explained.values, explained.leaves)), parseValuesYaml(marshalYaml(explained.values)), `${c.chart}/${c.name}`);
    for (const leaf of explained.leaves) {
      const m = /^(.*):(\d+)$/.exec(leaf.source);
      if (!m) continue;
      const file = citedFile(c.chartDir, c.valuesFile!, m[1]!);
      if (file === undefined) continue;
      const line = file.split('\n')[Number(m[2]) - 1] ?? '';
      const key = leaf.path.find((_, i) => i === leaf.path.length - 1)!;
      assert.ok(line.includes(key.includes('.') || key.includes('/') ? key : `${key}`), `${c.chart}/${c.name}: ${leaf.path.join('.')} cited at ${leaf.source}, line is ${JSON.stringify(line)}`);
      cited++;
    }
  }
  assert.ok(cited > 1000, `only ${cited} citations checked`);
});

test('computed values equal helm\'s COMPUTED VALUES on every corpus overlay', { timeout: 600_000 }, () => {
  const { helm } = referenceTools();
  for (const c of cases) {
    const r = spawnSync(helm, ['install', 'release-name', c.chartDir, '--dry-run=client', '--debug', '--namespace', 'demo', '--kube-version', '1.31.0', '-f', c.valuesFile!], { encoding: 'utf8', maxBuffer: 256 << 20 });
    if (r.status !== 0) continue;
    const computed = /\nCOMPUTED VALUES:\n([\s\S]*?)\n\nHOOKS:\n/.exec(r.stdout);
    assert.ok(computed, `${c.chart}/${c.name}: no COMPUTED VALUES in helm's output`);
    const text = readFileSync(c.valuesFile!, 'utf8');
    const layer = { name: c.valuesFile!, values: readValuesFile(text, c.valuesFile!), text };
    const ours = marshalYaml(explainValues(loadChart(c.chartDir), layer.values, [layer]).values);
    assert.equal(ours, `${computed[1]}\n`, `${c.chart}/${c.name}`);
  }
});

for (const g of GOLDEN_CASES) {
  test(`values --explain golden: ${g.chart}/${g.name}`, () => {
    assert.equal(explainCase(g), readFileSync(goldenPath(g), 'utf8'));
  });
}
void repoRoot;
