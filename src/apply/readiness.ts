// Whether an applied object is ready, from its status alone: pure. The kstatus rules: built-in kinds
// by their own status fields; any kind (custom resources too) is in progress while status lags
// metadata.generation or Reconciling=True, failed when Stalled=True, and judged by its Ready
// condition when it has one; an object with none of these is ready once applied.
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
    case 'ReplicaSet': {
      if (stale) return { state: 'progressing', message: `${name}: waiting for the controller to observe generation ${generation}` };
      const replicas = num(spec.replicas, 1);
      const available = num(status.availableReplicas);
      if (available < replicas) return { state: 'progressing', message: `${name}: ${available} of ${replicas} replicas available` };
      return { state: 'ready' };
    }
    case 'Pod': {
      const phase = status.phase;
      if (phase === 'Succeeded') return { state: 'ready' };
      if (phase === 'Failed') return { state: 'failed', message: `${name}: ${typeof status.message === 'string' ? status.message : 'failed'}` };
      if (phase === 'Running' && condition(obj, 'Ready')?.status === 'True') return { state: 'ready' };
      return { state: 'progressing', message: `${name}: ${typeof phase === 'string' ? phase : 'Pending'}${phase === 'Running' ? ', not Ready' : ''}` };
    }
    case 'PersistentVolumeClaim':
      return status.phase === 'Bound' ? { state: 'ready' } : { state: 'progressing', message: `${name}: ${typeof status.phase === 'string' ? status.phase : 'Pending'}, not Bound` };
    case 'Service': {
      if (spec.type !== 'LoadBalancer') return { state: 'ready' };
      const ingress = (status.loadBalancer as { ingress?: unknown[] } | undefined)?.ingress;
      return ingress?.length ? { state: 'ready' } : { state: 'progressing', message: `${name}: waiting for a load balancer address` };
    }
    case 'PodDisruptionBudget': {
      if (stale) return { state: 'progressing', message: `${name}: waiting for the controller to observe generation ${generation}` };
      return { state: 'ready' };
    }
    case 'CustomResourceDefinition': {
      const names = condition(obj, 'NamesAccepted');
      if (names?.status === 'False') return { state: 'failed', message: `${name}: ${names.message ?? 'names not accepted'}` };
      return condition(obj, 'Established')?.status === 'True' ? { state: 'ready' } : { state: 'progressing', message: `${name}: not Established yet` };
    }
    default:
      return generic(obj, name);
  }
}

/** Any other kind (custom resources): observedGeneration, Reconciling/Stalled, then a Ready condition. */
function generic(obj: KubeObject, name: string): Readiness {
  const status = (obj.status ?? {}) as Record<string, unknown>;
  const generation = num(obj.metadata?.generation);
  if (typeof status.observedGeneration === 'number' && status.observedGeneration < generation) {
    return { state: 'progressing', message: `${name}: waiting for its controller to observe generation ${generation}` };
  }
  const stalled = condition(obj, 'Stalled');
  if (stalled?.status === 'True') return { state: 'failed', message: `${name}: Stalled ${stalled.reason ?? ''}: ${stalled.message ?? ''}`.trim() };
  const reconciling = condition(obj, 'Reconciling');
  if (reconciling?.status === 'True') return { state: 'progressing', message: `${name}: Reconciling${reconciling.message ? `: ${reconciling.message}` : ''}` };
  const ready = condition(obj, 'Ready');
  if (ready && ready.status !== 'True') return { state: 'progressing', message: `${name}: Ready=${ready.status}${ready.message ? `: ${ready.message}` : ''}` };
  return { state: 'ready' };
}

/** Kinds that carry no status to wait for: waiting on them costs no requests. */
export const STATUSLESS_KINDS: ReadonlySet<string> = new Set([
  'ConfigMap',
  'Secret',
  'ServiceAccount',
  'Role',
  'RoleBinding',
  'ClusterRole',
  'ClusterRoleBinding',
  'Endpoints',
  'EndpointSlice',
  'LimitRange',
  'PriorityClass',
  'StorageClass',
  'NetworkPolicy',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'PodSecurityPolicy',
]);

/** Whether waiting on an object of `kind` needs to read it; a Service is read only when it asks for a load balancer. */
export const needsWait = (kind: string): boolean => !STATUSLESS_KINDS.has(kind);
