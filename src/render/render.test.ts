import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseKubeVersion } from './builtins.js';
import { globToRegExp } from './files.js';
import { sortByInstallOrder } from './install-order.js';
import { sortTemplatePaths } from './render.js';

test('install order: known kinds by rank, unknown kinds last and alphabetical, stable otherwise', () => {
  const items = ['Widget#1', 'Deployment#1', 'Alpha#1', 'Service#1', 'Namespace#1', '#1', 'Deployment#2', 'Widget#2', 'CustomResourceDefinition#1'];
  const sorted = sortByInstallOrder(items, (i) => i.split('#')[0]!);
  assert.deepEqual(sorted, ['Namespace#1', 'CustomResourceDefinition#1', 'Service#1', 'Deployment#1', 'Deployment#2', '#1', 'Alpha#1', 'Widget#1', 'Widget#2']);
});

test("parse and render order: deepest paths first, then reverse byte order (helm's sortTemplates)", () => {
  assert.deepEqual(sortTemplatePaths(['c/templates/a.yaml', 'c/templates/z.yaml', 'c/templates/sub/d.yaml', 'c/charts/s/templates/x.yaml', 'c/templates/_h.tpl']), [
    'c/charts/s/templates/x.yaml', 'c/templates/sub/d.yaml', 'c/templates/z.yaml', 'c/templates/a.yaml', 'c/templates/_h.tpl',
  ]);
});

test('.Files.Glob patterns (gobwas/glob with / as separator)', () => {
  const table: [string, string, boolean][] = [
    ['conf/*', 'conf/a.txt', true],
    ['conf/*', 'conf/sub/c.txt', false],
    ['conf/**', 'conf/sub/c.txt', true],
    ['**.txt', 'other.txt', true],
    ['**.txt', 'conf/sub/c.txt', true],
    ['*.{ini,txt}', 'b.ini', true],
    ['[!a]*', 'a.txt', false],
    ['[a-c].txt', 'b.txt', true],
    ['?.txt', 'ab.txt', false],
    ['files/dashboards/*.json', 'files/dashboards/x.json', true],
    ['{other/q.txt,files/x.json', 'files/x.json', true],
    ['files/{x.json', 'files/x.json', true],
    ['files/\\', 'files/x.json', false],
  ];
  for (const [pattern, name, want] of table) assert.equal(globToRegExp(pattern)!.test(name), want, `${pattern} ${name}`);
  assert.equal(globToRegExp('[unclosed'), null);
});

test('kube versions as helm parses --kube-version', () => {
  assert.deepEqual(parseKubeVersion('1.31.0'), { version: 'v1.31.0', normalized: 'v1.31.0', major: '1', minor: '31' });
  assert.deepEqual(parseKubeVersion('v1.29.3-gke.100'), { version: 'v1.29.3-gke.100', normalized: 'v1.29.3', major: '1', minor: '29' });
  assert.throws(() => parseKubeVersion('banana'), /invalid kube version 'banana'/);
});
