import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REDACTED, SecretStrings, secretForms, secretLeaves } from './index.js';

test('leaves: strings and numbers of at least four characters, anywhere in the tree', () => {
  assert.deepEqual(secretLeaves({ a: 'hunter22', b: { c: ['s3cret-token', 'no'] }, n: 123456, t: true, short: 'abc' }), ['hunter22', 's3cret-token', '123456']);
});

test('forms: as is, quoted, base64 (with and without padding), long lines of a multi-line value', () => {
  const forms = secretForms('pa"ss\nword-line-two');
  assert.ok(forms.includes('pa"ss\nword-line-two'));
  assert.ok(forms.includes('pa\\"ss\\nword-line-two'));
  assert.ok(forms.includes(Buffer.from('pa"ss\nword-line-two').toString('base64')));
  assert.ok(forms.includes('word-line-two'));
});

test('redact replaces every form, longest first, and keeps the rest of the message', () => {
  const s = new SecretStrings();
  s.set('ns/a', ['hunter22']);
  s.set('ns/b', ['hunter22-and-more']);
  const b64 = Buffer.from('hunter22').toString('base64');
  assert.equal(
    s.redact(`ConfigMap "x" is invalid: metadata.labels: Invalid value: "hunter22-and-more": a label; data.k: ${b64}`),
    `ConfigMap "x" is invalid: metadata.labels: Invalid value: "${REDACTED}": a label; data.k: ${REDACTED}`,
  );
  s.forget('ns/b');
  assert.equal(s.redact('hunter22-and-more'), `${REDACTED}-and-more`);
  s.set('ns/a', []);
  assert.equal(s.redact('hunter22'), 'hunter22');
});

test('characters special to regular expressions are matched literally', () => {
  const s = new SecretStrings();
  s.set('x', ['a.b*c(d)']);
  assert.equal(s.redact('a.b*c(d) axbbc(d)'), `${REDACTED} axbbc(d)`);
});
