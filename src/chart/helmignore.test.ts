import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { HelmignoreError, parseHelmignore } from './helmignore.js';

test('.helmignore: base-name, anchored, structural and directory rules', () => {
  const rules = parseHelmignore(['# comment', '', '*.tmp', '/top.txt', 'docs/*.md', 'secret/', 'CVS'].join('\n'));
  const table: [string, boolean, boolean][] = [
    ['a.tmp', false, true],
    ['deep/x/a.tmp', false, true],
    ['top.txt', false, true],
    ['sub/top.txt', false, false],
    ['docs/readme.md', false, true],
    ['docs/sub/readme.md', false, false],
    ['secret', true, true],
    ['secret', false, false],
    ['x/CVS', true, true],
    ['values.yaml', false, false],
    // Helm's default rule: dot files under templates/
    ['templates/.hidden.yaml', false, true],
    ['templates/ok.yaml', false, false],
  ];
  for (const [path, isDir, want] of table) assert.equal(rules.ignores(path, isDir), want, path);
});

test('.helmignore: a negated rule that does not match ignores the path (Helm quirk)', () => {
  const rules = parseHelmignore('!keep.txt', false);
  assert.equal(rules.ignores('keep.txt', false), false);
  assert.equal(rules.ignores('other.txt', false), true);
});

test('.helmignore: ** and malformed patterns are errors', () => {
  assert.throws(() => parseHelmignore('docs/**'), /double-star/);
  assert.throws(() => parseHelmignore('[a-'), HelmignoreError);
});
