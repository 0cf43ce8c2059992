import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadChartInput } from './charts.js';

test('loadChartInput: a path with a digest is loaded once per digest; without one, every time', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'charts-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: c\nversion: 0.1.0\n');
  writeFileSync(join(dir, 'templates', 'cm.yaml'), 'kind: ConfigMap\n');
  const a = loadChartInput({ path: dir, digest: 'sha256:one', bytes: 10 });
  assert.equal(loadChartInput({ path: dir, digest: 'sha256:one', bytes: 10 }), a, 'releases of one chart share the loaded chart');
  assert.notEqual(loadChartInput({ path: dir, digest: 'sha256:two', bytes: 10 }), a, 'another digest is another chart');
  assert.notEqual(loadChartInput({ path: dir }), loadChartInput({ path: dir }), 'no digest: loaded every time');
});
