import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Change } from '../apply/index.js';
import { formatDiffs, normalizePair, objectDiffs, summarize, summaryLine, unifiedDiff } from './index.js';

/** GNU diff -u without its file header lines. */
function gnuDiff(a: string, b: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'udiff-'));
  try {
    writeFileSync(join(dir, 'a'), a);
    writeFileSync(join(dir, 'b'), b);
    const r = spawnSync('diff', ['-u', join(dir, 'a'), join(dir, 'b')], { encoding: 'utf8' });
    return r.stdout.split('\n').slice(2).join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function lines(seed: number, n: number): string {
  let x = seed;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(`line ${x % 7}`);
  }
  return out.map((l) => `${l}\n`).join('');
}

test('unified diff: hunks as GNU diff -u prints them (same edit count, same layout on simple cases)', () => {
  const a = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n';
  const b = 'a\nb\nX\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\n';
  assert.equal(unifiedDiff(a, b, 'A', 'B').split('\n').slice(2).join('\n'), gnuDiff(a, b));
  assert.equal(unifiedDiff('', 'x\ny\n', 'A', 'B'), '--- A\n+++ B\n@@ -0,0 +1,2 @@\n+x\n+y\n');
  assert.equal(unifiedDiff('x\n', '', 'A', 'B'), '--- A\n+++ B\n@@ -1 +0,0 @@\n-x\n');
  assert.equal(unifiedDiff('same\n', 'same\n', 'A', 'B'), '');
});

test('unified diff: random texts apply back and have the minimal number of changed lines', () => {
  for (let seed = 1; seed < 60; seed++) {
    const a = lines(seed, 5 + (seed % 40));
    const b = lines(seed * 7 + 3, 3 + (seed % 30));
    const ours = unifiedDiff(a, b, 'A', 'B');
    const gnu = gnuDiff(a, b);
    const count = (d: string, c: string) => d.split('\n').filter((l) => l.startsWith(c) && !l.startsWith(c.repeat(3))).length;
    assert.equal(count(ours, '-') + count(ours, '+'), count(gnu, '-') + count(gnu, '+'), `seed ${seed}`);
    // Applying our hunks to a gives b.
    const out: string[] = [];
    const src = a.replace(/\n$/, '').split('\n');
    let at = 0;
    for (const hunk of ours.split(/^@@ .*@@\n/m).slice(1)) {
      const header = /@@ -(\d+)/.exec(ours.slice(ours.indexOf(hunk) - 40))!;
      void header;
      for (const l of hunk.replace(/\n$/, '').split('\n')) {
        if (l.startsWith(' ')) {
          while (src[at] !== l.slice(1)) out.push(src[at++]!);
          out.push(src[at++]!);
        } else if (l.startsWith('-')) {
          while (src[at] !== l.slice(1)) out.push(src[at++]!);
          at++;
        } else out.push(l.slice(1));
      }
    }
    while (at < src.length) out.push(src[at++]!);
    assert.equal(out.filter((l) => l !== '').join('\n'), b.replace(/\n$/, ''), `seed ${seed}`);
  }
});

const secret = (data: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 's', namespace: 'ns', uid: 'u1', resourceVersion: '7', creationTimestamp: '2026-01-01T00:00:00Z', managedFields: [{ manager: 'x' }], ...extra },
  data,
});

test('normalise: server-managed fields and status are left out; Secret values only as redacted markers', () => {
  const [a, b] = normalizePair(secret({ same: 'c2FtZQ==', old: 'b2xk', gone: 'Z29uZQ==' }), secret({ same: 'c2FtZQ==', old: 'bmV3', added: 'YWRkZWQ=' }));
  assert.deepEqual(a, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' }, data: { same: '[redacted]', old: '[redacted: before]', gone: '[redacted: before]' } });
  assert.deepEqual(b!.data, { same: '[redacted]', old: '[redacted: after]', added: '[redacted: after]' });
  const [c] = normalizePair({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', generation: 3 }, spec: { replicas: 2 }, status: { ready: 1 } } as never, null);
  assert.deepEqual(c, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 2 } });
});

test('object diffs: created, updated (field paths), unchanged, deleted by prune, kept; no Secret value in any output', () => {
  const cm = (v: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns', resourceVersion: v }, data: { mode: v } });
  const ref = (kind: string, name: string) => ({ apiVersion: 'v1', kind, name, namespace: 'ns' });
  const changes: Change[] = [
    { ref: ref('ConfigMap', 'c'), action: 'configured', objects: { live: cm('1'), planned: cm('2') } },
    { ref: ref('Secret', 's'), action: 'configured', objects: { live: secret({ p: 'aHVudGVyMg==' }), planned: secret({ p: 'c3dvcmRmaXNo' }) } },
    { ref: ref('Service', 'new'), action: 'created', objects: { live: null, planned: null } },
    { ref: ref('ServiceAccount', 'sa'), action: 'unchanged', objects: { live: null, planned: null } },
    // Only managedFields moved: no change worth showing.
    { ref: ref('ConfigMap', 'm'), action: 'configured', objects: { live: { ...cm('1'), metadata: { name: 'm', managedFields: [] } }, planned: { ...cm('1'), metadata: { name: 'm', managedFields: [{}] } } } },
  ];
  const diffs = objectDiffs(changes, [
    { ref: ref('ConfigMap', 'old'), live: cm('9'), keep: false },
    { ref: ref('ConfigMap', 'kept'), live: cm('9'), keep: true },
    { ref: ref('ConfigMap', 'gone'), live: null, keep: false },
  ], (r) => (r.name === 'new' ? { apiVersion: 'v1', kind: 'Service', metadata: { name: 'new', namespace: 'ns' }, spec: { ports: [{ port: 80 }] } } : null));
  assert.deepEqual(diffs.map((d) => [d.ref.name, d.action, d.fields]), [
    ['c', 'update', ['.data.mode']],
    ['s', 'update', ['.data.p']],
    ['new', 'create', []],
    ['sa', 'unchanged', []],
    ['m', 'unchanged', []],
    ['old', 'delete', []],
    ['kept', 'unchanged', []],
  ]);
  assert.equal(summaryLine(summarize(diffs)), '1 to create, 2 to update, 1 to delete (prune), 3 unchanged');
  const text = formatDiffs(diffs);
  assert.match(text, /^--- live ConfigMap\/c -n ns\n\+\+\+ planned ConfigMap\/c -n ns\n@@ -1,6 \+1,6 @@\n apiVersion: v1\n data:\n-  mode: "1"\n\+  mode: "2"\n/);
  assert.match(text, /-  p: '\[redacted: before\]'\n\+  p: '\[redacted: after\]'/);
  assert.match(text, /--- \/dev\/null\n\+\+\+ planned Service\/new -n ns\n/);
  assert.match(text, /--- live ConfigMap\/old -n ns\n\+\+\+ \/dev\/null\n/);
  for (const value of ['aHVudGVyMg==', 'c3dvcmRmaXNo', 'hunter2', 'swordfish']) assert.ok(!text.includes(value));
});
