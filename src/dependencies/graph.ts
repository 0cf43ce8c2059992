// spec.dependsOn: a release installs or upgrades only once every ChartRelease it depends on is Ready
// at its current generation. Pure: given the ChartReleases read so far (null: not found), says
// whether to go on, wait (and for what), or stop because the dependencies form a cycle.
import { ConditionType, type ChartRelease } from '../api/index.js';

export interface DependencyRef {
  namespace: string;
  name: string;
}

export const refKey = (r: DependencyRef) => `${r.namespace}/${r.name}`;

/** The dependencies a ChartRelease declares (namespace defaulted to its own). */
export function dependenciesOf(cr: Pick<ChartRelease, 'metadata' | 'spec'>): DependencyRef[] {
  return (cr.spec?.dependsOn ?? []).filter((d) => d?.name).map((d) => ({ namespace: d.namespace || cr.metadata.namespace, name: d.name }));
}

export type DependencyVerdict =
  | { kind: 'ready' }
  /** Some dependency is missing or not Ready at its generation yet: look again later. */
  | { kind: 'waiting'; reason: 'DependencyNotFound' | 'DependencyNotReady'; message: string }
  /** The release depends on itself through others: nothing can ever deploy. */
  | { kind: 'cycle'; message: string };

/** Why `cr` is not Ready at its current generation, or undefined when it is. */
export function notReadyBecause(cr: ChartRelease): string | undefined {
  const generation = cr.metadata.generation ?? 0;
  const ready = cr.status?.conditions?.find((c) => c.type === ConditionType.Ready);
  if (!ready) return 'no Ready condition yet';
  if ((cr.status?.observedGeneration ?? -1) < generation || (ready.observedGeneration ?? generation) < generation) return `generation ${generation} not observed yet`;
  if (ready.status !== 'True') return `Ready=${ready.status} ${ready.reason}: ${ready.message}`;
  if (cr.spec?.suspend) return 'suspended';
  return undefined;
}

/**
 * `self`'s verdict from the ChartReleases in `known` (key → object, null when not found). A cycle is
 * reported only when it passes through `self`; `known` must hold every ChartRelease reachable from
 * self's dependencies (gatherDependencies reads them).
 */
export function dependencyVerdict(self: DependencyRef, deps: readonly DependencyRef[], known: ReadonlyMap<string, ChartRelease | null>): DependencyVerdict {
  const cycle = findCycle(self, deps, known);
  if (cycle) return { kind: 'cycle', message: `spec.dependsOn forms a cycle: ${cycle.join(' -> ')}; remove one of these dependencies` };
  const missing = deps.filter((d) => !known.get(refKey(d)));
  if (missing.length) return { kind: 'waiting', reason: 'DependencyNotFound', message: `waiting for ChartRelease ${missing.map(refKey).join(', ')} named in spec.dependsOn: not found` };
  const waiting = deps.flatMap((d) => {
    const why = notReadyBecause(known.get(refKey(d))!);
    return why ? [`${refKey(d)} (${why})`] : [];
  });
  if (waiting.length) return { kind: 'waiting', reason: 'DependencyNotReady', message: `waiting for dependencies to be Ready: ${waiting.join('; ')}` };
  return { kind: 'ready' };
}

/** A path self -> ... -> self through dependsOn, if any (depth-first, each node once). */
function findCycle(self: DependencyRef, deps: readonly DependencyRef[], known: ReadonlyMap<string, ChartRelease | null>): string[] | undefined {
  const start = refKey(self);
  const visited = new Set<string>();
  const walk = (refs: readonly DependencyRef[], path: string[]): string[] | undefined => {
    for (const ref of refs) {
      const key = refKey(ref);
      if (key === start) return [...path, key];
      if (visited.has(key)) continue;
      visited.add(key);
      const cr = known.get(key);
      if (!cr) continue;
      const found = walk(dependenciesOf(cr), [...path, key]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(deps, [start]);
}
