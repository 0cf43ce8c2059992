import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { canonicalJson, differingPaths, jsonEqual, jsonStringify } from './index.js';

/** Arrays and maps nested `n` levels (built without recursion). */
const nestedArray = (n: number): unknown => {
  let v: unknown = [];
  for (let i = 1; i < n; i++) v = [v];
  return v;
};
const nestedMap = (n: number, leaf: unknown = 1): unknown => {
  let v: unknown = leaf;
  for (let i = 0; i < n; i++) v = { k: v };
  return v;
};

test('jsonStringify writes what JSON.stringify writes, and goes on where JSON.stringify overflows the stack', () => {
  const samples: unknown[] = [
    { b: 1, a: [1, 'x', null, true, undefined, () => 1], c: undefined, d: { e: new Date(0), f: -0, g: NaN, h: 'q"\n\u2028' } },
    [undefined], 'text', 5, null, { toJSON: () => ({ z: 1 }) }, [new Number(3), new String('s'), new Boolean(false)],
  ];
  for (const v of samples) assert.equal(jsonStringify(v), JSON.stringify(v));
  assert.throws(() => JSON.stringify(nestedArray(20_000)), RangeError);
  assert.equal(jsonStringify(nestedArray(20_000)), `${'['.repeat(20_000)}${']'.repeat(20_000)}`);
  assert.equal(jsonStringify({ a: nestedMap(10_000, [undefined, 2]) }), `{"a":${'{"k":'.repeat(10_000)}[null,2]${'}'.repeat(10_000)}}`);
  const cycle: Record<string, unknown> = {};
  cycle.self = { cycle };
  assert.throws(() => jsonStringify(cycle), TypeError);
});

test('canonicalJson sorts keys at every level, at any depth', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [3, undefined], c: 2 }, u: undefined }), '{"a":{"c":2,"d":[3,null]},"b":1}');
  assert.equal(canonicalJson(undefined), 'null');
  assert.equal(canonicalJson(nestedMap(20_000)).length, '{"k":'.length * 20_000 + 1 + 20_000);
});

test('jsonEqual and differingPaths at any depth', () => {
  assert.equal(jsonEqual(nestedArray(20_000), nestedArray(20_000)), true);
  assert.equal(jsonEqual(nestedMap(20_000, 1), nestedMap(20_000, 2)), false);
  assert.equal(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }), true);
  assert.equal(jsonEqual({ a: 1 }, { a: 1, b: undefined }), false);
  const eq = (x: unknown, y: unknown) => jsonEqual(x, y);
  assert.deepEqual(differingPaths({ a: { x: 1, y: [1] }, b: 2, c: 3 }, { a: { x: 2, y: [1] }, c: 3, d: 4 }, eq), [['a', 'x'], ['b'], ['d']]);
  assert.deepEqual(differingPaths({ a: 1, b: 1, c: 1 }, { a: 2, b: 2, c: 2 }, eq, 2), [['a'], ['b']]);
  assert.deepEqual(differingPaths(1, 2, eq), [[]]);
  assert.equal(differingPaths(nestedMap(20_000, 1), nestedMap(20_000, 2), eq)[0]!.length, 20_000);
});
