// Bundled job modules: used only while built from the compiled sources now on disk, and their code
// cache only when it was made from the very same bundle text.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import test, { after } from 'node:test';
import { bundleFiles, encodeCache, freshBundle } from './bundle.js';
import { loadBundle } from './bundle-run.js';

const root = mkdtempSync(join(tmpdir(), 'chartrelease-bundle-'));
after(() => rmSync(root, { recursive: true, force: true }));
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

test('a bundle is fresh while the build info it names is unchanged; missing or stale, the modules are used', () => {
  const dir = mkdtempSync(join(root, 'fresh-'));
  const files = bundleFiles(dir, 'job');
  writeFileSync(files.script, 'exports.f = () => 1;\n');
  assert.equal(freshBundle(dir, 'job'), undefined, 'no manifest');
  const info = join(dir, 'tsbuildinfo');
  writeFileSync(info, 'v1');
  utimesSync(info, 1_000, 1_000);
  writeFileSync(files.manifest, JSON.stringify({ sha256: sha('x'), buildInfo: { path: 'tsbuildinfo', size: 2, mtimeMs: 1_000_000 } }));
  assert.equal(freshBundle(dir, 'job'), pathToFileURL(files.script).href);
  utimesSync(info, 2_000, 2_000); // tsc compiled again after the bundle was made
  assert.equal(freshBundle(dir, 'job'), undefined);
  rmSync(info); // an installed package: dist/src/ without the build info
  assert.equal(freshBundle(dir, 'job'), pathToFileURL(files.script).href);
  writeFileSync(files.manifest, '{"sha256":');
  assert.equal(freshBundle(dir, 'job'), undefined, 'a manifest cut short');
});

test('the code cache is used only for the bundle it was made from, even one of the same length', () => {
  const dir = mkdtempSync(join(root, 'cache-'));
  const files = bundleFiles(dir, 'job');
  const url = pathToFileURL(files.script).href;
  const one = 'exports.f = function () { return "one"; };\n';
  const two = 'exports.f = function () { return "two"; };\n';
  assert.equal(one.length, two.length);

  writeFileSync(files.script, one);
  const first = loadBundle(url);
  assert.equal(first.cacheUsed, false);
  assert.equal((first.exports.f as () => string)(), 'one');
  const data = first.script.createCachedData();
  writeFileSync(files.cache, encodeCache(sha(one), data));
  const cached = loadBundle(url);
  assert.equal(cached.cacheUsed, true);
  assert.equal((cached.exports.f as () => string)(), 'one');

  // The bundle rebuilt, the cache left from the old one: V8 alone would take it (same length).
  writeFileSync(files.script, two);
  const rebuilt = loadBundle(url);
  assert.equal(rebuilt.cacheUsed, false);
  assert.equal((rebuilt.exports.f as () => string)(), 'two');
});
