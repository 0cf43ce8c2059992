// The short fault run inside `npm test` (the long one: node dist/test/chaos/run.js, see docs/reliability.md).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runFaultSuite } from './fault-suite.js';

test('faults: SIGKILLs of the operator, an apiserver restart and cut connections leave every release Ready with consistent records', { timeout: 600_000 }, async (t) => {
  const seed = Number(process.env.CHARTRELEASE_CHAOS_SEED ?? 7);
  const report = await runFaultSuite({ releases: 20, kills: 8, apiServerRestarts: 1, cuts: 2, seed, progress: (line) => t.diagnostic(line) });
  t.diagnostic(`seed ${seed}: ${report.revisionsRecorded} revisions recorded, ${report.valueChanges} value changes, converged in ${report.convergeSeconds.toFixed(1)} s, change after an outage seen in ${report.pickupAfterOutageMs} ms, reconciled in ${report.reconciledAfterOutageMs} ms`);
  if (report.violations.length) {
    const log = readFileSync(report.operatorLog, 'utf8').split('\n').slice(-40).join('\n');
    assert.fail(`${report.violations.join('\n')}\n(seed ${seed}; last operator log lines:)\n${log}`);
  }
});
