// The long fault run: node dist/test/chaos/run.js [--releases 200] [--kills 50] [--restarts 3] [--cuts 10] [--seed N]
// Prints the figures docs/reliability.md quotes, and exits 1 if any invariant broke.
import { parseArgs } from 'node:util';
import { runFaultSuite } from './fault-suite.js';

const { values } = parseArgs({
  options: {
    releases: { type: 'string', default: '200' },
    kills: { type: 'string', default: '50' },
    restarts: { type: 'string', default: '3' },
    cuts: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '4' },
    seed: { type: 'string', default: String(Date.now() % 100000) },
  },
});
const started = Date.now();
const report = await runFaultSuite({
  releases: Number(values.releases),
  kills: Number(values.kills),
  apiServerRestarts: Number(values.restarts),
  cuts: Number(values.cuts),
  concurrency: Number(values.concurrency),
  seed: Number(values.seed),
  progress: (line) => process.stderr.write(`[chaos] ${line}\n`),
});
const { operatorLog, ...figures } = report;
console.log(JSON.stringify({ seed: Number(values.seed), wallSeconds: Math.round((Date.now() - started) / 1000), ...figures }, null, 2));
if (report.violations.length) {
  console.error(`FAILED: ${report.violations.length} violations (operator log: ${operatorLog})`);
  process.exit(1);
}
