// The built-in objects of Helm's root context (pkg/chart/common, pkg/engine): .Capabilities,
// .Release, .Chart and .Template, with the Go types Helm gives them (so `typeOf` and printing match).
import { valuesTable, type ChartMetadata, type Dependency } from '../chart/index.js';
import { marshalYaml } from '../goyaml/index.js';
import {
  GoError, GoStruct, defineNamedType, int, withGoType, type GoMap, type GoValue,
} from '../template/value.js';

/** What `helm version` reports for the Helm release we render like. */
const HELM_VERSION = {
  Version: 'v4.1.4',
  GitCommit: '05fa37973dc9e42b76e1d2883494c87174b6074f',
  GitTreeState: 'clean',
  GoVersion: 'go1.25.9',
  KubeClientVersion: 'v1.35',
} as const;

/** Kubernetes version of `.Capabilities` when no cluster is asked (helm 4.1.4: client-go minor + 1). */
export const DEFAULT_KUBE_VERSION = 'v1.35.0';

/** Helm 4.1.4's default `.Capabilities.APIVersions`: client-go's built-in scheme plus apiextensions. */
export const DEFAULT_API_VERSIONS: readonly string[] = [
  'v1', 'admissionregistration.k8s.io/v1', 'admissionregistration.k8s.io/v1alpha1', 'admissionregistration.k8s.io/v1beta1',
  'internal.apiserver.k8s.io/v1alpha1', 'apps/v1', 'apps/v1beta1', 'apps/v1beta2', 'authentication.k8s.io/v1',
  'authentication.k8s.io/v1alpha1', 'authentication.k8s.io/v1beta1', 'authorization.k8s.io/v1', 'authorization.k8s.io/v1beta1',
  'autoscaling/v1', 'autoscaling/v2', 'autoscaling/v2beta1', 'autoscaling/v2beta2', 'batch/v1', 'batch/v1beta1',
  'certificates.k8s.io/v1', 'certificates.k8s.io/v1beta1', 'certificates.k8s.io/v1alpha1', 'coordination.k8s.io/v1alpha2',
  'coordination.k8s.io/v1beta1', 'coordination.k8s.io/v1', 'discovery.k8s.io/v1', 'discovery.k8s.io/v1beta1',
  'events.k8s.io/v1', 'events.k8s.io/v1beta1', 'extensions/v1beta1', 'flowcontrol.apiserver.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1beta1', 'flowcontrol.apiserver.k8s.io/v1beta2', 'flowcontrol.apiserver.k8s.io/v1beta3',
  'networking.k8s.io/v1', 'networking.k8s.io/v1beta1', 'node.k8s.io/v1', 'node.k8s.io/v1alpha1', 'node.k8s.io/v1beta1',
  'policy/v1', 'policy/v1beta1', 'rbac.authorization.k8s.io/v1', 'rbac.authorization.k8s.io/v1beta1',
  'rbac.authorization.k8s.io/v1alpha1', 'resource.k8s.io/v1', 'resource.k8s.io/v1beta2', 'resource.k8s.io/v1beta1',
  'resource.k8s.io/v1alpha3', 'scheduling.k8s.io/v1alpha1', 'scheduling.k8s.io/v1beta1', 'scheduling.k8s.io/v1',
  'storage.k8s.io/v1beta1', 'storage.k8s.io/v1', 'storage.k8s.io/v1alpha1', 'storagemigration.k8s.io/v1beta1',
  'apiextensions.k8s.io/v1beta1', 'apiextensions.k8s.io/v1',
];

export class KubeVersionError extends Error {
  override name = 'KubeVersionError';
}

export interface KubeVersion {
  /** As given, with a `v` prefix (`v1.29.3-gke.100`). */
  version: string;
  /** Major.minor.patch only (`v1.29.3`): what `{{ .Capabilities.KubeVersion }}` prints. */
  normalized: string;
  major: string;
  minor: string;
}

/** Helm's ParseKubeVersion (k8s.io/apimachinery's generic version: `v?N(.N)*` and anything after). */
export function parseKubeVersion(text: string): KubeVersion {
  const m = /^\s*v?([0-9]+(?:\.[0-9]+)*)(.*)$/.exec(text);
  const parts = m ? m[1]!.split('.') : [];
  if (!m || parts.length < 2) throw new KubeVersionError(`invalid kube version '${text}': could not parse "${text}" as version`);
  const num = parts.map((p) => String(Number(p)));
  return {
    version: text.startsWith('v') ? text : `v${text}`,
    normalized: `v${num.join('.')}`,
    major: num[0]!,
    minor: num[1]!,
  };
}

// common.Values: the root context, .Values and .Template. A named map type, so it is accepted where
// map[string]interface {} is expected, with the methods Helm gives it.
defineNamedType('common.Values', 'map[string]interface {}', {
  AsMap: { params: [], result: 'map[string]interface {}', fn: (v: GoMap) => v },
  YAML: { params: [], result: 'string', fn: (v: GoMap) => marshalYaml(v) },
  Table: {
    params: ['string'],
    result: 'common.Values',
    fn: (v: GoMap, name: string) => {
      const table = valuesTable(v, name);
      if (typeof table === 'string') throw new GoError(table);
      return withGoType(table, 'common.Values');
    },
  },
});

const kubeVersionOf = new WeakMap<GoStruct, string>();

defineNamedType('common.KubeVersion', 'struct', {
  String: { params: [], result: 'string', fn: (kv: GoStruct) => kubeVersionOf.get(kv) ?? (kv.fields.Version as string) },
  GitVersion: { params: [], result: 'string', fn: (kv: GoStruct) => kv.fields.Version as string },
});
defineNamedType('common.VersionSet', '[]string', {
  Has: { params: ['string'], result: 'bool', fn: (set: GoValue[], apiVersion: string) => set.includes(apiVersion) },
});

/** `.Capabilities` (a `*common.Capabilities`): Kubernetes version, API versions, Helm version. */
export function capabilitiesObject(kubeVersion: KubeVersion, apiVersions: readonly string[]): GoStruct {
  const kv = new GoStruct('common.KubeVersion', { Version: kubeVersion.version, Major: kubeVersion.major, Minor: kubeVersion.minor });
  kubeVersionOf.set(kv, kubeVersion.normalized);
  return new GoStruct('*common.Capabilities', {
    KubeVersion: kv,
    APIVersions: withGoType([...apiVersions], 'common.VersionSet'),
    HelmVersion: new GoStruct('version.BuildInfo', { ...HELM_VERSION }),
  });
}

function list(items: readonly GoValue[]): GoValue[] {
  return [...items];
}

function dependencyObject(d: Dependency): GoMap {
  return {
    Name: d.name, Version: d.version, Repository: d.repository, Condition: d.condition, Tags: list(d.tags),
    Enabled: d.enabled, ImportValues: list(d.importValues), Alias: d.alias,
  };
}

/** `.Chart`: the metadata as a map keyed by Go field names (Helm 4), plus IsRoot. */
export function chartObject(md: ChartMetadata, isRoot: boolean): GoMap {
  return {
    Name: md.name,
    Home: md.home,
    Sources: list(md.sources),
    Version: md.version,
    Description: md.description,
    Keywords: list(md.keywords),
    Maintainers: md.maintainers.map((m): GoValue => ({ Name: m.name, Email: m.email, URL: m.url })),
    Icon: md.icon,
    APIVersion: md.apiVersion,
    Condition: md.condition,
    Tags: md.tags,
    AppVersion: md.appVersion,
    Deprecated: md.deprecated,
    Annotations: withGoType({ ...md.annotations }, 'map[string]string'),
    KubeVersion: md.kubeVersion,
    Dependencies: (md.dependencies ?? []).map(dependencyObject),
    Type: md.type,
    IsRoot: isRoot,
  };
}

export interface ReleaseInfo {
  name: string;
  namespace: string;
  revision: number;
  isUpgrade: boolean;
}

/** `.Release`. */
export function releaseObject(r: ReleaseInfo): GoMap {
  return { Name: r.name, Namespace: r.namespace, IsUpgrade: r.isUpgrade, IsInstall: !r.isUpgrade, Revision: int(r.revision), Service: 'Helm' };
}

/** `.Template` for one file. */
export function templateObject(name: string, basePath: string): GoMap {
  return withGoType({ Name: name, BasePath: basePath }, 'common.Values');
}
