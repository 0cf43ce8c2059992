// Planned revisions: what a deploy changes, object by object (field paths) and values key by key
// (paths, never values), under a digest a user approves. Pure: the objects come from a server-side
// dry run (manual mode, src/diff) or from what a deploy did (auto mode).
import { createHash } from 'node:crypto';
import type { PlanObject, PlanStatus } from '../api/index.js';
import type { Change } from '../apply/index.js';
import type { ObjectDiff } from '../diff/index.js';
import type { ObjectRef } from '../kube/index.js';
import { formatPath } from '../provenance/index.js';
import { canonicalJson, differingPaths } from '../json/index.js';

/** status.plan keeps at most this many objects (the rest are counted), and this many field paths per object. */
export const MAX_PLAN_OBJECTS = 100;
export const MAX_PLAN_FIELDS = 20;

/** What a plan deploys: it and the changes make the digest. */
export interface PlanSubject {
  action: PlanStatus['action'];
  revision: number;
  chart: { name: string; version: string };
  manifestDigest: string;
  valuesDigest: string;
  /** For rollbacks: the revision whose manifest is deployed again. */
  rollbackTo?: number;
}

function planObject(ref: ObjectRef, action: PlanObject['action'], fields: readonly string[] = []): PlanObject {
  return {
    kind: ref.kind,
    ...(ref.namespace ? { namespace: ref.namespace } : {}),
    name: ref.name,
    action,
    ...(fields.length ? { fields: fields.slice(0, MAX_PLAN_FIELDS) } : {}),
  };
}

/** The objects a dry-run diff changes. */
export function planObjectsFromDiffs(diffs: readonly ObjectDiff[]): PlanObject[] {
  return diffs.filter((d) => d.action !== 'unchanged').map((d) => planObject(d.ref, d.action as PlanObject['action'], d.fields));
}

/** The objects a deploy changed (applied, and deleted by prune). */
export function planObjectsFromChanges(changes: readonly Change[]): PlanObject[] {
  const action = { created: 'create', configured: 'update', deleted: 'delete' } as const;
  return changes.flatMap((c) => (c.action in action ? [planObject(c.ref, action[c.action as keyof typeof action], c.fields)] : []));
}

/** Values key paths whose value differs (added, removed or changed), deepest paths where both sides are maps. */
export function valuesChanged(before: unknown, after: unknown): string[] {
  return differingPaths(before ?? {}, after ?? {}, (a, b) => canonicalJson(a) === canonicalJson(b)).map(formatPath);
}

/** `sha256:<hex>` over what is deployed and every change: any difference is another plan. */
export function planDigest(subject: PlanSubject, objects: readonly PlanObject[], changedValues: readonly string[]): string {
  const text = canonicalJson({ subject, objects, valuesChanged: changedValues });
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

export function buildPlan(subject: PlanSubject, objects: readonly PlanObject[], changedValues: readonly string[], now: Date, phase: PlanStatus['phase']): PlanStatus {
  return {
    revision: subject.revision,
    action: subject.action,
    digest: planDigest(subject, objects, changedValues),
    createdAt: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    phase,
    objects: objects.slice(0, MAX_PLAN_OBJECTS),
    ...(objects.length > MAX_PLAN_OBJECTS ? { objectsOmitted: objects.length - MAX_PLAN_OBJECTS } : {}),
    valuesChanged: [...changedValues],
  };
}

/** approved: the digest is the one approved; stale: another plan was approved; awaiting: none was. */
export function approvalOf(approvedPlan: string | undefined, digest: string): 'approved' | 'stale' | 'awaiting' {
  if (approvedPlan === undefined) return 'awaiting';
  return approvedPlan === digest ? 'approved' : 'stale';
}

function counts(objects: readonly PlanObject[], omitted = 0): string {
  const n = (a: PlanObject['action']) => objects.filter((o) => o.action === a).length;
  return `${n('create')} to create, ${n('update')} to update, ${n('delete')} to delete${omitted ? ` (${omitted} more not listed)` : ''}`;
}

const WHAT: Record<PlanStatus['action'], string> = {
  install: 'install as revision',
  upgrade: 'upgrade to revision',
  rollback: 'rollback as revision',
  driftCorrection: 'drift correction of revision',
};

/** The Ready/AwaitingApproval reason and message for a plan that waits. */
export function awaitingApproval(plan: PlanStatus, approvedPlan: string | undefined): { reason: 'AwaitingApproval' | 'ApprovalStale'; message: string } {
  const what = `plan ${plan.digest} (${WHAT[plan.action]} ${plan.revision}: ${counts(plan.objects, plan.objectsOmitted)}${plan.valuesChanged.length ? `; values changed: ${plan.valuesChanged.slice(0, 10).join(', ')}${plan.valuesChanged.length > 10 ? ', ...' : ''}` : ''})`;
  if (approvalOf(approvedPlan, plan.digest) === 'stale') {
    return { reason: 'ApprovalStale', message: `the approved plan ${approvedPlan} is stale: what would be deployed now is ${what}; set spec.approval.approvedPlan to ${plan.digest} to deploy it` };
  }
  return { reason: 'AwaitingApproval', message: `${what} awaits approval: set spec.approval.approvedPlan to ${plan.digest} to deploy it` };
}
