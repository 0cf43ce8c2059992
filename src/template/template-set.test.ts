import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GoError, GoInt, GoPanic, TemplateDepthError, TemplateExecError, TemplateOutputTooLargeError, TemplateParseError, TemplateSet,
  defineNamedType, int,
  type FuncMap, type GoIntType, type GoValue,
} from './index.js';

const upper: FuncMap = { upper: { params: ['string'], result: 'string', fn: (s: string) => s.toUpperCase() } };

function includeFuncs(set: TemplateSet): FuncMap {
  return { include: { params: ['string', 'interface {}'], result: 'string', fn: (name: string, data: GoValue) => set.execute(name, data) } };
}

test('a template is parsed once and executed many times with different data', () => {
  const set = new TemplateSet(upper);
  set.parse('t', '{{ .name | upper }}:{{ range .items }}{{ . }}{{ end }}');
  assert.equal(set.execute('t', { name: 'a', items: [1, 2] }), 'A:12');
  assert.equal(set.execute('t', { name: 'b', items: [] }), 'B:');
  assert.deepEqual([set.has('t'), set.has('u'), set.definedNames()], [true, false, ['t']]);
});

test('a later definition replaces an earlier one, but a white-space body never replaces', () => {
  const set = new TemplateSet();
  set.parse('a', '{{ define "x" }}first{{ end }}');
  set.parse('b', '{{ define "x" }}second{{ end }}');
  set.parse('c', '{{ define "x" }} \n\t{{ end }}');
  set.parse('main', '{{ template "x" }}');
  assert.equal(set.execute('main', null), 'second');
});

test('functions override builtins of the same name; unknown functions fail at parse time', () => {
  const set = new TemplateSet({ len: { params: ['interface {}'], result: 'string', fn: () => 'mine' } });
  set.parse('t', '{{ len "abc" }}');
  assert.equal(set.execute('t', null), 'mine');
  assert.throws(() => set.parse('u', '{{ nope 1 }}'), (e: unknown) => e instanceof TemplateParseError && e.message === 'template: u:1: function "nope" not defined');
});

test('Go\'s own slice builtin (which Helm replaces with Sprig\'s) slices strings and lists', () => {
  const set = new TemplateSet();
  set.parse('t', '{{ slice "hello" 1 3 }}|{{ slice "hello" 2 }}|{{ slice .l 1 }}|{{ slice .l 0 1 2 }}');
  assert.equal(set.execute('t', { l: [int(1), int(2), int(3)] }), 'el|llo|[2 3]|[1]');
  set.parse('e', '{{ slice "abc" 2 1 }}');
  assert.throws(() => set.execute('e', null), /error calling slice: invalid slice index: 2 > 1/);
  set.parse('f', '{{ slice "abc" 0 1 2 }}');
  assert.throws(() => set.execute('f', null), /cannot 3-index slice a string/);
});

test('clone() copies templates and functions; parsing into the clone leaves the original as it was', () => {
  const set = new TemplateSet(upper);
  set.parse('t', '{{ template "x" }}');
  set.parse('x', '{{ define "x" }}orig{{ end }}');
  const copy = set.clone();
  copy.parse('y', '{{ define "x" }}changed{{ end }}');
  copy.addFuncs({ extra: { params: [], result: 'string', fn: () => 'e' } });
  assert.equal(copy.execute('t', null), 'changed');
  assert.equal(set.execute('t', null), 'orig');
  assert.throws(() => set.parse('z', '{{ extra }}'), TemplateParseError);
});

test('functions may execute templates of the same set (re-entrant execute), 1000 levels deep', () => {
  const set = new TemplateSet();
  set.addFuncs(includeFuncs(set));
  set.addFuncs({ dec: { params: ['int'], result: 'int', fn: (n: { value: number }) => int(n.value - 1) } });
  set.parse('h', '{{ define "down" }}{{ if . }}{{ include "down" (dec .) }}{{ else }}bottom{{ end }}{{ end }}');
  set.parse('t', '{{ include "down" 1000 }}');
  assert.equal(set.execute('t', null), 'bottom');
  assert.equal(set.executionDepth, 0);
});

test('runaway recursion ends in a clear error, never in a JavaScript stack overflow', () => {
  const set = new TemplateSet();
  set.addFuncs(includeFuncs(set));
  set.parse('h', '{{ define "loop" }}{{ include "loop" . }}{{ end }}{{ define "self" }}{{ if true }}{{ template "self" . }}{{ end }}{{ end }}');
  set.parse('a', '{{ include "loop" . }}');
  set.parse('b', '{{ template "self" . }}');
  assert.throws(() => set.execute('a', null), (e: unknown) => e instanceof TemplateDepthError && /exhausted the stack/.test(e.message));
  assert.throws(() => set.execute('b', null), (e: unknown) => e instanceof TemplateExecError
    && e.message === 'template: h:1:94: executing "self" at <{{template "self" .}}>: exceeded maximum template depth (100000)');
  const limited = new TemplateSet({}, { maxTemplateDepth: 3 });
  limited.parse('h', '{{ define "d" }}{{ if lt . 5 }}{{ . }}{{ template "d" (len (printf "%*s" (len (printf "x%d" .)) "")) }}{{ end }}{{ end }}');
  limited.parse('t', '{{ template "d" 1 }}');
  assert.throws(() => limited.execute('t', null), /exceeded maximum template depth \(100000\)/);
});

test('execution errors carry Go\'s message, the frame and the chain of nested frames', () => {
  const set = new TemplateSet();
  set.addFuncs(includeFuncs(set));
  set.parse('dir/_h.tpl', '{{ define "h" }}\n  {{ .a.b }}{{ end }}');
  set.parse('dir/main', 'x {{ include "h" . }}');
  let err: unknown;
  try {
    set.execute('dir/main', {});
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof TemplateExecError);
  assert.equal(err.message, 'template: dir/main:1:5: executing "dir/main" at <include "h" .>: error calling include: '
    + 'template: dir/_h.tpl:2:7: executing "h" at <.a.b>: nil pointer evaluating interface {}.b');
  assert.deepEqual([err.templateName, err.line, err.col, err.nodeText], ['dir/main', 1, 5, 'include "h" .']);
  assert.deepEqual(err.frames.map((f) => `${f.file}:${f.line}:${f.col} ${f.templateName}`), ['dir/main:1:5 dir/main', 'dir/_h.tpl:2:7 h']);
  assert.ok(err.inner instanceof TemplateExecError);
  assert.equal(err.inner.cause, 'nil pointer evaluating interface {}.b');
});

test('a function\'s GoError or GoPanic is reported as error calling NAME; other exceptions are bugs and pass through', () => {
  const set = new TemplateSet({
    bad: { params: [], fn: () => { throw new GoError('went wrong'); } },
    panics: { params: [], fn: () => { throw new GoPanic('runtime error: integer divide by zero'); } },
    buggy: { params: [], fn: () => { throw new TypeError('x is undefined'); } },
  });
  set.parse('t', '{{ bad }}');
  set.parse('p', '{{ panics }}');
  set.parse('b', '{{ buggy }}');
  assert.throws(() => set.execute('t', null), { message: 'template: t:1:3: executing "t" at <bad>: error calling bad: went wrong' });
  assert.throws(() => set.execute('p', null), /error calling panics: runtime error: integer divide by zero/);
  assert.throws(() => set.execute('b', null), TypeError);
});

test('executing an unknown name is Go\'s "no template" error', () => {
  const set = new TemplateSet({}, { name: 'gotpl' });
  assert.throws(() => set.execute('nope', null), (e: unknown) => e instanceof GoError
    && e.message === 'template: no template "nope" associated with template "gotpl"');
});

test('functions added after parsing are visible at execution, as with Go\'s Funcs', () => {
  const set = new TemplateSet({ f: { params: [], result: 'string', fn: () => 'old' } });
  set.parse('t', '{{ f }}');
  set.addFuncs({ f: { params: [], result: 'string', fn: () => 'new' } });
  assert.equal(set.execute('t', null), 'new');
});

test('named integer types print through their String method, plain ints as numbers', () => {
  defineNamedType('test.Month', 'int', { String: { params: [], result: 'string', fn: (m: GoInt) => ['', 'January', 'February', 'March'][m.value]! } });
  const set = new TemplateSet();
  set.parse('t', '{{ .m }} {{ .n }} {{ print .m }} {{ printf "%d %v" .m .m }}');
  assert.equal(set.execute('t', { m: new GoInt(3, 'test.Month' as GoIntType), n: int(3) }), 'March 3 March 3 March');
});

test('output beyond the longest JavaScript string ends in a clear error', () => {
  const set = new TemplateSet();
  set.parse('t', '{{ range 40 }}{{ $.s }}{{ end }}');
  const s = 'x'.repeat(1 << 24);
  assert.throws(() => set.execute('t', { s }), (e: unknown) => e instanceof TemplateOutputTooLargeError && e.message.startsWith('template: t: output exceeds'));
});
