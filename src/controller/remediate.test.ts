import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NO_FAILURES } from '../remediation/index.js';
import { decideRemediation, type RemediationDecisionInput } from './remediate.js';
import type { RecordSummary } from './state.js';

const record = (revision: number, status: RecordSummary['status'], action: RecordSummary['action'] = 'upgrade'): RecordSummary => ({
  revision,
  status,
  action,
  chart: { name: 'c', version: '1' },
  manifestDigest: `m${revision}`,
  valuesDigest: `v${revision}`,
  deployedAt: '',
  description: '',
});
const desired = { valuesDigest: 'v2', manifestDigest: 'm2' };
const attempted = { ...NO_FAILURES, upgradeFailures: 1, failures: 1, lastAttemptedValuesDigest: 'v2', lastAttemptedManifestDigest: 'm2', lastAttemptedRevision: 2 };
const rollback = { upgrade: { retries: 1, strategy: 'rollback' as const, remediateLastFailure: true } };
const base = (over: Partial<RemediationDecisionInput>): RemediationDecisionInput => ({
  state: { kind: 'interrupted', record: record(2, 'failed') },
  spec: { revision: undefined, suspend: false, remediation: rollback },
  desired,
  records: [record(1, 'deployed', 'install'), record(2, 'failed')],
  counters: attempted,
  ...over,
});

test('decideRemediation: the remediation step as the next action', () => {
  assert.deepEqual(decideRemediation(base({})), { action: { kind: 'remediate', step: { kind: 'rollback', target: 1, failed: 2 }, revision: 3 } });
  assert.deepEqual(decideRemediation(base({ spec: { revision: undefined, suspend: false, remediation: {} } })), {}, 'no remediation: decide() resumes the failed revision');
  // Rolled back (revision 3 deploys 1 again), one retry left: decide() upgrades again.
  const rolledBack = { state: { kind: 'outOfSync' as const, deployed: record(3, 'deployed', 'rollback'), nextRevision: 4 }, records: [record(1, 'superseded', 'install'), record(2, 'failed'), record(3, 'deployed', 'rollback')] };
  assert.deepEqual(decideRemediation(base(rolledBack)), {});
  assert.equal(decideRemediation(base({ ...rolledBack, counters: { ...attempted, upgradeFailures: 2, failures: 2 } })).action?.kind, 'stall');
  // Other chart + values: a new attempt, counters do not apply.
  assert.deepEqual(decideRemediation(base({ ...rolledBack, counters: { ...attempted, upgradeFailures: 2, failures: 2 }, desired: { valuesDigest: 'v9', manifestDigest: 'm9' } })), {});
});

test('decideRemediation: force-requested-at deploys a new revision once; in sync and unforced, nothing overrides verify', () => {
  const inSync = { state: { kind: 'inSync' as const, deployed: record(2, 'deployed') }, records: [record(1, 'superseded', 'install'), record(2, 'deployed')], counters: { ...attempted, upgradeFailures: 5, failures: 5 } };
  assert.deepEqual(decideRemediation(base(inSync)), {}, 'a deployed revision that is wanted is verified whatever the counters say');
  assert.deepEqual(decideRemediation(base({ ...inSync, forceAt: 'a' })), { action: { kind: 'deploy', action: 'upgrade', revision: 3 }, forceHandled: 'a' });
  assert.deepEqual(decideRemediation(base({ ...inSync, forceAt: 'a', forceHandledAt: 'a' })), {});
  assert.deepEqual(decideRemediation(base({ ...inSync, forceAt: 'b', spec: { revision: 1, suspend: false, remediation: rollback } })), { forceHandled: 'b' }, 'pinned: handled, nothing forced');
});
