// What the corpus needs of the render limits (src/sandbox/limits.ts): every case of
// /work/shared/corpus rendered through the render sandbox exactly as `chartrelease template` runs it,
// with a heap ceiling of a quarter of the default, printing the slowest render, the largest output
// and the largest chart (files, unpacked bytes, largest file). Run:
//   npm run build && node dist/bench/render-limits.js [corpus-dir]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RENDER_LIMITS, RenderPool } from '../src/sandbox/index.js';
import type { TemplateJobInput, TemplateJobOutput } from '../src/cli/template-run.js';

const corpus = process.argv[2] ?? '/work/shared/corpus';
const heapMiB = DEFAULT_RENDER_LIMITS.maxHeapMiB / 4;
const pool = new RenderPool({ limits: { ...DEFAULT_RENDER_LIMITS, maxHeapMiB: heapMiB }, size: 1 });
const job = new URL('../src/cli/template-run.js', import.meta.url).href;

function walk(dir: string): { files: number; bytes: number; largest: number } {
  let files = 0;
  let bytes = 0;
  let largest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const sub = walk(p);
      files += sub.files;
      bytes += sub.bytes;
      largest = Math.max(largest, sub.largest);
    } else {
      const size = statSync(p).size;
      files++;
      bytes += size;
      largest = Math.max(largest, size);
    }
  }
  return { files, bytes, largest };
}

let cases = 0;
let failed = 0;
let slowest = { ms: 0, name: '' };
let biggest = { chars: 0, name: '' };
let chartMax = { files: 0, bytes: 0, largest: 0 };
for (const name of readdirSync(corpus).sort()) {
  const chart = join(corpus, name, 'chart');
  try {
    if (!statSync(chart).isDirectory()) continue;
  } catch {
    continue;
  }
  const size = walk(chart);
  chartMax = { files: Math.max(chartMax.files, size.files), bytes: Math.max(chartMax.bytes, size.bytes), largest: Math.max(chartMax.largest, size.largest) };
  const overlays = readdirSync(join(corpus, name, 'cases')).filter((f) => f.endsWith('.values.yaml'));
  for (const overlay of [undefined, ...overlays]) {
    const args = ['release-name', chart, '--namespace', 'demo', '--kube-version', '1.31.0', ...(overlay ? ['-f', join(corpus, name, 'cases', overlay)] : [])];
    const started = performance.now();
    const out = await pool.run<TemplateJobInput, TemplateJobOutput>({ module: job, fn: 'templateJob', input: { args, maxOutputBytes: DEFAULT_RENDER_LIMITS.maxOutputBytes }, label: name });
    const ms = performance.now() - started;
    cases++;
    if (out.code !== 0) failed++;
    const label = `${name}/${overlay?.replace('.values.yaml', '') ?? 'default'}`;
    if (ms > slowest.ms) slowest = { ms, name: label };
    if (out.stdout.length > biggest.chars) biggest = { chars: out.stdout.length, name: label };
  }
}
await pool.close();
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MiB`;
process.stdout.write(`cases rendered:        ${cases} (${failed} ended in the chart's own error, as in helm) with a ${heapMiB} MiB heap ceiling\n`);
process.stdout.write(`slowest render:        ${slowest.ms.toFixed(0)} ms (${slowest.name}); limit ${DEFAULT_RENDER_LIMITS.timeoutMs / 1000} s\n`);
process.stdout.write(`largest output:        ${mib(biggest.chars)} (${biggest.name}); limit ${mib(DEFAULT_RENDER_LIMITS.maxOutputBytes)}\n`);
process.stdout.write(`largest chart:         ${chartMax.files} files, ${mib(chartMax.bytes)} unpacked, largest file ${mib(chartMax.largest)}; limits 10000 files, 100 MiB, 5 MiB\n`);
