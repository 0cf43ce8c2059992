// The apply engine: a release manifest to objects in Helm's install order, staged server-side apply
// (CRDs established first), no write for unchanged objects, conflicts reported unless forced, prune by
// inventory diff, uninstall respecting `helm.sh/resource-policy: keep`, readiness of workloads.
export { deepEqual, differingPaths, isUnchanged, parseFieldConflict, type FieldConflict } from './compare.js';
export { setsField, unionFields, upgradeManagedFields, type ManagedFieldsEntry } from './fields.js';
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
  ManifestError,
  applyBody,
  isKeepPolicy,
  parseManifest,
  resolveNamespace,
  splitManifest,
  type ManifestObject,
  type Ownership,
} from './manifest.js';
export { isClusterDefinition, sortByInstallOrder, sortByUninstallOrder } from './order.js';
export { needsWait, readiness, type Readiness } from './readiness.js';
