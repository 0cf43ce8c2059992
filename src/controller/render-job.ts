// What runs in a render worker for the operator (src/sandbox/): the chart loaded (once per digest
// per worker), the values overlays read and merged over spec.values, one render with the `lookup`
// answers fetched so far. A render that asked for objects it did not have answers `missing`, and the
// operator's thread fetches them and asks again (desired.ts).
import { mergeMaps, readValuesFile, ValuesFileError, type Chart } from '../chart/index.js';
import { manifestDigest, valuesDigest } from '../release/codec.js';
import type { ChartMetadata as RecordChartMetadata, ReleaseHook } from '../release/types.js';
import { renderChart, type Lookup, type RenderResult } from '../render/index.js';
import { loadChartInput, type ChartInput } from '../sandbox/charts.js';
import { flattenValue, unflattenValue, type FlatValue } from '../sandbox/codec.js';
import type { GoMap, GoValue } from '../template/value.js';
import { secretLeaves } from '../redact/index.js';
import { valuesWarnings, type ValuesLayer, type ValuesWarning } from '../provenance/index.js';
import type { DesiredSummary } from './state.js';

/** A valuesFrom entry's text, read by the operator, parsed in the worker. */
export interface ValuesOverlay {
  text: string;
  /** `ConfigMap NAME key KEY (spec.valuesFrom[i])`, for errors. */
  where: string;
  /** `ConfigMap/NAME KEY`, for values warnings. */
  layer: string;
  /** A Secret's content is never echoed in errors. */
  secret: boolean;
}

export interface ReleaseRenderInput {
  chart: ChartInput;
  overlays: ValuesOverlay[];
  specValues: FlatValue;
  releaseName: string;
  namespace: string;
  revision: number;
  isUpgrade: boolean;
  kubeVersion: string;
  apiVersions: string[];
  /** `lookup` answers fetched so far: [JSON [apiVersion, kind, namespace, name], value]. */
  lookups: [string, FlatValue][];
  maxOutputBytes: number;
}

/** A render as it leaves the worker (values flattened, see sandbox/codec.ts). */
export interface WireRenderedRelease {
  chartMetadata: RecordChartMetadata;
  chartValues: FlatValue;
  config: FlatValue;
  /** Helm's release manifest: `---\n# Source: path\ncontent\n` per document, in install order. */
  manifest: string;
  hooks: ReleaseHook[];
  notes: string;
  /** crds/ files: created before the manifest, never part of the inventory (Helm never deletes them). */
  crds: { name: string; text: string }[];
  summary: DesiredSummary;
  /** Overlay keys nothing reads and nulls that delete nothing (key paths and sources only). */
  valuesWarnings: ValuesWarning[];
}

/** `secretValues`: the strings of Secret overlays, for redaction on the operator's thread (also set on a thrown error). */
export type ReleaseRenderOutput = ({ missing: string[] } | { rendered: WireRenderedRelease & { secretValues: string[] } }) & { secretValues: string[] };


/** Chart.yaml as Helm's JSON stores it (empty fields left out, as Go's omitempty does). */
export function recordChartMetadata(chart: Chart): RecordChartMetadata {
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

/** The valuesFrom overlays in order, then spec.values: the user's values. */
function userValues(overlays: readonly ValuesOverlay[], specValues: GoMap, secretValues: string[]): { config: GoMap; layers: ValuesLayer[] } {
  let values: GoMap = {};
  const layers: ValuesLayer[] = [];
  for (const o of overlays) {
    try {
      const layer = readValuesFile(o.text, o.where);
      layers.push({ name: o.layer, values: layer, text: o.text });
      if (o.secret) secretLeaves(layer, secretValues);
      values = mergeMaps(values, layer);
    } catch (err) {
      if (!(err instanceof ValuesFileError) || !o.secret) throw err;
      // Never echo a Secret's content: only say where the problem is.
      throw new ValuesFileError(`${o.where}: not a valid YAML map of values`);
    }
  }
  layers.push({ name: 'spec.values', values: specValues });
  return { config: mergeMaps(values, specValues), layers };
}

/** The worker's job: one render pass. */
export function renderReleaseJob(input: ReleaseRenderInput, progress: (what: string) => void): ReleaseRenderOutput {
  const secretValues: string[] = [];
  try {
    return renderPass(input, progress, secretValues);
  } catch (err) {
    if (err instanceof Error) Object.assign(err, { secretValues });
    throw err;
  }
}

function renderPass(input: ReleaseRenderInput, progress: (what: string) => void, secretValues: string[]): ReleaseRenderOutput {
  const { config, layers } = userValues(input.overlays, unflattenValue(input.specValues) as GoMap, secretValues);
  const chart = loadChartInput(input.chart);
  const answers = new Map<string, GoValue>(input.lookups.map(([k, v]) => [k, unflattenValue(v)]));
  const missing = new Set<string>();
  const lookup: Lookup = (apiVersion, kind, namespace, name) => {
    const key = JSON.stringify([apiVersion, kind, namespace, name]);
    if (answers.has(key)) return answers.get(key)!;
    missing.add(key);
    return {} as GoMap;
  };
  let result: RenderResult;
  try {
    result = renderChart(chart, {
      values: config,
      releaseName: input.releaseName,
      namespace: input.namespace,
      revision: input.revision,
      isUpgrade: input.isUpgrade,
      kubeVersion: input.kubeVersion,
      apiVersions: input.apiVersions,
      replaceApiVersions: true,
      lookup,
      maxOutputBytes: input.maxOutputBytes,
      onTemplate: progress,
    });
  } catch (err) {
    // A template may fail on the empty answer a lookup got in this pass (`$secret.data.password`).
    if (missing.size === 0) throw err;
  }
  if (missing.size > 0) return { missing: [...missing], secretValues };
  const manifest = releaseManifest(result!);
  const chartMetadata = recordChartMetadata(result!.chart);
  return {
    rendered: {
      chartMetadata,
      chartValues: flattenValue(chart.values),
      config: flattenValue(config),
      manifest,
      hooks: releaseHooks(result!),
      notes: result!.notes,
      crds: result!.crds.map((c) => ({ name: c.filename, text: c.file.data.toString('utf8') })),
      summary: {
        chart: { name: chartMetadata.name, version: chartMetadata.version, ...(chartMetadata.appVersion ? { appVersion: chartMetadata.appVersion } : {}) },
        manifestDigest: manifestDigest(manifest),
        valuesDigest: valuesDigest(config),
      },
      valuesWarnings: valuesWarnings(chart, layers),
      secretValues,
    },
    secretValues,
  };
}
