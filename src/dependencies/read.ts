// Reads the ChartReleases reachable through spec.dependsOn (breadth-first, each once, at most
// MAX_DEPENDENCY_READS), for dependencyVerdict().
import { chartReleasePath, type ChartRelease } from '../api/index.js';
import { isNotFound, type KubeClient } from '../kube/index.js';
import { dependenciesOf, refKey, type DependencyRef } from './graph.js';

/** A bound on the reads of one check: a graph larger than this is not searched further for cycles. */
export const MAX_DEPENDENCY_READS = 200;

export async function gatherDependencies(client: KubeClient, deps: readonly DependencyRef[], signal?: AbortSignal): Promise<Map<string, ChartRelease | null>> {
  const known = new Map<string, ChartRelease | null>();
  const queue = [...deps];
  while (queue.length && known.size < MAX_DEPENDENCY_READS) {
    const ref = queue.shift()!;
    if (known.has(refKey(ref))) continue;
    let cr: ChartRelease | null;
    try {
      cr = await client.get<ChartRelease>(chartReleasePath(ref.namespace, ref.name), { signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      cr = null;
    }
    known.set(refKey(ref), cr);
    if (cr) queue.push(...dependenciesOf(cr));
  }
  return known;
}
