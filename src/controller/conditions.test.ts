import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_CONDITION_MESSAGE } from '../api/index.js';
import { conditionsFor } from './conditions.js';

const t0 = new Date('2026-06-12T11:00:00.000Z');
const t1 = new Date('2026-06-12T11:05:00.000Z');

test('ready sets Ready=True and removes Reconciling and Stalled', () => {
  const stalled = conditionsFor([], { kind: 'stalled', reason: 'ValuesSchemaInvalid', message: 'bad' }, 1, t0);
  assert.deepEqual(stalled.map((c) => `${c.type}=${c.status}`), ['Ready=False', 'Stalled=True']);
  const ready = conditionsFor(stalled, { kind: 'ready', reason: 'Deployed', message: 'revision 1' }, 2, t1);
  assert.deepEqual(ready.map((c) => `${c.type}=${c.status}`), ['Ready=True']);
  assert.equal(ready[0]!.observedGeneration, 2);
  assert.equal(ready[0]!.lastTransitionTime, '2026-06-12T11:05:00Z');
});

test('lastTransitionTime moves only when status, reason or message change', () => {
  const a = conditionsFor([], { kind: 'ready', reason: 'Deployed', message: 'revision 1' }, 1, t0);
  const same = conditionsFor(a, { kind: 'ready', reason: 'Deployed', message: 'revision 1' }, 2, t1);
  assert.equal(same[0]!.lastTransitionTime, '2026-06-12T11:00:00Z');
  assert.equal(same[0]!.observedGeneration, 2);
  const other = conditionsFor(a, { kind: 'ready', reason: 'Deployed', message: 'revision 2' }, 2, t1);
  assert.equal(other[0]!.lastTransitionTime, '2026-06-12T11:05:00Z');
});

test('Reconciling and Stalled never coexist; other condition types are kept', () => {
  const foreign = { type: 'Custom', status: 'True' as const, reason: 'X', message: '', lastTransitionTime: '2026-01-01T00:00:00Z' };
  const progressing = conditionsFor([foreign], { kind: 'progressing', reason: 'Upgrading', message: 'revision 2' }, 1, t0);
  assert.deepEqual(progressing.map((c) => `${c.type}=${c.status}`), ['Ready=Unknown', 'Reconciling=True', 'Custom=True']);
  const stalled = conditionsFor(progressing, { kind: 'stalled', reason: 'TemplateError', message: 'x' }, 1, t1);
  assert.deepEqual(stalled.map((c) => `${c.type}=${c.status}`), ['Ready=False', 'Stalled=True', 'Custom=True']);
  const retrying = conditionsFor(stalled, { kind: 'retrying', reason: 'ApplyFailed', message: 'x' }, 1, t1);
  assert.deepEqual(retrying.map((c) => `${c.type}=${c.status}`), ['Ready=False', 'Reconciling=True', 'Custom=True']);
});

test('suspended keeps the Ready status and explains; long messages are cut', () => {
  const ready = conditionsFor([], { kind: 'ready', reason: 'Deployed', message: 'revision 1' }, 1, t0);
  const suspended = conditionsFor(ready, { kind: 'suspended', message: 'suspended' }, 2, t1);
  assert.deepEqual([suspended[0]!.status, suspended[0]!.reason], ['True', 'Suspended']);
  const long = conditionsFor([], { kind: 'stalled', reason: 'X', message: 'y'.repeat(5000) }, 1, t0);
  assert.equal(long[0]!.message.length, MAX_CONDITION_MESSAGE);
});
