#!/usr/bin/env node
// node dist/src/devcluster/cli.js            build (cached), start a control plane, print how to use it, run until Ctrl-C
// node dist/src/devcluster/cli.js --time     measure build (or cache lookup), start and stop times, then exit
// node dist/src/devcluster/cli.js --build    only build (or find in the cache) and print the binary directory
// Add --force to rebuild the binaries even if cached, --json to print the --time figures as JSON.
import { buildControlPlane } from './build.js';
import { describeControlPlane, startControlPlane, stopOnSignals } from './start.js';

const args = new Set(process.argv.slice(2));
const log = (line: string) => process.stderr.write(line + '\n');
const seconds = (ms: number) => (ms / 1000).toFixed(1) + 's';

async function main(): Promise<void> {
  const t0 = performance.now();
  const binaries = await buildControlPlane({ force: args.has('--force') });
  const built = performance.now();
  if (args.has('--build')) {
    log(`binaries ready in ${seconds(built - t0)}`);
    process.stdout.write(binaries.dir + '\n');
    return;
  }
  const cp = await startControlPlane({ binaries, progress: log });
  const started = performance.now();
  if (args.has('--time')) {
    await cp.stop();
    const stopped = performance.now();
    const figures = { buildMs: Math.round(built - t0), startMs: Math.round(started - built), stopMs: Math.round(stopped - started), totalMs: Math.round(stopped - t0) };
    if (args.has('--json')) process.stdout.write(JSON.stringify(figures) + '\n');
    else
      process.stdout.write(
        `build or cache lookup: ${seconds(figures.buildMs)}\nstart (etcd + kube-apiserver ready): ${seconds(figures.startMs)}\n` +
          `stop: ${seconds(figures.stopMs)}\ntotal: ${seconds(figures.totalMs)}\n`,
      );
    return;
  }
  stopOnSignals(cp, () => {
    log('\nstopping the control plane');
  });
  process.stdout.write(`\ncontrol plane ready in ${seconds(started - t0)}\n${describeControlPlane(cp, process.env.CHARTRELEASE_KUBECTL ?? 'kubectl')}\n\nCtrl-C stops it.\n`);
  setInterval(() => {}, 1 << 30); // keep running until a signal stops the control plane
}

main().catch((err: unknown) => {
  log(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
