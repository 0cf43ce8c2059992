// Object references and REST paths: pure helpers shared by the apply engine, the revision store and
// the controller.

/** Identifies one Kubernetes object. `namespace` is absent for cluster-scoped objects. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** Where a kind is served: what discovery says about it. */
export interface ResourceMapping {
  group: string;
  version: string;
  kind: string;
  /** The plural resource name in the URL (deployments, customresourcedefinitions). */
  resource: string;
  namespaced: boolean;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** "Deployment.apps/web -n shop": how refs are printed in change sets, events and logs. */
export function formatRef(ref: ObjectRef): string {
  const { group } = splitApiVersion(ref.apiVersion);
  return `${ref.kind}${group ? '.' + group : ''}/${ref.name}${ref.namespace ? ' -n ' + ref.namespace : ''}`;
}

/**
 * A key that identifies an object independently of the API version it is written in, so moving a
 * manifest from v1beta1 to v1 of the same group is the same object, not a delete and a create.
 */
export function refKey(ref: ObjectRef): string {
  return `${splitApiVersion(ref.apiVersion).group}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;
}

/** /api/v1 or /apis/GROUP/VERSION. */
function groupVersionPath(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

/**
 * The REST path of a collection (name omitted) or an object. A namespace is used only for namespaced
 * resources; `namespace` undefined on a namespaced resource addresses all namespaces (list/watch).
 */
export function resourcePath(mapping: ResourceMapping, opts: { namespace?: string; name?: string; subresource?: string } = {}): string {
  let path = groupVersionPath(mapping.group, mapping.version);
  if (mapping.namespaced && opts.namespace) path += `/namespaces/${encodeURIComponent(opts.namespace)}`;
  path += `/${mapping.resource}`;
  if (opts.name !== undefined) path += `/${encodeURIComponent(opts.name)}`;
  if (opts.subresource) path += `/${opts.subresource}`;
  return path;
}

export type QueryValue = string | number | boolean | undefined | null;

/** `?a=1&b=x` from defined parameters, in the given order; '' when there are none. */
export function queryString(params: Record<string, QueryValue> | undefined): string {
  if (!params) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return parts.length ? '?' + parts.join('&') : '';
}

/** The user name of a ServiceAccount, as RBAC and impersonation know it. */
export function serviceAccountUser(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}
