// The short run of the fuzz suite's comparison with the reference helm (in `npm test`): a few
// hundred fuzzed inputs of each kind, fixed seeds, our side in a render worker; every input where
// the engines disagree must be a classified difference. The long run is test/fuzz/diff-run.ts.
import assert from 'node:assert/strict';
import test from 'node:test';
import { referenceTools } from '../support/tools.js';
import { compareCases, diffPool, emptyFigures, generateCases, type DiffKind } from './differential.js';

const SHORT: [DiffKind, number][] = [['template', 240], ['values', 80], ['schema', 60], ['flags', 8]];

test('fuzz vs helm (short run): equal where helm renders, same error class where it refuses', async (t) => {
  const pool = diffPool();
  const figures = emptyFigures();
  try {
    for (const [kind, count] of SHORT) await compareCases(generateCases(kind, 15, count), { helm: referenceTools().helm, pool }, figures);
  } finally {
    await pool.close();
  }
  assert.equal(figures.inputs, 388);
  t.diagnostic(`${figures.helmRuns} helm runs: helm rendered ${figures.helmSucceeded} (equal ${figures.equal}), both refused ${figures.bothFailed}, classified ${JSON.stringify(figures.classified)}`);
  assert.ok(figures.equal >= 40, `only ${figures.equal} inputs rendered equal`);
  assert.ok(figures.bothFailed >= 200, `only ${figures.bothFailed} inputs refused by both`);
  assert.deepEqual(figures.findings.map((f) => `${f.kind}-${f.seed}-${f.index}: ${f.class}\n  helm: ${f.helm}\n  ours: ${f.ours}`), []);
});

test('fuzz vs helm: a planted difference is found (output changed, refusal turned into output)', async () => {
  const pool = diffPool();
  const figures = emptyFigures();
  try {
    await compareCases(generateCases('template', 16, 24), {
      helm: referenceTools().helm,
      pool,
      perturb: (c, ours) => {
        if (c.index % 4 === 0 && ours.output !== null) return { output: `${ours.output}.`, error: null };
        if (c.index % 4 === 1 && ours.error !== null) return { output: '', error: null };
        return ours;
      },
    }, figures);
  } finally {
    await pool.close();
  }
  assert.ok((figures.findingClasses['output differs'] ?? 0) > 0, JSON.stringify(figures.findingClasses));
  assert.ok(Object.keys(figures.findingClasses).some((k) => k.startsWith('helm refuses')), JSON.stringify(figures.findingClasses));
  assert.equal(figures.different, figures.findingClasses['output differs']);
});
