import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidSpecError, resolveSpec } from './defaults.js';
import { formatDuration, parseDuration } from './duration.js';
import type { ChartRelease } from './types.js';

const cr = (spec: Partial<ChartRelease['spec']>, name = 'checkout-api'): Pick<ChartRelease, 'metadata' | 'spec'> => ({
  metadata: { name, namespace: 'checkout' },
  spec: { chart: { path: '/charts/checkout-api' }, ...spec },
});

test('durations parse like Go and print back in their shortest form', () => {
  for (const [text, ms] of [['10m', 600_000], ['1h30m', 5_400_000], ['1.5h', 5_400_000], ['250ms', 250], ['30s', 30_000], ['2m30s', 150_000]] as const) {
    assert.equal(parseDuration(text), ms, text);
  }
  assert.equal(formatDuration(5_400_000), '1h30m');
  assert.equal(formatDuration(1_250), '1s250ms');
  for (const bad of ['', '10', 'm', '10 m', '-1s', '1d', '1h30']) assert.throws(() => parseDuration(bad), /invalid duration/, bad);
});

test('defaults follow API.md', () => {
  const r = resolveSpec(cr({ valuesFrom: [{ kind: 'ConfigMap', name: 'v' }] }));
  assert.equal(r.releaseName, 'checkout-api');
  assert.equal(r.targetNamespace, 'checkout');
  assert.equal(r.chartSourceKind, 'path');
  assert.deepEqual(r.valuesFrom, [{ kind: 'ConfigMap', name: 'v', key: 'values.yaml', optional: false }]);
  assert.equal(r.intervalMs, 600_000);
  assert.equal(r.historyLimit, 10);
  assert.deepEqual(r.wait, { enabled: false, timeoutMs: 300_000 });
  assert.equal(r.prune, true);
  assert.equal(r.suspend, false);
  assert.equal(r.createNamespace, false);
  assert.equal(r.revision, undefined);
});

test('every problem is reported at once, naming the field', () => {
  const err = (() => {
    try {
      resolveSpec(cr({ chart: { path: '/x', configMap: { name: 'c' } }, revision: 0, interval: '10 minutes', historyLimit: 0 }, 'x'.repeat(60)));
    } catch (e) {
      return e;
    }
  })();
  assert.ok(err instanceof InvalidSpecError);
  const text = err.problems.join('\n');
  assert.match(text, /metadata.name \(the default release name\).*set spec.releaseName/);
  assert.match(text, /path and configMap are both set/);
  assert.match(text, /spec.revision: must be a positive/);
  assert.match(text, /spec.interval: invalid duration "10 minutes"/);
  assert.match(text, /spec.historyLimit/);
  assert.equal(err.problems.length, 5);
  assert.throws(() => resolveSpec(cr({ chart: {} })), /none is set/);
});
