import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { timeString, type GoTime } from '../template/funcs/gotime.js';
import { formatValue, GoInt, int, typeName } from '../template/value.js';
import { fromToml, parseYaml, toToml } from './index.js';

describe('toToml: BurntSushi/toml encoder [toml1]', () => {
  it('writes plain keys first, then tables indented by level; floats keep a decimal point', () => {
    const t = (parseYaml('t: {b: 1, a: {x: s}, l: [1, 2]}') as { t: never }).t;
    assert.equal(toToml(t), 'b = 1.0\nl = [1.0, 2.0]\n\n[a]\n  x = "s"\n');
    assert.equal(toToml('str'), '"str"');
    assert.equal(toToml({ i: int(1), big: 1e6, small: 0.00001, nested: { deep: { x: new GoInt(5, 'int64') } } }), 'big = 1e+06\ni = 1\nsmall = 1e-05\n\n[nested]\n  [nested.deep]\n    x = 5\n');
  });

  it('writes lists of maps as arrays of tables, mixed lists inline, and skips nulls', () => {
    assert.equal(toToml({ aot: [{ n: int(1) }, { n: int(2) }], mixed: [{ a: int(1) }, int(2)], nul: null }), 'mixed = [{a = 1}, 2]\n\n[[aot]]\n  n = 1\n\n[[aot]]\n  n = 2\n');
  });

  it('quotes keys and strings as the encoder does, and reports what TOML cannot hold', () => {
    assert.equal(toToml({ 'a b': 'q"\\\t\u0001' }), '"a b" = "q\\"\\\\\\t\\u0001"\n');
    assert.equal(toToml({ l: [int(1), null] }), 'toml: cannot encode array with nil element');
  });
});

describe('fromToml: BurntSushi/toml decoder [toml1]', () => {
  it('gives int64 integers and float64 floats', () => {
    const t = fromToml("a = 1\nb = 1.5\n[s]\nk = 'v'\n");
    assert.equal(formatValue(t), 'map[a:1 b:1.5 s:map[k:v]]');
    assert.deepEqual([typeName(t.a), typeName(t.b)], ['int64', 'float64']);
  });

  it('reads the TOML 1.0 value forms', () => {
    const t = fromToml('hex = 0xff\nexp = 5e+22\ninline = { x = 1, y = ["a"] }\n[[arr]]\nx = 1\n[[arr]]\nx = 2\n[a.b]\nc = """\nline1\nline2"""\n');
    assert.equal(formatValue(t), 'map[a:map[b:map[c:line1\nline2]] arr:[map[x:1] map[x:2]] exp:5e+22 hex:255 inline:map[x:1 y:[a]]]');
    assert.equal(typeName(t.arr), '[]map[string]interface {}');
  });

  it('reads date-times as time.Time in the zones BurntSushi/toml uses, and writes them back', () => {
    const text = 'd = 1979-05-27\ndt = 1979-05-27T07:32:00.5\nlt = 07:32:00\nu = 1979-05-27T07:32:00Z\nz = 1979-05-27T07:32:00+01:00\n';
    const t = fromToml(text);
    assert.deepEqual(
      Object.values(t).map((v) => `${typeName(v)} ${timeString(v as GoTime)}`),
      [
        'time.Time 1979-05-27 00:00:00 +0000 date-local',
        'time.Time 1979-05-27 07:32:00.5 +0000 datetime-local',
        'time.Time 0000-01-01 07:32:00 +0000 time-local',
        'time.Time 1979-05-27 07:32:00 +0000 UTC',
        'time.Time 1979-05-27 07:32:00 +0100 +0100',
      ],
    );
    assert.equal(toToml(t), text);
  });

  it("puts the library's error text under Error", () => {
    assert.deepEqual(fromToml('a = '), { Error: 'toml: line 1 (last key "a"): unexpected EOF; expected value' });
    assert.deepEqual(fromToml('a = 1\na = 2'), { Error: 'toml: line 2 (last key "a"): Key \'a\' has already been defined.' });
    assert.deepEqual(fromToml('= 1'), { Error: "toml: line 1: unexpected '=': key name appears blank" });
    assert.deepEqual(fromToml('s = "abc'), { Error: 'toml: line 1 (last key "s"): unexpected EOF; expected \'"\'' });
  });
});
