// The I/O of a diff: the deployed revision's manifest (for what prune would delete), a server-side
// dry-run apply of the new manifest as the `chartrelease` field manager (what the operator would
// send, ownership annotations included), and the live objects prune would delete.
import { applyManifest, applyBody, parseManifest, resolveInventory, staleObjects, type ManifestObject } from '../apply/index.js';
import { isNotFound, NoKindMatchError, refKey, resourcePath, type Discovery, type KubeClient, type KubeObject, type ObjectRef } from '../kube/index.js';
import { deployedRevision, RevisionStore } from '../release/index.js';
import { parse } from 'yaml';
import { objectDiffs, type Deletion, type ObjectDiff } from './plan.js';

export interface ClusterDiffOptions {
  releaseName: string;
  targetNamespace: string;
  /** Take over fields other managers own, as spec.forceConflicts does (else a conflict is an error). */
  force?: boolean;
  /** Show what prune would delete (the operator's default). */
  prune?: boolean;
  signal?: AbortSignal;
}

/** The release's deployed revision (its manifest) and the number the next revision gets. */
export async function releaseRecords(client: KubeClient, namespace: string, releaseName: string, signal?: AbortSignal): Promise<{ deployed?: { revision: number; manifest: string; config: unknown }; nextRevision: number }> {
  const store = new RevisionStore(client, namespace, releaseName);
  const stored = await store.list(signal);
  const nextRevision = Math.max(0, ...stored.map((r) => r.release.version)) + 1;
  const deployed = deployedRevision(stored);
  const whole = deployed && (deployed.parts === 0 ? deployed : await store.get(deployed.release.version, signal));
  return { ...(whole ? { deployed: { revision: whole.release.version, manifest: whole.release.manifest ?? '', config: whole.release.config } } : {}), nextRevision };
}

async function liveObject(client: KubeClient, discovery: Discovery, ref: ObjectRef, signal?: AbortSignal): Promise<KubeObject | null> {
  try {
    const mapping = await discovery.mapping(ref.apiVersion, ref.kind);
    return await client.get<KubeObject>(resourcePath(mapping, { namespace: ref.namespace, name: ref.name }), { signal });
  } catch (err) {
    if (isNotFound(err) || err instanceof NoKindMatchError) return null;
    throw err;
  }
}

/**
 * Compares `manifest` (and the chart's CRDs) with the cluster: every object dry-run applied, every
 * object of `previousManifest` the new one lacks read for its deletion. Writes nothing.
 */
export async function diffAgainstCluster(client: KubeClient, discovery: Discovery, manifest: string, crds: readonly { text: string }[], previousManifest: string | undefined, opts: ClusterDiffOptions): Promise<ObjectDiff[]> {
  const ownership = { releaseName: opts.releaseName, releaseNamespace: opts.targetNamespace };
  const objects: ManifestObject[] = [...crds.flatMap((c) => parseManifest(c.text)), ...parseManifest(manifest)];
  const previous = previousManifest === undefined ? [] : await resolveInventory(discovery, parseManifest(previousManifest), opts.targetNamespace);
  const result = await applyManifest(client, discovery, objects, {
    targetNamespace: opts.targetNamespace,
    dryRun: true,
    keepObjects: true,
    force: opts.force ?? false,
    previous,
    ownership,
    signal: opts.signal,
  });
  const deletions: Deletion[] = [];
  if (opts.prune ?? true) {
    for (const entry of staleObjects(previous, result.inventory)) deletions.push({ ...entry, live: await liveObject(client, discovery, entry.ref, opts.signal) });
  }
  // What was sent, for an object the server could not dry-run (its namespace or kind comes with this apply).
  const manifestBody = (ref: ObjectRef): KubeObject | null => {
    const object = objects.find((o) => refKey({ ...o.ref, namespace: o.ref.namespace ?? ref.namespace }) === refKey(ref));
    return object ? (parse(applyBody(object, ref.namespace, ownership)) as KubeObject) : null;
  };
  return objectDiffs(result.changes, deletions, manifestBody);
}
