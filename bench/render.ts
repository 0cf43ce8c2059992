// Render benchmark over the real-chart corpus (../shared/corpus), in one run:
//   - `helm template` (the reference binary) and `chartrelease template` (bin/chartrelease.js, a new
//     node process each time, as CI runs it) on every case, timed wall-clock;
//   - the warm in-process render per chart (chart loaded once, renderChart repeated): what the
//     operator pays per reconcile.
// Prints per-chart times, the median ratio CLI/helm, and the median warm render time. Times are CPU
// time (user + system; /usr/bin/time for the processes, process.cpuUsage in-process), which stays
// meaningful on a shared machine; wall-clock medians are printed next to them.
// Usage: node dist/bench/render.js [--runs N] [--cli path/to/chartrelease.js] [chart-name ...]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadChart, readValuesFile } from '../src/chart/index.js';
import { renderChart } from '../src/render/index.js';
import { corpusCases, type CorpusCase } from '../test/support/corpus.js';
import { repoRoot } from '../test/support/paths.js';
import { referenceTools } from '../test/support/tools.js';
import { readFileSync } from 'node:fs';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface Timing {
  cpu: number;
  wall: number;
}

/** CPU and wall-clock milliseconds of one run of a process, measured by /usr/bin/time. */
function timeProcess(cmd: string, args: string[]): Timing {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S', cmd, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const last = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  if (last.length !== 3 || last.some((n) => !Number.isFinite(n))) throw new Error(`/usr/bin/time: unexpected output ${JSON.stringify(r.stderr.slice(-200))}`);
  return { wall: last[0]! * 1000, cpu: (last[1]! + last[2]!) * 1000 };
}

function medianTiming(ts: Timing[]): Timing {
  return { cpu: median(ts.map((t) => t.cpu)), wall: median(ts.map((t) => t.wall)) };
}

function caseArgs(c: CorpusCase): string[] {
  return ['template', 'release-name', c.chartDir, '--namespace', 'demo', '--kube-version', '1.31.0', ...(c.valuesFile ? ['-f', c.valuesFile] : [])];
}

/** Warm in-process render of a chart's default case: median over `runs` after two warm-up renders. */
function warmRender(c: CorpusCase, runs: number): number | null {
  const chart = loadChart(c.chartDir);
  const values = c.valuesFile ? readValuesFile(readFileSync(c.valuesFile, 'utf8'), c.valuesFile) : {};
  const render = () => renderChart(chart, { values, releaseName: 'release-name', namespace: 'demo', kubeVersion: '1.31.0' });
  try {
    render();
    render();
  } catch {
    return null; // a case that fails in helm too (required / fail)
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    render();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  return median(times);
}

function main(): void {
  const argv = process.argv.slice(2);
  let runs = 3;
  let cli = join(repoRoot, 'bin', 'chartrelease.js');
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') runs = Number(argv[++i]);
    else if (argv[i] === '--cli') cli = argv[++i]!;
    else only.push(argv[i]!);
  }
  const { helm } = referenceTools();
  const cases = corpusCases().filter((c) => only.length === 0 || only.includes(c.chart));
  const charts = [...new Set(cases.map((c) => c.chart))];
  const ratios: number[] = [];
  const wallRatios: number[] = [];
  const warmTimes: number[] = [];
  const rows: string[] = [];
  for (const chart of charts) {
    const mine = cases.filter((c) => c.chart === chart);
    const helmT: Timing[] = [];
    const oursT: Timing[] = [];
    for (const c of mine) {
      const h = medianTiming(Array.from({ length: runs }, () => timeProcess(helm, caseArgs(c))));
      const o = medianTiming(Array.from({ length: runs }, () => timeProcess(process.execPath, [cli, ...caseArgs(c)])));
      helmT.push(h);
      oursT.push(o);
      ratios.push(o.cpu / h.cpu);
      wallRatios.push(o.wall / h.wall);
    }
    const h = medianTiming(helmT);
    const o = medianTiming(oursT);
    const warm = warmRender(mine[0]!, Math.max(runs, 5));
    if (warm !== null) warmTimes.push(warm);
    rows.push(
      `| ${chart} | ${mine.length} | ${h.cpu.toFixed(0)} (${h.wall.toFixed(0)}) | ${o.cpu.toFixed(0)} (${o.wall.toFixed(0)}) | ${(o.cpu / h.cpu).toFixed(2)} | ${warm === null ? 'fails, as in helm' : warm.toFixed(1)} |`,
    );
    process.stderr.write(`${rows.at(-1)}\n`);
  }
  process.stdout.write(
    [
      `render benchmark: ${cases.length} cases of ${charts.length} charts, median of ${runs} runs each, node ${process.version}`,
      '',
      '| chart | cases | helm template, ms CPU (wall) | chartrelease template, ms CPU (wall) | ratio (CPU) | warm in-process render, ms CPU |',
      '|---|---|---|---|---|---|',
      ...rows,
      '',
      `median ratio chartrelease/helm per case, new process each: ${median(ratios).toFixed(2)} CPU, ${median(wallRatios).toFixed(2)} wall-clock`,
      `median warm in-process render per chart (default case): ${median(warmTimes).toFixed(1)} ms CPU`,
      '',
    ].join('\n'),
  );
}

main();
