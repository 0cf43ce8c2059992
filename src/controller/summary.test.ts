// status.summary (the STATUS column) and redaction where status is written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { secretStrings } from '../redact/index.js';
import type { KubeClient } from '../kube/index.js';
import { EventRecorder, type EventType } from './events.js';
import { MAX_SUMMARY, nextStatus, statusSummary } from './status.js';

/** The message an EventRecorder sends for one record() call (no API server). */
async function eventRecorderForTest(type: EventType, reason: string, message: string): Promise<string> {
  let sent = '';
  const client = { create: async (_path: string, body: { message: string }) => ((sent = body.message), body) } as unknown as KubeClient;
  await new EventRecorder(client).record({ apiVersion: 'chartrelease.dev/v1alpha1', kind: 'ChartRelease', metadata: { name: 'web', namespace: 'shop', uid: 'u' }, spec: { chart: { path: '/c' } } } as never, type, reason, message);
  return sent;
}

test('summary: the reason and the first line of the message, at most 80 characters; the revision alone when deployed', () => {
  assert.equal(statusSummary({ kind: 'ready', reason: 'Deployed', message: 'revision 3' }), 'revision 3');
  assert.equal(statusSummary({ kind: 'stalled', reason: 'ReleaseOwnedByOther', message: 'short' }), 'ReleaseOwnedByOther: short');
  const long = statusSummary({ kind: 'retrying', reason: 'InstallFailed', message: `dry-run ConfigMap/web -n shop: ${'x'.repeat(200)}\nsecond line` });
  assert.equal(long.length, MAX_SUMMARY);
  assert.ok(long.startsWith('InstallFailed: dry-run ConfigMap/web -n shop: x') && long.endsWith('...'));
  assert.equal(statusSummary({ kind: 'suspended', message: 'suspended: nothing is applied' }), 'Suspended: suspended: nothing is applied');
});

test('status messages and summary are redacted, and an unchanged failure compares equal to what was written', async () => {
  secretStrings.set('shop/web', ['hunter2-secret']);
  try {
    const outcome = { kind: 'stalled' as const, reason: 'InstallFailed', message: 'ConfigMap "web" is invalid: metadata.labels: Invalid value: "hunter2-secret"' };
    const now = new Date('2026-06-20T00:00:00Z');
    const first = nextStatus({ previous: {}, generation: 1, outcome, now, historyLimit: 10 });
    const text = JSON.stringify(first);
    assert.doesNotMatch(text, /hunter2/);
    assert.match(first.conditions![0]!.message, /Invalid value: "\[redacted\]"/);
    const again = nextStatus({ previous: first, generation: 1, outcome, now: new Date('2026-06-21T00:00:00Z'), historyLimit: 10 });
    assert.equal(again.conditions![0]!.lastTransitionTime, first.conditions![0]!.lastTransitionTime);
    const sent = await eventRecorderForTest('Warning', 'InstallFailed', outcome.message);
    assert.doesNotMatch(sent, /hunter2/);
  } finally {
    secretStrings.forget('shop/web');
  }
});
