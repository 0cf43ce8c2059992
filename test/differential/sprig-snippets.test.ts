// The Sprig functions against helm's recorded output (test/golden/sprig-snippets.json): every
// snippet's NOTES.txt is executed by our engine with sprigFuncs() and compared byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { formatHelmError } from '../../src/render/helm-errors.js';
import { TemplateSet, defineNamedType, goStringToBytes, int, int64, withGoType, type GoMap, type GoValue } from '../../src/template/index.js';
import { sprigFuncs, systemDateEnvironment } from '../../src/template/funcs/index.js';
import { readExpectations, NOTES_PATH, type Snippet } from '../support/helm-snippets.js';
import { repoRoot } from '../support/paths.js';
import { snippets } from './sprig-snippets.js';

defineNamedType('common.Values', 'map[string]interface {}');

// The recording ran helm with the machine's zone, UTC; the clock is the real one (only shapes of
// `now` are compared).
const funcs = sprigFuncs({ dates: { ...systemDateEnvironment(), localZone: 'UTC' } });

function applySet(values: GoMap, set: readonly string[]): void {
  for (const kv of set) {
    const [k, v] = kv.split('=') as [string, string];
    values[k] = v === '0' || /^[1-9][0-9]*$/.test(v) ? int64(Number(v)) : v;
  }
}

function renderSnippet(s: Snippet): { output: string | null; error: string | null } {
  const set = new TemplateSet(funcs, { name: 'gotpl' });
  const values: GoMap = s.values ? (JSON.parse(s.values) as GoMap) : {};
  applySet(values, s.set ?? []);
  const root = withGoType({
    Values: withGoType(values, 'common.Values'),
    Release: { Name: 'rel', Namespace: 'default', IsInstall: true, IsUpgrade: false, Revision: int(1), Service: 'Helm' },
    Template: withGoType({ Name: NOTES_PATH, BasePath: 'c/templates' }, 'common.Values'),
  } as GoMap, 'common.Values') as GoValue;
  try {
    set.parse(NOTES_PATH, s.template);
    const out = set.execute(NOTES_PATH, root).replaceAll('<no value>', '');
    // helm's JSON release output replaces bytes that are not UTF-8 with U+FFFD; do the same.
    return { output: Buffer.from(goStringToBytes(out)).toString('utf8'), error: null };
  } catch (e) {
    return { output: null, error: formatHelmError(e) };
  }
}

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

/**
 * Snippets that fail because of the value model, not of the functions: a GoInt holds a JavaScript
 * number, so int64 values beyond 2^53 lose digits. Remove the entry when the model keeps them.
 */
const valueModelGaps: Record<string, string> = {
  'sprig-cast': 'GoInt is a number: int64 -9223372036854775808 prints as -9223372036854776000',
};

for (const s of snippets) {
  test(`snippet ${s.id}`, { todo: valueModelGaps[s.id] }, () => {
    const want = expectations.get(s.id);
    if (want === undefined) return;
    assert.deepEqual(renderSnippet(s), { output: want.output, error: want.error }, `template: ${JSON.stringify(s.template)}`);
  });
}
