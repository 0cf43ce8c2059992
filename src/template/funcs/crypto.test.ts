// Random and key-generating functions are checked for shape and validity; derivePassword and
// bcrypt against fixed vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { GoError, GoInt, GoStruct, int, typeName, type GoValue } from '../value.js';
import { bcryptHash, bcryptSalt } from './bcrypt.js';
import { cryptoFuncs } from './crypto.js';
import { randomFuncs } from './random.js';

const funcs = { ...cryptoFuncs({ now: () => BigInt(Date.now()) * 1_000_000n }), ...randomFuncs };
const call = (name: string, ...args: GoValue[]) => funcs[name]!.fn(...args);

test('derivePassword is the Master Password algorithm [derive]', () => {
  assert.equal(call('derivePassword', new GoInt(1, 'uint32'), 'long', 'password', 'user', 'example.com'), 'ZedaFaxcZaso9*');
  assert.equal(call('derivePassword', int(1), 'maximum', 'password', 'user', 'example.com'), 'pf4zS1LjCg&LjhsZ7T2~');
  assert.equal(call('derivePassword', int(2), 'pin', 'p', 'u', 's'), '8889');
  assert.equal(call('derivePassword', int(1), 'bogus', 'p', 'u', 's'), 'cannot find password template bogus');
});

test('bcrypt matches the OpenBSD vectors and htpasswd its format [htpasswd]', () => {
  const known = '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW';
  assert.equal(bcryptHash(Buffer.from('U*U'), 5, bcryptSalt(known)), known);
  assert.match(call('bcrypt', 'x') as string, /^\$2a\$10\$[./A-Za-z0-9]{53}$/);
  assert.match(call('htpasswd', 'user', 'pw') as string, /^user:\$2a\$10\$/);
  assert.equal(call('htpasswd', 'a:b', 'pw'), 'invalid username: a:b');
  assert.equal(call('bcrypt', 'a'.repeat(73)), 'failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes');
});

test('genCA and genSignedCert make certificates that parse and verify [certs]', () => {
  const ca = call('genCA', 'my-ca', int(365)) as GoStruct;
  assert.equal(typeName(ca), 'sprig.certificate');
  const caCert = new X509Certificate(ca.fields.Cert as string);
  assert.equal(caCert.ca, true);
  assert.equal(caCert.subject, 'CN=my-ca');
  assert.ok(caCert.verify(caCert.publicKey));
  assert.match(ca.fields.Key as string, /^-----BEGIN RSA PRIVATE KEY-----\n/);
  const leaf = call('genSignedCert', 'svc', ['10.0.0.1'], ['svc.local'], int(30), ca) as GoStruct;
  const cert = new X509Certificate(leaf.fields.Cert as string);
  assert.ok(cert.verify(caCert.publicKey));
  assert.ok(cert.checkIssued(caCert));
  assert.equal(cert.subjectAltName, 'DNS:svc.local, IP Address:10.0.0.1');
  assert.equal(cert.ca, false);
  const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86400000;
  assert.equal(days, 30);
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
  assert.ok(createPublicKey(leaf.fields.Key as string).equals(cert.publicKey));
  const self = call('genSelfSignedCert', 'x', null, null, int(1)) as GoStruct;
  assert.ok(new X509Certificate(self.fields.Cert as string).verify(createPublicKey(self.fields.Key as string)));
  const ecKey = call('genPrivateKey', 'ecdsa') as string;
  const withKey = call('genSelfSignedCertWithKey', 'ec', null, null, int(1), ecKey) as GoStruct;
  assert.ok(new X509Certificate(withKey.fields.Cert as string).verify(createPublicKey(ecKey)));
  assert.throws(() => call('genSelfSignedCert', 'x', ['nope'], null, int(1)), (e: Error) => e instanceof GoError && e.message === 'error parsing ip: nope');
  const rebuilt = call('buildCustomCert', Buffer.from(ca.fields.Cert as string).toString('base64'), Buffer.from(ca.fields.Key as string).toString('base64')) as GoStruct;
  assert.equal(rebuilt.fields.Cert, ca.fields.Cert);
});

test('private keys have Go\'s PEM types [certs]', () => {
  assert.match(call('genPrivateKey', 'ecdsa') as string, /^-----BEGIN EC PRIVATE KEY-----\n/);
  const ed = call('genPrivateKey', 'ed25519') as string;
  assert.match(ed, /^-----BEGIN PRIVATE KEY-----\n/);
  assert.equal(createPrivateKey(ed).asymmetricKeyType, 'ed25519');
  assert.equal(call('genPrivateKey', 'foo'), 'Unknown type foo');
});

test('encryptAES/decryptAES round trip [aes]', () => {
  const c = call('encryptAES', 'key', 'plaintext') as string;
  assert.equal(Buffer.from(c, 'base64').length, 32);
  assert.equal(call('decryptAES', 'key', c), 'plaintext');
  assert.equal(call('encryptAES', 'key', ''), '');
  assert.throws(() => call('decryptAES', 'key', '!!'), { message: 'illegal base64 data at input byte 0' });
});

test('random strings have the right length and alphabet [rand1]', () => {
  assert.match(call('randAlphaNum', int(10)) as string, /^[A-Za-z0-9]{10}$/);
  assert.match(call('randAlpha', int(5)) as string, /^[A-Za-z]{5}$/);
  assert.match(call('randNumeric', int(5)) as string, /^[0-9]{5}$/);
  assert.match(call('randAscii', int(7)) as string, /^[\x20-\x7e]{7}$/);
  assert.equal(Buffer.from(call('randBytes', int(3)) as string, 'base64').length, 3);
  assert.match(call('uuidv4') as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal((call('randInt', int(5), int(6)) as { value: number }).value, 5);
  assert.throws(() => call('randInt', int(1), int(1)), { message: 'invalid argument to Intn' });
  assert.equal([...(call('shuffle', 'abcdef') as string)].sort().join(''), 'abcdef');
});
