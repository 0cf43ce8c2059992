// The ChartRelease custom resource (chartrelease.dev/v1alpha1), as ../shared/API.md fixes it.
// These types are the one source of truth: src/api/crd.ts derives the CRD's OpenAPI schema from the
// same field list (a compile-time check keeps them in step) and crds/chartrelease.yaml is checked
// against it by a test.

export const GROUP = 'chartrelease.dev';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const KIND = 'ChartRelease';
export const PLURAL = 'chartreleases';
export const SINGULAR = 'chartrelease';
export const SHORT_NAME = 'chr';
/** The finalizer that uninstalls a release before its ChartRelease goes away. */
export const FINALIZER = 'chartrelease.dev/uninstall';
/** Field manager for every server-side apply the operator sends. */
export const FIELD_MANAGER = 'chartrelease';

export interface ObjectMeta {
  name: string;
  namespace: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  deletionTimestamp?: string;
  finalizers?: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
}

export interface SecretReference {
  name: string;
}

/** A packaged chart (.tgz) stored in a ConfigMap's binaryData (or data, base64). */
export interface ConfigMapChartSource {
  name: string;
  /** Default "chart.tgz". */
  key?: string;
}

/** A Helm HTTP repository (index.yaml), as `helm install --repo URL NAME --version V`. */
export interface RepositoryChartSource {
  url: string;
  name: string;
  /** A version or a semver constraint (`1.4.x`, `~1.4`, `>=1.2 <2`); empty: the newest stable version. */
  version?: string;
  /** Credentials: keys username/password, token, ca.crt, tls.crt + tls.key. */
  secretRef?: SecretReference;
  /** Skip TLS certificate verification (helm's --insecure-skip-tls-verify). Default false. */
  insecureSkipTLSVerify?: boolean;
}

/** A chart in an OCI registry, as `helm install oci://host/path/name --version V`. */
export interface OCIChartSource {
  /** `oci://host[:port]/path/name` (a `:tag` or `@sha256:...` may follow). */
  url: string;
  /** A version or a semver constraint resolved over the tags; `1.4.0@sha256:...` pins a digest too. Empty: the newest stable version. */
  version?: string;
  /** The manifest digest (`sha256:...`) to pin to: the release does not move when the tag is pushed again. */
  digest?: string;
  /** Credentials: username/password, token, ca.crt, tls.crt + tls.key, or a kubernetes.io/dockerconfigjson Secret. */
  secretRef?: SecretReference;
  /** The registry speaks plain HTTP (helm's --plain-http). Default false. */
  plainHTTP?: boolean;
  /** Skip TLS certificate verification (helm's --insecure-skip-tls-verify). Default false. */
  insecureSkipTLSVerify?: boolean;
}

/** Exactly one of the four sources. */
export interface ChartSource {
  /** A chart directory or .tgz on the operator's filesystem. */
  path?: string;
  configMap?: ConfigMapChartSource;
  repository?: RepositoryChartSource;
  oci?: OCIChartSource;
}

export type ChartSourceKind = keyof ChartSource;
export const CHART_SOURCE_KINDS: readonly ChartSourceKind[] = ['path', 'configMap', 'repository', 'oci'];

export interface ValuesReference {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  /** Default "values.yaml". */
  key?: string;
  /** Missing object or key is skipped instead of failing. Default false. */
  optional?: boolean;
}

export interface WaitSpec {
  /** Default false (like `helm upgrade` without --wait). */
  enabled?: boolean;
  /** Default "5m". */
  timeout?: string;
}

/** What happens when an install fails (see docs/operator.md, "When releases fail"). */
export interface InstallRemediation {
  /** Times a failed install is tried again (each try a new revision); the failed one is uninstalled first. Default 0. */
  retries?: number;
}

export type UpgradeRemediationStrategy = 'rollback' | 'uninstall' | 'none';

/** What happens when an upgrade fails. */
export interface UpgradeRemediation {
  /** Times a failed upgrade is tried again (each try a new revision). Default 0. */
  retries?: number;
  /** Run after each failed upgrade: rollback (default), uninstall or none. */
  strategy?: UpgradeRemediationStrategy;
  /** Also run the strategy after the last try fails (default true). */
  remediateLastFailure?: boolean;
}

export interface InstallSpec {
  /** Absent: a failed install is retried with backoff until something changes (no remediation). */
  remediation?: InstallRemediation;
}

export interface UpgradeSpec {
  /** Absent: a failed upgrade is retried with backoff until something changes (no remediation). */
  remediation?: UpgradeRemediation;
}

/** Another ChartRelease that must be Ready (at its current generation) before this one installs or upgrades. */
export interface DependencyReference {
  name: string;
  /** Default: this ChartRelease's namespace. */
  namespace?: string;
}

/** The chart's `helm.sh/hook: test` hooks, run after each install and upgrade as `helm test` runs them. */
export interface TestSpec {
  /** Default false. */
  enable?: boolean;
  /** How long each test hook may take (default: spec.wait.timeout). */
  timeout?: string;
  /** A failed test is reported (TestSuccess=False) but is no failure of the release. Default false. */
  ignoreFailures?: boolean;
}

export interface ChartReleaseSpec {
  releaseName?: string;
  targetNamespace?: string;
  chart: ChartSource;
  valuesFrom?: ValuesReference[];
  values?: Record<string, unknown>;
  /** Pin: deploy stored revision N again (rollback). */
  revision?: number;
  suspend?: boolean;
  interval?: string;
  historyLimit?: number;
  serviceAccountName?: string;
  createNamespace?: boolean;
  wait?: WaitSpec;
  prune?: boolean;
  /**
   * Take over fields another field manager owns (server-side apply with force). Default false:
   * a conflict is reported in status and nothing of that object changes. API.md leaves the opt-in's
   * name to us ("taken over only when the user opts in").
   */
  forceConflicts?: boolean;
  install?: InstallSpec;
  upgrade?: UpgradeSpec;
  dependsOn?: DependencyReference[];
  test?: TestSpec;
  /** Deploy changes automatically (default) or only once their plan is approved by digest. */
  approval?: ApprovalSpec;
}

export interface ApprovalSpec {
  /** auto (default): deploy what chart and values give. manual: compute a plan and wait for its digest in approvedPlan. */
  mode?: 'auto' | 'manual';
  /** The digest of status.plan that may be deployed (`sha256:...`). */
  approvedPlan?: string;
}

/** One object a plan changes; field paths only, never values. */
export interface PlanObject {
  kind: string;
  namespace?: string;
  name: string;
  action: 'create' | 'update' | 'delete';
  /** Paths of the fields that change (`.spec.replicas`, `.data.password`), for updates. */
  fields?: string[];
}

/** What the next deploy changes (manual mode, awaiting approval) or what the last one changed (auto). */
export interface PlanStatus {
  /** The revision the plan deploys (or deployed). */
  revision: number;
  /** install, upgrade, rollback, or driftCorrection (applying the deployed revision again). */
  action: 'install' | 'upgrade' | 'rollback' | 'driftCorrection';
  /** sha256 over what is deployed and what changes: the value to put in spec.approval.approvedPlan. */
  digest: string;
  createdAt: string;
  /** approved (deployed), awaiting approval, or stale (spec.approval.approvedPlan names another plan). */
  phase: 'Deployed' | 'AwaitingApproval' | 'Stale';
  objects: PlanObject[];
  /** How many changed objects `objects` leaves out (it keeps at most 100). */
  objectsOmitted?: number;
  /** Values key paths whose value changes (never the values). */
  valuesChanged: string[];
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** metav1.Condition. */
export interface Condition {
  type: string;
  status: ConditionStatus;
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export type ReleaseAction = 'install' | 'upgrade' | 'rollback';
/** uninstalled: the revision's objects were removed by remediation (its record is kept). */
export type HistoryStatus = 'deployed' | 'superseded' | 'failed' | 'pending' | 'uninstalled';

export interface ChartMetadataSummary {
  name: string;
  version: string;
  appVersion?: string;
  /** "sha256:<hex>" of the archive (repository) or manifest (OCI) the chart came from. */
  digest?: string;
}

/** The chart the deployed revision came from; digest and source for charts fetched from a repository or registry. */
export interface ChartStatus {
  name: string;
  version: string;
  digest?: string;
  /** The archive URL (repository) or oci://host/repo:tag@digest, never with credentials. */
  source?: string;
}

export interface HistoryEntry {
  revision: number;
  action: ReleaseAction;
  rollbackTo?: number;
  status: HistoryStatus;
  chart: ChartMetadataSummary;
  valuesDigest: string;
  manifestDigest: string;
  deployedAt: string;
  message: string;
  /** The chart's test hooks run after this revision (spec.test), one line each: "<name>: succeeded|failed[: why]". */
  tests?: string[];
}

export interface ChartReleaseStatus {
  observedGeneration?: number;
  /** The revision now deployed. */
  revision?: number;
  /** The chart of the deployed revision. */
  chart?: ChartStatus;
  conditions?: Condition[];
  /** Newest first, at most historyLimit entries, never any values. */
  history?: HistoryEntry[];
  /** The plan awaiting approval (manual mode), or what the last deploy changed. */
  plan?: PlanStatus;
  /** Failed release actions (install, upgrade, test) since the chart + values last changed or the counters were reset. */
  failures?: number;
  installFailures?: number;
  upgradeFailures?: number;
  /** The revision last tried (install, upgrade or forced upgrade), and what it deployed. */
  lastAttemptedRevision?: number;
  lastAttemptedValuesDigest?: string;
  lastAttemptedManifestDigest?: string;
  /** The values of the on-demand annotations handled last (chartrelease.dev/reconcile-requested-at, force-requested-at, reset-requested-at). */
  lastHandledReconcileAt?: string;
  lastHandledForceAt?: string;
  lastHandledResetAt?: string;
  /** One line of at most 80 characters, the Ready reason and the gist of its message: `kubectl get chr`'s STATUS column. */
  summary?: string;
}

export interface ChartRelease {
  apiVersion: typeof API_VERSION;
  kind: typeof KIND;
  metadata: ObjectMeta;
  spec: ChartReleaseSpec;
  status?: ChartReleaseStatus;
}

/** Condition types and reasons (kstatus: Ready, plus the abnormal-true Reconciling and Stalled). */
export const ConditionType = { Ready: 'Ready', Reconciling: 'Reconciling', Stalled: 'Stalled', AwaitingApproval: 'AwaitingApproval' } as const;

/** Conditions about the last release action, beside the kstatus ones (kstatus ignores them). */
export const ReleaseConditionType = { Released: 'Released', Remediated: 'Remediated', TestSuccess: 'TestSuccess' } as const;

/** On-demand operations: set the annotation to a new value (a timestamp); status.lastHandled* shows it was handled. */
export const RECONCILE_REQUEST_ANNOTATION = 'chartrelease.dev/reconcile-requested-at';
export const FORCE_REQUEST_ANNOTATION = 'chartrelease.dev/force-requested-at';
export const RESET_REQUEST_ANNOTATION = 'chartrelease.dev/reset-requested-at';
