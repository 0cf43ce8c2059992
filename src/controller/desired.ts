// What chart + values render to now: the chart loaded from its source, the values gathered in order
// (valuesFrom overlays, then spec.values), rendered with the cluster's discovery as .Capabilities and
// `lookup` reading the cluster (as the release's service account when it has one). The render
// engine's `lookup` is synchronous, as Helm's is; the cluster is asynchronous, so rendering runs
// again with every object the previous pass asked for fetched, until a pass asks for nothing new.
// Loading, values and rendering run in a render worker (src/sandbox/, render-job.ts) under the
// render limits; this thread only fetches the chart's bytes and the overlays' texts.
import { createHash } from 'node:crypto';
import { DEFAULT_CHART_CONFIGMAP_KEY, type ChartRelease, type ResolvedSpec } from '../api/index.js';
import { ChartLoadError, CoalesceError, SchemaValidationError, ValuesFileError } from '../chart/index.js';
import { isNotFound, resourcePath, NoKindMatchError, type Discovery, type KubeClient } from '../kube/index.js';
import { canonicalJson } from '../release/index.js';
import { RenderError } from '../render/index.js';
import { flattenValue, sharedRenderPool, unflattenValue, type ChartInput, type FlatValue, type RenderPool } from '../sandbox/index.js';
import { authFromSecret, fetchChart, sourceCaches, type ChartSourceRef, type SourceAuth } from '../source/index.js';
import { secretStrings } from '../redact/index.js';
import type { GoMap, GoValue } from '../template/value.js';
import { PathDigests } from './chart-digest.js';
import { RetryableError, StalledError } from './errors.js';
import type { ReleaseRenderInput, ReleaseRenderOutput, ValuesOverlay, WireRenderedRelease } from './render-job.js';
import { releaseManifest } from './render-job.js';

export { releaseManifest };

/** Digest and source of a chart fetched from a repository or registry. */
export interface ChartOrigin {
  digest: string;
  source: string;
}

/** The chart and the user's values, before rendering (read and parsed in the render worker). */
export interface ReleaseInputs {
  chart: ChartInput;
  /** What identifies the chart's content: the archive's sha256, or a digest of a directory's files. */
  chartDigest: string;
  /** Set for charts fetched from a repository or registry. */
  origin?: ChartOrigin;
  /** valuesFrom texts, in order. */
  overlays: ValuesOverlay[];
  /** spec.values, merged last. */
  specValues: GoMap;
  /** Under which key the strings of Secret overlays are registered for redaction (src/redact/). */
  secretsKey?: string;
}

/** A rendered release, ready to record and apply: the worker's render with its values as Go maps again. */
export interface RenderedRelease extends Omit<WireRenderedRelease, 'chartValues' | 'config'> {
  chartValues: GoMap;
  config: GoMap;
  /** Digest and source of the chart, recorded with the revision. */
  chartSource?: ChartOrigin;
  /** "sha256:<fingerprint>" of the render's inputs, when it did not read the cluster (`lookup`). */
  inputsDigest?: string;
}

async function getOrNull<T>(client: KubeClient, path: string): Promise<T | null> {
  try {
    return await client.get<T>(path);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

interface DataObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

/** Credentials from the Secret a chart source's secretRef names (never logged, never in messages). */
async function sourceAuth(client: KubeClient, cr: ChartRelease, secretName: string | undefined, field: string): Promise<SourceAuth | undefined> {
  if (!secretName) return undefined;
  const ns = cr.metadata.namespace;
  const secret = await getOrNull<DataObject>(client, `/api/v1/namespaces/${encodeURIComponent(ns)}/secrets/${encodeURIComponent(secretName)}`);
  if (!secret) throw new RetryableError('SecretNotFound', `Secret ${secretName} (${field}) does not exist in namespace ${ns}`);
  return authFromSecret(secretName, secret.data);
}

/** A chart from a repository or registry: fetched (or taken from the caches), verified, loaded. */
async function fetchFromSource(client: KubeClient, cr: ChartRelease, spec: ResolvedSpec): Promise<ChartFromSource> {
  let ref: ChartSourceRef;
  let auth: SourceAuth | undefined;
  const repo = spec.chart.repository;
  if (repo) {
    ref = { kind: 'repository', url: repo.url, name: repo.name, ...(repo.version ? { version: repo.version } : {}) };
    auth = await sourceAuth(client, cr, repo.secretRef?.name, 'spec.chart.repository.secretRef');
    if (repo.insecureSkipTLSVerify) auth = { ...auth, insecureSkipTLSVerify: true };
  } else if (spec.chart.oci) {
    const oci = spec.chart.oci;
    ref = {
      kind: 'oci',
      url: oci.url,
      ...(oci.version ? { version: oci.version } : {}),
      ...(oci.digest ? { digest: oci.digest } : {}),
      ...(oci.plainHTTP ? { plainHTTP: true } : {}),
      ...(oci.insecureSkipTLSVerify ? { insecureSkipTLSVerify: true } : {}),
    };
    auth = await sourceAuth(client, cr, oci.secretRef?.name, 'spec.chart.oci.secretRef');
  } else {
    throw new StalledError('ChartSourceInvalid', `spec.chart: no chart source this operator can fetch from (${spec.chartSourceKind})`);
  }
  // The index is read again once it is an interval old: a newly published version matching the
  // constraint becomes a new revision at the next resync.
  const fetched = await fetchChart(ref, { auth, maxAgeMs: spec.intervalMs, caches: sourceCaches() });
  return { chart: { archive: fetched.archive, digest: fetched.digest }, chartDigest: fetched.digest, origin: { digest: fetched.digest, source: fetched.source } };
}

interface ChartFromSource {
  chart: ChartInput;
  chartDigest: string;
  origin?: ChartOrigin;
}

/** Path charts' digests, kept per path (chart-digest.ts): unchanged files are not read again. */
const pathDigests = new PathDigests();

async function pathChart(path: string): Promise<ChartFromSource> {
  try {
    const { digest, bytes } = await pathDigests.digest(path);
    // The digest lets the render worker keep the loaded chart (and its parsed templates) for every release of it.
    return { chart: { path, digest, bytes }, chartDigest: digest };
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ChartLoadError(`${missing ? 'path' : 'cannot read'} ${JSON.stringify(path)}${missing ? ' not found' : `: ${(err as Error).message}`}`);
  }
}

async function loadChartFromSource(client: KubeClient, cr: ChartRelease, spec: ResolvedSpec): Promise<ChartFromSource> {
  if (spec.chart.path) return pathChart(spec.chart.path);
  if (!spec.chart.configMap) return fetchFromSource(client, cr, spec);
  const ref = spec.chart.configMap;
  const key = ref.key || DEFAULT_CHART_CONFIGMAP_KEY;
  const cm = await getOrNull<DataObject>(client, `/api/v1/namespaces/${encodeURIComponent(cr.metadata.namespace)}/configmaps/${encodeURIComponent(ref.name)}`);
  if (!cm) throw new RetryableError('ChartNotFound', `ConfigMap ${ref.name} (spec.chart.configMap) does not exist in namespace ${cr.metadata.namespace}`);
  const encoded = cm.binaryData?.[key];
  if (encoded === undefined) throw new StalledError('ChartNotFound', `ConfigMap ${ref.name} has no binaryData key ${JSON.stringify(key)} holding a packaged chart (.tgz)`);
  const archive = Buffer.from(encoded, 'base64');
  const digest = `sha256:${createHash('sha256').update(archive).digest('hex')}`;
  return { chart: { archive, digest }, chartDigest: digest };
}

/** The valuesFrom overlays' texts in order (parsed and merged in the render worker). */
async function gatherOverlays(client: KubeClient, cr: ChartRelease, spec: ResolvedSpec): Promise<ValuesOverlay[]> {
  const ns = cr.metadata.namespace;
  const overlays: ValuesOverlay[] = [];
  for (const [i, ref] of spec.valuesFrom.entries()) {
    const resource = ref.kind === 'ConfigMap' ? 'configmaps' : 'secrets';
    const obj = await getOrNull<DataObject>(client, `/api/v1/namespaces/${encodeURIComponent(ns)}/${resource}/${encodeURIComponent(ref.name)}`);
    const where = `${ref.kind} ${ref.name} key ${ref.key} (spec.valuesFrom[${i}])`;
    let text: string | undefined;
    if (obj) {
      const plain = ref.kind === 'ConfigMap' ? obj.data?.[ref.key] : undefined;
      const encoded = ref.kind === 'ConfigMap' ? obj.binaryData?.[ref.key] : obj.data?.[ref.key];
      text = plain ?? (encoded !== undefined ? Buffer.from(encoded, 'base64').toString('utf8') : undefined);
    }
    if (text === undefined) {
      if (ref.optional) continue;
      throw new RetryableError('ValuesNotFound', obj ? `${where}: the key does not exist` : `${where}: the ${ref.kind} does not exist in namespace ${ns}`);
    }
    overlays.push({ text, where, layer: `${ref.kind}/${ref.name} ${ref.key}`, secret: ref.kind === 'Secret' });
  }
  return overlays;
}

export async function loadInputs(client: KubeClient, cr: ChartRelease, spec: ResolvedSpec): Promise<ReleaseInputs> {
  const [chart, overlays] = await Promise.all([loadChartFromSource(client, cr, spec), gatherOverlays(client, cr, spec)]);
  return { ...chart, overlays, specValues: spec.values as GoMap, secretsKey: `${cr.metadata.namespace}/${cr.metadata.name}` };
}

export interface RenderContext {
  releaseName: string;
  namespace: string;
  revision: number;
  isUpgrade: boolean;
  discovery: Discovery;
  /** Client `lookup` reads with (the release's service account, when impersonating). */
  lookupClient: KubeClient;
  /** Renders kept per release, reused while nothing they depend on changed. */
  cache?: { store: RenderCache; key: string };
  /** Where renders run (default: the shared pool, see sandbox/). */
  pool?: RenderPool;
}

/**
 * What a render depends on when the chart makes no `lookup`: every file of the chart (and its
 * subcharts), the values, the release's name, namespace, revision and install/upgrade, and the
 * cluster's capabilities. Pure.
 */
export function renderFingerprint(inputs: ReleaseInputs, ctx: Pick<RenderContext, 'releaseName' | 'namespace' | 'revision' | 'isUpgrade'>, kubeVersion: string, apiVersions: readonly string[]): string {
  const hash = createHash('sha256');
  hash.update(`chart\0${inputs.chartDigest}\0`);
  for (const o of inputs.overlays) hash.update(`overlay\0${o.layer}\0${o.text.length}\0`).update(o.text);
  hash.update(canonicalJson(inputs.specValues));
  hash.update(`origin\0${inputs.origin?.digest ?? ''}\0${inputs.origin?.source ?? ''}\0`);
  hash.update(JSON.stringify([ctx.releaseName, ctx.namespace, ctx.revision, ctx.isUpgrade, kubeVersion, apiVersions]));
  return hash.digest('hex');
}

/**
 * The last render of each release and what it depended on. An unchanged release then costs no
 * render at its resync, and output that differs at every render (randAlphaNum, now) stays what was
 * rendered until something it depends on changes. Renders that used `lookup` are not kept: they
 * depend on the cluster too.
 */
export class RenderCache {
  private readonly entries = new Map<string, { fingerprint: string; rendered: RenderedRelease }>();

  get(key: string, fingerprint: string): RenderedRelease | undefined {
    const entry = this.entries.get(key);
    return entry?.fingerprint === fingerprint ? entry.rendered : undefined;
  }

  set(key: string, fingerprint: string, rendered: RenderedRelease): void {
    this.entries.set(key, { fingerprint, rendered });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

const MAX_LOOKUP_PASSES = 5;

const RENDER_JOB = new URL('./render-job.js', import.meta.url).href;

/** Errors a render worker throws that classifyError tells apart. */
const RENDER_ERRORS = [ChartLoadError, CoalesceError, SchemaValidationError, ValuesFileError, RenderError];

async function fetchLookup(ctx: RenderContext, key: string): Promise<GoValue> {
  const [apiVersion, kind, namespace, name] = JSON.parse(key) as [string, string, string, string];
  let mapping;
  try {
    mapping = await ctx.discovery.mapping(apiVersion, kind);
  } catch (err) {
    if (err instanceof NoKindMatchError) return {} as GoMap;
    throw err;
  }
  const path = resourcePath(mapping, { namespace: mapping.namespaced && namespace ? namespace : undefined, name: name || undefined });
  if (name) return ((await getOrNull<GoMap>(ctx.lookupClient, path)) ?? {}) as GoMap;
  const list = await ctx.lookupClient.get<GoMap>(path);
  return list as GoMap;
}

/** renderFingerprint with the cluster's capabilities, as "sha256:<hex>": what a render of `inputs` in `ctx` depends on. */
export async function inputsDigest(inputs: ReleaseInputs, ctx: Pick<RenderContext, 'releaseName' | 'namespace' | 'revision' | 'isUpgrade' | 'discovery'>): Promise<string> {
  const { gitVersion } = await ctx.discovery.serverVersion();
  return `sha256:${renderFingerprint(inputs, ctx, gitVersion, await ctx.discovery.apiVersions())}`;
}

/** Renders chart + config as Helm's install/upgrade does, `lookup` reading the cluster. */
export async function renderRelease(inputs: ReleaseInputs, ctx: RenderContext): Promise<RenderedRelease> {
  const { gitVersion } = await ctx.discovery.serverVersion();
  const apiVersions = await ctx.discovery.apiVersions();
  const fingerprint = ctx.cache ? renderFingerprint(inputs, ctx, gitVersion, apiVersions) : '';
  const cached = ctx.cache?.store.get(ctx.cache.key, fingerprint);
  if (cached) return cached;
  const pool = ctx.pool ?? sharedRenderPool();
  const fetched: [string, FlatValue][] = [];
  const input: ReleaseRenderInput = {
    chart: inputs.chart,
    overlays: inputs.overlays,
    specValues: flattenValue(inputs.specValues),
    releaseName: ctx.releaseName,
    namespace: ctx.namespace,
    revision: ctx.revision,
    isUpgrade: ctx.isUpgrade,
    kubeVersion: gitVersion,
    apiVersions: [...apiVersions],
    lookups: fetched,
    maxOutputBytes: pool.limits.maxOutputBytes,
  };
  let out: ReleaseRenderOutput | undefined;
  for (let pass = 0; pass < MAX_LOOKUP_PASSES; pass++) {
    try {
      out = await pool.run<ReleaseRenderInput, ReleaseRenderOutput>({
        module: RENDER_JOB,
        fn: 'renderReleaseJob',
        input,
        label: `chart ${inputs.origin?.source ?? ('path' in inputs.chart ? inputs.chart.path : inputs.chartDigest)} (release ${ctx.namespace}/${ctx.releaseName})`,
        errors: RENDER_ERRORS,
      });
    } catch (err) {
      // The Secret overlays' strings, read in the worker, are redacted from the error too.
      const secretValues = (err as { secretValues?: string[] }).secretValues;
      if (inputs.secretsKey && secretValues) secretStrings.set(inputs.secretsKey, secretValues);
      throw err;
    }
    if (inputs.secretsKey) secretStrings.set(inputs.secretsKey, out.secretValues);
    if (!('missing' in out)) break;
    for (const key of out.missing) fetched.push([key, flattenValue(await fetchLookup(ctx, key))]);
  }
  if (!out || 'missing' in out) throw new StalledError('TemplateError', `the chart's lookup calls did not settle after ${MAX_LOOKUP_PASSES} renders (each asked for objects the previous one had not)`);
  const { secretValues: _secrets, ...wire } = out.rendered;
  const rendered: RenderedRelease = {
    ...wire,
    chartValues: unflattenValue(wire.chartValues) as GoMap,
    config: unflattenValue(wire.config) as GoMap,
    ...(inputs.origin ? { chartSource: inputs.origin } : {}),
    ...(ctx.cache && fetched.length === 0 ? { inputsDigest: `sha256:${fingerprint}` } : {}),
  };
  if (ctx.cache && fetched.length === 0) ctx.cache.store.set(ctx.cache.key, fingerprint, rendered);
  return rendered;
}
