// Kubernetes API I/O: kubeconfig and in-cluster credentials, raw JSON requests (server-side apply,
// patches, paginated lists, watch streams), list/watch as a state machine (the watcher: relist on 410,
// resume from the last resourceVersion, short backoff), discovery and the REST mapper, typed API errors.
export {
  KubeClient,
  METADATA_LIST_ONLY,
  METADATA_ONLY,
  type ApplyOptions,
  type DeleteOptions,
  type Impersonation,
  type KubeClientOptions,
  type KubeObject,
  type ListOptions,
  type ObjectList,
  type PatchType,
  type PropagationPolicy,
  type RequestOptions,
  type WatchEvent,
  type WatchParams,
  type WriteOptions,
} from './client.js';
export { KubeconfigError, loadCredentials, SERVICE_ACCOUNT_DIR, type Credentials, type KubeconfigSource } from './kubeconfig.js';
export { Discovery, NoKindMatchError, apiVersionSet, parseAggregatedDiscovery, type DiscoveryOptions, type DiscoverySnapshot, type ServerVersion } from './discovery.js';
export {
  KubeApiError,
  KubeTransportError,
  isAlreadyExists,
  isFieldManagerConflict,
  isForbidden,
  isGone,
  isNotFound,
  isRetryable,
  isStaleWrite,
  type ApiStatus,
  type StatusCause,
} from './errors.js';
export { formatRef, queryString, refKey, resourcePath, serviceAccountUser, splitApiVersion, type ObjectRef, type QueryValue, type ResourceMapping } from './paths.js';
export { backoffDelay, type BackoffOptions } from './backoff.js';
export { apiWatchSource, runWatcher, step, type ListPage, type Meta, type RawWatchEvent, type StepInput, type WatchSource, type WatcherEvent, type WatcherOptions, type WatcherState } from './watcher.js';
