// Helm's release record (helm.sh/helm/v4 pkg/release/v1: Release, Info, Hook; pkg/chart/v2: Chart,
// Metadata) as the JSON Helm's storage drivers write. Fields Helm writes that we do not model are kept
// when a record is read and written back (index signatures), so a record `helm install` wrote keeps
// its whole chart when we only change its status.

/** Helm's release status strings. */
export type ReleaseStatus =
  | 'unknown'
  | 'deployed'
  | 'uninstalled'
  | 'superseded'
  | 'failed'
  | 'uninstalling'
  | 'pending-install'
  | 'pending-upgrade'
  | 'pending-rollback';

export interface ReleaseInfo {
  /** RFC 3339 timestamps, as Go's time.Time marshals. */
  first_deployed?: string;
  last_deployed?: string;
  deleted?: string;
  /** "Install complete", "Upgrade complete", "Rollback to 2", or a failure message. */
  description?: string;
  status: ReleaseStatus;
  notes?: string;
  [field: string]: unknown;
}

/** Chart.yaml as Helm stores it in `chart.metadata`. */
export interface ChartMetadata {
  name: string;
  version: string;
  apiVersion?: string;
  appVersion?: string;
  description?: string;
  type?: string;
  [field: string]: unknown;
}

export interface ReleaseChart {
  metadata: ChartMetadata;
  lock?: unknown;
  /** Helm stores every template (base64); our records store none. */
  templates?: unknown[] | null;
  /** The chart's default values (values.yaml). */
  values?: Record<string, unknown> | null;
  schema?: string | null;
  files?: unknown[] | null;
  [field: string]: unknown;
}

export interface HookRun {
  started_at?: string;
  completed_at?: string;
  /** Unknown, Running, Succeeded, Failed. */
  phase?: string;
}

export interface ReleaseHook {
  name: string;
  kind: string;
  /** The template path, e.g. mychart/templates/job.yaml. */
  path: string;
  manifest: string;
  /** pre-install, post-upgrade, pre-delete, test, ... */
  events: string[];
  last_run?: HookRun;
  weight?: number;
  delete_policies?: string[];
  output_log_policies?: string[];
  [field: string]: unknown;
}

export interface HelmRelease {
  name: string;
  info: ReleaseInfo;
  chart: ReleaseChart;
  /** The values the user supplied (what `helm get values` prints); not the chart defaults. */
  config: Record<string, unknown> | null;
  manifest: string;
  hooks?: ReleaseHook[] | null;
  /** The revision number. */
  version: number;
  namespace: string;
  labels?: Record<string, string> | null;
  /** "ssa" (server-side apply) or "csa"; Helm 4 latches it across upgrades. */
  apply_method?: string;
  [field: string]: unknown;
}

/** What chartrelease records beside Helm's fields (annotations of the record Secret). */
export type ReleaseAction = 'install' | 'upgrade' | 'rollback';

export interface RevisionMeta {
  action: ReleaseAction;
  /** For a rollback: the revision whose manifest was deployed again. */
  rollbackTo?: number;
  /** sha256 of the user-supplied values (canonical JSON). */
  valuesDigest: string;
  /** sha256 of the manifest. */
  manifestDigest: string;
  /** "sha256:<hex>" of the chart archive/manifest and where it came from, for charts from a repository or registry. */
  chartDigest?: string;
  chartSource?: string;
  /**
   * sha256 of everything the render depended on (chart files, values, release name, namespace,
   * revision, install or upgrade, the cluster's capabilities); absent when the render read the
   * cluster (`lookup`) or the record holds another revision's manifest (rollback). Equal inputs
   * render equally: a restarted operator need not render again to know nothing changed.
   */
  inputsDigest?: string;
}

/** One revision as status.history shows it: digests only, never values. */
export interface RevisionSummary {
  revision: number;
  action: ReleaseAction;
  rollbackTo?: number;
  status: ReleaseStatus;
  chart: { name: string; version: string; appVersion?: string; digest?: string };
  valuesDigest: string;
  manifestDigest: string;
  deployedAt: string;
  message: string;
}
