import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatValue, int, nilSlice, typeName } from '../value.js';
import { jsonFuncs, marshalJson, unmarshalJson } from './json.js';

test('marshalJson is Go\'s encoding/json [tojson1]', () => {
  assert.equal(marshalJson('<a>&</a>'), '"\\u003ca\\u003e\\u0026\\u003c/a\\u003e"');
  assert.equal(marshalJson('<a>&</a>', { escapeHTML: false }), '"<a>&</a>"');
  assert.equal(marshalJson(1e6), '1000000');
  assert.equal(marshalJson(1e21), '1e+21');
  assert.equal(marshalJson(1e-7), '1e-7');
  assert.equal(marshalJson({ b: int(1), a: [] }), '{"a":[],"b":1}');
  assert.equal(marshalJson('é\u2028\b\x01'), '"é\\u2028\\b\\u0001"');
  assert.equal(marshalJson(nilSlice('[]string')), 'null');
  assert.equal(marshalJson(new Uint8Array([104, 105])), '"aGk="');
  assert.equal(marshalJson({ a: [int(1), int(2)], b: {}, h: '<>' }, { indent: '  ' }), '{\n  "a": [\n    1,\n    2\n  ],\n  "b": {},\n  "h": "\\u003c\\u003e"\n}');
  assert.throws(() => marshalJson(NaN), { message: 'json: unsupported value: NaN' });
});

test('unmarshalJson reads numbers as float64 and fails with Go\'s text [fromjson] [mustfromjson_err]', () => {
  assert.equal(formatValue(unmarshalJson('{"a": 1, "b": [true]}')), 'map[a:1 b:[true]]');
  assert.equal(typeName(unmarshalJson('5')), 'float64');
  const errors: [string, string][] = [
    ['bad', "invalid character 'b' looking for beginning of value"],
    ['', 'unexpected end of JSON input'],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['[1 2]', "invalid character '2' after array element"],
    ['tru', "invalid character ' ' in literal true (expecting 'e')"],
    ['"abc', 'unexpected end of JSON input'],
    ['trux', "invalid character 'x' in literal true (expecting 'e')"],
    ['"a\nb"', "invalid character '\\n' in string literal"],
    ['1 2', "invalid character '2' after top-level value"],
    ['{1:2}', "invalid character '1' looking for beginning of object key string"],
    ['-', "invalid character ' ' in numeric literal"],
    ['1.x', "invalid character 'x' after decimal point in numeric literal"],
  ];
  for (const [text, msg] of errors) assert.throws(() => unmarshalJson(text), { message: msg }, text);
  assert.equal(jsonFuncs.fromJson!.fn('bad'), null);
  assert.equal(jsonFuncs.toRawJson!.fn({ h: '<&>' }), '{"h":"<&>"}');
});
