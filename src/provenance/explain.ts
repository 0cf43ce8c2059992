// Values provenance: the values Helm computes (chart defaults, subcharts, each overlay in order,
// --set), every leaf annotated with the source that set it (`values.production.yaml:4`), and the two
// silent mistakes warned about: an overlay key that neither the chart's values.yaml has nor any
// template reads (with the nearest existing key), and a null that deletes nothing. Pure: the chart
// and the overlays' texts in, the explanation out.
import { coalesceValues, processDependencies, type Chart, type Warn } from '../chart/index.js';
import { isMap, type GoMap, type GoValue } from '../template/value.js';
import { keyLines } from './lines.js';
import { formatPath, leaves, pathKey, sameValue, valueAt, type KeyPath } from './paths.js';
import { chartReads, readKeysUnder, readStatus, type ReadStatus, type TemplateReads } from './reads.js';
import { nearestKey } from './suggest.js';

/** One overlay of user values, in the order Helm merges them. */
export interface ValuesLayer {
  /** How sources are named: a file path, `--set`, `ConfigMap app-values key values.yaml (spec.valuesFrom[0])`. */
  name: string;
  values: GoMap;
  /** The file's text, for line numbers (none for --set or spec.values). */
  text?: string;
}

export interface LeafSource {
  path: string[];
  value: GoValue;
  /** `values.yaml:12`, `values.production.yaml:4`, `--set`, `charts/redis/values.yaml:30`. */
  source: string;
}

export interface ValuesWarning {
  kind: 'UnusedKey' | 'NullDeletesNothing';
  /** The key path, dotted (never a value). */
  path: string;
  /** Where the key is written (`values.production.yaml:4`). */
  source: string;
  suggestion?: string;
  /** One line, key paths and sources only. */
  message: string;
}

export interface ExplainedValues {
  /** The coalesced values, as Helm computes them (what `helm install --dry-run --debug` prints as COMPUTED VALUES). */
  values: GoMap;
  /** Every leaf (scalars, lists, empty maps) of `values`, in key order, with its source. */
  leaves: LeafSource[];
  warnings: ValuesWarning[];
}

/** A chart in the tree, with the key its values live under and its templates' reads. */
interface Scope {
  chart: Chart;
  label: string;
  /** Key lines of the chart's values.yaml, read when first cited (warnings never need them). */
  readonly lines: Map<string, number>;
  reads: TemplateReads;
  children: Map<string, Scope>;
}

function buildScope(chart: Chart, label: string): Scope {
  let lines: Map<string, number> | undefined;
  const scope: Scope = {
    chart,
    label,
    get lines() {
      return (lines ??= keyLines(chart.valuesText ?? ''));
    },
    reads: copyReads(chartReads(chart)),
    children: new Map(),
  };
  const byName = new Map(chart.dependencies.map((c) => [c.metadata.name, c]));
  const keys = new Map<string, Chart>(byName);
  for (const dep of chart.metadata.dependencies ?? []) {
    const sub = byName.get(dep.name);
    if (sub && dep.alias) keys.set(dep.alias, sub);
  }
  for (const [key, sub] of keys) {
    const child = buildScope(sub, `${label.slice(0, -'values.yaml'.length)}charts/${key}/values.yaml`);
    scope.children.set(key, child);
    // A library's templates run with the including chart's values.
    if (sub.metadata.type.toLowerCase() === 'library') {
      scope.reads.chains.push(...child.reads.chains);
      for (const f of child.reads.fields) scope.reads.fields.add(f);
    }
  }
  return scope;
}

/** A copy the scope may extend (a library's reads are added to its includer's). */
function copyReads(reads: TemplateReads): TemplateReads {
  return { chains: [...reads.chains], fields: new Set(reads.fields) };
}

function allScopes(scope: Scope): Scope[] {
  return [scope, ...[...scope.children.values()].flatMap(allScopes)];
}

interface Found {
  scope: Scope;
  path: KeyPath;
  value: GoValue;
}

/** `values.yaml:12` (the line read only now: warnings need no chart lines). */
function cite(f: Found): string {
  const line = f.scope.lines.get(pathKey(f.path));
  return line === undefined ? f.scope.label : `${f.scope.label}:${line}`;
}

/**
 * The chart defaults for `path` (relative to `scope`), in precedence order: the chart's own
 * values.yaml (a parent's section for a subchart wins), then the subchart's, and for `global`
 * keys the globals every chart above passes down.
 */
function defaultsAt(scope: Scope, path: KeyPath): Found[] {
  const out: Found[] = [];
  const own = (s: Scope, p: KeyPath) => {
    const value = valueAt(s.chart.values, p);
    if (value !== undefined) out.push({ scope: s, path: p, value });
  };
  own(scope, path);
  const child = path.length > 0 ? scope.children.get(path[0]!) : undefined;
  if (child) {
    if (path[1] === 'global') own(scope, path.slice(1));
    out.push(...defaultsAt(child, path.slice(1)));
  }
  return out;
}

/** Variants of a final path a value may have come from: for `a.b.global.x` also `a.global.x` and `global.x` (globals flow down). */
function globalVariants(root: Scope, path: KeyPath): string[][] {
  const out: string[][] = [[...path]];
  let scope: Scope | undefined = root;
  const chainKeys: string[] = [];
  for (let i = 0; i < path.length && scope; i++) {
    if (path[i] === 'global') {
      for (let j = 0; j < chainKeys.length; j++) out.push([...chainKeys.slice(0, j), ...path.slice(i)]);
      break;
    }
    chainKeys.push(path[i]!);
    scope = scope.children.get(path[i]!);
  }
  return out;
}

/** How the templates read `path`: the best of the charts whose values it reaches, and globals everywhere. */
function pathReadStatus(root: Scope, path: KeyPath): ReadStatus {
  const rank = { none: 0, partial: 1, whole: 2 } as const;
  let best: ReadStatus = 'none';
  const consider = (s: ReadStatus) => {
    if (rank[s] > rank[best]) best = s;
  };
  let scope: Scope | undefined = root;
  for (let i = 0; i <= path.length && scope; i++) {
    const rest = path.slice(i);
    if (rest.length === 0) break;
    consider(readStatus(scope.reads, rest));
    if (rest[0] === 'global') for (const s of allScopes(root)) consider(readStatus(s.reads, rest));
    scope = scope.children.get(path[i]!);
  }
  return best;
}

/** Keys a user might have meant instead of `path`'s last key: defaults and template reads at the same place. */
function siblings(root: Scope, path: KeyPath): string[] {
  const parent = path.slice(0, -1);
  const out: string[] = [];
  for (const found of defaultsAt(root, parent)) if (isMap(found.value)) out.push(...Object.keys(found.value));
  let scope: Scope | undefined = root;
  for (let i = 0; i <= parent.length && scope; i++) {
    out.push(...readKeysUnder(scope.reads, parent.slice(i)));
    if (i === 0 && parent.length === 0) out.push(...scope.children.keys());
    scope = scope.children.get(parent[i]!);
  }
  return out;
}

function hasDefault(root: Scope, path: KeyPath): boolean {
  if (defaultsAt(root, path).length > 0) return true;
  // A subchart's own key (`redis`) exists even when the parent's values.yaml has no section for it.
  let scope: Scope | undefined = root;
  for (const segment of path) scope = scope?.children.get(segment);
  if (scope) return true;
  // globals: any chart of the tree may define them.
  const g = path.indexOf('global');
  return g >= 0 && allScopes(root).some((s) => valueAt(s.chart.values, path.slice(g)) !== undefined);
}

function layerCite(layer: ValuesLayer, lines: Map<string, number> | undefined, path: KeyPath): string {
  const line = lines?.get(pathKey(path));
  return line === undefined ? layer.name : `${layer.name}:${line}`;
}

/**
 * The coalesced values with the source of every leaf and the warnings. `userValues` are the merged
 * user values exactly as rendering gets them; `layers` are the overlays they were merged from, in
 * order (the last wins), used to say who set what.
 */
export function explainValues(chart: Chart, userValues: GoMap, layers: readonly ValuesLayer[], warn: Warn = () => {}): ExplainedValues {
  const processed = processDependencies(chart, userValues, warn);
  const values = coalesceValues(processed, userValues, warn);
  const root = buildScope(chart, 'values.yaml');
  const layerLines = layers.map((l) => (l.text !== undefined ? keyLines(l.text) : undefined));

  const sourceOf = (path: string[], value: GoValue): string => {
    const variants = globalVariants(root, path);
    // The last overlay holding this very value set it; then the chart's defaults.
    for (let i = layers.length - 1; i >= 0; i--) {
      for (const v of variants) if (sameValue(valueAt(layers[i]!.values, v), value)) return layerCite(layers[i]!, layerLines[i], v);
    }
    for (const v of variants) for (const found of defaultsAt(root, v)) if (sameValue(found.value, value)) return cite(found);
    // Merged from more than one source (`--set list[1]=x` on a file's list): the last overlay that has the key.
    for (let i = layers.length - 1; i >= 0; i--) if (valueAt(layers[i]!.values, path) !== undefined) return layerCite(layers[i]!, layerLines[i], path);
    if (valueAt(processed.values, path) !== undefined) return 'import-values';
    return 'computed';
  };

  const warnings = warningsFor(root, layers, layerLines);
  return { values, leaves: leaves(values).map((l) => ({ ...l, source: sourceOf(l.path, l.value) })), warnings };
}

/**
 * The warnings alone (what the operator reports): overlay keys the chart's values.yaml lacks and no
 * template reads, and nulls that delete nothing. Needs no coalescing. Pure.
 */
export function valuesWarnings(chart: Chart, layers: readonly ValuesLayer[]): ValuesWarning[] {
  return warningsFor(buildScope(chart, 'values.yaml'), layers, layers.map((l) => (l.text !== undefined ? keyLines(l.text) : undefined)));
}

function warningsFor(root: Scope, layers: readonly ValuesLayer[], layerLines: readonly (Map<string, number> | undefined)[]): ValuesWarning[] {
  const warnings: ValuesWarning[] = [];
  layers.forEach((layer, i) => {
    const walk = (map: GoMap, prefix: string[]) => {
      for (const [key, value] of Object.entries(map)) {
        const path = [...prefix, key];
        const where = layerCite(layer, layerLines[i], path);
        const shown = formatPath(path);
        if (value === null) {
          if (hasDefault(root, path)) continue;
          let earlier = i - 1;
          while (earlier >= 0 && (valueAt(layers[earlier]!.values, path) ?? null) === null) earlier--;
          warnings.push({
            kind: 'NullDeletesNothing',
            path: shown,
            source: where,
            message:
              `${shown} is null in ${where}, but the chart's values.yaml has no ${shown}: a null deletes only chart defaults, so it deletes nothing and the key stays, set to null` +
              (earlier >= 0 ? ` (replacing what ${layerCite(layers[earlier]!, layerLines[earlier], path)} set)` : ''),
          });
          continue;
        }
        if (hasDefault(root, path)) {
          if (isMap(value)) walk(value, path);
          continue;
        }
        const status = pathReadStatus(root, path);
        if (status === 'whole') continue;
        if (status === 'partial' && isMap(value)) {
          walk(value, path);
          continue;
        }
        if (status === 'partial') continue;
        const suggestion = nearestKey(key, siblings(root, path));
        const suggested = suggestion === undefined ? undefined : formatPath([...prefix, suggestion]);
        warnings.push({
          kind: 'UnusedKey',
          path: shown,
          source: where,
          ...(suggested ? { suggestion: suggested } : {}),
          message: `${shown} (${where}) is not in the chart's values.yaml and no template reads it${suggested ? `; did you mean ${suggested}?` : ''}`,
        });
      }
    };
    walk(layer.values, []);
  });

  return warnings;
}
