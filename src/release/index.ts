// Revision records in Helm's storage format (Secrets sh.helm.release.v1.NAME.vN, type
// helm.sh/release.v1) and revision bookkeeping: numbering, superseding, historyLimit, status.history.
export { ReleaseDecodeError, canonicalJson, decodeRelease, encodeRelease, manifestDigest, sha256, valuesDigest } from './codec.js';
export {
  defaultDescription,
  deployedRevision,
  liveRevision,
  inferMeta,
  newRelease,
  nextRevision,
  statusHistory,
  versionsToPrune,
  versionsToSupersede,
  type NewReleaseInput,
  type Revision,
} from './history.js';
export {
  ANNOTATION,
  PART_TYPE,
  RECORD_TYPE,
  RecordTooLargeError,
  recordFromSecret,
  recordName,
  releaseFromParts,
  revisionSecrets,
  withStatus,
  type RecordSecrets,
  type SecretObject,
  type StoredRecord,
} from './secret.js';
export { RevisionExistsError, RevisionStore, type RecordMetadata, type RevisionStoreOptions } from './store.js';
export type {
  ChartMetadata,
  HelmRelease,
  HookRun,
  ReleaseAction,
  ReleaseChart,
  ReleaseHook,
  ReleaseInfo,
  ReleaseStatus,
  RevisionMeta,
  RevisionSummary,
} from './types.js';
