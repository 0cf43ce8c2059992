// Defaults and validation of a ChartRelease spec: turns what the user wrote into a ResolvedSpec with
// every default filled in, or an InvalidSpecError listing every problem (a terminal error: the
// release stalls until the user edits the spec). The CRD rejects most of these at `kubectl apply`
// time already; this catches what a schema cannot (a metadata.name too long for a release name)
// and clusters where an older CRD is installed.
import { InvalidDurationError, parseDuration } from './duration.js';
import { CHART_SOURCE_KINDS, type ChartRelease, type ChartReleaseSpec, type ChartSource, type ChartSourceKind, type UpgradeRemediationStrategy, type ValuesReference } from './types.js';

export const DEFAULT_INTERVAL = '10m';
export const DEFAULT_HISTORY_LIMIT = 10;
export const DEFAULT_WAIT_TIMEOUT = '5m';
export const DEFAULT_VALUES_KEY = 'values.yaml';
export const DEFAULT_CHART_CONFIGMAP_KEY = 'chart.tgz';
/** Helm's limit: release names end up in object names with suffixes. */
export const RELEASE_NAME_MAX_LENGTH = 53;
export const RELEASE_NAME_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
export const NAMESPACE_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

export interface ResolvedValuesReference {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  key: string;
  optional: boolean;
}

/** Remediation of one action; undefined when the spec asks for none (a failure is retried with backoff, unbounded). */
export interface ResolvedRemediation {
  retries: number;
  /** install: always uninstall. */
  strategy: UpgradeRemediationStrategy | 'uninstall';
  remediateLastFailure: boolean;
}

export interface ResolvedSpec {
  releaseName: string;
  targetNamespace: string;
  chart: ChartSource;
  chartSourceKind: ChartSourceKind;
  valuesFrom: ResolvedValuesReference[];
  values: Record<string, unknown>;
  revision: number | undefined;
  suspend: boolean;
  intervalMs: number;
  historyLimit: number;
  serviceAccountName: string | undefined;
  createNamespace: boolean;
  wait: { enabled: boolean; timeoutMs: number };
  prune: boolean;
  forceConflicts: boolean;
  approval: { mode: 'auto' | 'manual'; approvedPlan: string | undefined };
  remediation: { install?: ResolvedRemediation; upgrade?: ResolvedRemediation };
  /** namespace/name of each ChartRelease this one waits for. */
  dependsOn: { namespace: string; name: string }[];
  test: { enabled: boolean; timeoutMs: number; ignoreFailures: boolean };
}

export class InvalidSpecError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid spec: ${problems.join('; ')}`);
    this.name = 'InvalidSpecError';
  }
}

function duration(field: string, text: string | undefined, fallback: string, problems: string[]): number {
  try {
    return parseDuration(text ?? fallback);
  } catch (err) {
    if (err instanceof InvalidDurationError) {
      problems.push(`spec.${field}: ${err.message}`);
      return parseDuration(fallback);
    }
    throw err;
  }
}

/** The chart source that is set, or a problem when none or several are. */
export function chartSourceKind(chart: ChartSource | undefined): ChartSourceKind | string {
  const set = CHART_SOURCE_KINDS.filter((k) => chart?.[k] !== undefined && chart[k] !== null);
  if (set.length === 1) return set[0]!;
  if (set.length === 0) return 'spec.chart: set exactly one chart source (path, configMap, repository or oci); none is set';
  return `spec.chart: set exactly one chart source; ${set.join(' and ')} are both set`;
}

function resolveValuesReference(ref: ValuesReference, i: number, problems: string[]): ResolvedValuesReference {
  if (ref.kind !== 'ConfigMap' && ref.kind !== 'Secret') problems.push(`spec.valuesFrom[${i}].kind: must be ConfigMap or Secret, not ${JSON.stringify(ref.kind)}`);
  if (!ref.name) problems.push(`spec.valuesFrom[${i}].name: required`);
  return { kind: ref.kind, name: ref.name, key: ref.key || DEFAULT_VALUES_KEY, optional: ref.optional ?? false };
}

const STRATEGIES: readonly UpgradeRemediationStrategy[] = ['rollback', 'uninstall', 'none'];

function resolveRemediation(spec: ChartReleaseSpec, problems: string[]): ResolvedSpec['remediation'] {
  const retries = (field: string, n: number | undefined) => {
    if (n !== undefined && (!Number.isInteger(n) || n < 0)) problems.push(`spec.${field}.remediation.retries: must be a whole number of at least 0, not ${n}`);
    return n ?? 0;
  };
  const out: ResolvedSpec['remediation'] = {};
  const install = spec.install?.remediation;
  if (install) out.install = { retries: retries('install', install.retries), strategy: 'uninstall', remediateLastFailure: true };
  const upgrade = spec.upgrade?.remediation;
  if (upgrade) {
    const strategy = upgrade.strategy ?? 'rollback';
    if (!STRATEGIES.includes(strategy)) problems.push(`spec.upgrade.remediation.strategy: must be rollback, uninstall or none, not ${JSON.stringify(strategy)}`);
    out.upgrade = { retries: retries('upgrade', upgrade.retries), strategy, remediateLastFailure: upgrade.remediateLastFailure ?? true };
  }
  return out;
}

function resolveDependsOn(spec: ChartReleaseSpec, namespace: string, name: string, problems: string[]): ResolvedSpec['dependsOn'] {
  return (spec.dependsOn ?? []).map((d, i) => {
    if (!d?.name) problems.push(`spec.dependsOn[${i}].name: required`);
    const ref = { namespace: d?.namespace || namespace, name: d?.name ?? '' };
    if (ref.namespace === namespace && ref.name === name) problems.push(`spec.dependsOn[${i}]: a ChartRelease cannot depend on itself`);
    return ref;
  });
}

/** Every default applied, every rule checked; throws InvalidSpecError with all problems at once. */
export function resolveSpec(cr: Pick<ChartRelease, 'metadata' | 'spec'>): ResolvedSpec {
  const spec = cr.spec ?? ({} as ChartRelease['spec']);
  const problems: string[] = [];
  const releaseName = spec.releaseName || cr.metadata.name;
  if (releaseName.length > RELEASE_NAME_MAX_LENGTH || !new RegExp(RELEASE_NAME_PATTERN).test(releaseName)) {
    const where = spec.releaseName ? 'spec.releaseName' : 'metadata.name (the default release name)';
    problems.push(`${where}: ${JSON.stringify(releaseName)} is not a valid release name (lowercase letters, digits, '-' and '.', at most ${RELEASE_NAME_MAX_LENGTH} characters); set spec.releaseName`);
  }
  const targetNamespace = spec.targetNamespace || cr.metadata.namespace;
  if (!new RegExp(NAMESPACE_PATTERN).test(targetNamespace) || targetNamespace.length > 63) problems.push(`spec.targetNamespace: ${JSON.stringify(targetNamespace)} is not a valid namespace name`);
  const kind = chartSourceKind(spec.chart);
  if (!CHART_SOURCE_KINDS.includes(kind as ChartSourceKind)) problems.push(kind);
  if (spec.chart?.configMap && !spec.chart.configMap.name) problems.push('spec.chart.configMap.name: required');
  if (spec.revision !== undefined && (!Number.isInteger(spec.revision) || spec.revision < 1)) problems.push(`spec.revision: must be a positive whole number, not ${spec.revision}`);
  if (spec.historyLimit !== undefined && (!Number.isInteger(spec.historyLimit) || spec.historyLimit < 1)) problems.push(`spec.historyLimit: must be a whole number of at least 1, not ${spec.historyLimit}`);
  if (spec.values !== undefined && (spec.values === null || typeof spec.values !== 'object' || Array.isArray(spec.values))) problems.push('spec.values: must be a map');
  const intervalMs = duration('interval', spec.interval, DEFAULT_INTERVAL, problems);
  if (intervalMs <= 0) problems.push('spec.interval: must be longer than 0s');
  const waitTimeoutMs = duration('wait.timeout', spec.wait?.timeout, DEFAULT_WAIT_TIMEOUT, problems);
  const valuesFrom = (spec.valuesFrom ?? []).map((ref, i) => resolveValuesReference(ref, i, problems));
  const remediation = resolveRemediation(spec, problems);
  const dependsOn = resolveDependsOn(spec, cr.metadata.namespace, cr.metadata.name, problems);
  const testTimeoutMs = spec.test?.timeout === undefined ? waitTimeoutMs : duration('test.timeout', spec.test.timeout, DEFAULT_WAIT_TIMEOUT, problems);
  if (problems.length > 0) throw new InvalidSpecError(problems);
  return {
    releaseName,
    targetNamespace,
    chart: spec.chart,
    chartSourceKind: kind as ChartSourceKind,
    valuesFrom,
    values: spec.values ?? {},
    revision: spec.revision,
    suspend: spec.suspend ?? false,
    intervalMs,
    historyLimit: spec.historyLimit ?? DEFAULT_HISTORY_LIMIT,
    serviceAccountName: spec.serviceAccountName || undefined,
    createNamespace: spec.createNamespace ?? false,
    wait: { enabled: spec.wait?.enabled ?? false, timeoutMs: waitTimeoutMs },
    prune: spec.prune ?? true,
    forceConflicts: spec.forceConflicts ?? false,
    approval: { mode: spec.approval?.mode ?? 'auto', approvedPlan: spec.approval?.approvedPlan || undefined },
    remediation,
    dependsOn,
    test: { enabled: spec.test?.enable ?? false, timeoutMs: testTimeoutMs, ignoreFailures: spec.test?.ignoreFailures ?? false },
  };
}
