// Planned revisions: status.plan and approval by digest (spec.approval).
export {
  approvalOf,
  awaitingApproval,
  buildPlan,
  MAX_PLAN_FIELDS,
  MAX_PLAN_OBJECTS,
  planDigest,
  planObjectsFromChanges,
  planObjectsFromDiffs,
  valuesChanged,
  type PlanSubject,
} from './plan.js';
