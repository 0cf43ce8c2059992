import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareBytes, formatFloat, formatValue, goIntFromBigInt, int, int64, truth, typeName, withGoType, GoStruct } from './value.js';

test('float64 prints as Go %v does (probes floatfmt, vals1)', () => {
  const cases: [number, string][] = [
    [100000, '100000'], [1000000, '1e+06'], [1234567, '1.234567e+06'], [123456.7, '123456.7'],
    [0.0001, '0.0001'], [0.00001, '1e-05'], [1e20, '1e+20'], [-1500000, '-1.5e+06'], [3000, '3000'],
    [12345678, '1.2345678e+07'], [1.5, '1.5'], [0, '0'], [9007199254740993, '9.007199254740992e+15'], [1e21, '1e+21'],
  ];
  for (const [x, want] of cases) assert.equal(formatFloat(x), want, String(x));
});

test('composite values print like fmt %v', () => {
  assert.equal(formatValue([int(1), 'a', [int(2), 3.5]]), '[1 a [2 3.5]]');
  assert.equal(formatValue({ b: 2, C: int(3), a: 1 }), 'map[C:3 a:1 b:2]');
  assert.equal(formatValue({}), 'map[]');
  assert.equal(formatValue(null), '<nil>');
  assert.equal(formatValue(new Uint8Array([104, 105])), '[104 105]');
  assert.equal(formatValue(new GoStruct('main.T', { A: 'x', B: int(1) })), '{x 1}');
});

test('type names and truthiness follow Go', () => {
  assert.equal(typeName(1), 'float64');
  assert.equal(typeName(int(1)), 'int');
  assert.equal(typeName(int64(1)), 'int64');
  assert.equal(typeName({}), 'map[string]interface {}');
  assert.equal(typeName(withGoType(['a'], '[]string')), '[]string');
  assert.equal(typeName(null), '<nil>');
  for (const v of [false, 0, '', [], {}, null, int(0)]) assert.equal(truth(v), false);
  for (const v of [true, 1, '0', 'false', [null], { a: null }, int64(2), new GoStruct('x')]) assert.equal(truth(v), true);
});

test('strings compare byte-wise as in Go', () => {
  assert.ok(compareBytes('B', 'a') < 0);
  assert.ok(compareBytes('\uffff', '\u{1F600}') < 0);
  assert.ok(compareBytes('a', 'ab') < 0);
});

test('integers beyond 2^53 keep their exact value (goIntFromBigInt)', () => {
  const max = goIntFromBigInt(9223372036854775807n);
  assert.deepEqual([max.type, max.toString(), formatValue(max), max.exact], ['int64', '9223372036854775807', '9223372036854775807', 9223372036854775807n]);
  const small = goIntFromBigInt(42n, 'int');
  assert.deepEqual([small.value, small.exact, formatValue(small)], [42, undefined, '42']);
});
