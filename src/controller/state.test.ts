import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide } from './decide.js';
import { classify, type DesiredSummary, type Observation, type RecordSummary } from './state.js';

const chart = { name: 'checkout-api', version: '1.4.0', appVersion: '1.4.0' };
const content = (n: number): DesiredSummary => ({ chart, manifestDigest: `sha256:m${n}`, valuesDigest: `sha256:v${n}` });
const rec = (revision: number, status: RecordSummary['status'], c: number, extra: Partial<RecordSummary> = {}): RecordSummary => ({
  revision,
  status,
  action: revision === 1 ? 'install' : 'upgrade',
  ...content(c),
  deployedAt: '2026-06-12T11:04:17Z',
  description: '',
  ...extra,
});
const obs = (o: Partial<Observation>): Observation => ({ deleting: false, hasFinalizer: true, suspended: false, records: [], desired: { ok: true, desired: content(1) }, ...o });

const table: { name: string; o: Partial<Observation>; state: string; action: string; check?: (a: any) => void }[] = [
  { name: 'a new release gets the finalizer first', o: { hasFinalizer: false }, state: 'needsFinalizer', action: 'addFinalizer' },
  { name: 'deleting with our finalizer uninstalls', o: { deleting: true, records: [rec(1, 'deployed', 1)] }, state: 'deleting', action: 'uninstall', check: (a) => assert.equal(a.deployed.revision, 1) },
  { name: 'deleting without the finalizer forgets', o: { deleting: true, hasFinalizer: false }, state: 'deleting', action: 'forget' },
  { name: 'an invalid spec stalls', o: { specProblem: 'spec.interval: bad' }, state: 'invalidSpec', action: 'stall' },
  { name: 'suspended does nothing', o: { suspended: true, records: [rec(1, 'deployed', 1)] }, state: 'suspended', action: 'suspend', check: (a) => assert.match(a.message, /revision 1 stays deployed/) },
  { name: 'no record: install revision 1', o: {}, state: 'absent', action: 'deploy', check: (a) => assert.deepEqual([a.action, a.revision], ['install', 1]) },
  { name: 'same digests: verify (drift check)', o: { records: [rec(1, 'deployed', 1)] }, state: 'inSync', action: 'verify' },
  {
    name: 'changed values: upgrade to highest+1',
    o: { records: [rec(1, 'superseded', 0), rec(2, 'deployed', 0), rec(3, 'failed', 7)] },
    state: 'outOfSync',
    action: 'deploy',
    check: (a) => assert.deepEqual([a.action, a.revision], ['upgrade', 4]),
  },
  { name: 'a pending record with the wanted content is resumed, not duplicated', o: { records: [rec(1, 'deployed', 0), rec(2, 'pending-upgrade', 1)] }, state: 'interrupted', action: 'resume', check: (a) => assert.equal(a.record.revision, 2) },
  { name: 'a pending record with other content is left behind', o: { records: [rec(1, 'deployed', 0), rec(2, 'pending-upgrade', 5)] }, state: 'outOfSync', action: 'deploy', check: (a) => assert.equal(a.revision, 3) },
  { name: 'a template error stalls', o: { desired: { ok: false, terminal: true, reason: 'TemplateError', message: 'x' } }, state: 'renderFailed', action: 'stall' },
  { name: 'a missing values ConfigMap retries', o: { desired: { ok: false, terminal: false, reason: 'ValuesNotFound', message: 'x' } }, state: 'renderFailed', action: 'retryRender' },
  {
    name: 'pin to an older revision rolls back as a new revision',
    o: { pin: 1, records: [rec(1, 'superseded', 0), rec(2, 'deployed', 1)] },
    state: 'pinOutOfSync',
    action: 'rollback',
    check: (a) => assert.deepEqual([a.target.revision, a.revision], [1, 3]),
  },
  {
    name: 'pin already deployed by a rollback: verify, and report the chart changes',
    o: { pin: 1, records: [rec(1, 'superseded', 0), rec(2, 'superseded', 1), rec(3, 'deployed', 0, { action: 'rollback', rollbackTo: 1 })] },
    state: 'pinInSync',
    action: 'verify',
    check: (a) => assert.equal(a.pinnedWithChanges, 1),
  },
  { name: 'pin to the deployed revision changes nothing', o: { pin: 2, records: [rec(1, 'superseded', 0), rec(2, 'deployed', 1)] }, state: 'pinInSync', action: 'verify', check: (a) => assert.equal(a.pinnedWithChanges, undefined) },
  {
    name: 'pin to a revision without a record stalls and names the kept ones',
    o: { pin: 9, records: [rec(2, 'superseded', 0), rec(3, 'deployed', 1)] },
    state: 'pinMissing',
    action: 'stall',
    check: (a) => assert.match(a.message, /spec.revision 9 has no record \(kept revisions: 2, 3\).*Nothing was changed/),
  },
  {
    name: 'pinned: a render failure does not block the rollback',
    o: { pin: 1, records: [rec(1, 'superseded', 0), rec(2, 'deployed', 1)], desired: { ok: false, terminal: true, reason: 'TemplateError', message: 'x' } },
    state: 'pinOutOfSync',
    action: 'rollback',
  },
  {
    name: 'an interrupted rollback to the pin is resumed',
    o: { pin: 1, records: [rec(1, 'superseded', 0), rec(2, 'deployed', 1), rec(3, 'pending-rollback', 0, { action: 'rollback', rollbackTo: 1 })] },
    state: 'interrupted',
    action: 'resume',
  },
  {
    name: 'unpinning after a rollback upgrades when chart + values differ',
    o: { records: [rec(1, 'superseded', 0), rec(2, 'superseded', 1), rec(3, 'deployed', 0, { action: 'rollback', rollbackTo: 1 })], desired: { ok: true, desired: content(1) } },
    state: 'outOfSync',
    action: 'deploy',
    check: (a) => assert.deepEqual([a.action, a.revision], ['upgrade', 4]),
  },
  {
    name: 'unpinning when chart + values equal the rolled-back content changes nothing',
    o: { records: [rec(1, 'superseded', 0), rec(2, 'superseded', 1), rec(3, 'deployed', 0, { action: 'rollback', rollbackTo: 1 })], desired: { ok: true, desired: content(0) } },
    state: 'inSync',
    action: 'verify',
  },
];

for (const row of table) {
  test(`classify and decide: ${row.name}`, () => {
    const state = classify(obs(row.o));
    assert.equal(state.kind, row.state);
    const action = decide(state);
    assert.equal(action.kind, row.action);
    row.check?.(action);
  });
}
