// The long run of the fuzz suite's comparison with the reference helm: rounds of fuzzed inputs of
// every kind (new seeds each round) until N inputs, our side in one render worker, helm batched
// (differential.ts). Figures and findings (each with kind, seed and index: generateCases(kind,
// seed, count)[index] replays it, its chart is chartOf([case])) go to the JSON file named by the
// second argument. Run:
//   npm run build && nice node dist/test/fuzz/diff-run.js [inputs] [findings.json] [first-seed]
import { writeFileSync } from 'node:fs';
import { referenceTools } from '../support/tools.js';
import { compareCases, diffPool, emptyFigures, generateCases, type DiffKind } from './differential.js';

const total = Number(process.argv[2] ?? 100_000);
const out = process.argv[3] ?? 'fuzz-diff-findings.json';
const firstSeed = Number(process.argv[4] ?? 1000);
/** One round: inputs of each kind (flags cost one helm run each, so fewer of them). */
const ROUND: [DiffKind, number][] = [['template', 1000], ['values', 300], ['schema', 300], ['flags', 8]];

const helm = referenceTools().helm;
const pool = diffPool();
const figures = emptyFigures();
const started = Date.now();
const save = () => writeFileSync(out, JSON.stringify({ seconds: Math.round((Date.now() - started) / 1000), firstSeed, ...figures }, null, 1));
const line = () =>
  `${figures.inputs} inputs (${Object.entries(figures.perKind).map(([k, n]) => `${k} ${n}`).join(', ')}), ${figures.helmRuns} helm runs, ` +
  `helm rendered ${figures.helmSucceeded} (equal ${figures.equal}, different ${figures.different}), both refused ${figures.bothFailed} ` +
  `(same text ${figures.bothFailedSameText}), classified ${JSON.stringify(figures.classified)}, findings ${JSON.stringify(figures.findingClasses)}, ${Math.round((Date.now() - started) / 1000)} s`;
try {
  for (let seed = firstSeed; figures.inputs < total; seed++) {
    for (const [kind, count] of ROUND) {
      if (figures.inputs >= total) break;
      await compareCases(generateCases(kind, seed, Math.min(count, total - figures.inputs)), { helm, pool, log: (l) => process.stdout.write(l + '\n') }, figures);
    }
    save();
    process.stdout.write(`seed ${seed}: ${line()}\n`);
  }
} finally {
  await pool.close();
}
save();
process.stdout.write(`done: ${line()}\n`);
