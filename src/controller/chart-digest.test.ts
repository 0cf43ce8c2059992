import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PathDigests } from './chart-digest.js';

function chartDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chart-digest-'));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: c\nversion: 0.1.0\n');
  writeFileSync(join(dir, 'templates', 'cm.yaml'), 'kind: ConfigMap\n');
  return dir;
}

test('PathDigests: the same files give the same digest; an edit (even of the same size) gives another', async (t) => {
  const dir = chartDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const digests = new PathDigests({ reuseMs: 0 });
  const first = await digests.digest(dir);
  assert.match(first.digest, /^sha256:[0-9a-f]{64}$/);
  assert.equal(first.bytes, 'apiVersion: v2\nname: c\nversion: 0.1.0\n'.length + 'kind: ConfigMap\n'.length);
  assert.deepEqual(await digests.digest(dir), first);
  // A fresh instance (nothing remembered) computes the same digest from the contents.
  assert.deepEqual(await new PathDigests().digest(dir), first);
  writeFileSync(join(dir, 'templates', 'cm.yaml'), 'kind: ConfigMaq\n');
  const later = new Date(Date.now() + 5000);
  utimesSync(join(dir, 'templates', 'cm.yaml'), later, later);
  const edited = await digests.digest(dir);
  assert.notEqual(edited.digest, first.digest);
  assert.equal(edited.digest, (await new PathDigests().digest(dir)).digest);
  writeFileSync(join(dir, 'templates', 'new.yaml'), '');
  assert.notEqual((await digests.digest(dir)).digest, edited.digest);
});

test('PathDigests: unchanged signatures are not read again (the remembered digest is returned)', async (t) => {
  const dir = chartDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const digests = new PathDigests({ reuseMs: 0 });
  const first = await digests.digest(dir);
  // A digest planted in the memory comes back: with the signature unchanged, no file was read.
  const remembered = (digests as unknown as { known: Map<string, { signature: string; digest: string }> }).known.get(dir)!;
  remembered.digest = 'sha256:remembered';
  assert.equal((await digests.digest(dir)).digest, 'sha256:remembered');
  assert.notEqual(first.digest, 'sha256:remembered');
});

test('PathDigests: a .tgz path is hashed as a file; a missing path throws ENOENT', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'chart-digest-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'c.tgz'), 'not really gzip');
  const { digest, bytes } = await new PathDigests().digest(join(dir, 'c.tgz'));
  assert.equal(bytes, 15);
  assert.match(digest, /^sha256:/);
  await assert.rejects(new PathDigests().digest(join(dir, 'missing')), { code: 'ENOENT' });
});

test('PathDigests: a survey stands for its files for reuseMs; an edit is seen once that has passed', async (t) => {
  const dir = chartDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let clock = 0;
  const digests = new PathDigests({ reuseMs: 1000, now: () => clock });
  const first = await digests.digest(dir);
  writeFileSync(join(dir, 'templates', 'cm.yaml'), 'kind: ConfigMap\nmetadata: {}\n');
  clock = 999;
  assert.deepEqual(await digests.digest(dir), first, 'within the window the last survey stands');
  clock = 1000;
  const edited = await digests.digest(dir);
  assert.notEqual(edited.digest, first.digest);
  assert.equal(edited.digest, (await new PathDigests().digest(dir)).digest);
  // The window counts from the survey that saw the edit.
  writeFileSync(join(dir, 'templates', 'new.yaml'), '');
  clock = 1999;
  assert.equal((await digests.digest(dir)).digest, edited.digest);
  clock = 2000;
  assert.notEqual((await digests.digest(dir)).digest, edited.digest);
});
