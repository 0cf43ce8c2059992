// The apply engine: a release manifest to objects in Helm's install order, staged server-side apply
// (CRDs established first), no write for unchanged objects, conflicts reported unless forced, prune by
// inventory diff, uninstall respecting `helm.sh/resource-policy: keep`, readiness of workloads.
export { deepEqual, differingPaths, isUnchanged, parseFieldConflict, type FieldConflict } from './compare.js';
export {
  ApplyConflictError,
  ApplyError,
  CrdNotEstablishedError,
  DeleteFailedError,
  FIELD_MANAGER,
  applyManifest,
  ensureNamespace,
  prune,
  resolveInventory,
  uninstall,
  waitForCrdsEstablished,
  waitReady,
  type ApplyManifestOptions,
  type ApplyResult,
  type DeleteObjectsOptions,
  type WaitOutcome,
} from './engine.js';
export { deletionOrder, describeChanges, hasWrites, staleObjects, summarizeChanges, type Change, type ChangeAction, type Inventory, type InventoryEntry } from './inventory.js';
export {
  MANAGED_BY_LABEL,
  ManifestError,
  RELEASE_NAME_ANNOTATION,
  RELEASE_NAMESPACE_ANNOTATION,
  RESOURCE_POLICY_ANNOTATION,
  applyBody,
  isKeepPolicy,
  parseManifest,
  resolveNamespace,
  splitManifest,
  type ManifestObject,
  type Ownership,
} from './manifest.js';
export { INSTALL_ORDER, UNINSTALL_ORDER, isClusterDefinition, sortByInstallOrder, sortByUninstallOrder } from './order.js';
export { WORKLOAD_KINDS, readiness, type Readiness } from './readiness.js';
