// The Sprig functions against helm's recorded output (test/golden/sprig-snippets.json): every
// snippet's NOTES.txt is executed by our engine with sprigFuncs() and compared byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readExpectations } from '../support/helm-snippets.js';
import { repoRoot } from '../support/paths.js';
import { renderSprigSnippet, snippetFuncs as funcs } from './render-sprig-snippet.js';
import { snippets } from './sprig-snippets.js';

/** Sprig functions Helm replaces with its own (tested with the render layer, not here). */
const replacedByHelm = new Set(['fail', 'fromJson']);

test('every Sprig function is exercised by at least one snippet', () => {
  const text = snippets.map((s) => s.template).join('\n');
  const untested = Object.keys(funcs).filter((n) => !replacedByHelm.has(n) && !new RegExp(`(^|[^\\w.$])${n}($|[^\\w])`).test(text));
  assert.deepEqual(untested, []);
});

const expectations = readExpectations(join(repoRoot, 'test/golden/sprig-snippets.json'));

test('every Sprig snippet has a recorded helm expectation', () => {
  const missing = snippets.filter((s) => !expectations.has(s.id)).map((s) => s.id);
  assert.deepEqual(missing, [], 're-record with: node dist/test/support/record-snippets.js sprig');
});

for (const s of snippets) {
  test(`snippet ${s.id}`, () => {
    const want = expectations.get(s.id);
    if (want === undefined) return;
    assert.deepEqual(renderSprigSnippet(s), { output: want.output, error: want.error }, `template: ${JSON.stringify(s.template)}`);
  });
}
