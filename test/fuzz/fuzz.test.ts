// The short fuzz run of `npm test`: a few hundred inputs of each kind, fixed seeds, in a render
// worker with the sandbox's limits. The long run is test/fuzz/run.ts (docs/reliability.md).
import assert from 'node:assert/strict';
import test from 'node:test';
import { DEFAULT_RENDER_LIMITS, RenderPool } from '../../src/sandbox/index.js';
import { FUZZ_KINDS, type FuzzBatch, type Finding } from './batch.js';

const BATCH = new URL('./batch.js', import.meta.url).href;

test('fuzz (short run): no crash, no internal error, no hang, bounded memory, nothing outside the chart', async () => {
  const pool = new RenderPool({ limits: { ...DEFAULT_RENDER_LIMITS, timeoutMs: 120_000, maxHeapMiB: 512 }, size: 1 });
  try {
    const findings: Finding[] = [];
    for (const kind of FUZZ_KINDS) {
      const out = await pool.run<FuzzBatch, { inputs: number; findings: Finding[] }>({ module: BATCH, fn: 'fuzzBatch', input: { kind, seed: 15, count: 120 }, label: `fuzz ${kind}` });
      assert.equal(out.inputs, 120);
      findings.push(...out.findings);
    }
    assert.deepEqual(findings, []);
  } finally {
    await pool.close();
  }
});
