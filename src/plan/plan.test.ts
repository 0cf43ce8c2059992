import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Change } from '../apply/index.js';
import { approvalOf, awaitingApproval, buildPlan, MAX_PLAN_OBJECTS, planDigest, planObjectsFromChanges, planObjectsFromDiffs, valuesChanged, type PlanSubject } from './index.js';

const subject: PlanSubject = { action: 'upgrade', revision: 3, chart: { name: 'shop', version: '1.0.0' }, manifestDigest: 'sha256:m', valuesDigest: 'sha256:v' };
const ref = (kind: string, name: string) => ({ apiVersion: 'v1', kind, name, namespace: 'ns' });

test('values changed: key paths only, added, removed and changed leaves; lists as a whole', () => {
  const before = { image: { tag: '1.0', repository: 'r' }, db: { password: 'hunter2' }, list: [1, 2], gone: true };
  const after = { image: { tag: '1.1', repository: 'r' }, db: { password: 'swordfish' }, list: [1, 2, 3], added: { 'a.b': 1 } };
  assert.deepEqual(valuesChanged(before, after), ['added', 'db.password', 'gone', 'image.tag', 'list']);
  assert.deepEqual(valuesChanged(null, { a: 1 }), ['a']);
  assert.deepEqual(valuesChanged({ a: 1 }, { a: 1 }), []);
});

test('plan objects from a dry run and from a deploy: actions and field paths, unchanged left out', () => {
  assert.deepEqual(
    planObjectsFromDiffs([
      { ref: ref('ConfigMap', 'c'), action: 'update', fields: ['.data.mode'], diff: 'x' },
      { ref: ref('Secret', 's'), action: 'create', fields: [], diff: 'x' },
      { ref: ref('Service', 'u'), action: 'unchanged', fields: [], diff: '' },
      { ref: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'r' }, action: 'delete', fields: [], diff: 'x' },
    ]),
    [
      { kind: 'ConfigMap', namespace: 'ns', name: 'c', action: 'update', fields: ['.data.mode'] },
      { kind: 'Secret', namespace: 'ns', name: 's', action: 'create' },
      { kind: 'ClusterRole', name: 'r', action: 'delete' },
    ],
  );
  const changes: Change[] = [
    { ref: ref('ConfigMap', 'c'), action: 'configured', fields: ['.data.mode'] },
    { ref: ref('ConfigMap', 'n'), action: 'created' },
    { ref: ref('ConfigMap', 'u'), action: 'unchanged' },
    { ref: ref('ConfigMap', 'o'), action: 'deleted' },
    { ref: ref('ConfigMap', 'k'), action: 'kept' },
  ];
  assert.deepEqual(planObjectsFromChanges(changes).map((o) => `${o.action} ${o.name}`), ['update c', 'create n', 'delete o']);
});

test('digest: the same plan gives the same digest; any change in what is deployed or changes gives another', () => {
  const objects = [{ kind: 'ConfigMap', namespace: 'ns', name: 'c', action: 'update' as const, fields: ['.data.mode'] }];
  const d = planDigest(subject, objects, ['mode']);
  assert.match(d, /^sha256:[0-9a-f]{64}$/);
  assert.equal(planDigest({ ...subject }, [...objects], ['mode']), d);
  assert.notEqual(planDigest({ ...subject, manifestDigest: 'sha256:other' }, objects, ['mode']), d);
  assert.notEqual(planDigest({ ...subject, revision: 4 }, objects, ['mode']), d);
  assert.notEqual(planDigest(subject, [{ ...objects[0]!, fields: ['.data.other'] }], ['mode']), d);
  assert.notEqual(planDigest(subject, objects, []), d);
  const plan = buildPlan(subject, objects, ['mode'], new Date('2026-12-02T11:00:00.123Z'), 'AwaitingApproval');
  assert.equal(plan.digest, d);
  assert.equal(plan.createdAt, '2026-12-02T11:00:00Z');
});

test('approval: approved only by the exact digest; another digest is stale; none awaits', () => {
  assert.equal(approvalOf(undefined, 'sha256:a'), 'awaiting');
  assert.equal(approvalOf('sha256:a', 'sha256:a'), 'approved');
  assert.equal(approvalOf('sha256:b', 'sha256:a'), 'stale');
  const plan = buildPlan(subject, [{ kind: 'ConfigMap', namespace: 'ns', name: 'c', action: 'update', fields: ['.data.mode'] }], ['mode'], new Date(0), 'AwaitingApproval');
  const waiting = awaitingApproval(plan, undefined);
  assert.equal(waiting.reason, 'AwaitingApproval');
  assert.equal(waiting.message, `plan ${plan.digest} (upgrade to revision 3: 0 to create, 1 to update, 0 to delete; values changed: mode) awaits approval: set spec.approval.approvedPlan to ${plan.digest} to deploy it`);
  const stale = awaitingApproval(plan, 'sha256:old');
  assert.equal(stale.reason, 'ApprovalStale');
  assert.match(stale.message, /^the approved plan sha256:old is stale: what would be deployed now is plan sha256:/);
});

test('status.plan stays small: at most 100 objects (the rest counted) and 20 fields per object', () => {
  const many = Array.from({ length: 130 }, (_, i) => ({ ref: ref('ConfigMap', `c${i}`), action: 'update' as const, fields: Array.from({ length: 30 }, (_, j) => `.data.k${j}`), diff: 'x' }));
  const plan = buildPlan(subject, planObjectsFromDiffs(many), [], new Date(0), 'AwaitingApproval');
  assert.equal(plan.objects.length, MAX_PLAN_OBJECTS);
  assert.equal(plan.objectsOmitted, 30);
  assert.equal(plan.objects[0]!.fields!.length, 20);
});
