// Every case of the real-chart corpus, rendered in-process through the `chartrelease template`
// command exactly as helm was run:
//   helm template release-name <chart> --namespace demo --kube-version 1.31.0 [-f cases/<case>.values.yaml]
// and compared with helm's output byte for byte (non-deterministic cases: only random tokens of the
// same shape may differ, in no more lines than between two helm runs). Standard error must be
// helm's too: its warnings, and for the two failing cases its error text.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { main, type CliIO } from '../src/cli/index.js';
import { compareOutput, corpusCases } from './support/corpus.js';

async function runCli(args: string[]): Promise<{ stdout: string; stderr: string; rc: number; ms: number }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readFile: (p) => readFileSync(p),
    env: {},
  };
  const start = performance.now();
  const rc = await main(args, io);
  return { stdout, stderr, rc, ms: performance.now() - start };
}

const summary: string[] = [];
let passed = 0;
let masked = 0;
const cases = corpusCases();

after(() => {
  process.stdout.write(`corpus: ${passed}/${cases.length} cases equal to helm 4.1.4's output (${masked} of them with random values masked)\n${summary.join('\n')}\n`);
});

describe('corpus: chartrelease template equals helm template', () => {
  for (const c of cases) {
    test(`${c.chart}/${c.name}`, async () => {
      const args = ['template', 'release-name', c.chartDir, '--namespace', 'demo', '--kube-version', '1.31.0', ...(c.valuesFile ? ['-f', c.valuesFile] : [])];
      const r = await runCli(args);
      let verdict: string;
      try {
        assert.equal(r.rc, c.expectedRc, `exit code; stderr: ${r.stderr.slice(0, 2000)}`);
        // Warnings (coalescing conflicts, deprecated charts) and errors as helm printed them.
        assert.equal(r.stderr, c.expectedStderr, 'stderr');
        const cmp = compareOutput(c.expectedStdout, r.stdout, c.deterministic, c.diffLines);
        assert.ok(cmp.ok, `output differs (${cmp.differingLines} lines), first at line ${cmp.firstDifference?.line}:\n  helm: ${cmp.firstDifference?.expected.slice(0, 300)}\n  ours: ${cmp.firstDifference?.actual.slice(0, 300)}`);
        verdict = `ok    ${c.chart}/${c.name} (${r.ms.toFixed(0)} ms${c.deterministic ? '' : ', random values masked'})`;
        passed++;
        if (!c.deterministic) masked++;
      } catch (err) {
        verdict = `FAIL  ${c.chart}/${c.name}: ${(err as Error).message.split('\n').slice(0, 3).join(' | ').slice(0, 300)}`;
        summary.push(verdict);
        throw err;
      }
      summary.push(verdict);
    });
  }
});
