import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChartRelease } from '../api/index.js';
import { dependencyVerdict, type DependencyRef } from './graph.js';

function cr(ns: string, name: string, opts: { dependsOn?: DependencyRef[]; ready?: 'True' | 'False'; generation?: number; observed?: number } = {}): ChartRelease {
  const generation = opts.generation ?? 1;
  return {
    apiVersion: 'chartrelease.dev/v1alpha1',
    kind: 'ChartRelease',
    metadata: { namespace: ns, name, generation },
    spec: { chart: { path: '/c' }, ...(opts.dependsOn ? { dependsOn: opts.dependsOn } : {}) },
    status: opts.ready
      ? { observedGeneration: opts.observed ?? generation, conditions: [{ type: 'Ready', status: opts.ready, reason: opts.ready === 'True' ? 'Deployed' : 'InstallFailed', message: 'm', lastTransitionTime: 't', observedGeneration: opts.observed ?? generation }] }
      : {},
  };
}

const known = (...crs: (ChartRelease | [string, null])[]) => new Map(crs.map((c) => (Array.isArray(c) ? c : [`${c.metadata.namespace}/${c.metadata.name}`, c])));
const self = { namespace: 'apps', name: 'b' };

test('dependencyVerdict: ready, waiting, not found, and cycles through the release itself', () => {
  const a = { namespace: 'apps', name: 'a' };
  assert.deepEqual(dependencyVerdict(self, [a], known(cr('apps', 'a', { ready: 'True' }))), { kind: 'ready' });
  assert.deepEqual(dependencyVerdict(self, [a], known(['apps/a', null])), { kind: 'waiting', reason: 'DependencyNotFound', message: 'waiting for ChartRelease apps/a named in spec.dependsOn: not found' });
  assert.deepEqual(dependencyVerdict(self, [a], known(cr('apps', 'a', { ready: 'False' }))), { kind: 'waiting', reason: 'DependencyNotReady', message: 'waiting for dependencies to be Ready: apps/a (Ready=False InstallFailed: m)' });
  assert.deepEqual(dependencyVerdict(self, [a], known(cr('apps', 'a', { ready: 'True', generation: 2, observed: 1 }))), { kind: 'waiting', reason: 'DependencyNotReady', message: 'waiting for dependencies to be Ready: apps/a (generation 2 not observed yet)' });
  assert.deepEqual(dependencyVerdict(self, [a], known(cr('apps', 'a'))).kind, 'waiting', 'no status yet');
  // b -> a -> c -> b
  const cycle = known(cr('apps', 'a', { ready: 'True', dependsOn: [{ namespace: 'infra', name: 'c' }] }), cr('infra', 'c', { dependsOn: [self] }));
  assert.deepEqual(dependencyVerdict(self, [a], cycle), { kind: 'cycle', message: 'spec.dependsOn forms a cycle: apps/b -> apps/a -> infra/c -> apps/b; remove one of these dependencies' });
  // a cycle elsewhere (a <-> c) is a's problem: b waits for a.
  const elsewhere = known(cr('apps', 'a', { ready: 'False', dependsOn: [{ namespace: 'infra', name: 'c' }] }), cr('infra', 'c', { dependsOn: [a] }));
  assert.equal(dependencyVerdict(self, [a], elsewhere).kind, 'waiting');
});
