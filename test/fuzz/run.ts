// The long fuzz run: batches of every kind in turn, new seeds each time, in one render worker (one
// core) with the sandbox's limits, until N inputs (default 1,000,000). Findings (with seed and index
// to replay them) go to the JSON file named by the second argument; a third names the kinds to run
// (comma-separated, default all). Run:
//   npm run build && nice node dist/test/fuzz/run.js [inputs] [findings.json] [schema,yaml,...]
import { writeFileSync } from 'node:fs';
import { DEFAULT_RENDER_LIMITS, RenderLimitError, RenderPool } from '../../src/sandbox/index.js';
import { FUZZ_KINDS, type Finding, type FuzzBatch, type FuzzKind } from './batch.js';

const total = Number(process.argv[2] ?? 1_000_000);
const out = process.argv[3] ?? 'fuzz-findings.json';
const kinds = process.argv[4] ? (process.argv[4].split(',') as FuzzKind[]) : FUZZ_KINDS;
if (kinds.some((k) => !FUZZ_KINDS.includes(k))) throw new Error(`kinds are ${FUZZ_KINDS.join(', ')}`);
const BATCH = new URL('./batch.js', import.meta.url).href;
const pool = new RenderPool({ limits: { ...DEFAULT_RENDER_LIMITS, timeoutMs: 120_000, maxHeapMiB: 512 }, size: 1 });
const findings: (Finding | { kind: string; seed: number; problem: string })[] = [];
const perKind = new Map<string, number>();
let done = 0;
const started = Date.now();
for (let seed = 1; done < total; seed++) {
  for (const kind of kinds) {
    if (done >= total) break;
    const count = Math.min(1000, total - done);
    try {
      const r = await pool.run<FuzzBatch, { inputs: number; findings: Finding[] }>({ module: BATCH, fn: 'fuzzBatch', input: { kind, seed, count }, label: `fuzz ${kind} seed ${seed}` });
      findings.push(...r.findings);
    } catch (err) {
      // A batch that hit the deadline or the heap ceiling is a finding too (replay it input by input).
      if (!(err instanceof RenderLimitError)) throw err;
      findings.push({ kind, seed, problem: err.message });
    }
    done += count;
    perKind.set(kind, (perKind.get(kind) ?? 0) + count);
  }
  if (seed % 20 === 0) {
    writeFileSync(out, JSON.stringify({ inputs: done, perKind: Object.fromEntries(perKind), seconds: Math.round((Date.now() - started) / 1000), findings }, null, 1));
    process.stdout.write(`${done} inputs, ${findings.length} findings, ${Math.round((Date.now() - started) / 1000)} s\n`);
  }
}
await pool.close();
writeFileSync(out, JSON.stringify({ inputs: done, perKind: Object.fromEntries(perKind), seconds: Math.round((Date.now() - started) / 1000), findings }, null, 1));
process.stdout.write(`done: ${done} inputs (${[...perKind].map(([k, n]) => `${k} ${n}`).join(', ')}), ${findings.length} findings, ${Math.round((Date.now() - started) / 1000)} s\n`);
