// Render benchmark over the real-chart corpus (../shared/corpus), in one run:
//   - `helm template` (the reference binary) and `chartrelease template` (bin/chartrelease.js, a new
//     node process each time, as CI runs it) on every case, in pairs (helm, then ours, `--runs` times),
//     so that a machine whose speed drifts during the run moves both sides of each ratio alike;
//   - the warm in-process render per chart (chart loaded once, renderChart repeated): what the
//     operator pays per reconcile.
// Prints per-chart times and, per case, the median of the paired ratios CLI/helm of wall-clock time
// (what the goal counts) and of CPU time (user + system from /usr/bin/time, in steps of 10 ms;
// process.cpuUsage in-process), then their medians over all cases and the median warm render time.
// Usage: node dist/bench/render.js [--runs N] [--cli path/to/chartrelease.js] [chart-name ...]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { loadChart, readValuesFile } from '../src/chart/index.js';
import { renderChart } from '../src/render/index.js';
import { corpusCases, type CorpusCase } from '../test/support/corpus.js';
import { repoRoot } from '../test/support/paths.js';
import { referenceTools } from '../test/support/tools.js';
import { readFileSync } from 'node:fs';
import { freshBundle } from '../src/sandbox/bundle.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface Timing {
  cpu: number;
  wall: number;
}

/** CPU (from /usr/bin/time) and wall-clock (measured here) milliseconds of one run of a process. */
function timeProcess(cmd: string, args: string[]): Timing {
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', cmd, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const last = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  if (last.length !== 2 || last.some((n) => !Number.isFinite(n))) throw new Error(`/usr/bin/time: unexpected output ${JSON.stringify(r.stderr.slice(-200))}`);
  return { wall, cpu: (last[0]! + last[1]!) * 1000 };
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

/** Whether `chartrelease template` will render with its bundle (src/sandbox/bundle.ts) or with the modules. */
function bundleState(cli: string): string {
  const dir = join(dirname(cli), '..', 'dist', 'src', 'cli', 'bundle');
  return freshBundle(dir, 'template-run') ? 'is used' : `is missing or stale (${dir}): run npm run build`;
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
  // An empty Node process (`node -e 0`) paired with each helm run: the floor any command on Node starts from.
  const floorRatios: number[] = [];
  const floorWallRatios: number[] = [];
  const rows: string[] = [];
  for (const chart of charts) {
    const mine = cases.filter((c) => c.chart === chart);
    const helmT: Timing[] = [];
    const oursT: Timing[] = [];
    const caseWallRatios: number[] = [];
    const caseRatios: number[] = [];
    for (const c of mine) {
      const hs: Timing[] = [];
      const os: Timing[] = [];
      const fs: Timing[] = [];
      for (let i = 0; i < runs; i++) {
        hs.push(timeProcess(helm, caseArgs(c)));
        os.push(timeProcess(process.execPath, [cli, ...caseArgs(c)]));
        fs.push(timeProcess(process.execPath, ['-e', '0']));
      }
      floorRatios.push(median(fs.map((f, i) => f.cpu / Math.max(hs[i]!.cpu, 10))));
      floorWallRatios.push(median(fs.map((f, i) => f.wall / hs[i]!.wall)));
      helmT.push(medianTiming(hs));
      oursT.push(medianTiming(os));
      caseRatios.push(median(os.map((o, i) => o.cpu / Math.max(hs[i]!.cpu, 10))));
      caseWallRatios.push(median(os.map((o, i) => o.wall / hs[i]!.wall)));
    }
    ratios.push(...caseRatios);
    wallRatios.push(...caseWallRatios);
    const h = medianTiming(helmT);
    const o = medianTiming(oursT);
    const warm = warmRender(mine[0]!, Math.max(runs, 5));
    if (warm !== null) warmTimes.push(warm);
    rows.push(
      `| ${chart} | ${mine.length} | ${h.wall.toFixed(0)} (${h.cpu.toFixed(0)}) | ${o.wall.toFixed(0)} (${o.cpu.toFixed(0)}) | ${median(caseWallRatios).toFixed(2)} (${median(caseRatios).toFixed(2)}) | ${warm === null ? 'fails, as in helm' : warm.toFixed(1)} |`,
    );
    process.stderr.write(`${rows.at(-1)}\n`);
  }
  process.stdout.write(
    [
      `render benchmark: ${cases.length} cases of ${charts.length} charts, ${runs} paired runs each, node ${process.version}`,
      `environment: NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? 'set (node reads that file at every start)' : 'not set'}; the CLI's render bundle ${bundleState(cli)}`,
      '',
      '| chart | cases | helm template, ms wall (CPU) | chartrelease template, ms wall (CPU) | ratio wall (CPU) | warm in-process render, ms CPU |',
      '|---|---|---|---|---|---|',
      ...rows,
      '',
      `median ratio chartrelease/helm per case, new process each: ${median(wallRatios).toFixed(2)} wall-clock, ${median(ratios).toFixed(2)} CPU`,
      `median warm in-process render per chart (default case): ${median(warmTimes).toFixed(1)} ms CPU`,
      `median ratio of an empty node process (node -e 0, same environment) to helm per case: ${median(floorWallRatios).toFixed(2)} wall-clock, ${median(floorRatios).toFixed(2)} CPU`,
      '',
    ].join('\n'),
  );
}

main();
