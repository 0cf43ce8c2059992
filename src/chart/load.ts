// Loading a chart from a directory, a packaged .tgz file, or a .tgz held in memory (the operator
// reads packaged charts from ConfigMap binaryData), as Helm's loader does (pkg/chart/v2/loader):
// .helmignore applies to directories only; archives must stay inside their top directory and within
// the size limits; symbolic links are followed in directories (with a warning) and are empty files in
// archives, as in Helm.
import { readFileSync, readdirSync, lstatSync, statSync, realpathSync, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseHelmignore, type IgnoreRules } from './helmignore.js';
import { ChartLoadError, parseChartYaml, parseRequirementsYaml, validateMetadata, type RawMetadata } from './metadata.js';
import { gunzipArchive, readTar, ArchiveError } from './tar.js';
import type { Chart, ChartFile, CrdFile } from './types.js';
import { parseValuesYaml } from '../goyaml/index.js';
import type { Warn } from './values/coalesce.js';

export { ChartLoadError };

export interface LoadLimits {
  /**
   * Largest total of decompressed file sizes (Helm: 100 MiB per archive). Here it counts across a
   * chart and every packaged subchart inside it, at any depth, so nesting cannot multiply it.
   */
  maxChartBytes: number;
  /** Largest single file, in a directory or an archive (Helm: 5 MiB). */
  maxFileBytes: number;
  /** Largest packaged chart (.tgz) before decompression, the chart's or a subchart's. */
  maxArchiveBytes?: number;
  /** Most files in a chart with all its subcharts. */
  maxFiles?: number;
  /** How deep packaged subcharts may nest (charts/a.tgz holding charts/b.tgz is 2). */
  maxArchiveNesting?: number;
}

const MiB = 1024 * 1024;

/** Far above the corpus's largest chart (261 files, 7 MB unpacked, subcharts nested 2 deep). */
export const DEFAULT_LOAD_LIMITS: Required<LoadLimits> = {
  maxChartBytes: 100 * MiB,
  maxFileBytes: 5 * MiB,
  maxArchiveBytes: 100 * MiB,
  maxFiles: 10_000,
  maxArchiveNesting: 10,
};

const defaultLoadLimits: LoadLimits = DEFAULT_LOAD_LIMITS;

/** What is left of the limits while a chart and its packaged subcharts load. */
interface Budget {
  limits: Required<LoadLimits>;
  bytes: number;
  files: number;
  nesting: number;
}

function newBudget(limits: LoadLimits): Budget {
  const full = { ...DEFAULT_LOAD_LIMITS, ...limits };
  return { limits: full, bytes: full.maxChartBytes, files: full.maxFiles, nesting: 0 };
}

export interface LoadOptions {
  limits?: LoadLimits;
  /** Receives Helm's log lines (symbolic links followed, requirements.yaml in a v2 chart). */
  warn?: Warn;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function stripBom(data: Buffer): Buffer {
  return data.subarray(0, 3).equals(UTF8_BOM) ? data.subarray(3) : data;
}

/** Loads a chart from a directory or .tgz path, or from the bytes of a .tgz. */
export function loadChart(source: string | Uint8Array, options: LoadOptions = {}): Chart {
  const limits = options.limits ?? defaultLoadLimits;
  const warn = options.warn ?? (() => {});
  if (typeof source !== 'string') return loadArchive(source, limits, warn);
  let st: Stats;
  try {
    st = statSync(source);
  } catch (err) {
    throw new ChartLoadError(`${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'path' : 'cannot read'} ${JSON.stringify(source)}${(err as NodeJS.ErrnoException).code === 'ENOENT' ? ' not found' : `: ${(err as Error).message}`}`);
  }
  if (st.isDirectory()) return loadDirectory(resolve(source), limits, warn);
  const data = readFileSync(source);
  if (!(data[0] === 0x1f && data[1] === 0x8b && data[2] === 0x08)) {
    if (source.endsWith('.yml') || source.endsWith('.yaml')) throw new ChartLoadError(`file '${source}' seems to be a YAML file, but expected a gzipped archive`);
    throw new ChartLoadError(`file '${source}' does not appear to be a gzipped archive`);
  }
  try {
    return loadArchive(data, limits, warn);
  } catch (err) {
    if (err instanceof ChartLoadError) throw new ChartLoadError(`${source}: ${err.message}`);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Directories

function loadDirectory(dir: string, limits: LoadLimits, warn: Warn): Chart {
  let rules: IgnoreRules;
  const ignoreFile = join(dir, '.helmignore');
  let ignoreText = '';
  try {
    ignoreText = readFileSync(ignoreFile, 'utf8');
  } catch {
    /* no .helmignore */
  }
  try {
    rules = parseHelmignore(ignoreText);
  } catch (err) {
    throw new ChartLoadError(`${ignoreFile}: ${(err as Error).message}`);
  }
  const files: ChartFile[] = [];
  walk(dir, '', rules, files, limits, warn, new Set([realpathSync(dir)]));
  return loadFiles(files, limits, warn);
}

function walk(absDir: string, relDir: string, rules: IgnoreRules, out: ChartFile[], limits: LoadLimits, warn: Warn, active: Set<string>): void {
  for (const name of readdirSync(absDir).sort()) {
    const abs = join(absDir, name);
    const rel = relDir ? `${relDir}/${name}` : name;
    let st = lstatSync(abs);
    if (st.isSymbolicLink()) {
      let target: string;
      try {
        target = realpathSync(abs);
        st = statSync(target);
      } catch (err) {
        // A broken link is an error unless .helmignore excludes it.
        if (rules.ignores(rel, false)) continue;
        throw new ChartLoadError(`${abs}: broken symbolic link: ${(err as Error).message}`);
      }
      warn('found symbolic link in path. Contents of linked file included and used', 'INFO', { path: abs, resolved: target });
      if (st.isDirectory()) {
        if (rules.ignores(rel, true)) continue;
        if (active.has(target)) throw new ChartLoadError(`${abs}: symbolic link loop to ${target}`);
        active.add(target);
        walk(target, rel, rules, out, limits, warn, active);
        active.delete(target);
        continue;
      }
    } else if (st.isDirectory()) {
      if (rules.ignores(rel, true)) continue;
      walk(abs, rel, rules, out, limits, warn, active);
      continue;
    }
    if (rules.ignores(rel, false)) continue;
    if (!st.isFile()) throw new ChartLoadError(`cannot load irregular file ${abs} as it has file mode type bits set`);
    if (st.size > limits.maxFileBytes) throw new ChartLoadError(`chart file ${JSON.stringify(name)} is larger than the maximum file size ${limits.maxFileBytes}`);
    out.push({ name: rel, data: stripBom(readFileSync(abs)) });
  }
}

// ---------------------------------------------------------------------------------------------
// Archives

function loadArchive(gz: Uint8Array, limits: LoadLimits, warn: Warn): Chart {
  const budget = newBudget(limits);
  return loadFiles(archiveFiles(gz, budget), limits, warn, budget);
}

/**
 * The files of a chart archive, with the top directory stripped and Helm's path checks applied.
 * Decompression stops at what is left of the byte budget, whatever the headers claim, so memory
 * stays bounded by the limits even for an archive that lies about its sizes.
 */
function archiveFiles(gz: Uint8Array, budget: Budget): ChartFile[] {
  const { limits } = budget;
  if (++budget.nesting > limits.maxArchiveNesting) {
    throw new ChartLoadError(`packaged subcharts nest deeper than ${limits.maxArchiveNesting} levels`);
  }
  if (gz.length > limits.maxArchiveBytes) throw new ChartLoadError(`chart archive is larger than the maximum archive size ${limits.maxArchiveBytes} (${gz.length} bytes)`);
  let entries;
  try {
    entries = readTar(gunzipArchive(gz, { maxOutputBytes: budget.bytes, limitText: limits.maxChartBytes }));
  } catch (err) {
    if (err instanceof ArchiveError) throw new ChartLoadError(err.message);
    throw err;
  }
  const files: ChartFile[] = [];
  for (const entry of entries) {
    if (entry.isDir || entry.type === 'g' || entry.type === 'x') continue;
    const delimiter = entry.name.includes('\\') ? '\\' : '/';
    const parts = entry.name.split(delimiter);
    let name = parts.slice(1).join('/');
    if (name.startsWith('/')) throw new ChartLoadError('chart illegally contains absolute paths');
    name = cleanPath(name);
    if (name === '.') throw new ChartLoadError(`chart illegally contains content outside the base directory: ${JSON.stringify(entry.name)}`);
    if (name.startsWith('..')) throw new ChartLoadError('chart illegally references parent directory');
    if (/^[a-zA-Z]:\//.test(name)) throw new ChartLoadError('chart contains illegally named files');
    if (parts[0] === 'Chart.yaml') throw new ChartLoadError('chart yaml not in base directory');
    if (entry.size > budget.bytes || entry.data.length > budget.bytes) throw new ChartLoadError(`decompressed chart is larger than the maximum size ${limits.maxChartBytes}`);
    // Helm's MaxDecompressedFileSize, checked on the header's size as helm does, and on the data.
    if (entry.size > limits.maxFileBytes || entry.data.length > limits.maxFileBytes) {
      throw new ChartLoadError(`decompressed chart file ${JSON.stringify(entry.name)} is larger than the maximum file size ${limits.maxFileBytes}`);
    }
    if (--budget.files < 0) throw new ChartLoadError(`chart has more than the maximum ${limits.maxFiles} files`);
    budget.bytes -= entry.data.length;
    files.push({ name, data: stripBom(entry.data) });
  }
  if (files.length === 0) throw new ChartLoadError('no files in chart archive');
  return files;
}

/** Go's path.Clean for relative paths. */
function cleanPath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else out.push('..');
    } else out.push(seg);
  }
  return out.length ? out.join('/') : '.';
}

// ---------------------------------------------------------------------------------------------
// From files to a chart

/** Builds a chart from its files (names relative to the chart root), as Helm's LoadFiles does. */
function loadFiles(files: readonly ChartFile[], limits: LoadLimits = defaultLoadLimits, warn: Warn = () => {}, budget: Budget = newBudget(limits)): Chart {
  const chartYaml = files.find((f) => f.name === 'Chart.yaml');
  if (!chartYaml) throw new ChartLoadError('Chart.yaml file is missing');
  const raw: RawMetadata = parseChartYaml(chartYaml.data);
  const chart: Omit<Chart, 'metadata'> = { templates: [], values: {}, schema: null, files: [], dependencies: [] };
  const subchartFiles = new Map<string, ChartFile[]>();
  for (const f of files) {
    const name = f.name;
    if (name === 'Chart.yaml' || name === 'Chart.lock') continue;
    if (name === 'values.yaml') {
      try {
        chart.valuesText = f.data.toString('utf8');
        chart.values = parseValuesYaml(chart.valuesText, 'values.yaml');
      } catch (err) {
        throw new ChartLoadError(`cannot load values.yaml: ${(err as Error).message}`);
      }
    } else if (name === 'values.schema.json') {
      chart.schema = f.data;
    } else if (name === 'requirements.yaml') {
      if (raw.apiVersion !== 'v1') warn('Warning: Dependencies are handled in Chart.yaml since apiVersion "v2". We recommend migrating dependencies to Chart.yaml.', 'INFO');
      raw.dependencies = parseRequirementsYaml(f.data);
      if (raw.apiVersion === 'v1') chart.files.push(f);
    } else if (name === 'requirements.lock') {
      if (raw.apiVersion === 'v1') chart.files.push(f);
    } else if (name.startsWith('templates/')) {
      chart.templates.push(f);
    } else if (name.startsWith('charts/')) {
      if (name.endsWith('.prov')) {
        chart.files.push(f);
        continue;
      }
      const rest = name.slice('charts/'.length);
      const slash = rest.indexOf('/');
      const dir = slash < 0 ? rest : rest.slice(0, slash);
      const list = subchartFiles.get(dir) ?? [];
      list.push({ name: rest, data: f.data });
      subchartFiles.set(dir, list);
    } else {
      chart.files.push(f);
    }
  }
  if (raw.apiVersion !== 'v1' && raw.apiVersion !== 'v2') {
    throw new ChartLoadError(`Chart.yaml: apiVersion ${JSON.stringify(raw.apiVersion)} is not supported (v1 or v2)`);
  }
  const metadata = validateMetadata(raw);
  const full: Chart = { metadata, ...chart };
  for (const dir of [...subchartFiles.keys()].sort()) {
    if (dir.startsWith('_') || dir.startsWith('.')) continue;
    const entries = subchartFiles.get(dir)!;
    try {
      if (dir.endsWith('.tgz')) {
        const archive = entries[0]!;
        if (archive.name !== dir) throw new ChartLoadError(`error unpacking subchart tar in ${metadata.name}: expected ${dir}, got ${archive.name}`);
        const inner = archiveFiles(archive.data, budget);
        full.dependencies.push(loadFiles(inner, limits, warn, budget));
        budget.nesting--;
      } else {
        const inner = entries.filter((e) => e.name.includes('/')).map((e) => ({ name: e.name.slice(e.name.indexOf('/') + 1), data: e.data }));
        full.dependencies.push(loadFiles(inner, limits, warn, budget));
      }
    } catch (err) {
      if (err instanceof ChartLoadError && !err.message.startsWith('error unpacking subchart tar')) {
        throw new ChartLoadError(`error unpacking subchart ${dir} in ${metadata.name}: ${err.message}`);
      }
      throw err;
    }
  }
  return full;
}

/** The chart's crds/ files (.yaml, .yml, .json), then its subcharts' in dependency order. */
export function crdFiles(chart: Chart, chartPath: string = chart.metadata.name): CrdFile[] {
  const out: CrdFile[] = [];
  for (const file of chart.files) {
    if (file.name.startsWith('crds/') && /\.(ya?ml|json)$/i.test(file.name)) out.push({ filename: `${chartPath}/${file.name}`, file });
  }
  for (const dep of chart.dependencies) out.push(...crdFiles(dep, `${chartPath}/charts/${dep.metadata.name}`));
  return out;
}
