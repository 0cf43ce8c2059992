// values.schema.json against helm's recorded errors (test/golden/schema-snippets.json): whether the
// values pass, and every "causing reference cycle" failure with the value it is at, word for word.
// Where the whole error text matches too (most snippets), it is compared whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadChart } from '../../src/chart/index.js';
import { validateValues } from '../../src/chart/values/schema.js';
import { readExpectations, writeSnippetChart } from '../support/helm-snippets.js';
import { repoRoot } from '../support/paths.js';
import { snippets } from './schema-snippets.js';

const expectations = readExpectations(join(repoRoot, 'test/golden/schema-snippets.json'));

/** Error trees whose nesting still differs from helm's (ajv reports no allOf node, and loses nesting across $ref). */
const TREE_DIFFERS = new Set(['schema-allof-root', 'schema-defs-mutual-anyof', 'schema-defs-allof-oneof', 'schema-anchor', 'schema-two-entries']);

const cycleLines = (text: string): string[] => text.split('\n').filter((l) => l.includes('causing reference cycle')).map((l) => l.trim()).sort();

test('every schema snippet has a recorded helm expectation', () => {
  const missing = snippets.filter((s) => !expectations.has(s.id)).map((s) => s.id);
  assert.deepEqual(missing, [], 're-record with: node dist/test/support/record-snippets.js schema');
});

const work = mkdtempSync(join(tmpdir(), 'chartrelease-schema-snippets-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

for (const s of snippets) {
  test(`snippet ${s.id}`, () => {
    const want = expectations.get(s.id);
    if (want === undefined) return;
    const dir = join(work, s.id);
    writeSnippetChart(dir, s);
    const chart = loadChart(dir);
    let error: string | null = null;
    try {
      validateValues(chart, chart.values);
    } catch (e) {
      error = (e as Error).message;
    }
    const schema = s.files!['values.schema.json'];
    assert.equal(error === null, want.error === null, `schema ${schema}: ${error ?? want.error}`);
    if (error === null || want.error === null) return;
    assert.deepEqual(cycleLines(error), cycleLines(want.error), `schema ${schema}`);
    if (!TREE_DIFFERS.has(s.id)) assert.equal(error.trimEnd(), want.error.trimEnd(), `schema ${schema}`);
  });
}
