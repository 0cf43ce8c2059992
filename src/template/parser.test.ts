import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TemplateParseError } from './errors.js';
import { nodeString, type ActionNode, type BranchNode, type FieldNode, type ListNode } from './nodes.js';
import { parseTemplates } from './parser.js';

const known = new Set(['printf', 'len', 'upper', 'eq']);
const parse = (text: string, name = 't') => parseTemplates(name, text, (fn) => known.has(fn));
const root = (text: string): ListNode => parse(text).get('t')!.root;

function parseError(text: string): TemplateParseError {
  try {
    parse(text, 'dir/file.yaml');
  } catch (e) {
    assert.ok(e instanceof TemplateParseError);
    return e;
  }
  assert.fail(`no parse error for ${text}`);
}

test('the parsed tree prints back as Go prints nodes', () => {
  const src = '{{ if eq .a 1 }}x{{ else if .b }}y{{ else }}z{{ end }}{{ range $i, $v := .l }}{{ $v.f }}{{ end }}{{ (printf "%s" .x).y | upper }}';
  assert.equal(nodeString(root(src)),
    '{{if eq .a 1}}x{{else}}{{if .b}}y{{else}}z{{end}}{{end}}{{range $i, $v := .l}}{{$v.f}}{{end}}{{(printf "%s" .x).y | upper}}');
});

test('field chains keep the position of their second element, as Go does', () => {
  const action = root('{{ .Values.a.b }}').nodes[0] as ActionNode;
  const field = action.pipe.cmds[0]!.args[0] as FieldNode;
  assert.deepEqual(field.ident, ['Values', 'a', 'b']);
  assert.equal(field.pos, 10);
});

test('define and block add templates; the file itself is a template too', () => {
  const trees = parse('{{ define "a" }}A{{ end }}{{ block "b" . }}B{{ end }}text');
  assert.deepEqual([...trees.keys()].sort(), ['a', 'b', 't']);
  assert.equal(nodeString(trees.get('t')!.root), '{{template "b" .}}text');
});

test('else if and else with nest as Go rewrites them', () => {
  const n = root('{{ with .a }}1{{ else with .b }}2{{ end }}').nodes[0] as BranchNode;
  assert.equal(n.kind, 'with');
  assert.equal((n.elseList!.nodes[0] as BranchNode).kind, 'with');
});

test('parse errors carry the template name, the line and Go\'s message', () => {
  const cases: [string, number, string][] = [
    ['a\nb {{ foo }}', 2, 'function "foo" not defined'],
    ['{{ $x }}', 1, 'undefined variable "$x"'],
    ['{{ if true }}', 1, 'unexpected EOF'],
    ['{{ end }}', 1, 'unexpected {{end}}'],
    ['{{ break }}', 1, '{{break}} outside {{range}}'],
    ['{{ if true }}{{ define "x" }}{{ end }}{{ end }}', 1, 'unexpected <define> in command'],
    ['{{ template $n }}', 1, 'unexpected "$n" in template clause'],
    ['{{ 1 | 2 }}', 1, 'non executable command in pipeline stage 2'],
    ['{{ "x".y }}', 1, 'unexpected . after term "\\"x\\""'],
    ['{{ range $a, $b, $c := . }}{{ end }}', 1, 'too many declarations in range'],
    ['{{ 08 }}', 1, 'integer overflow: "08"'],
    ['{{ 99999999999999999999 }}', 1, 'integer overflow: "99999999999999999999"'],
    ['{{ 1e400 }}', 1, 'illegal number syntax: "1e400"'],
    ["{{ 'ab' }}", 1, "malformed character constant: 'ab'"],
    ['{{ "\\q" }}', 1, 'invalid syntax'],
    ['{{ define "d" }}a{{ end }}{{ define "d" }}b{{ end }}', 1, 'template: multiple definition of template "d"'],
    ['{{ if true }}\n{{ 1\n2 }}', 3, 'unexpected EOF'],
    ['x\n{{ 1\n', 3, 'unclosed action started at dir/file.yaml:2'],
    ['{{ print (1\n }}', 2, 'unclosed left paren in action started at dir/file.yaml:1'],
  ];
  for (const [text, line, detail] of cases) {
    const e = parseError(text.replace('print', 'printf'));
    assert.deepEqual([e.line, e.detail], [line, detail], text);
    assert.equal(e.message, `template: dir/file.yaml:${line}: ${detail}`);
    assert.equal(e.goMessage, e.message);
  }
});

test('a lexical error on a later line of an action names where the action started', () => {
  const e = parseError('{{ if true }}{{ 1\n"x }}');
  assert.equal(e.message, 'template: dir/file.yaml:2: unterminated quoted string in action started at dir/file.yaml:1');
});
