// Rendering a chart as `helm template` / `helm install` do (pkg/action, pkg/engine): dependencies
// processed for the user's values, values coalesced and validated against the schemas, one root
// context per chart (shared by its files, so `set` on .Values is seen by files rendered later), all
// files of all charts parsed into one template set (deepest paths first, then reverse-alphabetical,
// which decides which `define` wins), every non-partial file executed, `<no value>` removed, NOTES
// set aside, the rest split into manifests and hooks in install order.
import {
  CoalesceError, coalesceValues, crdFiles, deepCopyValues, isCompatibleRange, processDependencies, validateValues,
  type Chart, type CrdFile, type Warn,
} from '../chart/index.js';
import { TemplateOutputLimitError, TemplateSet, formatSize, goStringFromBytes, isMap, mapGet, withGoType, type GoMap, type GoValue } from '../template/index.js';
import {
  DEFAULT_API_VERSIONS, DEFAULT_KUBE_VERSION, capabilitiesObject, chartObject, parseKubeVersion, releaseObject, templateObject,
} from './builtins.js';
import { ManifestHeadCache } from '../goyaml/index.js';
import { filesObject } from './files.js';
import { formatHelmError } from './helm-errors.js';
import { helmFuncs, type Lookup } from './funcs.js';
import { sortManifests, type Hook, type Manifest } from './manifests.js';

export interface RenderOptions {
  /** User values (-f files, --set ..., valuesFrom, spec.values), already merged; not modified. */
  values?: GoMap;
  releaseName?: string;
  namespace?: string;
  revision?: number;
  isUpgrade?: boolean;
  /** `1.31.0` or `v1.31.0`; default v1.35.0 as helm 4.1.4 without a cluster. */
  kubeVersion?: string;
  /** Extra API versions (`--api-versions`), or the cluster's full list when `replaceApiVersions`. */
  apiVersions?: readonly string[];
  /** Use `apiVersions` instead of Helm's defaults (what discovery of a real cluster gives). */
  replaceApiVersions?: boolean;
  lookup?: Lookup;
  warn?: Warn;
  /** Largest rendered output (characters of every template together); a render past it fails. Default: unlimited. */
  maxOutputBytes?: number;
  /** Told the path of each template before it executes (the render sandbox names it when a limit is hit). */
  onTemplate?: (path: string) => void;
}

export interface RenderResult {
  manifests: Manifest[];
  hooks: Hook[];
  /** The root chart's rendered NOTES.txt ('' when none). */
  notes: string;
  /** crds/ files of the chart and its enabled subcharts. */
  crds: CrdFile[];
  /** The coalesced values the templates saw (before templates mutated them). */
  values: GoMap;
  /** The chart after dependency processing (enabled subcharts only, aliases applied). */
  chart: Chart;
}

/** An error in rendering (template, YAML of a rendered document, kubeVersion) — helm adds a --debug hint. */
export class RenderError extends Error {
  override name = 'RenderError';
  /** For a rendered document that is not valid YAML: every rendered file (what `--debug` prints). */
  renderedFiles?: ReadonlyMap<string, string>;
}

interface Renderable {
  text: string;
  context: GoMap;
  basePath: string;
}

/** Helm's sortTemplates: more path segments first, then reverse lexicographic (byte) order. */
export function sortTemplatePaths(paths: Iterable<string>): string[] {
  const depth = (p: string) => p.split('/').length;
  return [...paths].sort((a, b) => depth(b) - depth(a) || Buffer.compare(Buffer.from(b), Buffer.from(a)));
}

/** recAllTpls: the root context per chart and every template file, keyed by its full path. */
function collectTemplates(chart: Chart, parentValues: GoMap, isRoot: boolean, chartPath: string, release: GoMap, capabilities: GoValue, out: Map<string, Renderable>): GoMap {
  const subcharts: GoMap = {};
  let values: GoMap = {};
  if (isRoot) values = parentValues;
  else {
    // values.Table("Values.NAME"): the parent's section for this chart, the same map (not a copy).
    const own = mapGet(parentValues, chart.metadata.name);
    if (isMap(own)) values = own;
  }
  const context: GoMap = withGoType({
    Chart: chartObject(chart.metadata, isRoot),
    Files: filesObject(chart.files),
    Release: release,
    Capabilities: capabilities,
    Values: values,
    Subcharts: subcharts,
  }, 'common.Values');
  for (const dep of chart.dependencies) {
    subcharts[dep.metadata.name] = collectTemplates(dep, values, false, `${chartPath}/charts/${dep.metadata.name}`, release, capabilities, out);
  }
  const library = chart.metadata.type.toLowerCase() === 'library';
  for (const t of chart.templates) {
    if (library && !t.name.slice(t.name.lastIndexOf('/') + 1).startsWith('_')) continue;
    out.set(`${chartPath}/${t.name}`, { text: goStringFromBytes(t.data), context, basePath: `${chartPath}/templates` });
  }
  return context;
}

interface ParsedTemplates {
  set: TemplateSet;
  /** The lookup of the render running now (the set's `lookup` function asks for it). */
  lookup: Lookup | undefined;
  /** Heads of documents this chart rendered before (most documents do not change between renders). */
  heads: ManifestHeadCache;
}

/**
 * How many characters of rendered documents a chart's head cache keeps: the largest render of the
 * corpus (argo-cd, about 2 MB) fits. Releases of one chart share the loaded chart and so this cache,
 * and their documents differ (names): a larger bound only grows the operator by every release's documents.
 */
const HEAD_CACHE_CHARS = 4 * 1024 * 1024;

// Parsed template sets per loaded chart, keyed by the template paths (which subcharts are enabled,
// under which names): the texts of a loaded chart never change, so parsing once is enough.
const parseCache = new WeakMap<Chart, Map<string, ParsedTemplates>>();

/** All templates parsed into one set in Helm's order (later definitions win, empty ones never do). */
function parsedTemplates(chart: Chart, order: readonly string[], templates: ReadonlyMap<string, Renderable>): ParsedTemplates {
  let byPaths = parseCache.get(chart);
  if (!byPaths) parseCache.set(chart, (byPaths = new Map()));
  const key = order.join('\n');
  let parsed = byPaths.get(key);
  if (!parsed) {
    const set = new TemplateSet({}, { name: 'gotpl' });
    const entry: ParsedTemplates = { set, lookup: undefined, heads: new ManifestHeadCache(HEAD_CACHE_CHARS) };
    set.addFuncs(helmFuncs(set, () => entry.lookup));
    for (const path of order) set.parse(path, templates.get(path)!.text);
    byPaths.set(key, (parsed = entry));
  }
  return parsed;
}

/** Renders a loaded chart: manifests, hooks, notes and CRDs, as `helm template` computes them. */
export function renderChart(chart: Chart, options: RenderOptions = {}): RenderResult {
  const warn: Warn = options.warn ?? (() => {});
  const userValues = options.values ?? {};
  let processed: Chart;
  try {
    processed = processDependencies(chart, userValues, warn);
  } catch (err) {
    // helm install: `chart dependencies processing failed: ...`, logged and returned.
    if (!(err instanceof CoalesceError)) throw err;
    warn('chart dependencies processing failed', 'ERROR', { error: err.message });
    throw new CoalesceError(`chart dependencies processing failed: ${err.message}`, { cause: err });
  }
  const kube = parseKubeVersion(options.kubeVersion ?? DEFAULT_KUBE_VERSION);
  const apiVersions = options.replaceApiVersions ? [...(options.apiVersions ?? [])] : [...DEFAULT_API_VERSIONS, ...(options.apiVersions ?? [])];
  const capabilities = capabilitiesObject(kube, apiVersions);

  const values = coalesceValues(processed, userValues, warn);
  validateValues(processed, values);

  const md = processed.metadata;
  if (md.kubeVersion !== '' && !isCompatibleRange(md.kubeVersion, kube.normalized)) {
    throw new RenderError(`chart requires kubeVersion: ${md.kubeVersion} which is incompatible with Kubernetes ${kube.normalized}`);
  }

  const release = releaseObject({
    name: options.releaseName ?? 'release-name',
    namespace: options.namespace ?? 'default',
    revision: options.revision ?? 1,
    isUpgrade: options.isUpgrade ?? false,
  });
  // Templates may mutate .Values (set, merge): they get their own copy of the coalesced values.
  const renderValues = withGoType(deepCopyValues(values), 'common.Values');
  const templates = new Map<string, Renderable>();
  collectTemplates(processed, renderValues, true, md.name, release, capabilities, templates);

  const order = sortTemplatePaths(templates.keys());
  const rendered = new Map<string, string>();
  let parsed: ParsedTemplates;
  let current = '';
  try {
    parsed = parsedTemplates(chart, order, templates);
    parsed.lookup = options.lookup;
    const set = parsed.set;
    const maxOutput = options.maxOutputBytes ?? Infinity;
    let total = 0;
    for (const path of order) {
      current = path;
      if (path.slice(path.lastIndexOf('/') + 1).startsWith('_')) continue;
      const t = templates.get(path)!;
      t.context.Template = templateObject(path, t.basePath);
      options.onTemplate?.(path);
      set.setOutputLimit(maxOutput - total);
      const text = set.execute(path, t.context).replaceAll('<no value>', '');
      total += text.length;
      if (total > maxOutput) throw new TemplateOutputLimitError(path, maxOutput);
      rendered.set(path, text);
    }
  } catch (err) {
    if (err instanceof TemplateOutputLimitError) {
      throw new RenderError(`rendered output exceeds ${formatSize(options.maxOutputBytes!)} (chart ${md.name}, template ${current})`, { cause: err });
    }
    throw new RenderError(formatHelmError(err), { cause: err });
  }

  const notesPath = `${md.name}/templates/NOTES.txt`;
  const notes = rendered.get(notesPath) ?? '';
  for (const path of [...rendered.keys()]) if (path.endsWith('NOTES.txt')) rendered.delete(path);

  let sorted;
  try {
    const heads = parsed.heads;
    sorted = sortManifests(rendered, warn, (doc) => heads.read(doc));
  } catch (err) {
    const error = new RenderError((err as Error).message, { cause: err });
    error.renderedFiles = rendered;
    throw error;
  }
  return { ...sorted, notes, crds: crdFiles(processed), values, chart: processed };
}
