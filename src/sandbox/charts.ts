// Loaded charts kept by the worker that loaded them, keyed by content digest: releases of the same
// chart share one loaded chart, and with it its parsed templates (render/ caches those per loaded
// chart). Packaged charts are keyed by the archive's digest; a chart directory by its path and the
// digest of its files, which the caller computes (the operator: controller/chart-digest.ts, from
// file sizes and modification times, hashing contents only when those change). A directory named
// without a digest (the CLI's one-off renders) is loaded every time. Bounded by count and by bytes,
// least recently used dropped first.
import { loadChart, type Chart, type LoadOptions } from '../chart/index.js';

/**
 * What a job names as its chart: a directory or .tgz path (with the digest of its content, when the
 * caller knows it: then it is loaded once per digest), or a packaged chart's bytes and digest.
 */
export type ChartInput = { path: string; digest?: string; bytes?: number } | { archive: Uint8Array; digest: string };

const MAX_CHARTS = 16;
const MAX_CACHED_BYTES = 64 * 1024 * 1024;

const cache = new Map<string, { chart: Chart; bytes: number }>();
let cachedBytes = 0;

function remember(key: string, chart: Chart, bytes: number): void {
  if (bytes > MAX_CACHED_BYTES) return;
  cache.set(key, { chart, bytes });
  cachedBytes += bytes;
  for (const [k, entry] of cache) {
    if (cache.size <= MAX_CHARTS && cachedBytes <= MAX_CACHED_BYTES) break;
    cache.delete(k);
    cachedBytes -= entry.bytes;
  }
}

/** The chart, loaded once per digest in this worker (a path without a digest is loaded every time). */
export function loadChartInput(input: ChartInput, options: LoadOptions = {}): Chart {
  if ('path' in input && input.digest === undefined) return loadChart(input.path, options);
  const key = 'path' in input ? `${input.path}\0${input.digest}` : input.digest;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit.chart;
  }
  const chart = loadChart('path' in input ? input.path : input.archive, options);
  remember(key, chart, 'path' in input ? (input.bytes ?? 0) : input.archive.byteLength);
  return chart;
}

/** How many charts this worker holds (tests). */
export const cachedChartCount = (): number => cache.size;
