// One owning ChartRelease per release (name + target namespace), recorded on the release's records.
export {
  OWNER_ANNOTATION,
  OWNER_LABEL,
  TAKE_OVER_ANNOTATION,
  decideOwnership,
  describeOwner,
  mayUninstall,
  ownedByOtherMessage,
  ownerMetadata,
  ownerOf,
  recordedOwner,
  type Owner,
  type OwnershipInput,
  type OwnershipVerdict,
} from './owner.js';
export { checkOwnership, claimRelease, ownerExists, ownerFor, ownerOfRecords } from './claim.js';
