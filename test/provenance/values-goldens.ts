// The corpus cases whose `values --explain` output is kept as a golden file, and how it is produced:
// the annotated values, then the warnings. Paths are shown relative to the corpus so goldens do not
// depend on where the repository lives.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadChart, readValuesFile } from '../../src/chart/index.js';
import { annotatedYaml, explainValues, warningLines } from '../../src/provenance/index.js';
import { corpusDir, repoRoot } from '../support/paths.js';

export interface GoldenCase {
  chart: string;
  name: string;
}

export const GOLDEN_CASES: GoldenCase[] = [
  { chart: 'bitnami-redis', name: 'sentinel-metrics' },
  { chart: 'grafana', name: 'ingress-persistence' },
  { chart: 'ingress-nginx', name: 'hpa-internal-tcp' },
  { chart: 'bitnami-kafka', name: 'sasl' },
  { chart: 'prometheus-blackbox-exporter', name: 'daemonset' },
];

export const goldenPath = (g: GoldenCase) => join(repoRoot, 'test', 'golden', 'values-explain', `${g.chart}.${g.name}.txt`);

export function explainCase(g: GoldenCase): string {
  const chartDir = join(corpusDir, g.chart, 'chart');
  const file = join(corpusDir, g.chart, 'cases', `${g.name}.values.yaml`);
  const name = relative(corpusDir, file);
  const text = readFileSync(file, 'utf8');
  const layer = { name, values: readValuesFile(text, name), text };
  const explained = explainValues(loadChart(chartDir), layer.values, [layer]);
  return `${annotatedYaml(explained.values, explained.leaves)}---\n${warningLines(explained.warnings)}`;
}
