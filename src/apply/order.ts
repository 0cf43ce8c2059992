// Helm's kind orders (helm.sh/helm/v4 pkg/release/v1/util, InstallOrder and UninstallOrder).

/** Kinds in the order Helm installs them; kinds not listed come after, alphabetically by kind. */
const INSTALL_ORDER: readonly string[] = [
  'PriorityClass',
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];

/** Kinds in the order Helm deletes them (validating webhooks first, so they cannot block the rest). */
const UNINSTALL_ORDER: readonly string[] = [
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
  'Ingress',
  'IngressClass',
  'Service',
  'CronJob',
  'Job',
  'StatefulSet',
  'HorizontalPodAutoscaler',
  'Deployment',
  'ReplicaSet',
  'ReplicationController',
  'Pod',
  'DaemonSet',
  'RoleBindingList',
  'RoleBinding',
  'RoleList',
  'Role',
  'ClusterRoleBindingList',
  'ClusterRoleBinding',
  'ClusterRoleList',
  'ClusterRole',
  'CustomResourceDefinition',
  'PersistentVolumeClaim',
  'PersistentVolume',
  'StorageClass',
  'ConfigMap',
  'SecretList',
  'Secret',
  'ServiceAccount',
  'PodDisruptionBudget',
  'PodSecurityPolicy',
  'LimitRange',
  'ResourceQuota',
  'NetworkPolicy',
  'Namespace',
  'PriorityClass',
];

const installRank = new Map(INSTALL_ORDER.map((k, i) => [k, i]));
const uninstallRank = new Map(UNINSTALL_ORDER.map((k, i) => [k, i]));

function compareKinds(a: string, b: string, rank: Map<string, number>, unknownFirst: boolean): number {
  const ra = rank.get(a);
  const rb = rank.get(b);
  if (ra === undefined && rb === undefined) return a < b ? -1 : a > b ? 1 : 0;
  if (ra === undefined) return unknownFirst ? -1 : 1;
  if (rb === undefined) return unknownFirst ? 1 : -1;
  return ra - rb;
}

/** Stable sort by Helm's InstallOrder: unknown kinds (custom resources) last, alphabetically by kind. */
export function sortByInstallOrder<T extends { kind: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compareKinds(a.kind, b.kind, installRank, false));
}

/**
 * Stable sort for deletion: Helm's UninstallOrder, except that unknown kinds (custom resources) come
 * first rather than last, so they are deleted while their CustomResourceDefinition (and the operator
 * that handles their finalizers) still exists.
 */
export function sortByUninstallOrder<T extends { kind: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compareKinds(a.kind, b.kind, uninstallRank, true));
}

/** Stage 1 of an apply: objects other objects are defined or placed in. */
export function isClusterDefinition(ref: { apiVersion: string; kind: string }): boolean {
  return (ref.kind === 'CustomResourceDefinition' && ref.apiVersion.startsWith('apiextensions.k8s.io/')) || (ref.kind === 'Namespace' && ref.apiVersion === 'v1');
}
