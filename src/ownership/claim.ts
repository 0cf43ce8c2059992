// Ownership I/O: reads whether a recorded owner still exists and records a new owner on the
// release's newest record, with its resourceVersion as precondition, so two ChartReleases claiming
// the same release at once cannot both win (the loser gets a 409 and reads again).
import { GROUP, PLURAL, VERSION, type ChartRelease } from '../api/index.js';
import { isForbidden, isNotFound, type KubeClient } from '../kube/index.js';
import type { RevisionStore, StoredRecord } from '../release/index.js';
import { decideOwnership, ownerMetadata, recordedOwner, TAKE_OVER_ANNOTATION, type Owner, type OwnershipVerdict } from './owner.js';

/** The ChartRelease as an owner. */
export function ownerFor(cr: ChartRelease): Owner & { name: string } {
  return { namespace: cr.metadata.namespace, name: cr.metadata.name, uid: cr.metadata.uid ?? '' };
}

const recordsView = (records: readonly StoredRecord[]) => records.map((r) => ({ version: r.release.version, labels: r.labels, annotations: r.annotations }));

/** The owner the records name. */
export const ownerOfRecords = (records: readonly StoredRecord[]) => recordedOwner(recordsView(records));

/** Whether a ChartRelease with the owner's uid exists. Unreadable (forbidden) counts as existing: never take a release on a guess. */
export async function ownerExists(client: KubeClient, owner: Owner, signal?: AbortSignal): Promise<boolean> {
  const base = `/apis/${GROUP}/${VERSION}/namespaces/${encodeURIComponent(owner.namespace)}/${PLURAL}`;
  try {
    if (owner.name) {
      const cr = await client.get<ChartRelease>(`${base}/${encodeURIComponent(owner.name)}`, { signal });
      return cr.metadata.uid === owner.uid;
    }
    const list = await client.list<ChartRelease>(base, { signal });
    return list.items.some((cr) => cr.metadata.uid === owner.uid);
  } catch (err) {
    if (isNotFound(err)) return false;
    if (isForbidden(err)) return true;
    throw err;
  }
}

/** Decides who owns the release of `cr`, reading the recorded owner's existence when needed. */
export async function checkOwnership(client: KubeClient, cr: ChartRelease, records: readonly StoredRecord[], signal?: AbortSignal): Promise<OwnershipVerdict> {
  const claimant = { ...ownerFor(cr), takeOverFrom: cr.metadata.annotations?.[TAKE_OVER_ANNOTATION] };
  const owner = ownerOfRecords(records);
  const verdict = decideOwnership({ claimant, records: records.length, owner });
  if (verdict.kind !== 'checkOwner') return verdict;
  return decideOwnership({ claimant, records: records.length, owner, ownerLive: await ownerExists(client, verdict.owner, signal) });
}

/** Records `cr` as the owner on the newest record (adopt or take over). */
export async function claimRelease(store: RevisionStore, cr: ChartRelease, records: readonly StoredRecord[], signal?: AbortSignal): Promise<void> {
  const newest = [...records].sort((a, b) => b.release.version - a.release.version)[0];
  if (!newest) return;
  await store.stamp(newest.release.version, ownerMetadata(ownerFor(cr)), newest.resourceVersion, signal);
}
