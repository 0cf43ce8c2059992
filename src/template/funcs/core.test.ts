// Direct calls with Go values; expected outputs are the helm 4.1.4 probes of template-spec.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GoError, formatValue, goStringToBytes, int, int64, typeName, type FuncMap, type GoValue } from '../value.js';
import { conversionFuncs } from './conversions.js';
import { dictFuncs } from './dicts.js';
import { flowFuncs } from './flow.js';
import { listFuncs } from './lists.js';
import { mathFuncs } from './math.js';
import { reflectionFuncs } from './reflection.js';
import { goFunc } from './signature.js';
import { stringFuncs } from './strings.js';

const all: FuncMap = { ...stringFuncs, ...listFuncs, ...dictFuncs, ...flowFuncs, ...conversionFuncs, ...mathFuncs, ...reflectionFuncs };
const call = (name: string, ...args: GoValue[]) => all[name]!.fn(...args);
const show = (name: string, ...args: GoValue[]) => formatValue(call(name, ...args));

test('strings [trunc1] [strs1] [strs2] [wrap_title] [indent1] [quote1]', () => {
  assert.equal(show('trunc', int(3), 'abcdef'), 'abc');
  assert.equal(show('trunc', int(-3), 'abcdef'), 'def');
  assert.equal(Buffer.from(goStringToBytes(call('trunc', int(2), 'héllo') as string)).toString('base64'), 'aMM=');
  assert.equal(show('abbrev', int(5), 'hello world'), 'he...');
  assert.equal(show('abbrevboth', int(5), int(10), '1234 5678 9123'), '...5678...');
  assert.equal(show('substr', int(2), int(-1), 'hello'), 'llo');
  assert.equal(show('substr', int(-1), int(2), 'hello'), 'he');
  assert.throws(() => call('substr', int(3), int(2), 'hello'), /slice bounds out of range \[3:2\]$/);
  assert.equal(show('title', "o'neil mc_donald x.y 3rd"), "O'Neil Mc_donald X.Y 3rd");
  assert.equal(show('lower', 'ÀBC'), 'àbc');
  assert.equal(show('camelcase', 'foo_bar-baz qux'), 'FooBarBazQux');
  assert.equal(show('camelcase', 'HTTPServer'), 'Httpserver');
  assert.equal(show('snakecase', 'FooBarBAZ'), 'foo_bar_baz');
  for (const [s, want] of [['HTTP2xx', 'http_2xx'], ['Bld4Floor', 'bld4_floor'], ['a1B2c3', 'a1_b_2c3'], ['a_1B', 'a_1_b'], ['  x  y', '__x__y'], ['NoHTTPS', 'no_https']]) {
    assert.equal(show('snakecase', s!), want, s);
  }
  assert.equal(show('swapcase', 'AbC'), 'aBc');
  assert.equal(show('initials', 'Hello-world foo'), 'Hf');
  assert.equal(show('wrap', int(10), 'a verylongwordhere b'), 'a\nverylongwordhere\nb');
  assert.equal(show('wrapWith', int(4), '|', 'abcdefgh ij'), 'abcd|efgh|ij');
  assert.equal(show('trimAll', '$-', '$-a$-'), 'a');
  assert.equal(show('nospace', ' a b\tc '), 'abc');
  assert.equal(show('indent', int(2), 'a\nb\n'), '  a\n  b\n  ');
  assert.equal(show('quote', 'a"b', 3000, null, 'é\n\t', '\x00'), '"a\\"b" "3000" "é\\n\\t" "\\x00"');
  assert.equal(show('squote', "it's"), "'it's'");
  assert.equal(show('cat', 'a', int(1), null, 'b'), 'a 1 b');
  assert.equal(show('split', ',', 'a,b,c'), 'map[_0:a _1:b _2:c]');
  assert.equal(show('splitn', ',', int(2), 'a,b,c'), 'map[_0:a _1:b,c]');
  assert.equal(typeName(call('splitList', ',', 'a')), '[]string');
});

test('lists [lists1] [join1] [until_seq] [has_int] [lists_err] [slice]', () => {
  const l = [3, 1, 2, 1];
  assert.equal(show('rest', l), '[1 2 1]');
  assert.equal(show('uniq', l), '[3 1 2]');
  assert.equal(show('without', l, int(1)), '[3 1 2 1]');
  assert.equal(show('has', int(2), l), 'false');
  assert.equal(show('has', 2, l), 'true');
  assert.equal(show('compact', [int(0), int(1), '', 'a', null, false]), '[1 a]');
  assert.equal(show('chunk', int(3), [int(1), int(2), int(3), int(4), int(5)]), '[[1 2 3] [4 5]]');
  assert.throws(() => call('first', 'abc'), (e: Error) => e instanceof GoError && e.message === 'Cannot find first on type string');
  assert.throws(() => call('slice', [int(1), int(2)], int(1), int(5)), /reflect.Value.Slice: slice index out of bounds/);
  assert.equal(show('join', ',', ['b', 1, true, null, 2.5]), 'b,1,true,2.5');
  assert.equal(show('sortAlpha', ['b', 'B', 'a', '10', '9']), '[10 9 B a b]');
  assert.equal(show('until', int(-3)), '[0 -1 -2]');
  assert.equal(show('untilStep', int(10), int(0), int(-4)), '[10 6 2]');
  for (const [args, want] of [[[3], '1 2 3'], [[5, 2], '5 4 3 2'], [[0, 2, 10], '0 2 4 6 8 10'], [[0], '1 0']] as const) {
    assert.equal(call('seq', ...args.map((n) => int(n))), want);
  }
});

test('dicts [dictmut] [merge1] [mergeow] [mergeow_nil] [merge_empty_dst] [pick_omit]', () => {
  assert.equal(show('dict', int(1), int(2), true, int(3)), 'map[1:2 true:3]');
  assert.equal(show('dict', 'odd'), 'map[odd:]');
  const a = { x: int(1), n: { p: int(1) } };
  call('merge', a, { x: int(2), y: int(2), n: { p: int(2), q: int(2) } });
  assert.equal(formatValue(a), 'map[n:map[p:1 q:2] x:1 y:2]');
  assert.equal(show('merge', { x: int(0), s: '', b: false, k: 'keep' }, { x: int(1), s: 'a', b: true, k: 'no' }), 'map[b:true k:keep s:a x:1]');
  const b = { x: int(1), s: 'keep', b: true, l: [int(1), int(2)], n: { p: int(1) } };
  assert.equal(show('mergeOverwrite', b, { x: int(0), s: '', b: false, l: [int(9)], n: { q: int(2) }, new: int(0) }), 'map[b:false l:[9] n:map[p:1 q:2] new:0 s: x:0]');
  assert.equal(show('mergeOverwrite', { a: int(5), c: int(3) }, { a: null, b: 1 }), 'map[a:<nil> b:1 c:3]');
  assert.equal(show('dig', 'b', 'c', 'def', { a: 1, b: { c: 2 } }), '2');
  assert.equal(show('dig', 'b', 'zz', 'def', { a: 1, b: { c: 2 } }), 'def');
  assert.equal(show('get', {}, 'nope'), '');
});

test('conversions and math [tostring] [cast2] [math1] [mathf2] [todecimal]', () => {
  const ints = ['12', '12.5', '0x1F', '08', '010', 3.99, -3.99, 'abc', true, null].map((v) => show('int', v));
  assert.deepEqual(ints, ['12', '0', '31', '0', '8', '3', '-3', '0', '1', '0']);
  assert.deepEqual(['12.0', '1_000', '-0x10', ' 5'].map((v) => show('int', v)), ['12', '1000', '-16', '0']);
  assert.equal(show('float64', '1e3'), '1000');
  assert.deepEqual(['12', '1.5', ' 3'].map((s) => show('atoi', s)), ['12', '0', '0']);
  assert.equal(show('toString', 1.5), '1.5');
  assert.equal(show('toString', null), '<nil>');
  assert.equal(show('add', int(1), 1.9, 1.9), '3');
  assert.equal(typeName(call('add', int(1))), 'int64');
  assert.equal(show('div', int(-7), int(2)), '-3');
  assert.equal(show('mod', int(-7), int(3)), '-1');
  assert.throws(() => call('div', int(1), int(0)), /integer divide by zero/);
  assert.equal(show('addf', 1.1, 2.2), '3.3');
  assert.equal(show('subf', int(10), 0.1), '9.9');
  assert.equal(show('divf', int(10), int(3)), '3.3333333333333335');
  assert.throws(() => call('divf', int(1), int(0)), /decimal division by 0/);
  assert.equal(show('round', 2.345, int(2)), '2.35');
  assert.equal(show('round', -2.5, int(0)), '-3');
  assert.equal(show('round', 1.25, int(1), 0.6), '1.2');
  assert.deepEqual(['0777', '777', int(777), '9'].map((v) => show('toDecimal', v)), ['511', '511', '511', '0']);
  assert.equal(show('max', int(1), int(5), int(3)), '5');
  assert.equal(typeName(call('maxf', int(1), 2.5)), 'float64');
});

test('flow and reflection [default1] [empty1] [coalesce1] [types1]', () => {
  assert.equal(show('default', 'd', int(0)), 'd');
  assert.equal(show('default', 'd'), 'd');
  assert.equal(show('default', 'd', '0'), '0');
  assert.equal(show('coalesce', null, '', int(0), 'x'), 'x');
  assert.equal(call('all'), true);
  assert.equal(call('any'), false);
  assert.equal(show('ternary', int(1), int(2), false), '2');
  assert.equal(show('kindOf', null), 'invalid');
  assert.equal(show('typeIsLike', 'int', int(1)), 'true');
  assert.equal(show('deepEqual', [1], [int(1)]), 'false');
  assert.equal(show('typeOf', int64(1)), 'int64');
});

test('Go signatures declare params, variadic element and result as the executor checks them', () => {
  const { params, variadic, result } = goFunc('(vt, vf interface{}, v bool) interface{}', () => null);
  assert.deepEqual({ params, variadic, result }, { params: ['interface {}', 'interface {}', 'bool'], variadic: undefined, result: 'interface {}' });
  const dig = goFunc('(ps ...interface{}) (interface{}, error)', () => null);
  assert.deepEqual([dig.params, dig.variadic, dig.result], [[], 'interface {}', 'interface {}']);
  const round = goFunc('(a interface{}, p int, rOpt ...float64) float64', () => null);
  assert.deepEqual([round.params, round.variadic, round.result], [['interface {}', 'int'], 'float64', 'float64']);
  assert.equal(all.semverCompare, undefined); // families stay apart; index.ts joins them
  assert.deepEqual(all.indent!.params, ['int', 'string']);
  assert.deepEqual(all.default!.params, ['interface {}']);
  assert.equal(all.default!.variadic, 'interface {}');
});
