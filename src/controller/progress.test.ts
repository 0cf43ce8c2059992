import assert from 'node:assert/strict';
import { test } from 'node:test';
import { announcesDeploy, type DeployShape } from './progress.js';

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
