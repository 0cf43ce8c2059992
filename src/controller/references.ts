// Which releases use which ConfigMaps and Secrets (valuesFrom overlays, a chart packaged in a
// ConfigMap, a chart source's credentials), so a change of one of those objects queues exactly the releases that read it. Pure.
import type { ChartRelease } from '../api/index.js';

export type ReferencedKind = 'ConfigMap' | 'Secret';

export const referenceKey = (kind: ReferencedKind, namespace: string, name: string) => `${kind}/${namespace}/${name}`;

/** The ConfigMaps and Secrets a ChartRelease reads (they live in its own namespace). */
export function referencesOf(cr: Pick<ChartRelease, 'metadata' | 'spec'>): string[] {
  const ns = cr.metadata.namespace;
  const refs = new Set<string>();
  for (const v of cr.spec?.valuesFrom ?? []) if (v && (v.kind === 'ConfigMap' || v.kind === 'Secret') && v.name) refs.add(referenceKey(v.kind, ns, v.name));
  const cm = cr.spec?.chart?.configMap?.name;
  if (cm) refs.add(referenceKey('ConfigMap', ns, cm));
  // Credentials of a chart repository or registry: a fixed Secret retries a failed fetch at once.
  for (const source of [cr.spec?.chart?.repository, cr.spec?.chart?.oci]) if (source?.secretRef?.name) refs.add(referenceKey('Secret', ns, source.secretRef.name));
  return [...refs];
}

export class ReferenceIndex {
  private readonly byRelease = new Map<string, string[]>();
  private readonly byObject = new Map<string, Set<string>>();

  /** Records what release `releaseKey` ("namespace/name") reads now, replacing what it read before. */
  set(releaseKey: string, refs: readonly string[]): void {
    this.delete(releaseKey);
    this.byRelease.set(releaseKey, [...refs]);
    for (const ref of refs) {
      let users = this.byObject.get(ref);
      if (!users) this.byObject.set(ref, (users = new Set()));
      users.add(releaseKey);
    }
  }

  delete(releaseKey: string): void {
    for (const ref of this.byRelease.get(releaseKey) ?? []) {
      const users = this.byObject.get(ref);
      users?.delete(releaseKey);
      if (users?.size === 0) this.byObject.delete(ref);
    }
    this.byRelease.delete(releaseKey);
  }

  /** The releases ("namespace/name") that read this object. */
  releasesUsing(kind: ReferencedKind, namespace: string, name: string): string[] {
    return [...(this.byObject.get(referenceKey(kind, namespace, name)) ?? [])].sort();
  }
}
