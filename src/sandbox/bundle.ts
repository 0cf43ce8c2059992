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
