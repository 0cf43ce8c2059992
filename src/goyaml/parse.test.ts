import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { typeName, type GoValue } from '../template/value.js';
import { parseYaml, parseYamlDocuments, parseYamlList, parseYamlMap, YamlError } from './index.js';

function errorOf(fn: () => unknown): YamlError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof YamlError, `expected a YamlError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

describe('parseYaml: YAML 1.1 scalars as go-yaml v2 resolves them, then JSON numbers', () => {
  // [yaml11b]: every value with its Go type after sigs.k8s.io/yaml.
  const cases: [string, GoValue, string][] = [
    ['yes', true, 'bool'],
    ['no', false, 'bool'],
    ['on', true, 'bool'],
    ['off', false, 'bool'],
    ['y', true, 'bool'],
    ['N', false, 'bool'],
    ['~', null, '<nil>'],
    ['0o17', 15, 'float64'],
    ['1_000', 1000, 'float64'],
    ['0x10', 16, 'float64'],
    ['2001-12-14', '2001-12-14', 'string'],
    ['1:20', '1:20', 'string'],
    ['+12', 12, 'float64'],
    ['012', 10, 'float64'],
    ['08', 8, 'float64'],
    ['1e3', 1000, 'float64'],
    ['1.0', 1, 'float64'],
    ['-0', 0, 'float64'],
    ['0.1e-2', 0.001, 'float64'],
    ['9007199254740993', 9007199254740992, 'float64'],
    ['True', true, 'bool'],
    ['NULL', null, '<nil>'],
    ['.5', 0.5, 'float64'],
    ['0b101', 5, 'float64'],
    ['-0b11', -3, 'float64'],
    ['1e400', '1e400', 'string'],
    ['0x1FFFFFFFFFFFFFFFFF', '0x1FFFFFFFFFFFFFFFFF', 'string'],
    ['18446744073709551615', 18446744073709551615, 'float64'],
    ['2001-12-14t21:59:43.10Z', '2001-12-14t21:59:43.10Z', 'string'],
    ['!!str 12', '12', 'string'],
    ['!!float 3', 3, 'float64'],
    ['!!int "5"', 5, 'float64'],
    ['"yes"', 'yes', 'string'],
    ["'12'", '12', 'string'],
    ['', null, '<nil>'],
  ];
  for (const [text, want, type] of cases) {
    it(`a: ${text}`, () => {
      const got = (parseYaml(`a: ${text}\n`) as Record<string, GoValue>).a;
      assert.deepEqual(got, want);
      assert.equal(typeName(got), type);
    });
  }

  it('turns non-string keys into strings: bools, ints, floats as float32 [yamlkeys]', () => {
    assert.deepEqual(parseYaml('y: 1\nn: 2\non: 3\n1.5: x\n0.1: y\n1e3: z\n7: s\n'), {
      true: 3,
      false: 2,
      '1.5': 'x',
      '0.1': true,
      '1000': 'z',
      '7': 's',
    });
  });

  it('resolves anchors, aliases and merge keys as go-yaml v2 (merged keys overwrite earlier ones)', () => {
    const text = 'a: &x {b: 1}\nc: *x\nd:\n  <<: *x\n  e: 2\nf:\n  g: 1\n  <<: [{g: 5, h: 6}, {h: 7, i: 8}]\n';
    assert.deepEqual(parseYaml(text), { a: { b: 1 }, c: { b: 1 }, d: { b: 1, e: 2 }, f: { g: 5, h: 6, i: 8 } });
  });

  it('reads only the first document; later duplicate keys win', () => {
    assert.deepEqual(parseYaml('a: 1\na: 2\n---\nb: 2\n'), { a: 2 });
    assert.equal(parseYaml(''), null);
    assert.equal(parseYaml('# only a comment\n'), null);
  });

  it('fails like helm on values JSON cannot hold [yaml11]', () => {
    assert.equal(errorOf(() => parseYaml('j: .inf\n')).message, 'error converting YAML to JSON: json: unsupported value: +Inf');
    assert.equal(
      errorOf(() => parseYaml('~: nul\n')).message,
      'error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: "nul"',
    );
  });

  // Texts recorded from helm 4.1.4 (fromYaml of each input).
  const syntaxErrors: [string, string][] = [
    ['a: b: c', 'yaml: mapping values are not allowed in this context'],
    ['a: [', 'yaml: line 1: did not find expected node content'],
    ['- a\nb: c', "yaml: line 1: did not find expected '-' indicator"],
    ['a:\n\tb: 1', 'yaml: line 2: found character that cannot start any token'],
    ['a: *nope', "yaml: unknown anchor 'nope' referenced"],
    ['a: "x', 'yaml: found unexpected end of stream'],
    ['a: @x', 'yaml: found character that cannot start any token'],
    ['x: {a: 1\ny: 2', "yaml: line 1: did not find expected ',' or '}'"],
    ['x: 1\ny: 2\n z: 3', 'yaml: line 3: mapping values are not allowed in this context'],
    ['x:\n  - a\n  b: 1', "yaml: line 2: did not find expected '-' indicator"],
    ['x: 1\n- a', 'yaml: line 1: did not find expected key'],
    ["a: 'x\n\nb: 1", 'yaml: line 3: found unexpected end of stream'],
    ['a:\n  b: 1\n c: 2', 'yaml: line 2: did not find expected key'],
    ['a: b\n  c: d: e', 'yaml: line 2: mapping values are not allowed in this context'],
    ['a: |\n  x\n y', 'yaml: line 2: did not find expected key'],
    ['a: [1, 2', "yaml: line 1: did not find expected ',' or ']'"],
    ['a: {b', "yaml: line 1: did not find expected ',' or '}'"],
    ['key: value\n"quoted" x: 1', 'yaml: line 1: did not find expected key'],
    ['!!binary a: 1', 'yaml: !!binary value contains invalid base64 data'],
    ['a: &x 1\nb: *x\nc: !!int x', 'yaml: cannot decode !!str `x` as a !!int'],
    ['\ta: 1', 'yaml: found character that cannot start any token'],
    ['a:\n- b\n- c\nd', "yaml: line 5: could not find expected ':'"],
  ];
  for (const [text, want] of syntaxErrors) {
    it(`syntax error in ${JSON.stringify(text)}`, () => {
      const err = errorOf(() => parseYaml(text, 'values.yaml'));
      assert.equal(err.message, `error converting YAML to JSON: ${want}`);
      assert.equal(err.source, 'values.yaml');
    });
  }
});

describe('parseYamlMap / parseYamlList: the fromYaml and fromYamlArray targets [fromyaml]', () => {
  it('reads maps and lists, null as empty', () => {
    assert.deepEqual(parseYamlMap('a: 1\nb: [x, 2]\nc: yes\n'), { a: 1, b: ['x', 2], c: true });
    assert.deepEqual(parseYamlMap(''), {});
    assert.deepEqual(parseYamlList('- 1\n- b'), [1, 'b']);
  });
  it('reports the JSON type mismatch as sigs yaml does', () => {
    assert.equal(
      errorOf(() => parseYamlMap('- 1\n- 2')).message,
      'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}',
    );
    assert.equal(
      errorOf(() => parseYamlList('a: 1')).message,
      'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []interface {}',
    );
  });
});

describe('parseYamlDocuments: multi-document values files [multidoc_values]', () => {
  it('splits on lines starting with ---, skipping empty documents', () => {
    const text = 'a: 1\nm: {x: 1}\n---\n---\n# c\n---\nm: {y: 2}\nb: |\n  x\n  ---\n  y\n';
    assert.deepEqual(parseYamlDocuments(text), [{ a: 1, m: { x: 1 } }, null, { m: { true: 2 }, b: 'x\n---\ny\n' }]);
    assert.deepEqual(parseYamlDocuments('a: 1\n--- # hi\nb: 2\n'), [{ a: 1 }, { b: 2 }]);
  });
  it("fails with the loader's words, lines counted per document", () => {
    assert.equal(errorOf(() => parseYamlDocuments('a: 1\n--- b: 2\n')).message, 'error reading yaml document: invalid Yaml document separator: b: 2');
    const err = errorOf(() => parseYamlDocuments('a: 1\n---\nb: [\n'));
    assert.equal(err.message, 'cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 1: did not find expected node content');
  });
});

describe('flow collections over lines indented no deeper than their key (found by the fuzz suite\'s helm comparison)', () => {
  it('reads them as go-yaml does', () => {
    // helm 4.1.4's values for each text (toJson .Values).
    const cases: [string, unknown][] = [
      ['list: [1---\n, x, 3]\n', { list: ['1---', 'x', 3] }],
      ['a: {a: nll, b: 92---\n|2337}\n', { a: { a: 'nll', b: '92--- |2337' } }],
      ['a:\n  b: [1,\n  2]\n', { a: { b: [1, 2] } }],
      ['a: [1,\n2\n]\nb: 3\n', { a: [1, 2], b: 3 }],
      ['a: [1, [2,\n3], {x: 1,\ny: 2}]\n', { a: [1, [2, 3], { x: 1, true: 2 }] }],
      ['a: [1\n# c\n, 2]\n', { a: [1, 2] }],
      ['a: [1,\nb: 2]\n', { a: [1, { b: 2 }] }],
    ];
    for (const [text, want] of cases) assert.deepEqual(parseYaml(text), want, JSON.stringify(text));
    assert.throws(() => parseYaml('a: [1,\n- 2]\n'), /line 1: did not find expected/);
  });
});

describe('anchor and alias names as go-yaml scans them (found by the fuzz suite\'s helm comparison)', () => {
  it('refuses a name followed by a character go-yaml does not end names with', () => {
    // helm 4.1.4's errors for the same values.yaml texts.
    assert.throws(() => parseYaml('a: &a1e400" 1\n'), { message: 'error converting YAML to JSON: yaml: did not find expected alphabetic or numeric character' });
    assert.throws(() => parseYaml('x: 1\na: {k: &qé 1}\n'), { message: 'error converting YAML to JSON: yaml: line 2: did not find expected alphabetic or numeric character' });
    assert.deepEqual(parseYaml('a: &a-1_b 1\nb: *a-1_b\nc: [&x, 1]\n'), { a: 1, b: 1, c: [null, 1] });
  });
});
