// The template language against helm's recorded output (test/golden/template-snippets.json),
// each snippet rendered by render-template-snippet.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readExpectations } from '../support/helm-snippets.js';
import { repoRoot } from '../support/paths.js';
import { renderSnippet } from './render-template-snippet.js';
import { snippets } from './template-snippets.js';

const expectations = readExpectations(join(repoRoot, 'test/golden/template-snippets.json'));

test('every snippet has a recorded helm expectation', () => {
  const missing = snippets.filter((s) => !expectations.has(s.id)).map((s) => s.id);
  assert.deepEqual(missing, [], 're-record with: node dist/test/support/record-snippets.js template');
});

for (const s of snippets) {
  test(`snippet ${s.id}`, () => {
    const want = expectations.get(s.id);
    if (want === undefined) return;
    const got = renderSnippet(s);
    assert.deepEqual(got, { output: want.output, error: want.error }, `template: ${JSON.stringify(s.template)}`);
  });
}
