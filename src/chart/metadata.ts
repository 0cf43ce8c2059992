// Chart.yaml and requirements.yaml into ChartMetadata, as sigs.k8s.io/yaml decodes them into Helm's
// Metadata struct: string fields accept YAML scalars of any type and keep their Go formatting (a bool
// `name: off` becomes "false", `appVersion: 1.10` becomes "1.1"); then Helm's validation.
import { parseYaml } from '../goyaml/index.js';
import { formatFloat, isMap, type GoMap, type GoValue } from '../template/value.js';
import type { ChartMetadata, Dependency, Maintainer } from './types.js';

export class ChartLoadError extends Error {
  override name = 'ChartLoadError';
}

/** Helm's ValidationError: printed as `validation: <message>`. */
export class ChartValidationError extends ChartLoadError {
  override name = 'ChartValidationError';
  constructor(message: string) {
    super(`validation: ${message}`);
  }
}

/** Shortest decimal that reads back as the same float32 (strconv.FormatFloat(x, 'g', -1, 32)). */
function formatFloat32(x: number): string {
  const f = Math.fround(x);
  if (!Number.isFinite(f)) return formatFloat(f);
  for (let p = 1; p <= 9; p++) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) === f) return formatFloat(Number(s));
  }
  return formatFloat(f);
}

const jsonKind = (v: GoValue): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : isMap(v) ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? 'number' : 'string');

/** A YAML scalar decoded into a Go string field (sigs.k8s.io/yaml's conversion). */
function asString(v: GoValue | undefined, field: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? String(v) : formatFloat32(v);
  throw new ChartLoadError(`json: cannot unmarshal ${jsonKind(v)} into Go struct field ${field} of type string`);
}

function asStringList(v: GoValue | undefined, field: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ChartLoadError(`json: cannot unmarshal ${jsonKind(v)} into Go struct field ${field} of type []string`);
  return v.map((e) => asString(e, field));
}

function asBool(v: GoValue | undefined, field: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  throw new ChartLoadError(`json: cannot unmarshal ${jsonKind(v)} into Go struct field ${field} of type bool`);
}

function asMap(v: GoValue | undefined, field: string, type: string): GoMap | null {
  if (v === undefined || v === null) return null;
  if (!isMap(v)) throw new ChartLoadError(`json: cannot unmarshal ${jsonKind(v)} into Go struct field ${field} of type ${type}`);
  return v;
}

function asList(v: GoValue | undefined, field: string, type: string): GoValue[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ChartLoadError(`json: cannot unmarshal ${jsonKind(v)} into Go struct field ${field} of type ${type}`);
  return v;
}

function dependencyFrom(v: GoValue, field: string): Dependency | null {
  if (v === null) return null;
  const m = asMap(v, field, 'v2.Dependency')!;
  return {
    name: asString(m.name, `${field}.name`),
    version: asString(m.version, `${field}.version`),
    repository: asString(m.repository, `${field}.repository`),
    condition: asString(m.condition, `${field}.condition`),
    tags: asStringList(m.tags, `${field}.tags`),
    enabled: asBool(m.enabled, `${field}.enabled`),
    importValues: asList(m['import-values'], `${field}.import-values`, '[]interface {}'),
    alias: asString(m.alias, `${field}.alias`),
  };
}

function dependenciesFrom(v: GoValue | undefined, field: string): (Dependency | null)[] | null {
  if (v === undefined || v === null) return null;
  return asList(v, field, '[]*v2.Dependency').map((d) => dependencyFrom(d, field));
}

function parseDocument(data: Buffer, file: string): GoMap {
  let doc: GoValue;
  try {
    doc = parseYaml(data.toString('utf8'));
  } catch (err) {
    throw new ChartLoadError(`cannot load ${file}: ${(err as Error).message}`);
  }
  if (doc === null) return {};
  if (!isMap(doc)) throw new ChartLoadError(`cannot load ${file}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(doc)} into Go value of type v2.Metadata`);
  return doc;
}

function wrap<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof ChartLoadError && !(err instanceof ChartValidationError) && !err.message.startsWith('cannot load')) {
      throw new ChartLoadError(`cannot load ${file}: error unmarshaling JSON: while decoding JSON: ${err.message}`);
    }
    throw err;
  }
}

/** Metadata with possibly null dependency/maintainer entries, before validation. */
export interface RawMetadata extends Omit<ChartMetadata, 'dependencies' | 'maintainers'> {
  dependencies: (Dependency | null)[] | null;
  maintainers: (Maintainer | null)[];
}

/** Decodes Chart.yaml. An absent apiVersion means v1, as Helm 2 charts had none. */
export function parseChartYaml(data: Buffer): RawMetadata {
  const m = parseDocument(data, 'Chart.yaml');
  return wrap('Chart.yaml', () => {
    const annotations: Record<string, string> = {};
    const a = asMap(m.annotations, 'Metadata.annotations', 'map[string]string');
    if (a) for (const [k, v] of Object.entries(a)) annotations[k] = asString(v, 'Metadata.annotations');
    const maintainers = asList(m.maintainers, 'Metadata.maintainers', '[]*v2.Maintainer').map((x): Maintainer | null => {
      if (x === null) return null;
      const mm = asMap(x, 'Metadata.maintainers', 'v2.Maintainer')!;
      return { name: asString(mm.name, 'Maintainer.name'), email: asString(mm.email, 'Maintainer.email'), url: asString(mm.url, 'Maintainer.url') };
    });
    return {
      apiVersion: asString(m.apiVersion, 'Metadata.apiVersion') || 'v1',
      name: asString(m.name, 'Metadata.name'),
      version: asString(m.version, 'Metadata.version'),
      kubeVersion: asString(m.kubeVersion, 'Metadata.kubeVersion'),
      description: asString(m.description, 'Metadata.description'),
      type: asString(m.type, 'Metadata.type'),
      keywords: asStringList(m.keywords, 'Metadata.keywords'),
      home: asString(m.home, 'Metadata.home'),
      sources: asStringList(m.sources, 'Metadata.sources'),
      dependencies: dependenciesFrom(m.dependencies, 'Metadata.dependencies'),
      maintainers,
      icon: asString(m.icon, 'Metadata.icon'),
      appVersion: asString(m.appVersion, 'Metadata.appVersion'),
      deprecated: asBool(m.deprecated, 'Metadata.deprecated'),
      annotations,
      condition: asString(m.condition, 'Metadata.condition'),
      tags: asString(m.tags, 'Metadata.tags'),
    };
  });
}

/** The `dependencies` of a v1 chart's requirements.yaml. */
export function parseRequirementsYaml(data: Buffer): (Dependency | null)[] | null {
  const m = parseDocument(data, 'requirements.yaml');
  return wrap('requirements.yaml', () => dependenciesFrom(m.dependencies, 'Metadata.dependencies'));
}

/** Helm's sanitizeString: white space becomes ' ', non-printable characters are dropped. */
function sanitize(s: string): string {
  return s.replace(/\s/gu, ' ').replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/gu, '');
}

// Masterminds/semver NewVersion (not strict): `v` prefix allowed, minor and patch optional.
const SEMVER = /^v?(0|[1-9]\d*)(\.(0|[1-9]\d*))?(\.(0|[1-9]\d*))?(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
const ALIAS = /^[a-zA-Z0-9_-]+$/;

/** Helm's Metadata.Validate: sanitizes strings and checks the required fields. */
export function validateMetadata(raw: RawMetadata): ChartMetadata {
  const md: ChartMetadata = {
    ...raw,
    name: sanitize(raw.name),
    description: sanitize(raw.description),
    home: sanitize(raw.home),
    icon: sanitize(raw.icon),
    condition: sanitize(raw.condition),
    tags: sanitize(raw.tags),
    appVersion: sanitize(raw.appVersion),
    kubeVersion: sanitize(raw.kubeVersion),
    sources: raw.sources.map(sanitize),
    keywords: raw.keywords.map(sanitize),
    maintainers: [],
    dependencies: raw.dependencies === null ? null : [],
  };
  if (md.apiVersion === '') throw new ChartValidationError('chart.metadata.apiVersion is required');
  if (md.name === '') throw new ChartValidationError('chart.metadata.name is required');
  if (md.name.includes('/')) throw new ChartValidationError(`chart.metadata.name ${JSON.stringify(md.name)} is invalid`);
  if (md.version === '') throw new ChartValidationError('chart.metadata.version is required');
  if (!SEMVER.test(md.version)) throw new ChartValidationError(`chart.metadata.version ${JSON.stringify(md.version)} is invalid`);
  if (!['', 'application', 'library'].includes(md.type)) throw new ChartValidationError('chart.metadata.type must be application or library');
  for (const m of raw.maintainers) {
    if (m === null) throw new ChartValidationError('maintainers must not contain empty or null nodes');
    md.maintainers.push({ name: sanitize(m.name), email: sanitize(m.email), url: sanitize(m.url) });
  }
  const seen = new Set<string>();
  for (const d of raw.dependencies ?? []) {
    if (d === null) throw new ChartValidationError('dependencies must not contain empty or null nodes');
    const dep: Dependency = { ...d, name: sanitize(d.name), version: sanitize(d.version), repository: sanitize(d.repository), condition: sanitize(d.condition), tags: d.tags.map(sanitize) };
    if (dep.alias !== '' && !ALIAS.test(dep.alias)) throw new ChartValidationError(`dependency ${JSON.stringify(dep.name)} has disallowed characters in the alias`);
    const key = dep.alias || dep.name;
    if (seen.has(key)) {
      throw new ChartValidationError(`more than one dependency with name or alias ${JSON.stringify(key)}. Try using distinct aliases for dependencies with the same chart name.`);
    }
    seen.add(key);
    md.dependencies!.push(dep);
  }
  return md;
}
