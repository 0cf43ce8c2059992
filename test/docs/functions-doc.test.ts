// docs/functions.md must list exactly the functions a chart can call (Sprig's as Helm keeps them,
// Helm's own, and the two Helm removes), each with a status, none "not implemented".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { helmFuncs } from '../../src/render/funcs.js';
import { TemplateSet } from '../../src/template/index.js';
import { namesRemovedByHelm, sprigFuncs } from '../../src/template/funcs/index.js';
import { repoRoot } from '../support/paths.js';

const doc = readFileSync(join(repoRoot, 'docs/functions.md'), 'utf8');
const rows = [...doc.matchAll(/^\| `([A-Za-z0-9_]+)` \|(.*)\|$/gm)].map((m) => ({ name: m[1]!, rest: m[2]! }));

test('docs/functions.md lists every function with a status', () => {
  const documented = new Set(rows.map((r) => r.name));
  const callable = [...Object.keys(helmFuncs(new TemplateSet(), () => undefined)), ...namesRemovedByHelm];
  assert.deepEqual(callable.filter((n) => !documented.has(n)), [], 'functions missing from docs/functions.md');
  assert.deepEqual([...documented].filter((n) => !callable.includes(n)), [], 'documented functions that do not exist');
  for (const name of Object.keys(sprigFuncs())) assert.ok(rows.some((r) => r.name === name && /helm-diff|unit/.test(r.rest)), name);
  assert.doesNotMatch(doc, /not implemented/i);
});
