// The YAML and TOML cases we compare with helm: crafted values files full of traps, and every values
// file of the chart corpus. Shared by the recorder (which asks helm) and the differential test
// (which asks src/goyaml), so both sides see the same inputs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sprigFuncs } from '../../src/template/funcs/index.js';
import { GoInt, int, withGoType, type GoValue } from '../../src/template/value.js';
import { corpusDir } from '../support/paths.js';

/**
 * One thing helm prints: a function applied to the value at `path` (dot-separated keys, '' for
 * .Values), or a function applied to a value built in the template (`built`: the template
 * expression and the same value in our model), for Go types values files cannot produce.
 */
export type Probe =
  | { fn: 'toYaml' | 'toYamlPretty' | 'toJson' | 'types' | 'fromYaml' | 'fromYamlArray' | 'toToml' | 'fromToml' | 'fromTomlTypes'; path: string }
  | { fn: 'toYaml' | 'toYamlPretty' | 'toToml'; built: string; value: () => GoValue };

export interface HelmCase {
  name: string;
  /** The chart's values.yaml. */
  values: string;
  probes: Probe[];
  /** Recorded outputs are stored as sha256 digests (the corpus: large inputs, read from ../shared). */
  digestOnly?: boolean;
}

function valuesRef(path: string): string {
  return path === '' ? '.Values' : `.Values.${path}`;
}

/** The template text helm renders for a probe. */
export function probeTemplate(p: Probe): string {
  if ('built' in p) return `{{ ${p.fn} ${p.built} }}`;
  const x = valuesRef(p.path);
  switch (p.fn) {
    case 'types':
      return `{{ range $k, $v := ${x} }}{{ $k }}={{ typeOf $v }};{{ end }}`;
    case 'fromYaml':
    case 'fromYamlArray':
    case 'fromToml':
      return `{{ ${p.fn} ${x} | toJson }}`;
    case 'fromTomlTypes':
      return `{{ range $k, $v := fromToml ${x} }}{{ $k }}={{ typeOf $v }};{{ end }}`;
    default:
      return `{{ ${p.fn} ${x} }}`;
  }
}

const all = (path: string): Probe[] => [
  { fn: 'toYaml', path },
  { fn: 'toYamlPretty', path },
  { fn: 'toJson', path },
];

/** A YAML double-quoted scalar (JSON's, with DEL escaped: go-yaml refuses it raw). */
const yamlQuoted = (s: string) => JSON.stringify(s).replaceAll('\x7f', '\\x7F');

const words = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `w${String(i + from).padStart(2, '0')}`).join(' ');

/** Broken YAML texts, read by fromYaml so that helm reports each error in-band. */
const badYaml = [
  'a: b: c', 'a: [', 'a: {', 'a: ]', 'a: }', '- a\nb: c', 'a:\n\tb: 1', 'a: *nope', 'a: "x', "a: 'x", 'a: @x', 'a: `x', 'x: {a: 1\ny: 2',
  'x: 1\ny: 2\n z: 3', 'x:\n  - a\n  b: 1', 'x: 1\n- a', "a: 'x\n\nb: 1", 'a:\n  b: 1\n c: 2', 'a: b\n  c: d: e', 'a: |\n  x\n y',
  'a: [1, 2', 'a: {b', 'key: value\n"quoted" x: 1', '!!binary a: 1', 'a: !!int x', '\ta: 1', 'a:\n- b\n- c\nd', 'a:\n- b\nd\ne: 1',
  'a: 1\n  b: 2', '- a\n - b', '- a\n  b: c\n- d', 'a: [b, c]]', 'a: {b: c}}', 'a: &x\nb: *x\nc: *y', 'a: !!float x', 'a: !!bool maybe',
  'a: !!null x', '[a, b', '{a: b', 'a: b\n---\nc: [', 'a:\n  - b\n  -c: d\n - e', 'a: "\\q"', 'key: "a\nb', 'a: b\nc', 'a:\n  b\n  c: d',
  'a: |\n x\n  y\n z: 1', '? a\n? b\nc', 'a: b #c\n d: e', '"a": b: c', 'a: >\n x\n-y', 'x:\n  y: 1\n   z: 2',
  // Mistakes seen in real values files.
  'a:\n  b: 1\n    c: 2', 'a:b\nc: 1', 'a: 1\nb:\n\t- x', 'a: "x\nb: 2\nc: 3', 'a:\n  - x\n - y', '- a\n-b', '{"a": 1,}', "a: 'it's'",
  'a: b\n\tc: d', 'a:\n- b\n  - c', 'key: value # comment\n  other: x', 'a: |\nb: 1', 'a: >-\n  text\n b: 1', '? a', 'a: !!map x', 'a: *b\nb: &b 1',
  'image:\n  repository: nginx\n  tag: 1.0\n pullPolicy: Always', 'resources:\n  limits:\n    cpu: 100m\n   memory: 128Mi', 'env:\n  - name: A\n    value: 1\n  - name: B\n   value: 2',
  'a: {b: 1, c: [2, 3}', 'a: [b, {c: d]', 'a: "unterminated\n', 'x: 1\ny: 2\nz', 'list:\n- a\n- b\n  c: d',
];

/** Sprig's functions, for values that only templates build (times, versions). */
const sprig = sprigFuncs();

const crafted: HelmCase[] = [
  {
    name: 'quoting of strings that read as other types',
    values: `s:
${[
  'yes', 'Yes', 'YES', 'yEs', 'no', 'on', 'ON', 'Off', 'y', 'Y', 'n', 'N', 'true', 'True', 'tRUE', 'false', 'null', 'Null', 'NULL', 'nULL', '~', '',
  '1', '-1', '+1', '1.0', '.5', '-.5', '1e3', '1E3', '1e', '1.2.3', '0777', '08', '0o7', '0x1F', '0x', '0b101', '-0b1', '1_000', '1__0', '_1',
  '1:20', '-1:30', '12:60', '1:2:3.5', '2001-12-14', '2001-1-1', '2001-13-01', '2001-02-29', '2000-02-29', '2001-12-14T21:59:43Z',
  '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43', '2001-12-14 21:59:43Z', '2001-12-14T21:59:43', '.inf', '-.Inf', '+.INF', '.NaN', '.nan',
  '<<', '=', '.', '..', '...', '---', '--- x', '-', '- x', '-x', '?', '? x', '?x', ':', ': x', ':x', 'a:b', 'a: b', 'a :b', 'a:', 'a #b', 'a#b', '#a',
  '[a]', 'a[b]', '{a}', 'a{b}', 'a,b', ',a', '!a', 'a!', '&a', 'a&', '*a', 'a*', '|a', 'a|', '>a', 'a>', "'a", "a'b", '"a', 'a"b', '%a', 'a%', '@a',
  'a@', '`a', 'a`', ' a', 'a ', 'a  b', 'a\tb', '\ta', 'a\\b', 'é', 'héllo ✓', '日本語', 'emoji 😀', 'nbsp\u00a0x', 'bom\ufeffx', 'nel\u0085x', 'ls\u2028x',
  'ctrl\u0001x', 'cr\rx',
]
  .map((s, i) => `  k${i}: ${yamlQuoted(s)}`)
  .join('\n')}
`,
    probes: all('s'),
  },
  {
    name: 'DEL in a string: encoding/json leaves it raw and go-yaml refuses to read it back',
    values: 'a: "del\\x7Fx"\nb: "c1\\x81x"\nc: {d: ok}\n',
    probes: [...all('a'), ...all('b'), ...all('c'), { fn: 'toYaml', path: '' }],
  },
  {
    name: 'keys: quoting, natural order, long keys',
    values: `k:
${[
  // go-yaml's order is not transitive for mixes such as 1a, 01a, 0x10 and 1.5, so helm prints
  // those in an order that changes from run to run (Go maps iterate randomly); they are left out.
  'a10', 'a9', 'B', '_x', 'b', 'A2b', 'A10b', '10', '9', '-1', 'é', 'z', 'a01', 'a001', 'a1', 'a0', 'a00', 'x-1', 'x_1', 'x.1', 'X', 'Ä', 'ä', 'ß',
  '日', 'a b', 'a: b', '', '-k', 'on', 'yes', 'null', '~', '2001-12-14', 'a\nb', ' lead', 'trail ', '#h', 'k#h', '[x]',
  'v12a3', 'v12a21', 'v2', 'v02', 'v002', 'v1.10', 'v1.9', 'a\tb', 'x'.repeat(128), 'y'.repeat(129), `long key ${'z'.repeat(130)}`,
]
  .map((s, i) => `  ${JSON.stringify(s)}: ${i}`)
  .join('\n')}
`,
    probes: all('k'),
  },
  {
    name: 'folding long scalars at 80 columns',
    values: `top: ${words(40)}
exact79: ${'x'.repeat(73)} yy zz
exact80: ${'x'.repeat(74)} yy zz
exact81: ${'x'.repeat(75)} yy zz
double  : "${words(30)}  ${words(10, 30)}"
lead: "  ${words(30)}"
trail: "${words(30)} "
tabbed: "${words(20)}\\t${words(20)}"
sq: "#${words(30)}"
quoted: "'q' ${words(30)}"
unicode: "${Array.from({ length: 30 }, () => 'éé').join(' ')}"
wide: "${Array.from({ length: 30 }, () => '日本').join(' ')}"
nowrap: ${'x'.repeat(120)}
literal: "${words(30)}\\n${words(30)}\\n"
list:
  - ${words(30)}
  - [${JSON.stringify(words(30))}]
  - {k: ${JSON.stringify(words(30))}}
nested: {a: {b: {c: {d: ${JSON.stringify(words(30))}}}}}
key${'k'.repeat(60)}: ${words(10)}
`,
    probes: all(''),
  },
  {
    name: 'multi-line strings and literal blocks',
    values: `m:
${[
  'a\n', 'a\n\n', 'a\n\n\n', '\na', '\n\na\n', ' a\nb', 'a \nb', 'a\n b', 'a\n\tb', '\ta\nb', 'a\r\nb', 'a\nb ', 'a\n ', '\n', '\n\n', 'a\u2028b',
  'a\u2028b\nc', 'x: y\n- z\n', '# c\nd', '---\na', 'é\nü', '😀\nx', 'a\n\n\nb', 'a  \n  b', '  \nx',
]
  .map((s, i) => `  k${i}: ${JSON.stringify(s)}`)
  .join('\n')}
  inlist: ["a\\nb", "c\\n", {d: "e\\nf\\n"}, ["g\\nh"]]
  nested: {deeper: {block: "line1\\nline2\\n", folded: ${JSON.stringify(`${words(30)}\n${words(30)}`)}}}
`,
    probes: all('m'),
  },
  {
    name: 'numbers through JSON and Go formatting',
    values: `n:
  zero: 0
  negzero: -0.0
  int: 3000
  million: 1e6
  big: 1e20
  bigger: 1e21
  huge: 1.5e300
  tiny: 1e-7
  small: 0.0001
  smaller: 0.00001
  third: 0.3333333333333333
  long: 12345678901234567890
  maxint: 9223372036854775807
  over: 9223372036854775808
  maxuint: 18446744073709551615
  pastuint: 18446744073709551616
  precise: 9007199254740993
  neg: -1500000
  denorm: 5e-324
  max: 1.7976931348623157e308
  hex: 0xFF
  oct: 0o17
  old: 017
  under: 1_000_000
  plus: +7
  f32: 0.1
`,
    probes: [...all('n'), { fn: 'types', path: 'n' }],
  },
  {
    name: 'YAML 1.1 scalars and their Go types',
    values: `p:
  a: yes
  b: No
  c: on
  d: OFF
  e: y
  f: N
  g: ~
  h: 0o17
  i: 1_000
  k: 0x10
  l: 2001-12-14
  m: 1:20
  n2: +12
  o: 012
  p: 08
  q: 1e3
  r: 1.0
  s: -0
  t: 0.1e-2
  u: 9007199254740993
  v: True
  w: NULL
  x: .5
  y: 0b101
  z: -0b11
  aa: 1e400
  ab: 0x1FFFFFFFFFFFFFFFFF
  ac: 2001-12-14t21:59:43.10Z
  ad: !!str 12
  ae: !!float 3
  af: !!int "5"
  ag: "12"
  ah: '0777'
  ai: !!binary aGVsbG8gd29ybGQ=
  aj: >
    folded
    text
  ak: |+
    kept

  al: !custom tagged
  am: ! 12
  an: 12:30:45
  ao: 1.
  ap: -.5e2
`,
    probes: [{ fn: 'types', path: 'p' }, ...all('p')],
  },
  {
    name: 'YAML 1.1 map keys become strings',
    values: `y: 1
n: 2
on: 3
off: 4
1.5: a
0.1: b
1e3: c
7: d
-3: e
0x10: f
2001-12-14: g
"quoted": h
`,
    probes: [{ fn: 'toJson', path: '' }],
  },
  {
    name: 'anchors, aliases and merge keys',
    values: `base: &base {a: 1, b: 2}
list: &list [x, y]
scalar: &s hello
copy: *base
copyList: *list
copyScalar: *s
merged:
  <<: *base
  c: 3
overridden:
  a: 10
  <<: *base
after:
  <<: *base
  a: 10
multi:
  <<: [{a: 1, b: 1}, {b: 2, c: 2}]
  d: 4
nestedAnchor:
  inner: &inner {deep: &deep [1, 2]}
  again: *inner
  deepAgain: *deep
quotedMerge:
  "<<": not a merge
`,
    probes: [{ fn: 'toJson', path: '' }, { fn: 'toYaml', path: '' }],
  },
  {
    name: 'fromYaml and fromYamlArray of strings',
    values: `fy:
  map: "a: 1\\nb: [x, 2]\\nc: yes\\n"
  list: "- 1\\n- b"
  bad: "a: ["
  empty: ""
  notmap: "- 1\\n- 2"
  notlist: "a: 1"
  multidoc: "a: 1\\n---\\nb: 2"
  scalar: "hello"
  nested: "a:\\n  b:\\n  - c: 1\\n    d: [1, 2]\\n"
  errors1: "a: b: c"
  errors2: "x:\\n  - a\\n  b: 1"
  errors3: "k: v\\n\\"q\\" x: 1"
  inf: "a: .inf"
  nullkey: "~: 1"
`,
    probes: [
      ...['map', 'list', 'bad', 'empty', 'notmap', 'notlist', 'multidoc', 'scalar', 'nested', 'errors1', 'errors2', 'errors3', 'inf', 'nullkey'].map(
        (k): Probe => ({ fn: 'fromYaml', path: `fy.${k}` }),
      ),
      ...['list', 'map', 'empty', 'scalar'].map((k): Probe => ({ fn: 'fromYamlArray', path: `fy.${k}` })),
    ],
  },
  {
    name: 'YAML syntax: flow and block styles, scalars spanning lines, comments, CRLF',
    values: [
      '# comment',
      'flow: {a: 1, b: [x, "y", \'z\'], c: {d: null}, "e f": ~}',
      'seq: [1, [2, [3]], {k: v}]',
      'plain: this is',
      '  a multi-line',
      '  plain scalar',
      'dq: "folded',
      '',
      '  with blank line\\',
      '  escaped break"',
      "sq: 'it''s",
      "  two lines'",
      'lit: |',
      '  keep',
      '    indented',
      '',
      '  trailing blank',
      '',
      'litkeep: |+',
      '  kept',
      '',
      'litstrip: |-',
      '  stripped',
      'fold: >',
      '  folded text',
      '  continues',
      '',
      '  new paragraph',
      '    more indented',
      '  back',
      'foldstrip: >-',
      '  a',
      '  b',
      'indicator: |2',
      '    two extra',
      'nested:',
      '  - a',
      '  -   b',
      '  - - c',
      '    - d',
      '  - k: v',
      '    k2: v2',
      '  -',
      '  - ~',
      'empty:',
      'emptystr: ""',
      'crlf: "a\\r\\nb"',
      'hash: a#b # comment',
      'colon: a:b',
      'url: http://example.com:8080/path?q=1#frag',
      'quotedkey "x": 1',
      '"escapes": "\\t\\u00e9\\x41\\U0001F600\\N\\_\\L\\e \\\\ \\""',
      '? explicit key',
      ': explicit value',
      'multi word key: 1',
      'tabs:\t"after tab"',
      'doc: end',
      '...',
      '',
    ].join('\n'),
    probes: [{ fn: 'toJson', path: '' }, { fn: 'toYaml', path: '' }, { fn: 'toYamlPretty', path: '' }],
  },
  {
    name: 'a values file with CRLF line endings and a byte order mark',
    values: '\ufeff# saved on Windows\r\nimage:\r\n  repository: nginx\r\n  tag: "1.25"\r\nlist:\r\n  - a\r\n  - b\r\nscript: |\r\n  echo one\r\n  echo two\r\nfolded: >-\r\n  one\r\n  two\r\nquoted: "x\r\n  y"\r\n',
    probes: [{ fn: 'toJson', path: '' }, { fn: 'toYaml', path: '' }],
  },
  {
    name: 'a values file with only comments, document markers and blank lines',
    values: '# just a comment\n---\n# another\n...\n',
    probes: [{ fn: 'toJson', path: '' }, { fn: 'toYaml', path: '' }],
  },
  {
    name: 'YAML syntax errors as fromYaml reports them',
    values: `e:
${badYaml
  .map((s, i) => `  k${i}: ${JSON.stringify(s)}`)
  .join('\n')}
`,
    probes: badYaml.map((_, i): Probe => ({ fn: 'fromYaml', path: `e.k${i}` })),
  },
  {
    name: 'toToml of values',
    values: `t:
  b: 1
  s: str
  f: 1.5
  big: 1e6
  neg: -2
  bool: true
  l: [1, 2]
  ls: [a, b]
  mixed: [1, a]
  empty: []
  emptymap: {}
  nul: null
  q: "quote\\" and \\\\ back"
  nl: "line\\nnext"
  uni: "é ✓ 😀"
  ctrl: "tab\\there"
  "key with space": 1
  "dotted.key": 2
  a: {x: s, y: {z: 1}}
  floats: {small: 0.00001, frac: 123456.7, big: 1234567.0, huge: 1e21, neg: -0.5, exp: 1.5e-10}
  aot: [{n: 1}, {n: 2, sub: {k: v}}]
  nestedlist: [[1, 2], [a]]
  listofmaps_mixed: [{a: 1}, 2]
`,
    probes: [{ fn: 'toToml', path: 't' }],
  },
  {
    name: 'fromToml of strings',
    values: `s:
  basic: "a = 1\\nb = 1.5\\n[s]\\nk = 'v'\\n"
  bad: "a = "
  types: "i = 42\\nf = 3.0\\nb = true\\ns = \\"x\\"\\nd = 1979-05-27\\ndt = 1979-05-27T07:32:00Z\\narr = [1, 2]\\nhex = 0xff\\nexp = 5e+22\\n"
  tables: "[a.b]\\nc = 1\\n[[arr]]\\nx = 1\\n[[arr]]\\nx = 2\\n"
  dup: "a = 1\\na = 2"
  inline: "p = { x = 1, y = [\\"a\\"] }"
  strings: "lit = 'C:\\\\\\\\path'\\nml = \\"\\"\\"\\nline1\\nline2\\"\\"\\"\\nesc = \\"\\\\u00e9\\\\t\\"\\n"
  badkey: "= 1"
  unterminated: "s = \\"abc"
  dates: "d = 1979-05-27\\ndt = 1979-05-27T07:32:00.5\\nz = 1979-05-27T07:32:00+01:00\\nu = 1979-05-27T07:32:00Z\\nlt = 07:32:00\\nneg = 1979-05-27T07:32:00.999999-07:00\\n"
`,
    probes: [
      ...['basic', 'bad', 'types', 'tables', 'dup', 'inline', 'strings', 'badkey', 'unterminated', 'dates'].map((k): Probe => ({ fn: 'fromToml', path: `s.${k}` })),
      { fn: 'fromTomlTypes', path: 's.types' },
      { fn: 'fromTomlTypes', path: 's.dates' },
    ],
  },
  {
    name: 'values built in templates: ints, typed lists and maps, float literals',
    values: 'a: 1\n',
    probes: (['toYaml', 'toYamlPretty', 'toToml'] as const).flatMap((fn): Probe[] => [
      { fn, built: '(dict "i" 1 "i64" (int64 5) "f" 2.5 "big" 1e6 "l" (list 1 "x" 3.0) "neg" -7)', value: () => ({ i: int(1), i64: new GoInt(5, 'int64'), f: 2.5, big: 1e6, l: [int(1), 'x', 3], neg: int(-7) }) },
      { fn, built: '(dict "s" (splitList "," "a,b") "m" (split "," "x,y") "e" (list) "d" (dict))', value: () => ({ s: withGoType(['a', 'b'], '[]string'), m: withGoType({ _0: 'x', _1: 'y' }, 'map[string]string'), e: [], d: {} }) },
      { fn, built: '(dict "u" (until 3) "n" (dict "deep" (dict "x" 100000000)))', value: () => ({ u: withGoType([int(0), int(1), int(2)], '[]int'), n: { deep: { x: int(100000000) } } }) },
      { fn, built: '(dict "t" (toDate "2006-01-02" "2024-03-05") "v" (semver "1.2.3") "c" (semver "1.0"))', value: () => ({ t: sprig.toDate!.fn('2006-01-02', '2024-03-05'), v: sprig.semver!.fn('1.2.3'), c: sprig.semver!.fn('1.0') }) },
    ]),
  },
  ...[
    ['a float JSON cannot hold', 'a: .inf\n'],
    ['NaN', 'a: .nan\n'],
    ['a null key', '~: x\n'],
    ['mapping values in a compact mapping', 'a: b: c\n'],
    ['an unclosed flow sequence', 'a: [1, 2\nb: 3\n'],
    ['bad indentation', 'a:\n  b: 1\n c: 2\n'],
    ['a tab as indentation', 'a:\n\tb: 1\n'],
    ['an unknown alias', 'a: *nope\n'],
    ['a list at the top', '- a\n- b\n'],
    ['a scalar at the top', 'hello\n'],
    ['a bad document separator', 'a: 1\n--- b: 2\n'],
    ['a bad second document', 'a: 1\n---\nb: [\n'],
    ['a list as second document', 'a: 1\n---\n- x\n'],
    ['a missing colon', 'a:\n- b\nd\n'],
    ['a complex key', '? [complex]\n: i\n'],
    ['a raw control character', 'a: "x\x7fy"\n'],
    ['an escape YAML 1.1 does not know', 'a: 1\nb: "x\\/y"\n'],
  ].map(([name, values]): HelmCase => ({ name: `values that fail to load: ${name}`, values: values!, probes: [{ fn: 'toJson', path: '' }] })),
];

/**
 * Realistic broken documents: the first 60 lines of each corpus values file with one typical
 * mistake made at a line chosen by a fixed pseudo-random sequence (so the cases never change).
 */
function mutatedCorpusValues(firstSeed: number): string[] {
  if (!existsSync(corpusDir)) return [];
  let seed = firstSeed;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const mistakes: ((line: string) => string | undefined)[] = [
    (l) => (l.trim() ? ` ${l}` : undefined), // one space too many
    (l) => (l.startsWith('  ') ? l.slice(1) : undefined), // one space too few
    (l) => (l.startsWith('  ') ? `\t${l.trimStart()}` : undefined), // a tab for indentation
    (l) => (/^\s*[\w.-]+: \S/.test(l) ? l.replace(': ', ' ') : undefined), // a missing colon
    (l) => (/^\s*[\w.-]+: \S/.test(l) ? `${l}: x` : undefined), // a second colon
    (l) => (/^\s*[\w.-]+: \S/.test(l) ? l.replace(': ', ': "') : undefined), // an unclosed quote
    (l) => (/^\s*[\w.-]+: \S/.test(l) ? l.replace(': ', ': [') : undefined), // an unclosed bracket
    (l) => (/^\s*- /.test(l) ? l.replace('- ', '') : undefined), // a missing dash
  ];
  const docs: string[] = [];
  for (const chart of readdirSync(corpusDir).sort()) {
    const file = join(corpusDir, chart, 'chart', 'values.yaml');
    if (!existsSync(file)) continue;
    const lines = readFileSync(file, 'utf8').split('\n').slice(0, 60);
    const mistake = mistakes[next(mistakes.length)]!;
    for (let attempt = 0; attempt < 20; attempt++) {
      const i = next(lines.length);
      const changed = lines[i]!.trimStart().startsWith('#') ? undefined : mistake(lines[i]!);
      if (changed === undefined) continue;
      docs.push([...lines.slice(0, i), changed, ...lines.slice(i + 1)].join('\n'));
      break;
    }
  }
  return docs;
}

/** Every values file of the chart corpus (chart defaults and case overlays), if the corpus is there. */
function corpusCases(): HelmCase[] {
  if (!existsSync(corpusDir)) return [];
  const cases: HelmCase[] = [];
  for (const chart of readdirSync(corpusDir).sort()) {
    const files = [join(corpusDir, chart, 'chart', 'values.yaml')];
    const overlays = join(corpusDir, chart, 'cases');
    if (existsSync(overlays)) files.push(...readdirSync(overlays).sort().map((f) => join(overlays, f)));
    for (const file of files) {
      if (!existsSync(file)) continue;
      cases.push({ name: `corpus ${file.slice(corpusDir.length + 1)}`, values: readFileSync(file, 'utf8'), probes: all(''), digestOnly: true });
    }
  }
  return cases;
}

export function helmCases(): HelmCase[] {
  const mutatedCases = [12345, 777, 4242].flatMap((seed): HelmCase[] => {
    const mutated = mutatedCorpusValues(seed);
    if (mutated.length === 0) return [];
    return [
      {
        name: `corpus values files with one typical mistake each, read by fromYaml (seed ${seed})`,
        values: `m:\n${mutated.map((d, i) => `  k${i}: ${yamlQuoted(d)}`).join('\n')}\n`,
        probes: mutated.map((_, i): Probe => ({ fn: 'fromYaml', path: `m.k${i}` })),
      },
    ];
  });
  return [...crafted, ...mutatedCases, ...corpusCases()];
}

export const fixturePath = 'test/goyaml/fixtures/helm-yaml.json';

/** What helm printed for a case: one output per probe, or the error that stopped it. */
export interface RecordedCase {
  name: string;
  outputs?: string[];
  error?: string;
}
