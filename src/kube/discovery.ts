// Discovery: what the API server serves. Gives the render layer `.Capabilities` (KubeVersion and
// APIVersions as Helm computes them) and the apply engine a REST mapper (kind + apiVersion → resource
// plural and scope), refreshed when a kind is missing (a CRD was just installed).
import type { KubeClient } from './client.js';
import { splitApiVersion, type ResourceMapping } from './paths.js';

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

export interface ServerVersion {
  major: string;
  minor: string;
  /** e.g. v1.36.3 */
  gitVersion: string;
}

/** One discovery snapshot. */
export interface DiscoverySnapshot {
  serverVersion: ServerVersion;
  /** "v1", "apps/v1", ... */
  groupVersions: string[];
  mappings: ResourceMapping[];
}

/** The kind is not served (yet): no CRD, or a CRD that is not established. */
export class NoKindMatchError extends Error {
  override readonly name = 'NoKindMatchError';
  constructor(
    readonly apiVersion: string,
    readonly kind: string,
  ) {
    super(`no matches for kind "${kind}" in version "${apiVersion}"`);
  }
}

interface AggregatedResource {
  resource: string;
  responseKind?: { kind?: string };
  scope?: 'Namespaced' | 'Cluster';
  subresources?: { subresource: string; responseKind?: { kind?: string } }[];
}

interface AggregatedList {
  kind?: string;
  items?: { metadata?: { name?: string }; versions?: { version: string; resources?: AggregatedResource[] }[] }[];
}

/** Resource mappings and group versions from an aggregated discovery document (/api or /apis, apidiscovery.k8s.io/v2). */
export function parseAggregatedDiscovery(doc: AggregatedList): { groupVersions: string[]; mappings: ResourceMapping[]; subresourceKinds: string[] } {
  const groupVersions: string[] = [];
  const mappings: ResourceMapping[] = [];
  const subresourceKinds: string[] = [];
  for (const item of doc.items ?? []) {
    const group = item.metadata?.name ?? '';
    for (const v of item.versions ?? []) {
      const gv = group ? `${group}/${v.version}` : v.version;
      groupVersions.push(gv);
      for (const r of v.resources ?? []) {
        const kind = r.responseKind?.kind;
        if (kind) mappings.push({ group, version: v.version, kind, resource: r.resource, namespaced: r.scope !== 'Cluster' });
        for (const sub of r.subresources ?? []) if (sub.responseKind?.kind) subresourceKinds.push(`${gv}/${sub.responseKind.kind}`);
      }
    }
  }
  return { groupVersions, mappings, subresourceKinds };
}

/**
 * `.Capabilities.APIVersions` as Helm builds it: every group/version, and group/version/Kind for every
 * resource and subresource served; unique, sorted (Helm's own order is a Go map's, i.e. none).
 */
export function apiVersionSet(groupVersions: string[], mappings: ResourceMapping[], extraKinds: string[] = []): string[] {
  const set = new Set<string>(groupVersions);
  for (const m of mappings) set.add(`${m.group ? m.group + '/' : ''}${m.version}/${m.kind}`);
  for (const k of extraKinds) set.add(k);
  return [...set].sort();
}

export interface DiscoveryOptions {
  /** How long a snapshot is trusted; default 10 minutes (APIs removed meanwhile are noticed by then). */
  maxAgeMs?: number;
  now?: () => number;
}

/** Discovery of one API server, cached until invalidated or older than maxAgeMs. */
export class Discovery {
  private snapshot: Promise<DiscoverySnapshot & { apiVersions: string[] }> | undefined;
  private loadedAt = 0;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: KubeClient,
    opts: DiscoveryOptions = {},
  ) {
    this.maxAgeMs = opts.maxAgeMs ?? 10 * 60_000;
    this.now = opts.now ?? Date.now;
  }

  private load(): Promise<DiscoverySnapshot & { apiVersions: string[] }> {
    if (this.snapshot && this.now() - this.loadedAt > this.maxAgeMs) this.snapshot = undefined;
    if (!this.snapshot) {
      this.loadedAt = this.now();
      const loading = (async () => {
        const [version, core, groups] = await Promise.all([
          this.client.get<ServerVersion>('/version'),
          this.client.get<AggregatedList>('/api', { accept: AGGREGATED }),
          this.client.get<AggregatedList>('/apis', { accept: AGGREGATED }),
        ]);
        if (core.kind !== 'APIGroupDiscoveryList' || groups.kind !== 'APIGroupDiscoveryList') {
          throw new Error('the API server does not serve aggregated discovery (apidiscovery.k8s.io/v2, Kubernetes 1.30+)');
        }
        const a = parseAggregatedDiscovery(core);
        const b = parseAggregatedDiscovery(groups);
        const groupVersions = [...a.groupVersions, ...b.groupVersions];
        const mappings = [...a.mappings, ...b.mappings];
        return {
          serverVersion: { major: version.major, minor: version.minor, gitVersion: version.gitVersion },
          groupVersions,
          mappings,
          apiVersions: apiVersionSet(groupVersions, mappings, [...a.subresourceKinds, ...b.subresourceKinds]),
        };
      })();
      this.snapshot = loading;
      loading.catch(() => {
        if (this.snapshot === loading) this.snapshot = undefined;
      });
    }
    return this.snapshot;
  }

  /** Forgets the snapshot; the next question asks the server again. */
  invalidate(): void {
    this.snapshot = undefined;
  }

  async serverVersion(): Promise<ServerVersion> {
    return (await this.load()).serverVersion;
  }

  /** For `.Capabilities.APIVersions`. */
  async apiVersions(): Promise<string[]> {
    return (await this.load()).apiVersions;
  }

  async snapshotNow(): Promise<DiscoverySnapshot> {
    return this.load();
  }

  /** The mapping of a kind at an apiVersion; asks the server again once on a miss, then throws NoKindMatchError. */
  async mapping(apiVersion: string, kind: string): Promise<ResourceMapping> {
    const { group, version } = splitApiVersion(apiVersion);
    const find = (s: DiscoverySnapshot) => s.mappings.find((m) => m.group === group && m.version === version && m.kind === kind);
    const cached = find(await this.load());
    if (cached) return cached;
    this.invalidate();
    const fresh = find(await this.load());
    if (!fresh) throw new NoKindMatchError(apiVersion, kind);
    return fresh;
  }
}
