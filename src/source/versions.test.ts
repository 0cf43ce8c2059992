import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChartSourceError } from './types.js';
import { nearestVersions, pickVersion, sortVersionsDescending } from './versions.js';

const available = ['1.2.0', '1.3.0', '1.4.0', '1.4.1', '1.4.7', '1.5.0-rc.1', '1.5.0', '2.0.0', '2.1.0-beta.2', '0.9.0'];

test('pickVersion resolves constraints as Helm does: the highest match', () => {
  const cases: [string | undefined, string][] = [
    [undefined, '2.0.0'],
    ['', '2.0.0'],
    ['1.4.x', '1.4.7'],
    ['~1.4', '1.4.7'],
    ['~1.4.0', '1.4.7'],
    ['^1.4', '1.5.0'],
    ['>=1.2 <2', '1.5.0'],
    ['>= 1.2, < 1.5', '1.4.7'],
    ['1.3.x || 0.9.x', '1.3.0'],
    ['1.4.1', '1.4.1'],
    ['=1.4.1', '1.4.1'],
    ['v1.4.1', '1.4.1'],
    ['1.2 - 1.4', '1.4.7'],
    ['*', '2.0.0'],
  ];
  for (const [c, want] of cases) assert.equal(pickVersion(available, c), want, String(c));
});

test('pre-releases are picked only when the constraint names one, or asked for exactly', () => {
  assert.equal(pickVersion(available, '>=2.1.0-0'), '2.1.0-beta.2');
  assert.equal(pickVersion(available, '2.1.0-beta.2'), '2.1.0-beta.2');
  assert.equal(pickVersion(['1.0.0-rc.1', '1.0.0-rc.2'], '>=1.0.0-rc.0'), '1.0.0-rc.2');
  assert.throws(() => pickVersion(['1.0.0-rc.1'], ''), (err: unknown) => err instanceof ChartSourceError && err.reason === 'VersionNotFound' && /no stable version/.test(err.message));
});

test('an exact string match wins over a constraint reading', () => {
  // Helm checks `version == entry.version` before parsing it as a constraint.
  assert.equal(pickVersion(['1.0.0', '1.0.0+build.2'], '1.0.0+build.2'), '1.0.0+build.2');
});

test('no match: VersionNotFound listing the nearest available versions', () => {
  assert.throws(
    () => pickVersion(available, '1.6.x'),
    (err: unknown) => {
      assert.ok(err instanceof ChartSourceError);
      assert.equal(err.reason, 'VersionNotFound');
      assert.equal(err.retryable, false);
      assert.equal(err.message, 'no version matches "1.6.x"; nearest available: 2.1.0-beta.2, 2.0.0, 1.5.0, 1.5.0-rc.1, 1.4.7');
      return true;
    },
  );
  assert.throws(() => pickVersion([], '1.0.0'), { message: 'no version matches "1.0.0"; none is available' });
});

test('a malformed constraint is SourceInvalid with the parser message', () => {
  assert.throws(() => pickVersion(available, 'latest!'), (err: unknown) => err instanceof ChartSourceError && err.reason === 'SourceInvalid' && /improper constraint/.test(err.message));
});

test('sorting is newest first; strings that are not versions go last', () => {
  assert.deepEqual(sortVersionsDescending(['1.0.0', 'banana', '1.10.0', '1.2.0', '1.10.0-rc.1']), ['1.10.0', '1.10.0-rc.1', '1.2.0', '1.0.0', 'banana']);
  assert.deepEqual(nearestVersions(['3.0.0', '2.0.0', '1.0.0']), ['3.0.0', '2.0.0', '1.0.0']);
});
