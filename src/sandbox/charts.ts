// Loaded charts kept by the worker that loaded them, keyed by the archive's digest: releases of the
// same chart share one loaded chart, and with it its parsed templates (render/ caches those per
// loaded chart). Bounded by count and by archive bytes, least recently used dropped first.
import { loadChart, type Chart, type LoadOptions } from '../chart/index.js';

/** What a job names as its chart: a directory or .tgz path, or a packaged chart's bytes and digest. */
export type ChartInput = { path: string } | { archive: Uint8Array; digest: string };

const MAX_CHARTS = 16;
const MAX_ARCHIVE_BYTES = 64 * 1024 * 1024;

const cache = new Map<string, { chart: Chart; bytes: number }>();
let cachedBytes = 0;

/** The chart, loaded once per digest in this worker (paths are loaded every time: they may change). */
export function loadChartInput(input: ChartInput, options: LoadOptions = {}): Chart {
  if ('path' in input) return loadChart(input.path, options);
  const hit = cache.get(input.digest);
  if (hit) {
    cache.delete(input.digest);
    cache.set(input.digest, hit);
    return hit.chart;
  }
  const chart = loadChart(input.archive, options);
  const bytes = input.archive.byteLength;
  if (bytes <= MAX_ARCHIVE_BYTES) {
    cache.set(input.digest, { chart, bytes });
    cachedBytes += bytes;
    for (const [digest, entry] of cache) {
      if (cache.size <= MAX_CHARTS && cachedBytes <= MAX_ARCHIVE_BYTES) break;
      cache.delete(digest);
      cachedBytes -= entry.bytes;
    }
  }
  return chart;
}

/** How many charts this worker holds (tests). */
export const cachedChartCount = (): number => cache.size;
