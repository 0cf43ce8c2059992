// Running a bundled job module in a render worker (see bundle.ts): compiled with its code cache
// when the cache was made from this very bundle.
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { bundleFiles } from './bundle.js';

export interface LoadedBundle {
  exports: Record<string, unknown>;
  /** Whether V8 took the code cache (false: none, not this bundle's, or refused by V8). */
  cacheUsed: boolean;
  /** The compiled script (the build makes the code cache from it after a render). */
  script: Script;
  /** SHA-256 (hex) of the bundle's text. */
  sha256: string;
}

/** Compiles and runs the bundle at `url` (a CommonJS script), with its code cache when it matches. */
export function loadBundle(url: string): LoadedBundle {
  const file = fileURLToPath(url);
  const bytes = readFileSync(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  // esbuild writes ASCII: read as Latin-1, it becomes a one-byte string without UTF-8 decoding.
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  let cachedData: Buffer | undefined;
  try {
    const cache = readFileSync(bundleFiles(dirname(file), basename(file, '.cjs')).cache);
    const nl = cache.indexOf(10);
    if (nl > 0 && cache.toString('latin1', 0, nl) === sha256) cachedData = cache.subarray(nl + 1);
  } catch {
    /* no cache: compiled from source */
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const run = script.runInThisContext() as (exports: unknown, require: NodeRequire, module: unknown, filename: string, dirname: string) => void;
  const module = { exports: {} as Record<string, unknown> };
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, cacheUsed: cachedData !== undefined && !script.cachedDataRejected, script, sha256 };
}

