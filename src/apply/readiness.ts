// Whether an applied workload is ready, from its status alone (the kstatus rules for the built-in
// workload kinds): pure.
import type { KubeObject } from '../kube/index.js';

export type Readiness = { state: 'ready' } | { state: 'progressing'; message: string } | { state: 'failed'; message: string };

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

const num = (v: unknown, fallback = 0): number => (typeof v === 'number' ? v : fallback);

function condition(obj: KubeObject, type: string): Condition | undefined {
  const conditions = (obj.status as { conditions?: Condition[] } | undefined)?.conditions ?? [];
  return conditions.find((c) => c.type === type);
}

/** Readiness of Deployments, StatefulSets, DaemonSets and Jobs; every other kind is ready once applied. */
export function readiness(obj: KubeObject): Readiness {
  const status = (obj.status ?? {}) as Record<string, unknown>;
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  const generation = num(obj.metadata?.generation);
  const observed = num(status.observedGeneration, -1);
  const name = `${obj.kind}/${obj.metadata?.name}`;
  const stale = observed < generation;
  switch (obj.kind) {
    case 'Deployment': {
      const progressing = condition(obj, 'Progressing');
      if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') return { state: 'failed', message: `${name}: ${progressing.message ?? 'progress deadline exceeded'}` };
      if (stale) return { state: 'progressing', message: `${name}: waiting for the controller to observe generation ${generation}` };
      const replicas = num(spec.replicas, 1);
      const updated = num(status.updatedReplicas);
      const available = num(status.availableReplicas);
      const total = num(status.replicas);
      if (updated < replicas) return { state: 'progressing', message: `${name}: ${updated} of ${replicas} replicas updated` };
      if (total > updated) return { state: 'progressing', message: `${name}: ${total - updated} old replicas pending termination` };
      if (available < replicas) return { state: 'progressing', message: `${name}: ${available} of ${replicas} replicas available` };
      return { state: 'ready' };
    }
    case 'StatefulSet': {
      if (stale) return { state: 'progressing', message: `${name}: waiting for the controller to observe generation ${generation}` };
      const replicas = num(spec.replicas, 1);
      const ready = num(status.readyReplicas);
      if (ready < replicas) return { state: 'progressing', message: `${name}: ${ready} of ${replicas} replicas ready` };
      const strategy = (spec.updateStrategy as { type?: string } | undefined)?.type ?? 'RollingUpdate';
      if (strategy === 'RollingUpdate') {
        const updated = num(status.updatedReplicas);
        if (updated < replicas) return { state: 'progressing', message: `${name}: ${updated} of ${replicas} replicas updated` };
        if (status.updateRevision && status.currentRevision !== status.updateRevision) return { state: 'progressing', message: `${name}: rolling out revision ${String(status.updateRevision)}` };
      }
      return { state: 'ready' };
    }
    case 'DaemonSet': {
      if (stale) return { state: 'progressing', message: `${name}: waiting for the controller to observe generation ${generation}` };
      const desired = num(status.desiredNumberScheduled);
      const updated = num(status.updatedNumberScheduled);
      const available = num(status.numberAvailable);
      if (updated < desired) return { state: 'progressing', message: `${name}: ${updated} of ${desired} pods updated` };
      if (available < desired) return { state: 'progressing', message: `${name}: ${available} of ${desired} pods available` };
      return { state: 'ready' };
    }
    case 'Job': {
      const failed = condition(obj, 'Failed');
      if (failed?.status === 'True') return { state: 'failed', message: `${name}: ${failed.message ?? failed.reason ?? 'failed'}` };
      if (condition(obj, 'Complete')?.status === 'True') return { state: 'ready' };
      return { state: 'progressing', message: `${name}: not complete yet` };
    }
    default:
      return { state: 'ready' };
  }
}

/** The kinds readiness() knows how to judge; waiting on other kinds costs no requests. */
export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);
