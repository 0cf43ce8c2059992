// YAML throughput over the real-chart corpus (../shared/corpus): every values file and every
// document helm rendered. Prints CPU-time megabytes per second and, as the comparable figure on a
// shared machine, the ratio to the `yaml` package doing its own parse / stringify of the same input
// (our layer adds go-yaml typing, merge keys, error texts and the go-yaml emitter on top).
// Run: npx tsc -p tsconfig.json && node dist/bench/goyaml.js [rounds]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { ManifestHeadCache, parseManifestHead, parseYaml, splitManifests, toYaml } from '../src/goyaml/index.js';
import { corpusDir } from '../test/support/paths.js';

function cpuMs(fn: () => void, rounds: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < rounds; i++) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / rounds;
}

function corpusTexts(): { values: string[]; manifests: string[] } {
  const values: string[] = [];
  const manifests: string[] = [];
  for (const chart of readdirSync(corpusDir).sort()) {
    const file = join(corpusDir, chart, 'chart', 'values.yaml');
    if (existsSync(file)) values.push(readFileSync(file, 'utf8'));
    const expected = join(corpusDir, chart, 'expected');
    if (!existsSync(expected)) continue;
    for (const f of readdirSync(expected).filter((f) => f.endsWith('.yaml'))) manifests.push(...splitManifests(readFileSync(join(expected, f), 'utf8')));
  }
  return { values, manifests };
}

function main(): void {
  const rounds = Number(process.argv[2] ?? 3);
  const { values, manifests } = corpusTexts();
  const mb = (texts: string[]) => texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1e6;
  const libOptions = { version: '1.1', schema: 'failsafe', merge: false, uniqueKeys: false } as const;
  const parsed = values.map((t) => parseYaml(t));
  const plain = values.map((t) => parseAllDocuments(t, libOptions));

  const rows: [string, number, number, number][] = [];
  const measure = (name: string, size: number, ours: () => void, lib: () => void) => {
    lib(); // warm up both
    ours();
    const oursMs = cpuMs(ours, rounds);
    const libMs = cpuMs(lib, rounds);
    rows.push([name, size, oursMs, libMs]);
  };
  measure('parseYaml (values files)', mb(values), () => values.forEach((t) => parseYaml(t)), () => values.forEach((t) => parseAllDocuments(t, libOptions)));
  measure('parseManifestHead (rendered docs)', mb(manifests), () => manifests.forEach((d) => parseManifestHead(d)), () => manifests.forEach((d) => parseAllDocuments(d, libOptions)));
  const cache = new ManifestHeadCache();
  manifests.forEach((d) => cache.read(d));
  measure('ManifestHeadCache.read, documents seen', mb(manifests), () => manifests.forEach((d) => cache.read(d)), () => manifests.forEach((d) => parseAllDocuments(d, libOptions)));
  const yamlOut = mb(parsed.map((v) => toYaml(v)));
  measure('toYaml (values)', yamlOut, () => parsed.forEach((v) => toYaml(v)), () => plain.forEach((d) => (Array.isArray(d) ? d.forEach((x) => stringify(x)) : undefined)));

  console.log(`corpus: ${values.length} values files, ${manifests.length} rendered documents; ${rounds} rounds, CPU time`);
  for (const [name, size, ours, lib] of rows) {
    console.log(`${name.padEnd(40)} ${size.toFixed(1).padStart(5)} MB  ${(size / (ours / 1000)).toFixed(1).padStart(6)} MB/s  ${(ours / lib).toFixed(3)}x the yaml package`);
  }
}

main();
