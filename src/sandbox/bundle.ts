// Job modules as one bundled script with V8's code cache (bin/bundle-cli.js writes them at
// `npm run build`): a render worker that runs `chartrelease template` then reads and compiles one
// file instead of resolving, reading and compiling about 150 modules, and most of its functions
// come compiled from the cache. Everything here falls back to the plain modules: a bundle is used
// only when its manifest says it was built from the compiled sources now on disk, and its code
// cache only when the cache names the bundle's own SHA-256 (V8 itself checks only its version,
// its flags and the source's length). This file decides which module the command's thread names;
// bundle-run.ts loads a bundle in the worker.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';

/**
 * V8's optimizing compiler (TurboFan) only for code that runs long, for the process of a one-shot
 * command that renders once (`chartrelease template`) and for the build that makes the bundle's
 * code cache (V8 refuses a cache made under other flags): an interrupt budget 16 times V8's default
 * before a function is optimized. A single render mostly ends before optimized code would pay back
 * its compile on V8's background threads (bitnami-redis about 0.68 times the CPU, argo-cd 0.70,
 * paired, as with no TurboFan at all), while a chart that computes for seconds (bcrypt in
 * bitnami-argo-cd) still gets its hot loop optimized: 1.13 s instead of 3.37 s with `--no-opt`.
 * Process-wide (worker threads included), so it is set before the render worker starts; the
 * operator, which renders again and again, keeps V8's defaults.
 */
export function useOneShotV8Flags(): void {
  setFlagsFromString(`--interrupt-budget=${16 * 67584}`);
}

/** What the build writes next to a bundle (`NAME.json`). */
export interface BundleManifest {
  /** SHA-256 (hex) of the bundle's text. */
  sha256: string;
  /**
   * The TypeScript build info the bundle was made from (path relative to the manifest, size, mtime):
   * a later `tsc` run rewrites it, which makes the bundle stale until the next `npm run build`.
   */
  buildInfo?: { path: string; size: number; mtimeMs: number };
}

/** The files of bundle `name` in `dir`. */
export function bundleFiles(dir: string, name: string): { script: string; cache: string; manifest: string } {
  return { script: join(dir, `${name}.cjs`), cache: join(dir, `${name}.cache`), manifest: join(dir, `${name}.json`) };
}

/** The code cache file: the bundle's SHA-256 in hex, a newline, then V8's data. */
export function encodeCache(sha256: string, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${sha256}\n`, 'latin1'), data]);
}

/**
 * The bundle's file: URL when `dir` holds a bundle `name` built from the sources now compiled, else
 * undefined (no bundle, an unreadable manifest, or sources compiled again since).
 */
export function freshBundle(dir: string, name: string): string | undefined {
  const files = bundleFiles(dir, name);
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(readFileSync(files.manifest, 'utf8')) as BundleManifest;
  } catch {
    return undefined;
  }
  if (typeof manifest.sha256 !== 'string') return undefined;
  if (manifest.buildInfo) {
    // Absent in an installed package (its files are dist/src/); tsc writes a new one on every build.
    const now = statSync(join(dir, manifest.buildInfo.path), { throwIfNoEntry: false });
    if (now && (now.size !== manifest.buildInfo.size || now.mtimeMs !== manifest.buildInfo.mtimeMs)) return undefined;
  }
  return pathToFileURL(files.script).href;
}
