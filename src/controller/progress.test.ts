import assert from 'node:assert/strict';
import { test } from 'node:test';
import { announcesDeploy } from './progress.js';

test('announcesDeploy: only deploys that can take long (hooks, CRDs, waiting) write Reconciling first', () => {
  assert.equal(announcesDeploy({ hooks: 0, crds: 0, waits: false }), false);
  assert.equal(announcesDeploy({ hooks: 1, crds: 0, waits: false }), true);
  assert.equal(announcesDeploy({ hooks: 0, crds: 2, waits: false }), true);
  assert.equal(announcesDeploy({ hooks: 0, crds: 0, waits: true }), true);
});
