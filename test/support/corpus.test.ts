import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { compareOutput } from './corpus.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const pem = (body: string) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;

test('deterministic cases compare byte for byte', () => {
  assert.equal(compareOutput('a: 1\n', 'a: 1\n', true, 0).ok, true);
  assert.equal(compareOutput('name: x-jywrz\n', 'name: x-ioyeb\n', true, 0).ok, false);
});

test('non-deterministic cases: only random tokens of the same shape, in no more lines than two helm runs differed', () => {
  const helm = `name: release-name-test-jywrz\npassword: "${b64('aB3dE6gH9k')}"\nchecksum: ${'a'.repeat(64)}\ntls.crt: ${b64(pem('MIIB'))}\n`;
  const ours = `name: release-name-test-ioyeb\npassword: "${b64('Zz9yXw8vUu')}"\nchecksum: ${'b'.repeat(64)}\ntls.crt: ${b64(pem('MIIBxyz'))}\n`;
  assert.equal(compareOutput(helm, ours, false, 4).ok, true);
  assert.equal(compareOutput(helm, ours, false, 3).ok, false, 'more differing lines than between two helm runs');
  assert.equal(compareOutput('name: test-jywrz\n', 'name: test-ioyebq\n', false, 1).ok, false, 'a different length is a real difference');
  assert.equal(compareOutput('replicas: 3\nname: a\n', 'replicas: 4\nname: a\n', false, 1).ok, false, 'short tokens are never random');
  assert.equal(compareOutput('kind: Secret\n', 'kind: Service\n', false, 1).ok, false);
  assert.equal(compareOutput('a: 1\n', 'a: 1\nb: 2\n', false, 5).ok, false, 'an extra line is a real difference');
  assert.equal(compareOutput(`mtime: ${b64('2026-11-24T13:26:57Z')}\n`, `mtime: ${b64('2026-11-24T19:37:39Z')}\n`, false, 0).ok, true, 'timestamps do not count');
});
