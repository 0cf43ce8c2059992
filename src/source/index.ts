// Chart sources: where a chart comes from when it is not on the local file system. One entry point,
// fetchChart(), dispatches on the kind of source; each kind lives in its own file (http-repo.ts for
// Helm HTTP repositories, oci*.ts for OCI registries) and returns a FetchedChart (types.ts), verified
// against its digest. loadFetchedChart() turns that into a loaded Chart through the in-memory cache.
import { ChartLoadError, type Chart, type LoadOptions } from '../chart/index.js';
import { ArchiveCache, loadChartByDigest, type ArchiveCacheOptions } from './cache.js';
import { fetchRepositoryChart, RepositoryIndexCache, type RepositoryRef } from './http-repo.js';
import { OciRegistryCache } from './oci-cache.js';
import { fetchOciChart, type OciChartSource } from './oci.js';
import { ChartSourceError, type FetchedChart, type SourceAuth } from './types.js';

export * from './types.js';
export { pickVersion, satisfies, sortVersionsDescending, nearestVersions } from './versions.js';
export { ArchiveCache, loadChartByDigest, SingleFlight, DEFAULT_CACHE_DIR, DEFAULT_CACHE_MAX_BYTES } from './cache.js';
export { authFromSecret, authFromFlags, authFingerprint } from './credentials.js';
export { displayUrl } from './http.js';
export { fetchRepositoryChart, RepositoryIndexCache, resolveReferenceUrl, type RepositoryRef } from './http-repo.js';
export { fetchOciChart, resolveOciChart, type OciChartSource, type OciFetchOptions } from './oci.js';
export { OciRegistryCache, TAG_LIST_MAX_AGE_MS } from './oci-cache.js';
export { ociRequest, parseOciReference } from './oci-reference.js';

/** A chart to fetch, by kind of source. Add a kind here and a case in fetchChart. */
export type ChartSourceRef = ({ kind: 'repository' } & RepositoryRef) | ({ kind: 'oci' } & OciChartSource);

/** What every fetch shares: caches, credentials, how old an index may be, cancellation. */
export interface FetchContext {
  auth?: SourceAuth;
  /** A repository index read less than this long ago is used as it is; an OCI tag list too, up to 30 s. */
  maxAgeMs?: number;
  /** Send credentials to every host an archive is on, not only the repository's (helm's --pass-credentials). */
  passCredentials?: boolean;
  signal?: AbortSignal;
  caches: SourceCaches;
}

/** The caches of one process (the operator keeps one for its lifetime; the CLI one per run). */
export interface SourceCaches {
  archives: ArchiveCache;
  indexes: RepositoryIndexCache;
  /** OCI registries' tokens and tag lists, per repository and credentials. */
  registries: OciRegistryCache;
}

export function createSourceCaches(options: ArchiveCacheOptions = {}): SourceCaches {
  return { archives: new ArchiveCache(options), indexes: new RepositoryIndexCache(), registries: new OciRegistryCache() };
}

let processCaches: SourceCaches | undefined;

/** Sets where the process caches archives (`chartrelease operator --cache-dir`); call before the first fetch. */
export function configureSourceCaches(options: ArchiveCacheOptions): void {
  processCaches = createSourceCaches(options);
}

/** The caches every release of this process shares. */
export function sourceCaches(): SourceCaches {
  return (processCaches ??= createSourceCaches());
}

/** Fetches and verifies the chart `ref` names. Throws ChartSourceError. */
export async function fetchChart(ref: ChartSourceRef, ctx: FetchContext): Promise<FetchedChart> {
  switch (ref.kind) {
    case 'repository':
      return fetchRepositoryChart(ref, { auth: ctx.auth, passCredentials: ctx.passCredentials, maxAgeMs: ctx.maxAgeMs, signal: ctx.signal, archives: ctx.caches.archives, indexes: ctx.caches.indexes });
    case 'oci':
      return fetchOciChart(ref, {
        ...(ctx.auth ? { auth: ctx.auth } : {}),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        archives: ctx.caches.archives,
        registries: ctx.caches.registries,
        tagListMaxAgeMs: ctx.maxAgeMs ?? 0,
      });
  }
}

/**
 * The fetched chart, loaded (or taken from memory when a chart with its digest was loaded before).
 * An archive the loader refuses (corrupt, over the unpacked size limit, not a chart) is ArchiveInvalid
 * naming where it came from.
 */
export function loadFetchedChart(fetched: FetchedChart, options: LoadOptions = {}): Chart {
  try {
    return loadChartByDigest(fetched.digest, fetched.archive, options);
  } catch (err) {
    if (!(err instanceof ChartLoadError)) throw err;
    throw new ChartSourceError('ArchiveInvalid', `chart ${fetched.name} ${fetched.version} from ${fetched.source}: ${err.message}`, false);
  }
}
