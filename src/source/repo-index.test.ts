import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IndexParseError, IndexScanner, NeedsWholeParse, parseIndexText } from './repo-index.js';

const BLOCK = `apiVersion: v1
entries:
  alpha:
  - apiVersion: v2
    appVersion: "1.10"
    created: "2026-01-01T00:00:00Z"
    description: |
      A chart.

      With a blank line and a: colon.
    digest: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    name: alpha
    urls:
    - alpha-1.10.0.tgz
    version: 1.10.0
  - name: alpha
    urls:
    - https://example.test/alpha-0.1.tgz
    version: "0.1"
  - name: alpha
    urls: []
    version: 2.0.0
  - name: alpha
    urls: [x.tgz]
    version: not-a-version
  "beta":
    - name: beta
      urls:
        - beta-3.0.0.tgz
      version: 3.0.0
      description: plain text with & and * characters
  gamma:
  - name: gamma
    urls:
    - gamma-1.0.0.tgz
    version: 1.0.0
generated: "2026-01-01T00:00:00Z"
`;

test('keeps only the wanted charts, with the usable entries (a version and a URL)', () => {
  const out = parseIndexText(BLOCK, new Set(['alpha', 'beta', 'missing']));
  assert.deepEqual([...out.keys()].sort(), ['alpha', 'beta']);
  const alpha = out.get('alpha')!;
  assert.deepEqual(alpha.map((e) => e.version), ['1.10.0', '0.1']);
  assert.equal(alpha[0]!.appVersion, '1.10');
  assert.equal(alpha[0]!.digest, '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef');
  assert.deepEqual(out.get('beta')!.map((e) => [e.version, e.urls]), [['3.0.0', ['beta-3.0.0.tgz']]]);
});

test('chunks split anywhere give the same result', () => {
  const whole = parseIndexText(BLOCK, new Set(['alpha', 'gamma']));
  for (const size of [1, 7, 64]) {
    const s = new IndexScanner(new Set(['alpha', 'gamma']));
    const bytes = Buffer.from(BLOCK);
    for (let i = 0; i < bytes.length; i += size) s.push(bytes.subarray(i, i + size));
    assert.deepEqual(s.end(), whole, `chunk size ${size}`);
  }
});

test('JSON, flow style and anchors are read whole', () => {
  const json = JSON.stringify({ apiVersion: 'v1', entries: { alpha: [{ name: 'alpha', version: '1.0.0', urls: ['a.tgz'] }], beta: [] } });
  assert.deepEqual(parseIndexText(json, new Set(['alpha'])).get('alpha')!.map((e) => e.version), ['1.0.0']);
  const flow = 'apiVersion: v1\nentries: {alpha: [{name: alpha, version: 1.0.0, urls: [a.tgz]}]}\n';
  assert.equal(parseIndexText(flow, new Set(['alpha'])).get('alpha')![0]!.version, '1.0.0');
  const anchors = 'entries:\n  alpha:\n  - &a\n    name: alpha\n    version: 1.0.0\n    urls: [a.tgz]\n  - *a\n';
  const s = new IndexScanner(new Set(['alpha']));
  assert.throws(() => s.push(anchors), NeedsWholeParse);
  assert.equal(parseIndexText(anchors, new Set(['alpha'])).get('alpha')!.length, 2);
});

test('not an index: a clear error', () => {
  assert.throws(() => parseIndexText('<html>not found</html>\n', new Set(['a'])), IndexParseError);
  assert.throws(() => parseIndexText('apiVersion: v1\n', new Set(['a'])), /no "entries:" map/);
});
