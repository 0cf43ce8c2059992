// What changed among the objects the operator applied, learnt without asking: a metadata-only watch
// (PartialObjectMetadata, label app.kubernetes.io/managed-by=Helm, which every applied object carries)
// of each kind a release deployed, started the first time a release needs it, keeps every object's
// resourceVersion. After each apply or verification a release remembers the resourceVersion each of
// its objects had then. At the next resync only objects whose resourceVersion moved since (an edit, a
// controller's status update, a delete, a removed label) are dry-run again; an idle release whose
// objects did not move costs no request at all. Whatever the watch cannot vouch for (its kind not
// listed yet, a watch refused by RBAC, a release not applied since the operator started) counts as
// changed, so the answer errs on the side of a dry-run.
import {
  apiWatchSource,
  isForbidden,
  isNotFound,
  NoKindMatchError,
  refKey,
  resourcePath,
  runWatcher,
  type Discovery,
  type KubeClient,
  type Meta,
  type ObjectRef,
  type ResourceMapping,
  type WatchSource,
  type WatcherEvent,
} from '../kube/index.js';

/** The label Helm (and our apply) puts on every object of a release. */
export const MANAGED_SELECTOR = 'app.kubernetes.io/managed-by=Helm';

export interface InventoryWatchOptions {
  /** Watch this label selector (default MANAGED_SELECTOR). */
  labelSelector?: string;
  /** Called when a kind's watch fails (logs); a refused watch (403/404) is not retried. */
  onError?: (err: unknown, kind: string) => void;
  inactivityTimeoutMs?: number;
  /** Where a kind's list and watch come from (default: the API server through `client`); tests script it. */
  sourceFor?: (mapping: ResourceMapping, labelSelector: string) => WatchSource;
}

/** One kind's objects: "namespace/name" → resourceVersion, once listed. */
interface KindCache {
  synced: boolean;
  /** The watch was refused (RBAC) or the kind is not served: nothing can be vouched for. */
  unavailable: boolean;
  versions: Map<string, string>;
  stop: AbortController;
}

/** The resourceVersions a release's objects had after its last apply, for one manifest. */
interface Remembered {
  manifestDigest: string;
  versions: Map<string, string>;
}

const kindKey = (m: ResourceMapping) => `${m.group}/${m.version}/${m.resource}`;
const objectKey = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

export class InventoryWatch {
  private readonly kinds = new Map<string, KindCache>();
  private readonly remembered = new Map<string, Remembered>();
  private signal: AbortSignal | undefined;
  private readonly pending: (() => void)[] = [];

  constructor(
    private readonly client: KubeClient,
    private readonly discovery: Discovery,
    private readonly opts: InventoryWatchOptions = {},
  ) {}

  /** Runs the kinds' watches until `signal` aborts (kinds are added as releases need them). */
  async run(signal: AbortSignal): Promise<void> {
    this.signal = signal;
    for (const start of this.pending.splice(0)) start();
    await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
    for (const k of this.kinds.values()) k.stop.abort();
    this.kinds.clear();
  }

  /** Starts watching a kind (once). */
  private watch(mapping: ResourceMapping): KindCache {
    const key = kindKey(mapping);
    let cache = this.kinds.get(key);
    if (cache) return cache;
    cache = { synced: false, unavailable: false, versions: new Map(), stop: new AbortController() };
    this.kinds.set(key, cache);
    const c = cache;
    const start = () => {
      const signal = AbortSignal.any([this.signal!, c.stop.signal]);
      const labelSelector = this.opts.labelSelector ?? MANAGED_SELECTOR;
      const source = this.opts.sourceFor?.(mapping, labelSelector) ?? apiWatchSource(this.client, resourcePath(mapping), { metadataOnly: true, labelSelector });
      void runWatcher<Meta>(source, (e) => apply(c, e), signal, {
        inactivityTimeoutMs: this.opts.inactivityTimeoutMs,
        onError: (err) => {
          // A broken connection resumes from the last resourceVersion (a 410 lists again): the cache stays.
          if (isForbidden(err) || isNotFound(err)) {
            c.unavailable = true;
            c.stop.abort();
          }
          this.opts.onError?.(err, key);
        },
      });
    };
    if (this.signal) start();
    else this.pending.push(start);
    return cache;
  }

  /**
   * The objects among `refs` (namespaces resolved) that may have changed since `release` last applied
   * `manifestDigest`: those whose resourceVersion moved, that are gone, or that nothing vouches for.
   * Starts the watches of their kinds.
   */
  async changedSince(release: string, manifestDigest: string, refs: readonly ObjectRef[]): Promise<Set<string>> {
    const remembered = this.remembered.get(release);
    const known = remembered?.manifestDigest === manifestDigest ? remembered.versions : undefined;
    const changed = new Set<string>();
    for (const ref of refs) {
      const key = refKey(ref);
      let mapping: ResourceMapping;
      try {
        mapping = await this.discovery.mapping(ref.apiVersion, ref.kind);
      } catch (err) {
        if (!(err instanceof NoKindMatchError)) throw err;
        changed.add(key);
        continue;
      }
      const cache = this.watch(mapping);
      const seen = cache.synced && !cache.unavailable ? cache.versions.get(objectKey(mapping.namespaced ? ref.namespace : undefined, ref.name)) : undefined;
      const applied = known?.get(key);
      if (seen === undefined || applied === undefined || seen !== applied) changed.add(key);
    }
    return changed;
  }

  /**
   * Records the resourceVersions `release`'s objects have right after an apply or a verification of
   * `manifestDigest` (refKey → resourceVersion). Objects missing from `versions` count as changed.
   */
  remember(release: string, manifestDigest: string, versions: ReadonlyMap<string, string>, merge = false): void {
    const previous = this.remembered.get(release);
    const base = merge && previous?.manifestDigest === manifestDigest ? previous.versions : new Map<string, string>();
    this.remembered.set(release, { manifestDigest, versions: new Map([...base, ...versions]) });
  }

  /** Forgets a release (deleted, or its apply failed half-way). */
  forget(release: string): void {
    this.remembered.delete(release);
  }

  /** For the readiness of tests and benches: whether every kind watched so far has listed. */
  get synced(): boolean {
    return [...this.kinds.values()].every((k) => k.synced || k.unavailable);
  }
}

function apply(cache: KindCache, e: WatcherEvent<Meta>): void {
  const key = (m: Meta) => objectKey(m.metadata?.namespace, m.metadata?.name ?? '');
  switch (e.type) {
    case 'relisted':
      cache.versions = new Map(e.objects.map((o) => [key(o), o.metadata?.resourceVersion ?? '']));
      cache.synced = true;
      return;
    case 'applied':
      cache.versions.set(key(e.object), e.object.metadata?.resourceVersion ?? '');
      return;
    case 'deleted':
      cache.versions.delete(key(e.object));
      return;
  }
}
