// Which ChartRelease owns a release (a release name in a target namespace): pure. The owner is
// recorded on the release's records (labels, which Helm keeps when it rewrites a record, and an
// annotation with the full name), so it is known without any other storage. One release, one owner:
// another ChartRelease naming the same release stalls and touches nothing, even when deleted.
import type { RecordMetadata } from '../release/index.js';

const P = 'chartrelease.dev/';
export const OWNER_LABEL = { uid: `${P}owner-uid`, namespace: `${P}owner-namespace`, name: `${P}owner-name` } as const;
/** "NAMESPACE/NAME" of the owner (names longer than a label value allows live only here). */
export const OWNER_ANNOTATION = `${P}owner`;
/** On a ChartRelease: "NAMESPACE/NAME" of the ChartRelease it takes its release over from, on purpose. */
export const TAKE_OVER_ANNOTATION = `${P}take-over-from`;

/** A ChartRelease, as the owner of a release. */
export interface Owner {
  namespace: string;
  /** Unknown only when a name too long for a label was dropped by Helm rewriting the record. */
  name?: string;
  uid: string;
}

export const describeOwner = (o: Owner) => (o.name ? `ChartRelease ${o.namespace}/${o.name}` : `the ChartRelease with uid ${o.uid} in namespace ${o.namespace}`);

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** The labels and annotations that record `owner` on a record Secret. */
export function ownerMetadata(owner: Owner): RecordMetadata {
  const name = owner.name ?? '';
  return {
    labels: {
      [OWNER_LABEL.uid]: owner.uid,
      [OWNER_LABEL.namespace]: owner.namespace,
      ...(name.length <= 63 && LABEL_VALUE.test(name) ? { [OWNER_LABEL.name]: name } : {}),
    },
    annotations: { [OWNER_ANNOTATION]: `${owner.namespace}/${name}` },
  };
}

/** The owner a record names, if any. */
export function ownerOf(record: { labels: Record<string, string>; annotations: Record<string, string> }): Owner | undefined {
  const uid = record.labels[OWNER_LABEL.uid];
  if (!uid) return undefined;
  const full = record.annotations[OWNER_ANNOTATION];
  const slash = full?.indexOf('/') ?? -1;
  const namespace = record.labels[OWNER_LABEL.namespace] ?? (slash > 0 ? full!.slice(0, slash) : '');
  const name = record.labels[OWNER_LABEL.name] ?? (slash > 0 ? full!.slice(slash + 1) : undefined);
  return { namespace, ...(name ? { name } : {}), uid };
}

/** The recorded owner of a release: the one the newest record naming an owner names (a record `helm upgrade` wrote names none). */
export function recordedOwner(records: readonly { version: number; labels: Record<string, string>; annotations: Record<string, string> }[]): Owner | undefined {
  const newestFirst = [...records].sort((a, b) => b.version - a.version);
  for (const r of newestFirst) {
    const owner = ownerOf(r);
    if (owner) return owner;
  }
  return undefined;
}

export interface OwnershipInput {
  /** The ChartRelease that wants to act on the release. */
  claimant: Owner & { name: string; takeOverFrom?: string };
  /** How many records the release has. */
  records: number;
  /** The recorded owner (recordedOwner()). */
  owner?: Owner;
  /** Whether the recorded owner still exists (a ChartRelease with its uid); asked only when it is another one. */
  ownerLive?: boolean;
}

export type OwnershipVerdict =
  /** Ours already, or no record yet (the first record is created with our owner, atomically). */
  | { kind: 'owned' }
  /** Records without an owner: a release `helm install` made (or an older chartrelease). Record us as owner. */
  | { kind: 'adopt' }
  /** The recorded owner is gone, or the claimant names it in take-over-from: record us as owner. */
  | { kind: 'takeOver'; previous: Owner; why: 'ownerGone' | 'handedOver' }
  /** Another live ChartRelease owns it: apply nothing. */
  | { kind: 'ownedByOther'; owner: Owner }
  /** Liveness of the recorded owner must be read first. */
  | { kind: 'checkOwner'; owner: Owner };

/** Whether the claimant's take-over-from annotation names `owner`. */
function handedOver(takeOverFrom: string | undefined, owner: Owner): boolean {
  if (!takeOverFrom) return false;
  const wanted = takeOverFrom.trim();
  return wanted === owner.uid || (owner.name !== undefined && wanted === `${owner.namespace}/${owner.name}`);
}

/** Who may act on the release. Pure. */
export function decideOwnership(input: OwnershipInput): OwnershipVerdict {
  const { claimant, owner } = input;
  if (input.records === 0) return { kind: 'owned' };
  if (!owner) return { kind: 'adopt' };
  if (owner.uid === claimant.uid) return { kind: 'owned' };
  if (handedOver(claimant.takeOverFrom, owner)) return { kind: 'takeOver', previous: owner, why: 'handedOver' };
  if (input.ownerLive === undefined) return { kind: 'checkOwner', owner };
  return input.ownerLive ? { kind: 'ownedByOther', owner } : { kind: 'takeOver', previous: owner, why: 'ownerGone' };
}

/**
 * Whether deleting the claimant may uninstall the release (objects and records): only when the records
 * name it as owner, or there is nothing recorded. A ChartRelease that never owned the release leaves it.
 */
export function mayUninstall(claimant: Pick<Owner, 'uid'>, records: number, owner: Owner | undefined): boolean {
  return records === 0 || owner?.uid === claimant.uid;
}

/** The stall message of a ChartRelease whose release another owns: who, and how to move it on purpose. */
export function ownedByOtherMessage(release: { name: string; namespace: string }, owner: Owner, claimant: { namespace: string; name: string }): string {
  const from = owner.name ? `${owner.namespace}/${owner.name}` : owner.uid;
  return (
    `release ${release.name} in namespace ${release.namespace} is owned by ${describeOwner(owner)}; this ChartRelease applies nothing ` +
    `and its deletion leaves the release alone. To move the release here on purpose, annotate ${claimant.namespace}/${claimant.name} ` +
    `with ${TAKE_OVER_ANNOTATION}=${from}`
  );
}
