// Helm's dependency processing (pkg/chart/v2/util/dependencies.go, Helm 4.1.4), as a pure function:
// resolve aliases (the same chart may appear twice under different names), drop the subcharts that
// `tags` and `condition` disable, then import values from children into parents (`import-values`,
// both forms). Returns a new chart tree; the loaded chart is not modified.
import { sprigFuncs } from '../../template/funcs/index.js';
import { formatValue, isMap, type GoFunc, type GoMap, type GoValue } from '../../template/value.js';
import type { Chart, Dependency } from '../types.js';
import { coalesceValues, deepCopyValues, mergeChartValues, mergeTables, type Warn } from './coalesce.js';

let semverCompare: GoFunc | undefined;

/** Masterminds semver: whether `version` satisfies `constraint` (false when either is malformed). */
export function isCompatibleRange(constraint: string, version: string): boolean {
  semverCompare ??= sprigFuncs().semverCompare!;
  try {
    return semverCompare.fn(constraint, version) === true;
  } catch {
    return false;
  }
}

/** Values.Table: the map at a dotted path, or an error text as Helm words it. */
export function valuesTable(values: GoMap, path: string): GoMap | string {
  let table: GoMap = values;
  for (const name of path.split('.')) {
    const next = Object.hasOwn(table, name) ? table[name] : undefined;
    if (!isMap(next)) return `${JSON.stringify(name)} is not a table`;
    table = next;
  }
  return table;
}

/** Values.PathValue: a non-table value at a dotted path, or undefined when there is none. */
function pathValue(values: GoMap, path: string): GoValue | undefined {
  const parts = path.split('.');
  const key = parts.pop()!;
  const table = parts.length ? valuesTable(values, parts.join('.')) : values;
  if (typeof table === 'string') return undefined;
  if (!Object.hasOwn(table, key) || isMap(table[key])) return undefined;
  return table[key];
}

function copyChart(chart: Chart): Chart {
  return {
    ...chart,
    metadata: { ...chart.metadata, dependencies: chart.metadata.dependencies?.map((d) => ({ ...d })) ?? null },
    dependencies: [...chart.dependencies],
  };
}

/**
 * ProcessDependencies: enables/disables subcharts for the given user values (tags, then conditions,
 * which win), applies aliases, and imports values from children; recursively.
 */
export function processDependencies(chart: Chart, userValues: GoMap, warn: Warn = () => {}): Chart {
  const root = copyChart(chart);
  processEnabled(root, userValues, '', warn);
  processImports(root, warn);
  return root;
}

function aliasedChart(charts: readonly Chart[], dep: Dependency): Chart | null {
  for (const c of charts) {
    if (c.metadata.name !== dep.name || !isCompatibleRange(dep.version, c.metadata.version)) continue;
    const out = copyChart(c);
    if (dep.alias) out.metadata.name = dep.alias;
    return out;
  }
  return null;
}

function processEnabled(chart: Chart, values: GoMap, path: string, warn: Warn): void {
  const reqs = chart.metadata.dependencies;
  if (reqs === null) return;
  const kept: Chart[] = chart.dependencies.filter((existing) => !reqs.some((r) => existing.metadata.name === r.name && isCompatibleRange(r.version, existing.metadata.version)));
  for (const req of reqs) {
    const aliased = aliasedChart(chart.dependencies, req);
    if (aliased) kept.push(aliased);
    if (req.alias) req.name = req.alias;
  }
  chart.dependencies = kept;
  for (const req of reqs) req.enabled = true;
  const cvals = coalesceValues(chart, values, warn);
  applyTags(reqs, cvals, warn);
  applyConditions(reqs, cvals, path, warn);
  const disabled = new Set(reqs.filter((r) => !r.enabled).map((r) => r.name));
  chart.dependencies = chart.dependencies.filter((c) => !disabled.has(c.metadata.name)).map(copyChart);
  for (const sub of chart.dependencies) processEnabled(sub, cvals, `${path}${sub.metadata.name}.`, warn);
  chart.metadata.dependencies = reqs.filter((r) => !disabled.has(r.name));
}

function applyTags(reqs: Dependency[], cvals: GoMap, warn: Warn): void {
  const tags = valuesTable(cvals, 'tags');
  if (typeof tags === 'string') return;
  for (const r of reqs) {
    let hasTrue = false;
    let hasFalse = false;
    for (const k of r.tags) {
      if (!Object.hasOwn(tags, k)) continue;
      const b = tags[k];
      if (typeof b === 'boolean') {
        if (b) hasTrue = true;
        else hasFalse = true;
      } else warn('returned non-bool value', 'WARN', { tag: k, chart: r.name });
    }
    if (!hasTrue && hasFalse) r.enabled = false;
    else r.enabled = true;
  }
}

function applyConditions(reqs: Dependency[], cvals: GoMap, path: string, warn: Warn): void {
  for (const r of reqs) {
    for (const c of r.condition.trim().split(',')) {
      if (c.length === 0) continue;
      const v = pathValue(cvals, path + c);
      if (v === undefined) continue;
      if (typeof v === 'boolean') {
        r.enabled = v;
        break;
      }
      warn('returned non-bool value', 'WARN', { path: c, chart: r.name });
    }
  }
}

/** A dotted path as nested maps around `data` (`.` is the top level). */
function pathToMap(path: string, data: GoMap): GoMap {
  if (path === '.') return data;
  let cur = data;
  for (const part of path.split('.').reverse()) cur = { [part]: cur };
  return cur;
}

function processImports(chart: Chart, warn: Warn): void {
  for (const sub of chart.dependencies) processImports(sub, warn);
  const reqs = chart.metadata.dependencies;
  if (reqs === null) return;
  const cvals = mergeChartValues(chart, {}, warn);
  let imported: GoMap = {};
  for (const r of reqs) {
    const resolved: GoValue[] = [];
    for (const iv of r.importValues) {
      let child: string;
      let parent: string;
      if (isMap(iv)) {
        child = formatValue(Object.hasOwn(iv, 'child') ? iv.child : null);
        parent = formatValue(Object.hasOwn(iv, 'parent') ? iv.parent : null);
      } else if (typeof iv === 'string') {
        child = `exports.${iv}`;
        parent = '.';
      } else continue;
      resolved.push({ child, parent });
      const table = valuesTable(cvals, `${r.name}.${child}`);
      if (typeof table === 'string') {
        if (isMap(iv)) warn('ImportValues missing table from chart', 'WARN', { chart: r.name, error: table });
        else warn('ImportValues missing table', 'WARN', { error: table });
        continue;
      }
      imported = mergeTables(imported, pathToMap(parent, deepCopyValues(table)), warn);
    }
    r.importValues = resolved;
  }
  chart.values = mergeTables(deepCopyValues(cvals), imported, warn);
}
