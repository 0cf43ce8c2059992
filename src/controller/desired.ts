// What chart + values render to now: the chart loaded from its source, the values gathered in order
// (valuesFrom overlays, then spec.values), rendered with the cluster's discovery as .Capabilities and
// `lookup` reading the cluster (as the release's service account when it has one). The render
// engine's `lookup` is synchronous, as Helm's is; the cluster is asynchronous, so rendering runs
// again with every object the previous pass asked for fetched, until a pass asks for nothing new.
import { createHash } from 'node:crypto';
import { DEFAULT_CHART_CONFIGMAP_KEY, type ChartRelease, type ResolvedSpec } from '../api/index.js';
import { loadChart, mergeMaps, readValuesFile, ValuesFileError, type Chart } from '../chart/index.js';
import { isNotFound, resourcePath, NoKindMatchError, type Discovery, type KubeClient } from '../kube/index.js';
import { canonicalJson, manifestDigest, valuesDigest, type ChartMetadata as RecordChartMetadata, type ReleaseHook } from '../release/index.js';
import { secretLeaves, secretStrings } from '../redact/index.js';
import { renderChart, type Lookup, type RenderResult } from '../render/index.js';
import { authFromSecret, fetchChart, loadFetchedChart, sourceCaches, type ChartSourceRef, type SourceAuth } from '../source/index.js';
import type { GoMap, GoValue } from '../template/value.js';
import { valuesWarnings, type ValuesLayer, type ValuesWarning } from '../provenance/index.js';
import { RetryableError, StalledError } from './errors.js';
import type { DesiredSummary } from './state.js';

/** Digest and source of a chart fetched from a repository or registry. */
export interface ChartOrigin {
  digest: string;
  source: string;
}

/** The chart and the user's values, before rendering. */
export interface ReleaseInputs {
  chart: Chart;
  /** Set for charts fetched from a repository or registry. */
  origin?: ChartOrigin;
  /** valuesFrom overlays and spec.values merged in order: what Helm stores as the release's config. */
  config: GoMap;
  /** The overlays `config` was merged from, in order (for values warnings). */
  layers?: ValuesLayer[];
}

/** A rendered release, ready to record and apply. */
export interface RenderedRelease {
  chartMetadata: RecordChartMetadata;
  chartValues: GoMap;
  config: GoMap;
  /** Helm's release manifest: `---\n# Source: path\ncontent\n` per document, in install order. */
  manifest: string;
  hooks: ReleaseHook[];
  notes: string;
  /** crds/ files: created before the manifest, never part of the inventory (Helm never deletes them). */
  crds: { name: string; text: string }[];
  summary: DesiredSummary;
  /** Overlay keys nothing reads and nulls that delete nothing (key paths and sources only). */
  valuesWarnings: ValuesWarning[];
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
async function fetchFromSource(client: KubeClient, cr: ChartRelease, spec: ResolvedSpec): Promise<{ chart: Chart; origin: ChartOrigin }> {
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
  return { chart: loadFetchedChart(fetched), origin: { digest: fetched.digest, source: fetched.source } };
}

async function loadChartFromSource(client: KubeClient, cr: ChartRelease, spec: ResolvedSpec): Promise<{ chart: Chart; origin?: ChartOrigin }> {
  if (spec.chart.path) return { chart: loadChart(spec.chart.path) };
  if (!spec.chart.configMap) return fetchFromSource(client, cr, spec);
  const ref = spec.chart.configMap;
  const key = ref.key || DEFAULT_CHART_CONFIGMAP_KEY;
  const cm = await getOrNull<DataObject>(client, `/api/v1/namespaces/${encodeURIComponent(cr.metadata.namespace)}/configmaps/${encodeURIComponent(ref.name)}`);
  if (!cm) throw new RetryableError('ChartNotFound', `ConfigMap ${ref.name} (spec.chart.configMap) does not exist in namespace ${cr.metadata.namespace}`);
  const encoded = cm.binaryData?.[key];
  if (encoded === undefined) throw new StalledError('ChartNotFound', `ConfigMap ${ref.name} has no binaryData key ${JSON.stringify(key)} holding a packaged chart (.tgz)`);
  return { chart: loadChart(Buffer.from(encoded, 'base64')) };
}

/** The valuesFrom overlays in order, then spec.values: the user's values. */
async function gatherValues(client: KubeClient, cr: ChartRelease, spec: ResolvedSpec): Promise<{ values: GoMap; layers: ValuesLayer[] }> {
  const ns = cr.metadata.namespace;
  let values: GoMap = {};
  const layers: ValuesLayer[] = [];
  // Every value read from a Secret is redacted from whatever the operator writes (src/redact/).
  const secretValues: string[] = [];
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
    try {
      const layer = readValuesFile(text, where);
      layers.push({ name: `${ref.kind}/${ref.name} ${ref.key}`, values: layer, text });
      if (ref.kind === 'Secret') secretStrings.set(`${ns}/${cr.metadata.name}`, secretLeaves(layer, secretValues));
      values = mergeMaps(values, layer);
    } catch (err) {
      if (!(err instanceof ValuesFileError)) throw err;
      // Never echo a Secret's content: only say where the problem is.
      const message = ref.kind === 'Secret' ? `${where}: not a valid YAML map of values` : err.message;
      throw new StalledError('ValuesInvalid', message);
    }
  }
  secretStrings.set(`${ns}/${cr.metadata.name}`, secretValues);
  layers.push({ name: 'spec.values', values: spec.values as GoMap });
  return { values: mergeMaps(values, spec.values as GoMap), layers };
}

export async function loadInputs(client: KubeClient, cr: ChartRelease, spec: ResolvedSpec): Promise<ReleaseInputs> {
  const [{ chart, origin }, { values: config, layers }] = await Promise.all([loadChartFromSource(client, cr, spec), gatherValues(client, cr, spec)]);
  return { chart, config, layers, ...(origin ? { origin } : {}) };
}

/** Chart.yaml as Helm's JSON stores it (empty fields left out, as Go's omitempty does). */
function recordChartMetadata(chart: Chart): RecordChartMetadata {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(chart.metadata)) {
    if (value === '' || value === false || value === null || (Array.isArray(value) && value.length === 0)) continue;
    if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) continue;
    out[key] = value;
  }
  return out as RecordChartMetadata;
}

export function releaseManifest(result: Pick<RenderResult, 'manifests'>): string {
  return result.manifests.map((m) => `---\n# Source: ${m.path}\n${m.content}\n`).join('');
}

function releaseHooks(result: Pick<RenderResult, 'hooks'>): ReleaseHook[] {
  return result.hooks.map((h) => ({
    name: h.head.name,
    kind: h.head.kind,
    path: h.path,
    manifest: h.content,
    events: h.events,
    last_run: { started_at: '', completed_at: '', phase: '' },
    weight: h.weight,
    delete_policies: h.deletePolicies,
    output_log_policies: h.outputLogPolicies,
  }));
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
}

/**
 * What a render depends on when the chart makes no `lookup`: every file of the chart (and its
 * subcharts), the values, the release's name, namespace, revision and install/upgrade, and the
 * cluster's capabilities. Pure.
 */
export function renderFingerprint(inputs: ReleaseInputs, ctx: Pick<RenderContext, 'releaseName' | 'namespace' | 'revision' | 'isUpgrade'>, kubeVersion: string, apiVersions: readonly string[]): string {
  const hash = createHash('sha256');
  const chart = (c: Chart) => {
    hash.update(`chart\0${canonicalJson(c.metadata)}\0${canonicalJson(c.values)}\0`);
    for (const f of [...c.templates, ...c.files]) hash.update(`${f.name}\0${f.data.length}\0`).update(f.data);
    if (c.schema) hash.update('schema\0').update(c.schema);
    for (const dep of c.dependencies) chart(dep);
    hash.update('end\0');
  };
  chart(inputs.chart);
  hash.update(canonicalJson(inputs.config));
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

/** A lookup that answers from `cache` and notes what it did not have. */
function cachedLookup(cache: Map<string, GoValue>, missing: Set<string>): Lookup {
  return (apiVersion, kind, namespace, name) => {
    const key = JSON.stringify([apiVersion, kind, namespace, name]);
    if (cache.has(key)) return cache.get(key)!;
    missing.add(key);
    return {} as GoMap;
  };
}

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
  const cache = new Map<string, GoValue>();
  let result: RenderResult | undefined;
  for (let pass = 0; pass < MAX_LOOKUP_PASSES && !result; pass++) {
    const missing = new Set<string>();
    try {
      result = renderChart(inputs.chart, {
        values: inputs.config,
        releaseName: ctx.releaseName,
        namespace: ctx.namespace,
        revision: ctx.revision,
        isUpgrade: ctx.isUpgrade,
        kubeVersion: gitVersion,
        apiVersions,
        replaceApiVersions: true,
        lookup: cachedLookup(cache, missing),
      });
    } catch (err) {
      // A template may fail on the empty answer a lookup got in this pass (`$secret.data.password`).
      if (missing.size === 0) throw err;
    }
    if (missing.size > 0) result = undefined;
    for (const key of missing) cache.set(key, await fetchLookup(ctx, key));
  }
  if (!result) throw new StalledError('TemplateError', `the chart's lookup calls did not settle after ${MAX_LOOKUP_PASSES} renders (each asked for objects the previous one had not)`);
  const manifest = releaseManifest(result);
  const chartMetadata = recordChartMetadata(result.chart);
  const rendered: RenderedRelease = {
    chartMetadata,
    chartValues: inputs.chart.values,
    config: inputs.config,
    manifest,
    hooks: releaseHooks(result),
    notes: result.notes,
    crds: result.crds.map((c) => ({ name: c.filename, text: c.file.data.toString('utf8') })),
    summary: {
      chart: { name: chartMetadata.name, version: chartMetadata.version, ...(chartMetadata.appVersion ? { appVersion: chartMetadata.appVersion } : {}) },
      manifestDigest: manifestDigest(manifest),
      valuesDigest: valuesDigest(inputs.config),
    },
    valuesWarnings: valuesWarnings(inputs.chart, inputs.layers ?? []),
    ...(inputs.origin ? { chartSource: inputs.origin } : {}),
    ...(ctx.cache && cache.size === 0 ? { inputsDigest: `sha256:${fingerprint}` } : {}),
  };
  if (ctx.cache && cache.size === 0) ctx.cache.store.set(ctx.cache.key, fingerprint, rendered);
  return rendered;
}
