import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide, microTime, observe, releaseSpec, type LeaseSpec, type Observation } from './lease.js';

const wallClock = new Date('2026-06-12T11:04:17.512Z');
const stamp = '2026-06-12T11:04:17.512000Z';
const held = (holder: string | null, extra: Partial<LeaseSpec> = {}): LeaseSpec => ({
  holderIdentity: holder,
  leaseDurationSeconds: 15,
  acquireTime: '2026-06-12T11:00:00.000000Z',
  renewTime: '2026-06-12T11:04:00.000000Z',
  leaseTransitions: 3,
  ...extra,
});
const seen = (spec: LeaseSpec, observedAt: number): Observation => ({ spec, resourceVersion: '42', observedAt });

test('microTime has six fractional digits, as metav1.MicroTime requires', () => {
  assert.equal(microTime(wallClock), stamp);
  assert.equal(microTime(new Date('2026-01-01T00:00:00Z')), '2026-01-01T00:00:00.000000Z');
});

test('decide: the lease protocol, case by case', () => {
  const cases: { what: string; observation: Observation | null; now: number; want: ReturnType<typeof decide> }[] = [
    {
      what: 'no Lease: create it as holder, transitions 0',
      observation: null,
      now: 0,
      want: { action: 'create', spec: { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: stamp, renewTime: stamp, leaseTransitions: 0 } },
    },
    {
      what: 'we hold it: renew, keep acquireTime and transitions',
      observation: seen(held('me'), 0),
      now: 60_000,
      want: {
        action: 'update',
        resourceVersion: '42',
        takeover: false,
        spec: { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: '2026-06-12T11:00:00.000000Z', renewTime: stamp, leaseTransitions: 3 },
      },
    },
    {
      what: 'another holder, seen 14.999 s ago: wait',
      observation: seen(held('other'), 1_000),
      now: 15_999,
      want: { action: 'wait', holder: 'other', expiresAt: 16_000 },
    },
    {
      what: 'another holder, unchanged for the lease duration by our clock: take over, transitions + 1',
      observation: seen(held('other'), 1_000),
      now: 16_000,
      want: { action: 'update', resourceVersion: '42', takeover: true, spec: { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: stamp, renewTime: stamp, leaseTransitions: 4 } },
    },
    {
      what: "the holder's own lease duration counts (30 s), not ours",
      observation: seen(held('other', { leaseDurationSeconds: 30 }), 0),
      now: 20_000,
      want: { action: 'wait', holder: 'other', expiresAt: 30_000 },
    },
    {
      what: 'released (no holder): take over at once',
      observation: seen(held(null, { leaseDurationSeconds: 1 }), 0),
      now: 0,
      want: { action: 'update', resourceVersion: '42', takeover: true, spec: { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: stamp, renewTime: stamp, leaseTransitions: 4 } },
    },
    {
      what: 'empty holder string counts as released',
      observation: seen(held(''), 0),
      now: 0,
      want: { action: 'update', resourceVersion: '42', takeover: true, spec: { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: stamp, renewTime: stamp, leaseTransitions: 4 } },
    },
  ];
  for (const c of cases) {
    assert.deepEqual(decide({ observation: c.observation, identity: 'me', leaseDurationSeconds: 15, now: c.now, wallClock }), c.want, c.what);
  }
});

test('observe: the observation time moves only when the spec changes', () => {
  const first = observe(null, held('other'), '1', 1_000);
  assert.equal(first.observedAt, 1_000);
  // Same spec, re-read later (a new resourceVersion, e.g. a label change): the clock keeps running.
  const again = observe(first, held('other'), '2', 9_000);
  assert.equal(again.observedAt, 1_000);
  assert.equal(again.resourceVersion, '2');
  // The holder renewed: a new lease period starts when we see it.
  const renewed = observe(again, held('other', { renewTime: '2026-06-12T11:04:02.000000Z' }), '3', 10_000);
  assert.equal(renewed.observedAt, 10_000);
  // A holder that renews keeps its lease: 14 s after the renewal is seen it is still not ours.
  assert.equal(decide({ observation: renewed, identity: 'me', leaseDurationSeconds: 15, now: 24_000, wallClock }).action, 'wait');
  // null and missing fields compare equal to their zero values.
  const sparse = observe(null, { holderIdentity: 'x' }, '4', 0);
  assert.equal(observe(sparse, { holderIdentity: 'x', leaseTransitions: null, renewTime: null }, '5', 7).observedAt, 0);
});

test('releaseSpec clears the holder, keeps the transitions and shortens the lease to 1 s', () => {
  assert.deepEqual(releaseSpec(seen(held('me'), 0), wallClock), {
    holderIdentity: null,
    leaseDurationSeconds: 1,
    acquireTime: stamp,
    renewTime: stamp,
    leaseTransitions: 3,
  });
});
