// Helm HTTP repositories: index.yaml, then the chart archive it points at.
// - The index is read as it streams in, keeping only the wanted charts' entries (repo-index.ts), at
//   most once per `maxAgeMs` per repository and credentials, shared by every release using it, and
//   revalidated with ETag / Last-Modified so an unchanged index is not read again.
// - The version is resolved as Helm does (versions.ts); the entry's first URL is resolved against the
//   repository URL as Helm's ResolveReferenceURL does; credentials are sent to the archive's host only
//   when it is the repository's (Helm's default without --pass-credentials).
// - The archive is checked against the index's digest and cached on disk by it (cache.ts).
import { authFingerprint } from './credentials.js';
import { ArchiveCache, sha256Hex, SingleFlight } from './cache.js';
import { displayUrl, httpGet, statusError, type GetOptions } from './http.js';
import { IndexParseError, IndexScanner, NeedsWholeParse, type IndexEntry } from './repo-index.js';
import { ChartSourceError, type FetchedChart, type SourceAuth } from './types.js';
import { pickVersion } from './versions.js';

export interface RepositoryRef {
  /** The repository URL (the directory holding index.yaml). */
  url: string;
  /** The chart's name in the index. */
  name: string;
  /** A version or a semver constraint; empty: the newest stable version. */
  version?: string;
}

export interface RepositoryFetchOptions {
  auth?: SourceAuth;
  /** Send credentials to the archive's host even when it is not the repository's. */
  passCredentials?: boolean;
  /** An index read less than this long ago is used as it is (default 0: always revalidate). */
  maxAgeMs?: number;
  archives: ArchiveCache;
  indexes: RepositoryIndexCache;
  signal?: AbortSignal;
  /** Largest archive accepted (default 50 MiB). */
  maxArchiveBytes?: number;
}

export const MAX_INDEX_BYTES = 256 * 1024 * 1024;
export const DEFAULT_MAX_ARCHIVE_BYTES = 50 * 1024 * 1024;

/** Helm's ResolveReferenceURL: a relative reference is resolved against the base with a trailing slash, keeping the base's query. */
export function resolveReferenceUrl(base: string, ref: string): string {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(ref)) return ref;
  const b = new URL(base);
  const query = b.search;
  b.search = '';
  b.pathname = b.pathname.replace(/\/$/, '') + '/';
  const resolved = new URL(ref, b);
  resolved.search = query;
  return resolved.toString();
}

interface CachedIndex {
  readAt: number;
  /** Every chart name asked for at the time of the read: the map holds their entries (absent: not in the index). */
  names: Set<string>;
  charts: Map<string, IndexEntry[]>;
  etag?: string;
  lastModified?: string;
}

/** Parsed indexes, per repository URL and credentials; bounded by repositories, not by index size. */
export class RepositoryIndexCache {
  private readonly byRepo = new Map<string, CachedIndex>();
  /** Every chart name ever asked for per repository, so one read serves them all. */
  private readonly wanted = new Map<string, Set<string>>();
  private readonly flights = new SingleFlight<CachedIndex>();
  /** How many times an index was actually read and parsed (tests, metrics). */
  reads = 0;

  /** The entries of `name` in the repository's index (undefined: the index has no such chart). */
  async entries(url: string, name: string, options: { auth?: SourceAuth; maxAgeMs?: number; signal?: AbortSignal }): Promise<IndexEntry[] | undefined> {
    const key = `${url}\0${authFingerprint(options.auth)}`;
    let wanted = this.wanted.get(key);
    if (!wanted) this.wanted.set(key, (wanted = new Set()));
    wanted.add(name);
    const cached = this.byRepo.get(key);
    const fresh = (c: CachedIndex | undefined) => c !== undefined && c.names.has(name) && Date.now() - c.readAt < (options.maxAgeMs ?? 0);
    if (fresh(cached)) return cached!.charts.get(name);
    let result = await this.flights.run(key, () => this.read(key, url, options, wanted!));
    // A read that started before this name was wanted does not know it: read once more.
    if (!result.names.has(name)) result = await this.flights.run(key, () => this.read(key, url, options, wanted!));
    return result.charts.get(name);
  }

  private async read(key: string, url: string, options: { auth?: SourceAuth; signal?: AbortSignal }, wanted: Set<string>): Promise<CachedIndex> {
    const names = new Set(wanted);
    const previous = this.byRepo.get(key);
    const indexUrl = resolveReferenceUrl(url, 'index.yaml');
    const reusable = previous && [...names].every((n) => previous.names.has(n));
    const headers: Record<string, string> = {};
    if (reusable && previous.etag) headers['if-none-match'] = previous.etag;
    if (reusable && previous.lastModified) headers['if-modified-since'] = previous.lastModified;
    const base: GetOptions = { auth: options.auth, maxBytes: MAX_INDEX_BYTES, what: 'repository index', signal: options.signal, headers };
    let scanner = new IndexScanner(names);
    let result;
    let charts: Map<string, IndexEntry[]>;
    try {
      try {
        result = await httpGet(indexUrl, { ...base, onChunk: (c) => scanner.push(c) });
        if (result.status === 200) charts = scanner.end();
      } catch (err) {
        if (!(err instanceof NeedsWholeParse)) throw err;
        // Not in the block layout: read it again, whole.
        scanner = new IndexScanner(names, true);
        result = await httpGet(indexUrl, { ...base, onChunk: (c) => scanner.push(c) });
        if (result.status === 200) charts = scanner.end();
      }
    } catch (err) {
      if (err instanceof IndexParseError) throw new ChartSourceError('SourceInvalid', `repository index ${displayUrl(indexUrl)}: ${err.message}; is ${displayUrl(url)} a Helm chart repository?`, false);
      throw err;
    }
    if (result.status === 304 && previous) {
      const renewed = { ...previous, readAt: Date.now() };
      this.byRepo.set(key, renewed);
      return renewed;
    }
    if (result.status !== 200) {
      const err = statusError(result, 'repository index', indexUrl);
      if (result.status === 404) throw new ChartSourceError('SourceInvalid', `${err.message}: there is no index.yaml there; spec.chart.repository.url (--repo) must be the repository's address, the directory holding index.yaml`, false);
      throw err;
    }
    this.reads++;
    const etag = result.headers.etag;
    const lastModified = result.headers['last-modified'];
    const entry: CachedIndex = { readAt: Date.now(), names, charts: charts!, ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
    this.byRepo.set(key, entry);
    return entry;
  }
}

const sameOrigin = (a: string, b: string) => {
  const x = new URL(a);
  const y = new URL(b);
  return x.protocol === y.protocol && x.host === y.host;
};

/** Resolves, downloads (or takes from the cache) and verifies a chart from a Helm HTTP repository. */
export async function fetchRepositoryChart(ref: RepositoryRef, options: RepositoryFetchOptions): Promise<FetchedChart> {
  const repo = displayUrl(ref.url);
  let parsed: URL;
  try {
    parsed = new URL(ref.url);
  } catch {
    throw new ChartSourceError('SourceInvalid', `repository URL ${JSON.stringify(ref.url)} is not a URL`, false);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ChartSourceError('SourceInvalid', `repository URL ${repo}: must start with https:// or http:// (for an OCI registry use oci://)`, false);
  }
  const entries = await options.indexes.entries(ref.url, ref.name, { auth: options.auth, maxAgeMs: options.maxAgeMs, signal: options.signal });
  if (!entries || entries.length === 0) {
    throw new ChartSourceError('VersionNotFound', `chart ${JSON.stringify(ref.name)} not found in repository ${repo}${entries ? ' (it has no usable versions)' : ''}; check the chart name`, false);
  }
  let version: string;
  try {
    version = pickVersion(entries.map((e) => e.version), ref.version);
  } catch (err) {
    if (err instanceof ChartSourceError) throw new ChartSourceError(err.reason, `chart ${JSON.stringify(ref.name)} in repository ${repo}: ${err.message}`, err.retryable);
    throw err;
  }
  const entry = entries.find((e) => e.version === version)!;
  const archiveUrl = resolveReferenceUrl(ref.url, entry.urls[0]!);
  const shown = displayUrl(archiveUrl);
  const maxBytes = options.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES;
  const { data } = await options.archives.getOrDownload(`${archiveUrl}\0${entry.digest ?? ''}`, entry.digest, async () => {
    const res = await httpGet(archiveUrl, {
      auth: options.auth,
      sendCredentials: options.passCredentials === true || sameOrigin(archiveUrl, ref.url),
      maxBytes,
      what: 'chart archive',
      signal: options.signal,
    });
    if (res.status !== 200) throw statusError(res, `chart ${ref.name} ${version}: archive`, archiveUrl);
    return res.body;
  });
  const actual = sha256Hex(data);
  if (entry.digest && actual !== entry.digest) {
    throw new ChartSourceError(
      'DigestMismatch',
      `chart ${ref.name} ${version}: archive ${shown} has digest sha256:${actual}, but repository ${repo} lists sha256:${entry.digest}; the archive was replaced or corrupted (republish the index with \`helm repo index\`)`,
      true,
    );
  }
  if (data.length < 3 || data[0] !== 0x1f || data[1] !== 0x8b) {
    throw new ChartSourceError('ArchiveInvalid', `chart ${ref.name} ${version}: archive ${shown} is not a gzipped chart package`, false);
  }
  options.archives.put(data);
  return { name: ref.name, version, digest: `sha256:${actual}`, source: shown, archive: data };
}
