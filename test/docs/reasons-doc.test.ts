// docs/operator.md must name every condition reason the operator sets: the literal reasons of its
// StalledError/RetryableError and outcomes, and `<Step>Failed` for every step classifyError names.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/paths.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

test('docs/operator.md documents every reason the operator sets', () => {
  const doc = readFileSync(join(repoRoot, 'docs', 'operator.md'), 'utf8');
  const reasons = new Set<string>();
  for (const file of sources(join(repoRoot, 'src', 'controller'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/new (?:Stalled|Retryable)Error\(\s*'([A-Za-z]+)'/g)) reasons.add(m[1]!);
    for (const m of text.matchAll(/reason: '([A-Z][A-Za-z]+)'/g)) reasons.add(m[1]!);
    for (const m of text.matchAll(/classifyError\([^,()]+, '([A-Z][A-Za-z]+)'\)/g)) reasons.add(`${m[1]}Failed`);
  }
  const stepName = /function stepName[\s\S]*?\n}/.exec(readFileSync(join(repoRoot, 'src', 'controller', 'reconciler.ts'), 'utf8'))?.[0] ?? '';
  for (const m of stepName.matchAll(/'([A-Z][a-z]+)'/g)) reasons.add(`${m[1]}Failed`);
  assert.ok(reasons.size > 20, `found ${reasons.size} reasons`);
  assert.deepEqual([...reasons].filter((r) => !doc.includes(`\`${r}\``)).sort(), [], 'reasons missing from docs/operator.md');
});
