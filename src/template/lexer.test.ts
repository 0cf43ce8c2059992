import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lex, type Token } from './lexer.js';

const kinds = (ts: Token[]): string[] => ts.map((t) => (t.type === 'space' ? '_' : `${t.type}:${t.val}`));

test('text, delimiters and tokens inside an action', () => {
  assert.deepEqual(kinds(lex('a {{ .Values.x | printf "%d" 3 }} b')), [
    'text:a ', 'leftDelim:{{', '_', 'field:.Values', 'field:.x', '_', 'pipe:|', '_', 'identifier:printf', '_', 'string:"%d"', '_',
    'number:3', '_', 'rightDelim:}}', 'text: b', 'eof:',
  ]);
});

test('positions and lines point at the start of each token', () => {
  const ts = lex('ab\n{{ $x := 1 }}\ncd {{ end }}');
  const at = (val: string): Token => ts.find((t) => t.val === val)!;
  assert.deepEqual([at('$x').pos, at('$x').line], [6, 2]);
  assert.deepEqual([at('end').pos, at('end').line], [23, 3]);
  assert.equal(at('\ncd ').line, 2);
});

test('trim markers remove white space (space, tab, CR, LF) next to the action', () => {
  assert.deepEqual(kinds(lex('a \t\r\n{{- 1 -}} \n b')), ['text:a', 'leftDelim:{{', 'number:1', 'rightDelim:}}', 'text:b', 'eof:']);
  assert.deepEqual(kinds(lex('a {{-3}}')), ['text:a ', 'leftDelim:{{', 'number:-3', 'rightDelim:}}', 'eof:']);
  assert.deepEqual(kinds(lex('{{1 -}}x')).slice(0, 3), ['leftDelim:{{', 'number:1', 'rightDelim:}}']);
});

test('comments vanish, with or without trim markers', () => {
  assert.deepEqual(kinds(lex('x {{/* c */}} y')), ['text:x ', 'text: y', 'eof:']);
  assert.deepEqual(kinds(lex('x {{- /* a\nb */ -}} y')), ['text:x', 'text:y', 'eof:']);
});

test('keywords, booleans, variables, char constants and numbers', () => {
  assert.deepEqual(kinds(lex("{{if else end range with define template block nil true $ $x 'a' 0x1F 1.5e3 1i 1+2i}}")).filter((k) => k !== '_'), [
    'leftDelim:{{', 'if:if', 'else:else', 'end:end', 'range:range', 'with:with', 'define:define', 'template:template', 'block:block',
    'nil:nil', 'bool:true', 'variable:$', 'variable:$x', "charConstant:'a'", 'number:0x1F', 'number:1.5e3', 'number:1i', 'complex:1+2i',
    'rightDelim:}}', 'eof:',
  ]);
});

test('names of Object.prototype members are plain identifiers', () => {
  assert.deepEqual(kinds(lex('{{toString constructor}}')), ['leftDelim:{{', 'identifier:toString', '_', 'identifier:constructor', 'rightDelim:}}', 'eof:']);
});

test('break and continue are identifiers when functions of that name exist', () => {
  assert.equal(lex('{{break}}')[1]!.type, 'break');
  assert.equal(lex('{{break}}', { breakOK: false, continueOK: true })[1]!.type, 'identifier');
});

test('lexical errors end the stream with Go\'s message', () => {
  const last = (src: string): string => {
    const ts = lex(src);
    return `${ts[ts.length - 1]!.type}: ${ts[ts.length - 1]!.val}`;
  };
  assert.equal(last('{{ 1-}}'), 'error: bad number syntax: "1-"');
  assert.equal(last('{{ .a-b }}'), "error: bad character U+002D '-'");
  // Letters newer than Go's Unicode 15.0.0 tables are no identifier characters for Go (helm 4.1.4:
  // `parse error at (...): bad character U+0CDC`); found by the fuzz suite's helm comparison.
  assert.equal(last('{{ .Val\u0CDCes }}'), 'error: bad character U+0CDC');
  assert.equal(last('{{ $\u{2EBF0} }}'), 'error: bad character U+2EBF0');
  assert.equal(lex('{{ .Vaé }}').some((t) => t.type === 'error'), false);
  assert.equal(last('{{ "abc }}'), 'error: unterminated quoted string');
  assert.equal(last('{{ `abc }}'), 'error: unterminated raw quoted string');
  assert.equal(last("{{ 'a }}"), 'error: unterminated character constant');
  assert.equal(last('{{/* x '), 'error: unclosed comment');
  assert.equal(last('{{/* x */ 1}}'), 'error: comment ends before closing delimiter');
  assert.equal(last('{{ 1'), 'error: unclosed action');
  assert.equal(last('{{ (1 }}'), 'error: unclosed left paren');
  assert.equal(last('{{ ) }}'), 'error: unexpected right paren');
  assert.equal(last('{{ $x : 1 }}'), 'error: expected :=');
  assert.equal(last('{{ \u00a7 }}'), "error: unrecognized character in action: U+00A7 '\u00a7'");
});
