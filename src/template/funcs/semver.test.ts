import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatValue, methodOf, typeName } from '../value.js';
import { newVersion, semverFuncs } from './semver.js';

const compare = (c: string, v: string) => semverFuncs.semverCompare!.fn(c, v);

test('semverCompare follows Masterminds constraints [semver1] [semver_err]', () => {
  const cases: [string, string, boolean][] = [
    ['>=1.20-0', 'v1.25.0-gke.1', true], ['>=1.20', '1.25.0-gke.1', false], ['^1.2', '1.9.9', true],
    ['~1.2.0', '1.3.0', false], ['>=1.20.0', '1.20', true], ['1.2.x', '1.2.7', true], ['>1.0 <2.0 || >=3.0', '3.1', true],
    // recorded with helm 4.1.4
    ['1.2 - 1.4', '1.3.9', true], ['1.2 - 1.4', '1.5.0', false], ['>= 1.2, < 1.5', '1.4.0', true], ['!=1.2.3', '1.2.3', false],
    ['^0.2.3', '0.2.9', true], ['^0.2.3', '0.3.0', false], ['*', '1.0.0-rc1', false], ['~1', '1.9.0', true],
    ['>1.1', '1.1.5', false], ['<=1.2', '1.2.9', true],
  ];
  for (const [c, v, want] of cases) assert.equal(compare(c, v), want, `${c} ${v}`);
  assert.throws(() => compare('>=1.0', 'not-a-version'), { message: 'invalid semantic version' });
  assert.throws(() => compare('bad!', '1.0.0'), { message: 'improper constraint: bad!' });
  assert.throws(() => newVersion('1.2.3-01'), { message: 'version segment starts with 0' });
});

test('*semver.Version prints and answers like Go [semver_obj]', () => {
  const v = newVersion('1.2.3-rc.1+build.5');
  const call = (name: string, ...args: unknown[]) => methodOf(v, name)!.fn(v, ...args);
  assert.equal(formatValue(call('Major')), '1');
  assert.equal(call('Prerelease'), 'rc.1');
  assert.equal(call('Metadata'), 'build.5');
  assert.equal(formatValue(v), '1.2.3-rc.1+build.5');
  assert.equal(typeName(v), '*semver.Version');
  assert.equal(formatValue(newVersion('v1.2')), '1.2.0');
  assert.equal(formatValue(call('Compare', newVersion('1.3.0'))), '-1');
  const next = call('IncPatch');
  assert.equal(typeName(next as never), 'semver.Version');
  assert.equal(methodOf(next as never, 'Original'), undefined);
});
