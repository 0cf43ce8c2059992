import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authFingerprint, authFromFlags, authFromSecret } from './credentials.js';
import { ChartSourceError } from './types.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

test('a Secret gives basic auth, token, CA and client certificate', () => {
  const auth = authFromSecret('creds', { username: b64('ci'), password: b64('pw\n'), token: b64(' tok \n'), 'ca.crt': b64('CA'), 'tls.crt': b64('CERT'), 'tls.key': b64('KEY') });
  assert.deepEqual(auth, { username: 'ci', password: 'pw', token: 'tok', caPem: 'CA', certPem: 'CERT', keyPem: 'KEY' });
});

test('half a pair, or no known key, is SourceInvalid naming the Secret and keys, never values', () => {
  const check = (data: Record<string, string>, pattern: RegExp) =>
    assert.throws(() => authFromSecret('creds', data), (err: unknown) => err instanceof ChartSourceError && err.reason === 'SourceInvalid' && pattern.test(err.message) && !err.message.includes('s3cret'));
  check({ username: b64('ci') }, /Secret creds: basic authentication needs both username and password; only username is set/);
  check({ password: b64('s3cret') }, /only password is set/);
  check({ 'tls.crt': b64('CERT') }, /needs both tls.crt and tls.key; only tls.crt is set/);
  check({ other: b64('s3cret') }, /Secret creds has none of the keys username, password, token/);
});

test('flags: helm sends basic auth when either --username or --password is given', () => {
  assert.equal(authFromFlags({}), undefined);
  assert.deepEqual(authFromFlags({ username: 'u' }), { username: 'u', password: '' });
  assert.deepEqual(authFromFlags({ insecureSkipTLSVerify: true, caPem: 'CA' }), { caPem: 'CA', insecureSkipTLSVerify: true });
});

test('fingerprints differ by credentials and reveal nothing', () => {
  const a = authFingerprint({ username: 'u', password: 'one' });
  assert.notEqual(a, authFingerprint({ username: 'u', password: 'two' }));
  assert.equal(authFingerprint(undefined), 'anonymous');
  assert.doesNotMatch(a, /one/);
});
