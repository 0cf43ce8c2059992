// Writes the `values --explain` goldens: node dist/test/provenance/record-values-goldens.js
// (review the diff before committing: the goldens are what the test holds the output to).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { explainCase, GOLDEN_CASES, goldenPath } from './values-goldens.js';

for (const g of GOLDEN_CASES) {
  mkdirSync(dirname(goldenPath(g)), { recursive: true });
  writeFileSync(goldenPath(g), explainCase(g));
  console.log(`wrote ${goldenPath(g)}`);
}
