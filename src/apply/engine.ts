// The apply engine's I/O: staged server-side apply (CRDs and Namespaces first, established before
// the rest), dry-run first so unchanged objects cost no write, conflicts reported before anything of
// a stage is written, prune and uninstall by inventory, waiting for workloads.
import {
  KubeApiError,
  NoKindMatchError,
  formatRef,
  isFieldManagerConflict,
  isNotFound,
  isRetryable,
  refKey,
  resourcePath,
  type Discovery,
  type KubeClient,
  type KubeObject,
  type ObjectRef,
  type ResourceMapping,
} from '../kube/index.js';
import { differingPaths, isUnchanged, parseFieldConflict, type FieldConflict } from './compare.js';
import { setsField, upgradeManagedFields, type ManagedFieldsEntry } from './fields.js';
import { deletionOrder, staleObjects, type Change, type Inventory, type InventoryEntry } from './inventory.js';
import { RELEASE_NAME_ANNOTATION, RELEASE_NAMESPACE_ANNOTATION, applyBody, isKeepPolicy, resolveNamespace, RESOURCE_POLICY_ANNOTATION, type ManifestObject, type Ownership } from './manifest.js';
import { isClusterDefinition, sortByInstallOrder } from './order.js';
import { needsWait, readiness } from './readiness.js';

export const FIELD_MANAGER = 'chartrelease';

/** Objects whose fields other managers own; nothing of the stage was written. Terminal until forced or resolved. */
export class ApplyConflictError extends Error {
  override readonly name = 'ApplyConflictError';
  readonly retryable = false;
  constructor(readonly conflicts: (FieldConflict & { ref: ObjectRef })[]) {
    super(
      `conflicts with other field managers (set force to take the fields over): ` +
        conflicts.map((c) => `${formatRef(c.ref)}: ${c.managers.map((m) => `"${m}"`).join(', ')} own ${c.fields.join(', ') || 'fields'}`).join('; '),
    );
  }
}

/** A request about one object failed; `retryable` and the server's message come from the cause. */
export class ApplyError extends Error {
  override readonly name = 'ApplyError';
  readonly retryable: boolean;
  constructor(
    readonly ref: ObjectRef,
    readonly step: 'map' | 'read' | 'dry-run' | 'apply' | 'delete' | 'wait',
    override readonly cause: Error,
  ) {
    super(`${step} ${formatRef(ref)}: ${cause.message}`, { cause });
    // A kind that is not served may be installed by someone else later; everything else as the server says.
    this.retryable = cause instanceof NoKindMatchError || isRetryable(cause);
  }
}

/** A CustomResourceDefinition did not become Established in time. Retryable. */
export class CrdNotEstablishedError extends Error {
  override readonly name = 'CrdNotEstablishedError';
  readonly retryable = true;
  constructor(
    readonly crds: string[],
    timeoutMs: number,
  ) {
    super(`CustomResourceDefinitions not established after ${Math.round(timeoutMs / 1000)}s: ${crds.join(', ')}`);
  }
}

export interface ApplyManifestOptions {
  /** Where namespaced objects without a namespace go. */
  targetNamespace: string;
  /** Default `chartrelease`. */
  fieldManager?: string;
  /** Take over fields other managers own (SSA force). Without it conflicts are reported (ApplyConflictError). */
  force?: boolean;
  /**
   * The inventory of the deployed revision. Those objects are ours: a conflict on one of them means
   * someone edited what we applied (drift), and its fields are taken back even without `force`.
   * Conflicts on objects new to the release are reported.
   */
  previous?: Inventory;
  /**
   * The objects of the deployed revision. A field one of them set is the release's: a conflict on it
   * means someone edited it since, and it is taken back (drift) even without `force`. Conflicts on
   * fields the release never set are reported.
   */
  previousObjects?: readonly ManifestObject[];
  /**
   * Field managers whose fields on the release's objects are ours (Helm's `helm`, on a release it
   * installed): their managedFields entries (Update or Apply) are moved to our Apply entry before
   * applying, as kubectl's client-side to server-side apply upgrade does, so later removals prune.
   */
  takeOverManagers?: readonly string[];
  /** Helm's ownership metadata stamped on every object (meta.helm.sh/release-name, -namespace, managed-by label). */
  ownership?: Ownership;
  /** Only find out what would change (drift detection): server-side dry-runs, no writes. */
  dryRun?: boolean;
  /** Each change carries the live object and the dry-run result (`chartrelease diff`, plans). */
  keepObjects?: boolean;
  /** How long to wait for CRDs to become Established; default 60 s. */
  crdTimeoutMs?: number;
  /** Requests in flight while reading and dry-running a stage; default 4. Writes are sequential, in order. */
  concurrency?: number;
  signal?: AbortSignal;
}

export interface ApplyResult {
  /** One entry per object, in install order. */
  changes: Change[];
  /** The objects applied, namespaces resolved: the next prune's `previous`. */
  inventory: Inventory;
  /** refKey → the resourceVersion each object has now, as this apply left or found it (not for objects a dry run would change). */
  versions: Map<string, string>;
}

interface Planned {
  object: ManifestObject;
  ref: ObjectRef;
  path: string;
  body: string;
  live: KubeObject | null;
  dryRun: KubeObject | null;
  /** Whether the write must force: the user opted in, or the fields were edited away from us (drift). */
  force: boolean;
  /** Drift on an object of the deployed revision: who edited which fields. */
  drift?: FieldConflict;
}

type Plan = Planned | { object: ManifestObject; ref: ObjectRef; conflict: FieldConflict } | { object: ManifestObject; ref: ObjectRef; unserved: true };

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

async function getOrNull(client: KubeClient, path: string, signal?: AbortSignal): Promise<KubeObject | null> {
  try {
    return await client.get(path, { signal });
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

const CRD_BASE = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

/** Waits until every named CRD has condition Established=True; throws CrdNotEstablishedError after timeoutMs. */
export async function waitForCrdsEstablished(client: KubeClient, names: string[], timeoutMs = 60_000, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...names];
  while (pending.length) {
    const established = await Promise.all(
      pending.map(async (name) => {
        const crd = await getOrNull(client, `${CRD_BASE}/${encodeURIComponent(name)}`, signal);
        const conditions = (crd?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
        return conditions.some((c) => c.type === 'Established' && c.status === 'True');
      }),
    );
    pending = pending.filter((_, i) => !established[i]);
    if (!pending.length) return;
    if (Date.now() > deadline || signal?.aborted) throw new CrdNotEstablishedError(pending, timeoutMs);
    await sleep(200, signal);
  }
}

/** Resolves scope and namespace of manifest objects: the inventory a manifest deploys into targetNamespace. */
export async function resolveInventory(discovery: Discovery, objects: readonly ManifestObject[], targetNamespace: string): Promise<Inventory> {
  const scopes = new Map<string, boolean>();
  const out: Inventory = [];
  for (const o of objects) {
    const kindKey = `${o.ref.apiVersion}|${o.ref.kind}`;
    let namespaced = scopes.get(kindKey);
    if (namespaced === undefined) {
      try {
        namespaced = (await discovery.mapping(o.ref.apiVersion, o.ref.kind)).namespaced;
      } catch (err) {
        if (!(err instanceof NoKindMatchError)) throw err;
        // The kind is gone (its CRD was deleted): keep the namespace as written, or the target's.
        namespaced = true;
      }
      scopes.set(kindKey, namespaced);
    }
    const namespace = resolveNamespace(o.ref, namespaced, targetNamespace);
    out.push({ ref: { apiVersion: o.ref.apiVersion, kind: o.ref.kind, name: o.ref.name, ...(namespace ? { namespace } : {}) }, keep: o.keep });
  }
  return out;
}

/**
 * Server-side applies a manifest's objects in Helm's install order, in two stages (CRDs and Namespaces,
 * then the rest). Each object is first read and, when it exists, dry-run applied (an object that does
 * not exist yet is simply created by its apply); an object whose dry-run result equals
 * the live object is left alone (`unchanged`: no write, its resourceVersion stays). Conflicts with other
 * field managers found by the dry-runs abort the stage before any write (ApplyConflictError), unless
 * `force`, or the object belongs to `previous` (then someone edited what we applied: drift, taken back
 * and reported in the change's reason). With `dryRun` nothing is written and the result says what
 * would change: on an unchanged manifest, the drift.
 */
export async function applyManifest(client: KubeClient, discovery: Discovery, objects: readonly ManifestObject[], opts: ApplyManifestOptions): Promise<ApplyResult> {
  const fieldManager = opts.fieldManager ?? FIELD_MANAGER;
  const sorted = sortByInstallOrder(objects.map((o) => ({ ...o, kind: o.ref.kind })));
  const stages = [sorted.filter((o) => isClusterDefinition(o.ref)), sorted.filter((o) => !isClusterDefinition(o.ref))];
  const changes: Change[] = [];
  const inventory: Inventory = [];
  const ours = new Set((opts.previous ?? []).map((e) => refKey(e.ref)));
  const previousObjects = new Map<string, unknown>();
  for (const o of opts.previousObjects ?? []) previousObjects.set(refKey({ ...o.ref, namespace: o.ref.namespace ?? opts.targetNamespace }), o.document.toJS({ maxAliasCount: -1 }));
  const versions = new Map<string, string>();
  const noteVersion = (ref: ObjectRef, o: KubeObject | null | undefined) => {
    if (o?.metadata?.resourceVersion) versions.set(refKey(ref), o.metadata.resourceVersion);
  };

  for (const [index, stage] of stages.entries()) {
    const plans = await mapLimit(stage, opts.concurrency ?? 4, (object) => plan(object));
    const conflicts = plans.flatMap((p) => ('conflict' in p ? [{ ...p.conflict, ref: p.ref }] : []));
    if (conflicts.length) throw new ApplyConflictError(conflicts);
    for (const p of plans) {
      if ('conflict' in p) continue;
      inventory.push({ ref: p.ref, keep: p.object.keep });
      if ('unserved' in p) {
        // Dry run only: the kind's CRD is not installed yet, so the object would be created.
        changes.push({ ref: p.ref, action: 'created', reason: 'its kind is not served yet', ...(opts.keepObjects ? { objects: { live: null, planned: null } } : {}) });
        continue;
      }
      if (p.live && p.dryRun && isUnchanged(p.live, p.dryRun)) {
        changes.push({ ref: p.ref, action: 'unchanged', ...(opts.keepObjects ? { objects: { live: p.live, planned: p.dryRun } } : {}) });
        noteVersion(p.ref, p.live);
        continue;
      }
      if (!opts.dryRun) {
        try {
          // Only its resourceVersion is needed: the answer comes as metadata.
          noteVersion(p.ref, await client.apply(p.path, p.body, { fieldManager, force: p.force, metadataOnly: true, signal: opts.signal }));
        } catch (err) {
          if (isFieldManagerConflict(err)) throw new ApplyConflictError([{ ...parseFieldConflict(err.message, err.causes), ref: p.ref }]);
          throw new ApplyError(p.ref, 'apply', err as Error);
        }
      }
      const fields = p.drift?.fields.length ? p.drift.fields : p.live && p.dryRun ? differingPaths(p.live, p.dryRun) : [];
      changes.push({
        ref: p.ref,
        action: p.live ? 'configured' : 'created',
        ...(fields.length ? { fields } : {}),
        ...(p.drift ? { reason: `edited by ${p.drift.managers.map((m) => `"${m}"`).join(', ')}` } : {}),
        ...(opts.keepObjects ? { objects: { live: p.live, planned: p.dryRun } } : {}),
      });
    }
    if (index === 0 && !opts.dryRun) {
      const crds = stage.filter((o) => o.ref.kind === 'CustomResourceDefinition').map((o) => o.ref.name);
      if (crds.length) {
        await waitForCrdsEstablished(client, crds, opts.crdTimeoutMs, opts.signal);
        discovery.invalidate();
      }
    }
  }
  return { changes, inventory, versions };

  async function plan(object: ManifestObject): Promise<Plan> {
    let mapping: ResourceMapping;
    try {
      mapping = await discovery.mapping(object.ref.apiVersion, object.ref.kind);
    } catch (err) {
      if (err instanceof NoKindMatchError && opts.dryRun) {
        const namespace = object.ref.namespace ?? opts.targetNamespace;
        return { object, ref: { ...object.ref, namespace }, unserved: true };
      }
      throw new ApplyError(object.ref, 'map', err as Error);
    }
    const namespace = resolveNamespace(object.ref, mapping.namespaced, opts.targetNamespace);
    const ref: ObjectRef = { apiVersion: object.ref.apiVersion, kind: object.ref.kind, name: object.ref.name, ...(namespace ? { namespace } : {}) };
    const path = resourcePath(mapping, { namespace, name: object.ref.name });
    const body = applyBody(object, namespace, opts.ownership);
    let live: KubeObject | null;
    try {
      live = await getOrNull(client, path, opts.signal);
    } catch (err) {
      throw new ApplyError(ref, 'read', err as Error);
    }
    const dryRun = (force: boolean) => client.apply(path, body, { fieldManager, force, dryRun: true, signal: opts.signal });
    const force = opts.force ?? false;
    // An object that does not exist has nothing to compare and no fields anyone else owns: it is
    // created by its apply, and a dry-run first would cost the API server nearly a write for nothing.
    // (A dry run of the whole manifest still dry-runs it: that is how it reports what the server refuses.)
    if (!live && !opts.dryRun) return { object, ref, path, body, live, dryRun: null, force };
    // Helm's ownership check: an object another release owns is not taken silently, even when the
    // same field manager (another ChartRelease) wrote it.
    const owner = live && opts.ownership ? otherRelease(live, opts.ownership) : undefined;
    if (owner && !force && !ours.has(refKey(ref))) {
      return { object, ref, conflict: { managers: [`release ${owner}`], fields: [`.metadata.annotations.${RELEASE_NAME_ANNOTATION}`], message: `${formatRef(ref)} belongs to release ${owner}` } };
    }
    if (live && !owner && !opts.dryRun && opts.takeOverManagers?.length) live = await takeOverFields(live);
    try {
      return { object, ref, path, body, live, dryRun: await dryRun(force), force };
    } catch (err) {
      if (isFieldManagerConflict(err)) {
        const conflict = parseFieldConflict(err.message, err.causes);
        const previousObject = previousObjects.get(refKey(ref));
        // Fields the deployed revision set are the release's: only the others are conflicts.
        const theirs = previousObject === undefined ? conflict.fields : conflict.fields.filter((f) => !setsField(previousObject, f));
        if (!ours.has(refKey(ref)) && (theirs.length > 0 || conflict.fields.length === 0)) return { object, ref, conflict: { ...conflict, fields: theirs.length ? theirs : conflict.fields } };
        try {
          return { object, ref, path, body, live, dryRun: await dryRun(true), force: true, drift: conflict };
        } catch (forced) {
          throw new ApplyError(ref, 'dry-run', forced as Error);
        }
      }
      // The namespace of a new object may come from this very apply's first stage: a dry run cannot know.
      if (opts.dryRun && err instanceof KubeApiError && err.statusCode === 404 && !live) return { object, ref, path, body, live, dryRun: null, force };
      throw new ApplyError(ref, 'dry-run', err as Error);
    }

    /** Moves takeOverManagers' managedFields entries to ours (resourceVersion as precondition); the object as it is then. */
    async function takeOverFields(current: KubeObject): Promise<KubeObject> {
      const entries = (current.metadata?.managedFields ?? []) as ManagedFieldsEntry[];
      const upgraded = upgradeManagedFields(entries, opts.takeOverManagers!, fieldManager);
      if (!upgraded) return current;
      try {
        return await client.patch(path, 'merge', { metadata: { resourceVersion: current.metadata?.resourceVersion, managedFields: upgraded } }, { signal: opts.signal });
      } catch (err) {
        throw new ApplyError(ref, 'apply', err as Error);
      }
    }
  }
}

/** "NAMESPACE/NAME" of the release a live object's Helm ownership annotations name, when it is not `ownership`. */
function otherRelease(live: KubeObject, ownership: Ownership): string | undefined {
  const annotations = live.metadata?.annotations ?? {};
  const name = annotations[RELEASE_NAME_ANNOTATION];
  const namespace = annotations[RELEASE_NAMESPACE_ANNOTATION];
  if (!name) return undefined;
  if (name === ownership.releaseName && (!namespace || namespace === ownership.releaseNamespace)) return undefined;
  return `${namespace ?? '?'}/${name}`;
}

export interface DeleteObjectsOptions {
  /** Objects whose live `meta.helm.sh/release-name` names another release are left alone. */
  releaseName?: string;
  dryRun?: boolean;
  signal?: AbortSignal;
}

/**
 * Some objects could not be deleted. Every entry was attempted: `changes` says what happened to the
 * others, `failures` why these failed; retryable when every failure is.
 */
export class DeleteFailedError extends Error {
  override readonly name = 'DeleteFailedError';
  readonly retryable: boolean;
  constructor(
    readonly changes: Change[],
    readonly failures: ApplyError[],
  ) {
    super(failures.map((f) => f.message).join('; '));
    this.retryable = failures.every((f) => f.retryable);
  }
}

/**
 * Deletes inventory entries in the given order (background propagation). Entries marked keep, or whose
 * live object is annotated `helm.sh/resource-policy: keep`, are `kept`; objects already gone, of a kind
 * no longer served, or belonging to another release are `skipped`. A failure does not stop the others:
 * they are all attempted, then DeleteFailedError reports the failures.
 */
async function deleteEntries(client: KubeClient, discovery: Discovery, entries: readonly InventoryEntry[], opts: DeleteObjectsOptions): Promise<Change[]> {
  const changes: Change[] = [];
  const failures: ApplyError[] = [];
  for (const entry of entries) {
    try {
      changes.push(await deleteEntry(client, discovery, entry, opts));
    } catch (err) {
      if (!(err instanceof ApplyError)) throw err;
      failures.push(err);
    }
  }
  if (failures.length) throw new DeleteFailedError(changes, failures);
  return changes;
}

async function deleteEntry(client: KubeClient, discovery: Discovery, { ref, keep }: InventoryEntry, opts: DeleteObjectsOptions): Promise<Change> {
  if (keep) return { ref, action: 'kept', reason: `${RESOURCE_POLICY_ANNOTATION}: keep` };
  let mapping: ResourceMapping;
  try {
    mapping = await discovery.mapping(ref.apiVersion, ref.kind);
  } catch (err) {
    if (err instanceof NoKindMatchError) return { ref, action: 'skipped', reason: 'kind no longer served' };
    throw new ApplyError(ref, 'map', err as Error);
  }
  const path = resourcePath(mapping, { namespace: ref.namespace, name: ref.name });
  let live: KubeObject | null;
  try {
    live = await getOrNull(client, path, opts.signal);
  } catch (err) {
    throw new ApplyError(ref, 'read', err as Error);
  }
  if (!live) return { ref, action: 'skipped', reason: 'already gone' };
  if (live.metadata?.deletionTimestamp) return { ref, action: 'skipped', reason: 'already being deleted' };
  const annotations = live.metadata?.annotations ?? {};
  if (isKeepPolicy(annotations[RESOURCE_POLICY_ANNOTATION])) return { ref, action: 'kept', reason: `${RESOURCE_POLICY_ANNOTATION}: keep` };
  const owner = annotations[RELEASE_NAME_ANNOTATION];
  if (opts.releaseName && owner && owner !== opts.releaseName) return { ref, action: 'skipped', reason: `belongs to release ${owner}` };
  try {
    await client.delete(path, { propagationPolicy: 'Background', dryRun: opts.dryRun, preconditions: { uid: live.metadata?.uid }, signal: opts.signal });
  } catch (err) {
    if (isNotFound(err)) return { ref, action: 'skipped', reason: 'already gone' };
    throw new ApplyError(ref, 'delete', err as Error);
  }
  return { ref, action: 'deleted' };
}

/** Deletes what `previous` deployed and `current` no longer has, in reverse install order. */
export function prune(client: KubeClient, discovery: Discovery, previous: Inventory, current: Inventory, opts: DeleteObjectsOptions = {}): Promise<Change[]> {
  return deleteEntries(client, discovery, staleObjects(previous, current), opts);
}

/** Deletes every object of an inventory (a release's deployed revision), respecting keep. */
export function uninstall(client: KubeClient, discovery: Discovery, inventory: Inventory, opts: DeleteObjectsOptions = {}): Promise<Change[]> {
  return deleteEntries(client, discovery, deletionOrder(inventory), opts);
}

export type WaitOutcome = { state: 'ready' } | { state: 'failed' | 'timeout'; messages: string[] };

/**
 * Polls the workloads of an inventory (Deployments, StatefulSets, DaemonSets, Jobs) until all are
 * ready, one failed, or timeoutMs passed. Other kinds are ready once applied.
 */
export async function waitReady(
  client: KubeClient,
  discovery: Discovery,
  inventory: Inventory,
  opts: { timeoutMs: number; intervalMs?: number; signal?: AbortSignal; onWaiting?: (messages: string[]) => Promise<void> },
): Promise<WaitOutcome> {
  const deadline = Date.now() + opts.timeoutMs;
  let told = '';
  let pending = inventory.filter((e) => needsWait(e.ref.kind)).map((e) => e.ref);
  for (;;) {
    const messages: string[] = [];
    const stillPending: ObjectRef[] = [];
    for (const ref of pending) {
      let obj: KubeObject | null;
      try {
        const mapping = await discovery.mapping(ref.apiVersion, ref.kind);
        obj = await getOrNull(client, resourcePath(mapping, { namespace: ref.namespace, name: ref.name }), opts.signal);
      } catch (err) {
        throw new ApplyError(ref, 'wait', err as Error);
      }
      if (!obj) {
        messages.push(`${formatRef(ref)}: not found`);
        stillPending.push(ref);
        continue;
      }
      const r = readiness(obj);
      if (r.state === 'failed') return { state: 'failed', messages: [r.message] };
      if (r.state === 'progressing') {
        messages.push(r.message);
        stillPending.push(ref);
      }
    }
    pending = stillPending;
    if (!pending.length) return { state: 'ready' };
    if (Date.now() >= deadline || opts.signal?.aborted) return { state: 'timeout', messages };
    if (opts.onWaiting && messages.join('\n') !== told) {
      told = messages.join('\n');
      await opts.onWaiting(messages);
    }
    await sleep(Math.min(opts.intervalMs ?? 2000, Math.max(0, deadline - Date.now())), opts.signal);
  }
}

/** Creates the namespace if it does not exist (server-side apply, so an existing one is untouched). */
export async function ensureNamespace(client: KubeClient, name: string, fieldManager = FIELD_MANAGER): Promise<'created' | 'unchanged'> {
  const path = `/api/v1/namespaces/${encodeURIComponent(name)}`;
  if (await getOrNull(client, path)) return 'unchanged';
  await client.apply(path, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { fieldManager });
  return 'created';
}
