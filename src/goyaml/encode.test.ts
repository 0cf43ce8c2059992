import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GoComplex, GoError, GoInt, GoStruct, int, withGoType } from '../template/value.js';
import { compareKeys } from './key-order.js';
import { marshalYaml, mustToYaml, parseYaml, toYaml, toYamlPretty, YamlError } from './index.js';

// The values file V of the c6_yaml probe group.
const V = parseYaml(`cfg:
  zeta: 1
  alpha: "yes"
  on: "on"
  s1: "1.0"
  s2: "true"
  s3: "null"
  s4: ""
  s5: "~"
  s6: "0777"
  s7: "1e3"
  s8: ":colon"
  s9: "- dash"
  s10: "a: b"
  s11: "#hash"
  s12: " lead"
  s13: "y"
  s14: "2001-12-14"
  s15: "0x1F"
  s16: "@at"
  s17: "123"
  s18: "="
  s19: "NO"
  s20: "*star"
  multi: "line1\\nline2\\n"
  multi2: "line1\\nline2"
  multi3: "trail \\nx"
  long: "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss"
  num: 3000
  flt: 1.5
  big: 1e6
  huge: 1e21
  neg: -0.5
  t: true
  nul: null
  emptymap: {}
  emptylist: []
  list: [b, a]
  nested: {list: [{name: x, v: 1}, {name: y}], m: {k: v}}
  unicode: "héllo ✓"
  html: "<a>&</a>"
`) as { cfg: Record<string, never> };
const cfg = V.cfg as Record<string, never>;

describe('toYaml: sigs.k8s.io/yaml Marshal through go-yaml v2', () => {
  it('writes a map as helm does [toyaml1]', () => {
    assert.equal(
      toYaml(cfg),
      `alpha: "yes"
big: 1000000
emptylist: []
emptymap: {}
flt: 1.5
html: <a>&</a>
huge: 1e+21
list:
- b
- a
long: aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp
  qqqq rrrr ssss
multi: |
  line1
  line2
multi2: |-
  line1
  line2
multi3: "trail \\nx"
neg: -0.5
nested:
  list:
  - name: x
    v: 1
  - name: true
  m:
    k: v
nul: null
num: 3000
s1: "1.0"
s2: "true"
s3: "null"
s4: ""
s5: "~"
s6: "0777"
s7: "1e3"
s8: :colon
s9: '- dash'
s10: 'a: b'
s11: '#hash'
s12: ' lead'
s13: "y"
s14: "2001-12-14"
s15: "0x1F"
s16: '@at'
s17: "123"
s18: =
s19: "NO"
s20: '*star'
t: true
"true": "on"
unicode: héllo ✓
zeta: 1`,
    );
  });

  it('writes scalars and lists at the top [toyaml_scalars] [floatfmt]', () => {
    const got = [toYaml('hello'), toYaml('yes'), toYaml(int(3000)), toYaml(3000), toYaml(1e6), toYaml(1e21), toYaml(1.5), toYaml(null), toYaml([]), toYaml({}), toYaml(true), toYaml(''), toYaml('a\nb'), toYaml([int(1), 'a', [int(2)]])];
    assert.equal(got.join('|'), 'hello|"yes"|3000|3000|1000000|1e+21|1.5|null|[]|{}|true|""||-\n  a\n  b|- 1\n- a\n- - 2');
    assert.deepEqual([toYaml(0.00001), toYaml(1e20), toYaml(1e21)], ['1e-05', '1e+20', '1e+21']);
  });

  it('folds long plain, single- and double-quoted scalars after column 80, never literal blocks [toyamlwrap] [toyaml_dq_fold]', () => {
    const w = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `w${String(i + from).padStart(2, '0')}`).join(' ');
    const v = parseYaml(`k: ${w(40)}
nested: {inner: {k: "${w(30)}"}}
list: ["${w(30)}"]
q: "'quoted' text: ${w(25)}"
dq: "\\t${w(30)}"
block: "${w(30)}\\n"
`);
    assert.equal(
      toYaml(v),
      `block: |
  ${w(30)}
dq: "\\t${w(19)}
  ${w(11, 19)}"
k: ${w(20)}
  ${w(20, 20)}
list:
- ${w(20)}
  ${w(10, 20)}
nested:
  inner:
    k: ${w(19)}
      ${w(11, 19)}
q: '''quoted'' text: ${w(16)}
  ${w(9, 16)}'`,
    );
  });

  it('quotes keys as values and sorts them in go-yaml natural order [toyaml_keys] [keyorder_toyaml]', () => {
    const keys = parseYaml('m:\n  "on": a\n  "yes": b\n  "1": c\n  "a b": d\n  "x: y": e\n  "": f\n  "-k": g\n  "null": h\n  Zed: i\n') as { m: never };
    assert.equal(toYaml(keys.m), `"": f\n-k: g\n"1": c\nZed: i\na b: d\n"null": h\n"on": a\n'x: y': e\n"yes": b`);
    const order = ['a10', 'a9', 'B', '_x', 'b', 'A2b', 'A10b', '10', '9', '-1', 'é', 'z'].sort(compareKeys);
    assert.deepEqual(order, ['-1', '_x', '9', '10', 'A2b', 'A10b', 'B', 'a9', 'a10', 'b', 'z', 'é']);
  });

  it('turns Go values into JSON first: ints, []byte as base64, structs by field, named maps', () => {
    const v = {
      i: new GoInt(5, 'int64'),
      bytes: new Uint8Array([104, 105]),
      s: new GoStruct('sprig.certificate', { Cert: 'c', Key: 'k' }),
      m: withGoType({ _0: 'a', _1: 'b' }, 'map[string]string'),
    };
    assert.equal(toYaml(v), 'bytes: aGk=\ni: 5\nm:\n  _0: a\n  _1: b\ns:\n  Cert: c\n  Key: k');
  });

  it('gives "" for what JSON cannot hold, and mustToYaml an error [mustToYaml]', () => {
    assert.equal(toYaml({ x: NaN }), '');
    assert.equal(toYaml({ c: new GoComplex(1, 2) }), '');
    assert.throws(() => mustToYaml({ x: Infinity }), (e: unknown) => e instanceof GoError && e.message === 'error marshaling into JSON: json: unsupported value: +Inf');
    assert.throws(() => marshalYaml('del\x7f'), (e: unknown) => e instanceof YamlError && e.message === 'error converting JSON to YAML: yaml: control characters are not allowed');
    assert.equal(marshalYaml({ a: 1 }), 'a: 1\n');
  });

  it('writes .Files.AsConfig maps with literal blocks [asconfig_multi]', () => {
    assert.equal(toYaml({ 'app.conf': 'a=1\nb=2\n', 'x.json': '{"k": 1}\n'.trimEnd() }), "app.conf: |\n  a=1\n  b=2\nx.json: '{\"k\": 1}'");
  });

  it('uses block scalar indentation and keep indicators when needed', () => {
    assert.equal(toYaml({ a: ' x\ny', b: 'x\n\n', c: '\n' }), 'a: |2-\n   x\n  y\nb: |+\n  x\n\nc: |2+\n');
    assert.equal(toYaml({ ['k'.repeat(129)]: 1 }), `? ${'k'.repeat(129)}\n: 1`);
    assert.equal(toYaml('emoji 😀'), '"emoji \\U0001F600"');
  });
});

describe('toYamlPretty: go-yaml v3 with indent 2', () => {
  it('indents sequences and keeps floats as Go prints them [toyamlpretty]', () => {
    const nested = (cfg as Record<string, never>).nested;
    assert.equal(toYamlPretty(nested), 'list:\n  - name: x\n    v: 1\n  - name: true\nm:\n  k: v');
    const got = [toYamlPretty(cfg.multi), toYamlPretty(cfg.s1), toYamlPretty(cfg.alpha), toYamlPretty(cfg.long), toYamlPretty(cfg.big), toYamlPretty(cfg.emptymap)];
    assert.equal(got.join('|'), '|\n  line1\n  line2|"1.0"|"yes"|aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss|1e+06|{}');
  });

  it('quotes like v2 but writes tabs in literal blocks [pretty_styles]', () => {
    const m = parseYaml('m: {s1: "yes", s2: "1.0", s3: "", s4: "- x", s5: "a: b", s6: "trail \\nx", s7: "on", s8: "null", s9: "0777", n: null, t: true, e: [], em: {}, l: [[1, 2], {a: 1}]}') as { m: never };
    assert.equal(
      toYamlPretty(m.m),
      'e: []\nem: {}\n"false": null\nl:\n  - - 1\n    - 2\n  - a: 1\ns1: "yes"\ns2: "1.0"\ns3: ""\ns4: \'- x\'\ns5: \'a: b\'\ns6: "trail \\nx"\ns7: "on"\ns8: "null"\ns9: "0777"\nt: true',
    );
    assert.equal(toYamlPretty('a\tb\nc'), '|-\n  a\tb\n  c');
    assert.equal(toYaml('a\tb\nc'), '"a\\tb\\nc"');
  });
});
