#!/usr/bin/env node
// Part of `npm run build`, after tsc: bundles what `chartrelease template` runs in its render worker
// (dist/src/cli/template-run.js and everything it imports, the `yaml` package included) into one
// CommonJS script, dist/src/cli/bundle/template-run.cjs, renders the example chart with it once and
// saves V8's code cache of every function that render compiled (template-run.cache). The manifest
// (template-run.json), written last, names the bundle's SHA-256 and the TypeScript build info it was
// made from: src/sandbox/bundle.ts uses the bundle only while both still match, so a later `tsc`
// alone, an interrupted build or a missing file falls back to the compiled modules.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const outDir = join(dist, 'src', 'cli', 'bundle');
const { bundleFiles, encodeCache, useOneShotV8Flags } = await import(pathToFileURL(join(dist, 'src', 'sandbox', 'bundle.js')).href);
// The flags `chartrelease template` runs with: V8 takes a code cache only under the flags it was made with.
useOneShotV8Flags();
const files = bundleFiles(outDir, 'template-run');

mkdirSync(outDir, { recursive: true });
rmSync(files.manifest, { force: true });
rmSync(files.cache, { force: true });
const workerScript = join(outDir, 'worker.cjs');
rmSync(workerScript, { force: true });

await build({
  entryPoints: [join(dist, 'src', 'cli', 'template-run.js')],
  outfile: files.script,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Modules loaded with createRequire(import.meta.url) (ajv, re2js) are found from the bundle's place.
  define: { 'import.meta.url': '__bundleURL' },
  banner: { js: 'const __bundleURL = require("node:url").pathToFileURL(__filename).href;' },
  // Less text to read and scan; names stay (error classes and Go type names are printed).
  minifyWhitespace: true,
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
});

// The render worker's entry as one CommonJS script (src/cli/template.ts starts the worker from it
// while the bundle is fresh): a worker started from CommonJS does not set up the ES module loader.
await build({
  entryPoints: [join(dist, 'src', 'sandbox', 'worker.js')],
  outfile: workerScript,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minifyWhitespace: true,
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const source = readFileSync(files.script);
const sha256 = createHash('sha256').update(source).digest('hex');

// One render of the example chart (with its schema and an overlay) compiles what a render needs.
const { loadBundle } = await import(pathToFileURL(join(dist, 'src', 'sandbox', 'bundle-run.js')).href);
const loaded = loadBundle(pathToFileURL(files.script).href);
const example = join(root, 'examples', 'checkout-api');
// The example's files take goyaml's short way (src/goyaml/simple.ts); an overlay with an anchor takes
// the full reader (the yaml package), which most charts need for some file, so both are cached.
const overlay = join(mkdtempSync(join(tmpdir(), 'bundle-cli-')), 'anchored.yaml');
writeFileSync(overlay, 'replicaCount: &replicas 6\n');
const out = await loaded.exports.templateJob({ args: ['warm-up', example, '-f', join(example, 'values.production.yaml'), '-f', overlay], maxOutputBytes: 100 * 1024 * 1024 }, () => {});
rmSync(dirname(overlay), { recursive: true, force: true });
if (out.code !== 0) throw new Error(`bundle-cli: rendering ${example} with the bundle failed:\n${out.stderr}`);
writeFileSync(files.cache, encodeCache(sha256, loaded.script.createCachedData()));

const buildInfo = join(dist, '.tsbuildinfo');
const info = statSync(buildInfo, { throwIfNoEntry: false });
const manifest = { sha256, ...(info ? { buildInfo: { path: relative(outDir, buildInfo), size: info.size, mtimeMs: info.mtimeMs } } : {}) };
writeFileSync(files.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
process.stderr.write(`bundle-cli: ${relative(root, files.script)} (${(source.length / 1024).toFixed(0)} KiB), code cache ${(statSync(files.cache).size / 1024).toFixed(0)} KiB\n`);
