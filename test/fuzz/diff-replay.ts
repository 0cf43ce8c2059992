// Replays the findings of a long run (diff-run.ts's JSON) with the code as it is now: each input
// is compared with helm again, and what still differs is printed. Run:
//   npm run build && node dist/test/fuzz/diff-replay.js findings.json
import { readFileSync } from 'node:fs';
import { referenceTools } from '../support/tools.js';
import { compareCases, diffPool, emptyFigures, type DiffCase, type DiffFinding } from './differential.js';

const file = process.argv[2] ?? 'fuzz-diff-findings.json';
const { findings } = JSON.parse(readFileSync(file, 'utf8')) as { findings: DiffFinding[] };
const pool = diffPool();
const figures = emptyFigures();
try {
  const byKind = new Map<string, DiffCase[]>();
  for (const f of findings) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f.input]);
  for (const cases of byKind.values()) {
    await compareCases(cases, { helm: referenceTools().helm, pool, log: (l) => process.stdout.write(l + '\n') }, figures);
  }
} finally {
  await pool.close();
}
process.stdout.write(
  `${findings.length} findings replayed: equal ${figures.equal}, both refused ${figures.bothFailed}, classified ${JSON.stringify(figures.classified)}, ` +
    `still findings ${JSON.stringify(figures.findingClasses)}\n`,
);
