import assert from 'node:assert/strict';
import { test } from 'node:test';
import { announcesDeploy, recordsDeployedFirst, type DeployShape } from './progress.js';

const plain: DeployShape = { action: 'install', hookEvents: [], tests: false, crds: 0, waits: false };

test('announcesDeploy: only deploys that can take long (hooks that run, CRDs, waiting) write Reconciling first', () => {
  assert.equal(announcesDeploy(plain), false);
  assert.equal(announcesDeploy({ ...plain, hookEvents: [['pre-install']] }), true);
  assert.equal(announcesDeploy({ ...plain, crds: 2 }), true);
  assert.equal(announcesDeploy({ ...plain, waits: true }), true);
});

test('announcesDeploy: hooks of other actions, and test hooks without spec.test, do not run and do not count', () => {
  assert.equal(announcesDeploy({ ...plain, hookEvents: [['test'], ['pre-upgrade', 'post-upgrade'], ['pre-delete']] }), false);
  assert.equal(announcesDeploy({ ...plain, action: 'upgrade', hookEvents: [['pre-install', 'pre-upgrade']] }), true);
  assert.equal(announcesDeploy({ ...plain, hookEvents: [['test']], tests: true }), true);
});

test('recordsDeployedFirst: only a first install that only applies objects, with drift corrected without approval', () => {
  const first = { ...plain, records: 0, manualApproval: false };
  assert.equal(recordsDeployedFirst(first), true);
  assert.equal(recordsDeployedFirst({ ...first, hookEvents: [['test'], ['pre-upgrade']] }), true);
  assert.equal(recordsDeployedFirst({ ...first, action: 'upgrade' }), false);
  assert.equal(recordsDeployedFirst({ ...first, records: 1 }), false);
  assert.equal(recordsDeployedFirst({ ...first, manualApproval: true }), false);
  assert.equal(recordsDeployedFirst({ ...first, hookEvents: [['post-install']] }), false);
  assert.equal(recordsDeployedFirst({ ...first, crds: 1 }), false);
  assert.equal(recordsDeployedFirst({ ...first, waits: true }), false);
  assert.equal(recordsDeployedFirst({ ...first, hookEvents: [['test']], tests: true }), false);
});
