import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResolvedRemediation } from '../api/index.js';
import { applyReleaseStatus, countersFor, NO_FAILURES, remediationStep, withAttempt, withFailure, withReset, type FailureCounters, type RemediationInput, type RemediationStep } from './index.js';

const upgrade = (retries: number, strategy: ResolvedRemediation['strategy'] = 'rollback', remediateLastFailure = true): ResolvedRemediation => ({ retries, strategy, remediateLastFailure });
const install = (retries: number): ResolvedRemediation => ({ retries, strategy: 'uninstall', remediateLastFailure: true });
const counts = (installFailures: number, upgradeFailures: number): FailureCounters => ({ failures: installFailures + upgradeFailures, installFailures, upgradeFailures, lastAttemptedRevision: 2, lastAttemptedValuesDigest: 'v', lastAttemptedManifestDigest: 'm' });

test('remediationStep: the table of failures, policies and what happens next', () => {
  const rows: [string, RemediationInput, RemediationStep['kind'] | RemediationStep][] = [
    ['no remediation configured: the default (resume with backoff)', { policy: {}, counters: counts(0, 1), failed: { revision: 2, action: 'upgrade' }, deployed: 1, force: false }, 'default'],
    ['upgrade failed, retries left, rollback: roll back first', { policy: { upgrade: upgrade(2) }, counters: counts(0, 1), failed: { revision: 2, action: 'upgrade' }, deployed: 1, force: false }, { kind: 'rollback', target: 1, failed: 2 }],
    ['upgrade failed, retries left, none: retry as a new revision', { policy: { upgrade: upgrade(2, 'none') }, counters: counts(0, 2), failed: { revision: 3, action: 'upgrade' }, deployed: 1, force: false }, { kind: 'retry', action: 'upgrade' }],
    ['upgrade failed, retries used up, none: exhausted', { policy: { upgrade: upgrade(2, 'none') }, counters: counts(0, 3), failed: { revision: 4, action: 'upgrade' }, deployed: 1, force: false }, 'exhausted'],
    ['retries used up, rollback: the last failure is rolled back too', { policy: { upgrade: upgrade(0) }, counters: counts(0, 1), failed: { revision: 2, action: 'upgrade' }, deployed: 1, force: false }, { kind: 'rollback', target: 1, failed: 2 }],
    ['retries used up, remediateLastFailure false: exhausted, nothing rolled back', { policy: { upgrade: upgrade(0, 'rollback', false) }, counters: counts(0, 1), failed: { revision: 2, action: 'upgrade' }, deployed: 1, force: false }, 'exhausted'],
    ['upgrade strategy uninstall removes the failed and the deployed revision', { policy: { upgrade: upgrade(1, 'uninstall') }, counters: counts(0, 1), failed: { revision: 2, action: 'upgrade' }, deployed: 1, force: false }, { kind: 'uninstall', revisions: [2, 1], failed: 2 }],
    ['install failed: uninstalled', { policy: { install: install(1) }, counters: counts(1, 0), failed: { revision: 1, action: 'install' }, deployed: undefined, force: false }, { kind: 'uninstall', revisions: [1], failed: 1 }],
    ['install failed, only upgrade remediation configured: the default', { policy: { upgrade: upgrade(3) }, counters: counts(1, 0), failed: { revision: 1, action: 'install' }, deployed: undefined, force: false }, 'default'],
    ['rolled back, retries left: the default (upgrade again)', { policy: { upgrade: upgrade(2) }, counters: counts(0, 1), deployed: 3, force: false }, 'default'],
    ['rolled back, retries used up: exhausted', { policy: { upgrade: upgrade(1) }, counters: counts(0, 2), deployed: 5, force: false }, 'exhausted'],
    ['uninstalled, install retries used up: exhausted', { policy: { install: install(0) }, counters: counts(1, 0), deployed: undefined, force: false }, 'exhausted'],
    ['force: a new revision even when used up', { policy: { upgrade: upgrade(0) }, counters: counts(0, 1), deployed: 3, force: true }, { kind: 'retry', action: 'upgrade' }],
    ['force with nothing deployed: an install', { policy: {}, counters: NO_FAILURES, deployed: undefined, force: true }, { kind: 'retry', action: 'install' }],
    ['rollback strategy with nothing deployed to roll back to: retry', { policy: { upgrade: upgrade(1) }, counters: counts(0, 1), failed: { revision: 2, action: 'upgrade' }, deployed: undefined, force: false }, { kind: 'retry', action: 'install' }],
  ];
  for (const [name, input, want] of rows) {
    const got = remediationStep(input);
    if (typeof want === 'string') assert.equal(got.kind, want, name);
    else assert.deepEqual(got, want, name);
  }
});

test('the exhausted message says what failed, how often, and how to go on', () => {
  const step = remediationStep({ policy: { upgrade: upgrade(1, 'none') }, counters: counts(0, 2), failed: { revision: 3, action: 'upgrade' }, deployed: 1, force: false });
  assert.equal(step.kind, 'exhausted');
  assert.equal(
    (step as { message: string }).message,
    'upgrade failed 2 times (spec.upgrade.remediation.retries: 1), last as revision 2; nothing more is tried until chart or values change, or the annotation chartrelease.dev/reset-requested-at gets a new value',
  );
});

test('counters: kept for the same chart + values, zero for new ones and after a reset', () => {
  let c = withAttempt(NO_FAILURES, 2, { valuesDigest: 'v', manifestDigest: 'm' });
  c = withFailure(c, 'upgrade');
  c = withFailure(withAttempt(c, 3, { valuesDigest: 'v', manifestDigest: 'm' }), 'upgrade');
  assert.deepEqual(c, { failures: 2, installFailures: 0, upgradeFailures: 2, lastAttemptedRevision: 3, lastAttemptedValuesDigest: 'v', lastAttemptedManifestDigest: 'm' });
  assert.equal(countersFor(c, { valuesDigest: 'v', manifestDigest: 'm' }).upgradeFailures, 2);
  assert.equal(countersFor(c, { valuesDigest: 'v2', manifestDigest: 'm' }).upgradeFailures, 0);
  assert.deepEqual(withAttempt(c, 4, { valuesDigest: 'v', manifestDigest: 'm2' }), { failures: 0, installFailures: 0, upgradeFailures: 0, lastAttemptedRevision: 4, lastAttemptedValuesDigest: 'v', lastAttemptedManifestDigest: 'm2' });
  assert.deepEqual(withReset(c), { ...c, failures: 0, upgradeFailures: 0 });
  assert.deepEqual(withFailure(c, 'rollback'), { ...c, failures: 3 });
});

test('applyReleaseStatus: counters, handled annotations and the Released/Remediated conditions after kstatus ones', () => {
  const now = new Date('2026-12-02T10:00:00.123Z');
  const status = applyReleaseStatus(
    { observedGeneration: 3, conditions: [{ type: 'Ready', status: 'True', reason: 'Deployed', message: 'revision 3', lastTransitionTime: 'x' }, { type: 'Remediated', status: 'True', reason: 'RollbackSucceeded', message: 'old', lastTransitionTime: 'y' }] },
    {},
    { counters: counts(0, 1), handled: { forceAt: 'a' }, conditions: { Released: { status: 'True', reason: 'UpgradeSucceeded', message: 'revision 3' }, Remediated: null } },
    3,
    now,
  );
  assert.deepEqual(status.conditions, [
    { type: 'Ready', status: 'True', reason: 'Deployed', message: 'revision 3', lastTransitionTime: 'x' },
    { type: 'Released', status: 'True', reason: 'UpgradeSucceeded', message: 'revision 3', lastTransitionTime: '2026-12-02T10:00:00Z', observedGeneration: 3 },
  ]);
  assert.equal(status.upgradeFailures, 1);
  assert.equal(status.installFailures, undefined, 'zero counters are left out');
  assert.equal(status.lastHandledForceAt, 'a');
  assert.equal(status.lastAttemptedRevision, 2);
});
