import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chartVersionsFromTags, digestProblem, isExactVersion, ociRequest, parseOciReference, tagToVersion, versionToTag } from './oci-reference.js';
import { ChartSourceError } from './types.js';

const D1 = `sha256:${'a'.repeat(64)}`;
const D2 = `sha256:${'b'.repeat(64)}`;

test('parseOciReference reads host:port, nested paths, tags (with + as _) and digests', () => {
  assert.deepEqual(parseOciReference('oci://ghcr.io/org/charts/podinfo'), { registry: 'ghcr.io', repository: 'org/charts/podinfo' });
  assert.deepEqual(parseOciReference('oci://127.0.0.1:5000/a/b:1.0.0'), { registry: '127.0.0.1:5000', repository: 'a/b', tag: '1.0.0' });
  assert.deepEqual(parseOciReference('oci://Registry.Example:443/a:1.0.0+build.1'), { registry: 'registry.example:443', repository: 'a', tag: '1.0.0_build.1' });
  assert.deepEqual(parseOciReference(`oci://localhost:5000/x/y@${D1}`), { registry: 'localhost:5000', repository: 'x/y', digest: D1 });
  assert.deepEqual(parseOciReference(`oci://h/x:2.0.0@${D1}`), { registry: 'h', repository: 'x', tag: '2.0.0', digest: D1 });
});

test('parseOciReference refuses what a registry would refuse, saying what to write', () => {
  const bad: [string, RegExp][] = [
    ['https://ghcr.io/org/chart', /starts with oci:\/\//],
    ['oci://ghcr.io', /names no repository/],
    ['oci://ghcr.io/', /names no repository|empty/],
    ['oci://ghcr.io/Org/chart', /component "Org" is not valid/],
    ['oci://ghcr.io/org//chart', /component "" is not valid/],
    ['oci://ghcr.io/org/chart:', /not a valid tag/],
    ['oci://ghcr.io/org/chart@sha256:abc', /takes 64 hex digits/],
    ['oci://ghcr.io/org/chart@md5:abc', /not supported/],
    ['oci://bad host/org/chart', /not a registry host/],
  ];
  for (const [url, message] of bad) {
    assert.throws(() => parseOciReference(url), (err: unknown) => err instanceof ChartSourceError && err.reason === 'SourceInvalid' && message.test(err.message) && err.message.includes(JSON.stringify(url)), url);
  }
});

test('digestProblem accepts sha256 and sha512 digests only', () => {
  assert.equal(digestProblem(D1), undefined);
  assert.equal(digestProblem(`sha512:${'0'.repeat(128)}`), undefined);
  assert.match(digestProblem('sha256:' + 'A'.repeat(64))!, /not a digest/);
  assert.match(digestProblem('1.0.0')!, /not a digest/);
});

test("tags and versions: Helm's + / _ convention, and only strict semver tags are chart versions", () => {
  assert.equal(versionToTag('1.0.0+build.5'), '1.0.0_build.5');
  assert.equal(tagToVersion('1.0.0_build.5'), '1.0.0+build.5');
  assert.deepEqual(chartVersionsFromTags(['latest', '1.0.0', 'v1.1.0', '1.2', '1.3.0-rc.1', '1.4.0_meta', '01.0.0', 'sha256-abc.sig']), ['1.0.0', '1.3.0-rc.1', '1.4.0+meta']);
});

test('isExactVersion: what Helm fetches as one tag rather than resolving over the tag list', () => {
  for (const v of ['1.0.0', 'v1.0.0', '1.0', '1', '1.0.0-rc.1', '1.0.0+b']) assert.equal(isExactVersion(v), true, v);
  for (const v of ['', '1.0.x', '~1.0', '^1', '>=1.0.0', '1.0.0 || 2.0.0', '*', '1.0.0-01']) assert.equal(isExactVersion(v), false, v);
});

test('ociRequest combines URL, version and digest, and refuses contradictions', () => {
  assert.deepEqual(ociRequest('oci://h/c', '1.0.x'), { ref: { registry: 'h', repository: 'c' }, version: '1.0.x' });
  assert.deepEqual(ociRequest('oci://h/c', `1.4.0@${D1}`), { ref: { registry: 'h', repository: 'c' }, version: '1.4.0', digest: D1 });
  assert.deepEqual(ociRequest('oci://h/c', '', D1), { ref: { registry: 'h', repository: 'c' }, version: '', digest: D1 });
  assert.deepEqual(ociRequest(`oci://h/c:1.0.0_b@${D1}`, '', D1), { ref: { registry: 'h', repository: 'c' }, version: '1.0.0+b', digest: D1 });
  assert.deepEqual(ociRequest('oci://h/c:1.0.0', '1.0.0'), { ref: { registry: 'h', repository: 'c' }, version: '1.0.0' });
  assert.throws(() => ociRequest('oci://h/c', `1.0.0@${D1}`, D2), /two different digests/);
  assert.throws(() => ociRequest('oci://h/c:1.0.0', '2.0.0'), /names tag 1.0.0 but the version is "2.0.0"/);
  assert.throws(() => ociRequest('oci://h/c', '1.0.0@latest'), /version "1.0.0@latest"/);
  assert.throws(() => ociRequest('oci://h/c', '', 'sha256:12'), /digest: .*64 hex digits/);
});
