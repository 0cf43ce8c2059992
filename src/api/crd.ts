// The ChartRelease CustomResourceDefinition as data. crds/chartrelease.yaml is this object printed
// as YAML (crd.test.ts fails when they differ, and rewrites the file with
// CHARTRELEASE_WRITE_CRD=1). The `satisfies` clauses below make the TypeScript compiler fail when a
// field of the types in types.ts has no schema, or the schema has a field the types lack.
import { DURATION_PATTERN } from './duration.js';
import { NAMESPACE_PATTERN, RELEASE_NAME_MAX_LENGTH, RELEASE_NAME_PATTERN } from './defaults.js';
import type {
  ChartMetadataSummary,
  ChartReleaseSpec,
  ChartReleaseStatus,
  ApprovalSpec,
  ChartSource,
  ChartStatus,
  Condition,
  ConfigMapChartSource,
  DependencyReference,
  HistoryEntry,
  InstallRemediation,
  InstallSpec,
  OCIChartSource,
  PlanObject,
  PlanStatus,
  RepositoryChartSource,
  SecretReference,
  TestSpec,
  UpgradeRemediation,
  UpgradeSpec,
  ValuesReference,
  WaitSpec,
} from './types.js';
import { API_VERSION, GROUP, KIND, PLURAL, SHORT_NAME, SINGULAR, VERSION } from './types.js';

/** The subset of OpenAPI v3 (apiextensions.k8s.io/v1 JSONSchemaProps) this CRD uses. */
export interface SchemaProps {
  type?: 'object' | 'array' | 'string' | 'integer' | 'boolean';
  description?: string;
  properties?: Record<string, SchemaProps>;
  required?: string[];
  items?: SchemaProps;
  enum?: string[];
  pattern?: string;
  format?: string;
  minimum?: number;
  minLength?: number;
  maxLength?: number;
  default?: unknown;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'map' | 'set';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-validations'?: { rule: string; message: string }[];
}

type Properties<T> = { [K in keyof Required<T>]: SchemaProps };

const string = (description: string, extra: SchemaProps = {}): SchemaProps => ({ type: 'string', description, ...extra });
const duration = (description: string): SchemaProps => string(description, { pattern: DURATION_PATTERN });
const object = <T>(description: string, properties: Properties<T>, required: (keyof T & string)[] = []): SchemaProps => ({
  type: 'object',
  description,
  properties,
  ...(required.length ? { required } : {}),
});

const secretRef = object<SecretReference>('A Secret in the ChartRelease namespace with the credentials.', { name: string('Secret name.', { minLength: 1 }) }, ['name']);

const chartSource: SchemaProps = {
  ...object<ChartSource>(
    'Where the chart comes from: exactly one source.',
    {
      path: string('A chart directory or .tgz on the operator filesystem.', { minLength: 1 }),
      configMap: object<ConfigMapChartSource>(
        'A packaged chart (.tgz) in a ConfigMap of the ChartRelease namespace (binaryData).',
        { name: string('ConfigMap name.', { minLength: 1 }), key: string('Key holding the .tgz (default chart.tgz).') },
        ['name'],
      ),
      repository: object<RepositoryChartSource>(
        'A Helm HTTP repository (index.yaml).',
        {
          url: string('Repository URL (the directory holding index.yaml), https:// or http://.', { minLength: 1, pattern: '^https?://.+' }),
          name: string('Chart name in the repository.', { minLength: 1 }),
          version: string('Version or semver constraint (1.4.x, ~1.4, >=1.2 <2); empty: the newest stable version.'),
          secretRef: { ...secretRef, description: 'Secret with username/password, token, ca.crt, tls.crt + tls.key.' },
          insecureSkipTLSVerify: { type: 'boolean', description: 'Skip TLS certificate verification (default false).' },
        },
        ['url', 'name'],
      ),
      oci: object<OCIChartSource>(
        'A chart in an OCI registry (helm push / helm install oci://...).',
        {
          url: string('oci://host[:port]/path/name of the chart (a :tag or @sha256:... may follow).', { pattern: '^oci://.+' }),
          version: string('Version or semver constraint resolved over the tags (1.4.x, ~1.4); 1.4.0@sha256:... pins a digest; empty: the newest stable version.'),
          digest: string('Manifest digest to pin to (sha256:...): the release does not move when the tag is pushed again.', { pattern: '^sha(256:[a-f0-9]{64}|512:[a-f0-9]{128})$' }),
          secretRef: { ...secretRef, description: 'Secret with username/password, token, ca.crt, tls.crt + tls.key, or a kubernetes.io/dockerconfigjson Secret.' },
          plainHTTP: { type: 'boolean', description: "The registry speaks plain HTTP (helm's --plain-http; default false)." },
          insecureSkipTLSVerify: { type: 'boolean', description: 'Skip TLS certificate verification (default false).' },
        },
        ['url'],
      ),
    },
  ),
  'x-kubernetes-validations': [
    {
      rule: '[has(self.path), has(self.configMap), has(self.repository), has(self.oci)].filter(x, x).size() == 1',
      message: 'set exactly one chart source: path, configMap, repository or oci',
    },
  ],
};

const valuesReference = object<ValuesReference>(
  'A values overlay from a ConfigMap or Secret in the ChartRelease namespace.',
  {
    kind: string('ConfigMap or Secret.', { enum: ['ConfigMap', 'Secret'] }),
    name: string('Object name.', { minLength: 1 }),
    key: string('Key holding the YAML values (default values.yaml).'),
    optional: { type: 'boolean', description: 'Skip the overlay when the object or key is missing (default false).' },
  },
  ['kind', 'name'],
);

const retries = { type: 'integer', minimum: 0, description: 'Times a failed attempt is tried again, each as a new revision (default 0).' } as const satisfies SchemaProps;

const installSpec = object<InstallSpec>('Install settings.', {
  remediation: object<InstallRemediation>('When an install fails: retried up to retries times, the failed install uninstalled before each retry and after the last. Absent: retried with backoff until something changes.', { retries }),
});

const upgradeSpec = object<UpgradeSpec>('Upgrade settings.', {
  remediation: object<UpgradeRemediation>('When an upgrade fails: the strategy runs, then it is retried up to retries times. Absent: retried with backoff until something changes.', {
    retries,
    strategy: string('rollback (default): deploy the last deployed revision again as a new revision; uninstall: remove the release; none: leave the failed revision.', { enum: ['rollback', 'uninstall', 'none'] }),
    remediateLastFailure: { type: 'boolean', description: 'Run the strategy after the last try fails too (default true).' },
  }),
});

const dependencyReference = object<DependencyReference>(
  'A ChartRelease that must be Ready at its current generation first.',
  { name: string('ChartRelease name.', { minLength: 1 }), namespace: string('Its namespace (default: this one).', { maxLength: 63, pattern: NAMESPACE_PATTERN }) },
  ['name'],
);

const testSpec = object<TestSpec>('Run the chart tests (helm.sh/hook: test) after each install and upgrade.', {
  enable: { type: 'boolean', description: 'Default false.' },
  timeout: duration('Per test hook (default: wait.timeout).'),
  ignoreFailures: { type: 'boolean', description: 'A failed test sets TestSuccess=False but does not fail the release (default false).' },
});

const specProperties: Properties<ChartReleaseSpec> = {
  releaseName: string('Helm release name (.Release.Name); default metadata.name.', { maxLength: RELEASE_NAME_MAX_LENGTH, pattern: RELEASE_NAME_PATTERN }),
  targetNamespace: string('Namespace of the release (.Release.Namespace); default metadata.namespace.', { maxLength: 63, pattern: NAMESPACE_PATTERN }),
  chart: chartSource,
  valuesFrom: { type: 'array', description: 'Values overlays merged in order, later wins (helm -f a -f b).', items: valuesReference },
  values: { type: 'object', description: 'Inline values, merged last (highest priority).', 'x-kubernetes-preserve-unknown-fields': true },
  revision: { type: 'integer', minimum: 1, description: 'Pin: deploy stored revision N again as a new revision (rollback). Remove to deploy chart and values again.' },
  suspend: { type: 'boolean', description: 'Do nothing until false again.' },
  interval: duration('Resync period; drift is corrected at least this often (default 10m).'),
  historyLimit: { type: 'integer', minimum: 1, description: 'Revisions kept, in records and status.history (default 10).' },
  serviceAccountName: string('Apply as this ServiceAccount of the ChartRelease namespace (impersonation).', { minLength: 1 }),
  createNamespace: { type: 'boolean', description: 'Create targetNamespace if missing.' },
  wait: object<WaitSpec>('Wait for applied workloads to become ready.', {
    enabled: { type: 'boolean', description: 'Default false.' },
    timeout: duration('Default 5m.'),
  }),
  prune: { type: 'boolean', description: 'Delete objects a new revision no longer renders (default true).' },
  forceConflicts: { type: 'boolean', description: 'Take over fields owned by other field managers (default false: conflicts are reported).' },
  approval: object<ApprovalSpec>('Deploy changes automatically, or only once their plan (status.plan) is approved by its digest.', {
    mode: string('auto (default) or manual.', { enum: ['auto', 'manual'] }),
    approvedPlan: string('The status.plan.digest that may be deployed.', { pattern: '^sha256:[0-9a-f]{64}$' }),
  }),
  install: installSpec,
  upgrade: upgradeSpec,
  dependsOn: { type: 'array', description: 'ChartReleases that must be Ready before this one installs or upgrades.', items: dependencyReference },
  test: testSpec,
};

const conditionSchema = object<Condition>(
  'metav1.Condition',
  {
    type: string('Ready, Reconciling, Stalled, AwaitingApproval or ValuesWarnings.'),
    status: string('True, False or Unknown.', { enum: ['True', 'False', 'Unknown'] }),
    reason: string('CamelCase reason.'),
    message: string('Human-readable message.'),
    lastTransitionTime: string('When status, reason or message last changed.', { format: 'date-time' }),
    observedGeneration: { type: 'integer', description: 'metadata.generation the condition was computed from.' },
  },
  ['type', 'status', 'reason', 'message', 'lastTransitionTime'],
);

const historyEntry = object<HistoryEntry>(
  'One kept revision; values appear only as a digest.',
  {
    revision: { type: 'integer' },
    action: string('install, upgrade or rollback.', { enum: ['install', 'upgrade', 'rollback'] }),
    rollbackTo: { type: 'integer', description: 'For action rollback: the revision deployed again.' },
    status: string('deployed, superseded, failed, pending or uninstalled (removed by remediation).', { enum: ['deployed', 'superseded', 'failed', 'pending', 'uninstalled'] }),
    chart: object<ChartMetadataSummary>('Chart metadata.', {
      name: string('Chart name.'),
      version: string('Chart version.'),
      appVersion: string('App version.'),
      digest: string('sha256 of the archive (repository) or manifest (OCI) the chart came from.'),
    }),
    valuesDigest: string('sha256 of the merged values.'),
    manifestDigest: string('sha256 of the rendered manifest.'),
    deployedAt: string('When the revision was deployed.', { format: 'date-time' }),
    message: string('What happened.'),
    tests: { type: 'array', description: 'Chart tests run after this revision: "<hook>: succeeded" or "<hook>: failed: <why>".', items: { type: 'string' } },
  },
  ['revision', 'action', 'status'],
);

const statusProperties: Properties<ChartReleaseStatus> = {
  observedGeneration: { type: 'integer' },
  revision: { type: 'integer', description: 'The revision now deployed.' },
  chart: object<ChartStatus>('The chart of the deployed revision.', {
    name: string('Chart name.'),
    version: string('Chart version (the version a constraint resolved to).'),
    digest: string('sha256 of the archive (repository) or manifest (OCI).'),
    source: string('Where it came from: the archive URL or oci:// reference, never with credentials.'),
  }),
  conditions: { type: 'array', items: conditionSchema, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] },
  history: { type: 'array', description: 'Newest first, at most historyLimit entries.', items: historyEntry },
  plan: object<PlanStatus>(
    'The plan awaiting approval (manual mode), or what the last deploy changed. Key and field paths only, never values.',
    {
      revision: { type: 'integer', description: 'The revision the plan deploys.' },
      action: string('install, upgrade, rollback or driftCorrection.', { enum: ['install', 'upgrade', 'rollback', 'driftCorrection'] }),
      digest: string('The value for spec.approval.approvedPlan.'),
      createdAt: string('When the plan was computed.', { format: 'date-time' }),
      phase: string('Deployed, AwaitingApproval or Stale.', { enum: ['Deployed', 'AwaitingApproval', 'Stale'] }),
      objects: {
        type: 'array',
        description: 'The objects that change (at most 100).',
        items: object<PlanObject>('One object.', {
          kind: string('Kind.'),
          namespace: string('Namespace (absent for cluster-scoped kinds).'),
          name: string('Name.'),
          action: string('create, update or delete.', { enum: ['create', 'update', 'delete'] }),
          fields: { type: 'array', description: 'Field paths that change.', items: { type: 'string' } },
        }),
      },
      objectsOmitted: { type: 'integer', description: 'Changed objects left out of objects.' },
      valuesChanged: { type: 'array', description: 'Values key paths whose value changes.', items: { type: 'string' } },
    },
    ['revision', 'action', 'digest', 'phase'],
  ),
  failures: { type: 'integer', description: 'Failed release actions since chart + values last changed or the counters were reset.' },
  installFailures: { type: 'integer', description: 'Failed installs among them.' },
  upgradeFailures: { type: 'integer', description: 'Failed upgrades among them.' },
  lastAttemptedRevision: { type: 'integer', description: 'The revision last tried.' },
  lastAttemptedValuesDigest: string('sha256 of the values last tried.'),
  lastAttemptedManifestDigest: string('sha256 of the manifest last tried.'),
  lastHandledReconcileAt: string('The chartrelease.dev/reconcile-requested-at value handled last.'),
  lastHandledForceAt: string('The chartrelease.dev/force-requested-at value handled last.'),
  lastHandledResetAt: string('The chartrelease.dev/reset-requested-at value handled last.'),
  summary: { type: 'string', description: 'The Ready reason and the gist of its message, one line of at most 80 characters (the STATUS column).' },
};

export function chartReleaseCRD() {
  const ready = '.status.conditions[?(@.type=="Ready")]';
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${PLURAL}.${GROUP}` },
    spec: {
      group: GROUP,
      names: { kind: KIND, listKind: `${KIND}List`, plural: PLURAL, singular: SINGULAR, shortNames: [SHORT_NAME] },
      scope: 'Namespaced',
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'Ready', type: 'string', jsonPath: `${ready}.status` },
            { name: 'Revision', type: 'integer', jsonPath: '.status.revision' },
            { name: 'Chart', type: 'string', jsonPath: '.status.history[0].chart.name' },
            { name: 'Version', type: 'string', jsonPath: '.status.history[0].chart.version', priority: 1 },
            { name: 'Status', type: 'string', jsonPath: '.status.summary' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: `${KIND} (${API_VERSION}) deploys a Helm chart with ordered values overlays, records every revision, and rolls back when spec.revision is set.`,
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: { type: 'object', properties: specProperties, required: ['chart'] },
                status: { type: 'object', properties: statusProperties },
              },
              required: ['spec'],
            },
          },
        },
      ],
    },
  };
}
