import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { ValuesWarning } from '../provenance/index.js';
import { VALUES_WARNINGS, withValuesWarnings } from './values-warnings.js';

const ready = { type: 'Ready', status: 'True' as const, reason: 'Deployed', message: 'revision 1', lastTransitionTime: '2026-01-01T00:00:00Z' };
const typo: ValuesWarning = { kind: 'UnusedKey', path: 'replicas', source: 'spec.values', suggestion: 'replicaCount', message: "replicas (spec.values) is not in the chart's values.yaml and no template reads it; did you mean replicaCount?" };

test('ValuesWarnings: set while there are warnings, kept when unchanged, removed when gone, untouched when not computed', () => {
  const t1 = new Date('2026-01-01T00:00:01Z');
  const t2 = new Date('2026-01-01T00:00:02Z');
  const set = withValuesWarnings([ready], [typo], 3, t1);
  assert.deepEqual(set[1], { type: VALUES_WARNINGS, status: 'True', reason: 'UnusedValuesKeys', message: typo.message, lastTransitionTime: '2026-01-01T00:00:01Z', observedGeneration: 3 });
  assert.equal(withValuesWarnings(set, [typo], 3, t2)[1]!.lastTransitionTime, '2026-01-01T00:00:01Z');
  assert.deepEqual(withValuesWarnings(set, undefined, 3, t2), set);
  assert.deepEqual(withValuesWarnings(set, [], 4, t2), [ready]);
  const both = withValuesWarnings([ready], [typo, { ...typo, kind: 'NullDeletesNothing', path: 'x', message: 'x is null' }], 3, t1);
  assert.equal(both[1]!.reason, 'UnusedValuesKeysAndNulls');
  assert.match(both[1]!.message, /did you mean replicaCount\?; x is null$/);
});
