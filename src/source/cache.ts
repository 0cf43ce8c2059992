// Caches of chart sources, keyed by digest so that what is cached can never be stale:
// - ArchiveCache: packaged charts on disk (`--cache-dir`, default under the OS temp dir), bounded in
//   total size with least-recently-used eviction, verified against their digest when read back;
// - singleFlight: releases asking for the same thing at the same moment share one download;
// - loadChartByDigest: loaded charts in memory, so an unchanged chart is not parsed again. It is a
//   plain function over a module-level map, so a render worker can call it in its own thread.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadChart, type Chart, type LoadOptions } from '../chart/index.js';

export const DEFAULT_CACHE_DIR = join(tmpdir(), 'chartrelease-cache');
// Half the 512Mi emptyDir the shipped Deployment mounts at /tmp, which also holds everything else written there.
export const DEFAULT_CACHE_MAX_BYTES = 256 * 1024 * 1024;

export const sha256Hex = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Runs `fn` once for callers asking for the same key at the same time; they all get its result. */
export class SingleFlight<T> {
  private readonly inflight = new Map<string, Promise<T>>();

  run(key: string, fn: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(key);
    if (running) return running;
    const p = fn().finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  get size(): number {
    return this.inflight.size;
  }
}

export interface ArchiveCacheOptions {
  dir?: string;
  maxBytes?: number;
}

/**
 * Archives by sha256 on disk. Files are `<hex>.tgz`; writes go to a temporary name then rename, so a
 * crash leaves no half file under a digest's name. Recency is the file's mtime (touched on every
 * hit), so the order survives restarts.
 */
export class ArchiveCache {
  readonly dir: string;
  readonly maxBytes: number;
  private index: Map<string, { size: number; used: number }> | undefined;
  private readonly flights = new SingleFlight<Buffer>();
  private last = 0;

  constructor(options: ArchiveCacheOptions = {}) {
    this.dir = options.dir ?? DEFAULT_CACHE_DIR;
    this.maxBytes = options.maxBytes ?? DEFAULT_CACHE_MAX_BYTES;
  }

  private entries(): Map<string, { size: number; used: number }> {
    if (this.index) return this.index;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const index = new Map<string, { size: number; used: number }>();
    for (const name of readdirSync(this.dir)) {
      const m = /^([0-9a-f]{64})\.tgz$/.exec(name);
      if (!m) continue;
      try {
        const st = statSync(join(this.dir, name));
        index.set(m[1]!, { size: st.size, used: st.mtimeMs });
        this.last = Math.max(this.last, st.mtimeMs);
      } catch {
        // removed meanwhile
      }
    }
    this.index = index;
    return index;
  }

  /** Strictly increasing "now", so two uses in the same millisecond keep their order. */
  private stamp(): number {
    this.last = Math.max(Date.now(), this.last + 0.001);
    return this.last;
  }

  private path(hex: string): string {
    return join(this.dir, `${hex}.tgz`);
  }

  /** The archive with this sha256 (hex), or undefined; a file whose content no longer matches is dropped. */
  get(hex: string): Buffer | undefined {
    const entry = this.entries().get(hex);
    if (!entry) return undefined;
    let data: Buffer;
    try {
      data = readFileSync(this.path(hex));
    } catch {
      this.entries().delete(hex);
      return undefined;
    }
    if (sha256Hex(data) !== hex) {
      this.remove(hex);
      return undefined;
    }
    entry.used = this.stamp();
    try {
      utimesSync(this.path(hex), new Date(), new Date(entry.used));
    } catch {
      // best effort: recency in memory is what counts while running
    }
    return data;
  }

  /** Stores an archive under its sha256 and evicts the least recently used ones beyond maxBytes. */
  put(data: Buffer): string {
    const hex = sha256Hex(data);
    const entries = this.entries();
    if (!entries.has(hex) && data.length <= this.maxBytes) {
      const tmp = join(this.dir, `.${hex}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
      writeFileSync(tmp, data, { mode: 0o600 });
      renameSync(tmp, this.path(hex));
      entries.set(hex, { size: data.length, used: this.stamp() });
    }
    this.evict(hex);
    return hex;
  }

  private remove(hex: string): void {
    this.entries().delete(hex);
    try {
      unlinkSync(this.path(hex));
    } catch {
      // already gone
    }
  }

  private evict(keep: string): void {
    const entries = this.entries();
    let total = 0;
    for (const e of entries.values()) total += e.size;
    if (total <= this.maxBytes) return;
    const byAge = [...entries.entries()].filter(([hex]) => hex !== keep).sort((a, b) => a[1].used - b[1].used);
    for (const [hex, e] of byAge) {
      if (total <= this.maxBytes) break;
      this.remove(hex);
      total -= e.size;
    }
  }

  /** Total bytes held (tests, metrics). */
  get bytes(): number {
    let total = 0;
    for (const e of this.entries().values()) total += e.size;
    return total;
  }

  /**
   * The archive for `key`: from disk when `hex` (its expected sha256) is known and held, else from
   * `download`, shared by everyone asking for the same key meanwhile. The result is stored under its
   * own digest; checking it against the expected one is the caller's job.
   */
  async getOrDownload(key: string, hex: string | undefined, download: () => Promise<Buffer>): Promise<{ data: Buffer; cached: boolean }> {
    const held = hex ? this.get(hex) : undefined;
    if (held) return { data: held, cached: true };
    const data = await this.flights.run(key, download);
    return { data, cached: false };
  }
}

// ---- loaded charts in memory

const MAX_LOADED_CHARTS = 64;
const loaded = new Map<string, Chart>();

/**
 * The chart packaged in `archive`, whose digest ("sha256:<hex>") is `digest`: parsed once, then
 * served from memory while it stays among the most recently used MAX_LOADED_CHARTS. `archive` may be
 * a function, so a hit needs no bytes at all. Callers must treat the chart as read-only (rendering
 * works on a copy).
 */
export function loadChartByDigest(digest: string, archive: Uint8Array | (() => Uint8Array), options: LoadOptions = {}): Chart {
  const hit = loaded.get(digest);
  if (hit) {
    loaded.delete(digest);
    loaded.set(digest, hit);
    return hit;
  }
  const chart = loadChart(typeof archive === 'function' ? archive() : archive, options);
  loaded.set(digest, chart);
  while (loaded.size > MAX_LOADED_CHARTS) loaded.delete(loaded.keys().next().value!);
  return chart;
}

/** Whether the chart with this digest is loaded (tests). */
export function isChartLoaded(digest: string): boolean {
  return loaded.has(digest);
}

/** Forgets every loaded chart (tests). */
export function clearLoadedCharts(): void {
  loaded.clear();
}
