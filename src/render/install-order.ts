// Helm's install order of kinds (pkg/release/v1/util/kind_sorter.go): a stable sort by kind; kinds
// not in the list come after all listed ones, alphabetically by kind.

const INSTALL_ORDER: readonly string[] = [
  'PriorityClass', 'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget',
  'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim',
  'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role',
  'RoleList', 'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet',
  'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
];

const rank = new Map(INSTALL_ORDER.map((kind, i) => [kind, i]));

/** Go's `<` on strings (byte order of UTF-8). */
function byteLess(a: string, b: string): boolean {
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) < 0;
}

/** Helm's lessByKind: listed kinds by their rank, then unknown kinds alphabetically. */
function compareKinds(a: string, b: string): number {
  const ra = rank.get(a);
  const rb = rank.get(b);
  if (ra === undefined && rb === undefined) return a === b ? 0 : byteLess(a, b) ? -1 : 1;
  if (ra === undefined) return 1;
  if (rb === undefined) return -1;
  return ra - rb;
}

/** A stable sort of `items` by the install order of their kind (Array.prototype.sort is stable). */
export function sortByInstallOrder<T>(items: readonly T[], kindOf: (item: T) => string): T[] {
  return [...items].sort((x, y) => compareKinds(kindOf(x), kindOf(y)));
}
