import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { int64, type GoMap } from '../../template/value.js';
import { composeUserValues, parseSetValues } from './strvals.js';

test('--set typing and paths as Helm parses them', () => {
  const table: [string, GoMap][] = [
    ['a=1', { a: int64(1) }],
    ['a=0', { a: int64(0) }],
    ['a=01,b=1e6,c=1.50,d=-3', { a: '01', b: '1e6', c: '1.50', d: int64(-3) }],
    ['a=true,b=FALSE,c=Null,d=', { a: true, b: false, c: null, d: '' }],
    ['a.b.c=x', { a: { b: { c: 'x' } } }],
    ['a=x\\,y,b=c\\=d', { a: 'x,y', b: 'c=d' }],
    ['a\\.b=1', { 'a.b': int64(1) }],
    ['l[0]=a,l[2]=c', { l: ['a', null, 'c'] }],
    ['l[0].n=a,l[0].m=b', { l: [{ n: 'a', m: 'b' }] }],
    ['l[0][1]=x', { l: [[null, 'x']] }],
    ['a={x,y,3}', { a: ['x', 'y', int64(3)] }],
    ['name=value with spaces', { name: 'value with spaces' }],
  ];
  for (const [expr, want] of table) assert.deepEqual(parseSetValues(expr), want, expr);
});

test('--set-literal: the rest after the first = is one string, keys have no escapes', () => {
  assert.deepEqual(parseSetValues('a.b=x,y=z\\,{1}', {}, 'set-literal'), { a: { b: 'x,y=z\\,{1}' } });
  assert.deepEqual(parseSetValues('l[1]=v', {}, 'set-literal'), { l: [null, 'v'] });
});

test('--set-string, --set-json, --set-file', () => {
  assert.deepEqual(parseSetValues('a=1,b=true', {}, 'set-string'), { a: '1', b: 'true' });
  assert.deepEqual(parseSetValues('a={"k":[1,2.5]},b=null,c="s"', {}, 'set-json'), { a: { k: [1, 2.5] }, b: null, c: 's' });
  assert.deepEqual(parseSetValues('cfg=/x/y.txt', {}, 'set-file', (p) => `content of ${p}`), { cfg: 'content of /x/y.txt' });
});

test('--set-json numbers past float64 are refused as Go\'s decoder refuses them (found by the fuzz suite\'s helm comparison)', () => {
  // helm 4.1.4: `failed parsing --set-json data a=1e400,a=[]` (a later pair does not hide it), `... data JSON: {"a":1e400}`.
  assert.throws(() => composeUserValues({ setJson: ['a=1e400,a=[]'] }), { message: 'failed parsing --set-json data a=1e400,a=[]' });
  assert.throws(() => composeUserValues({ setJson: ['a=[1e400]'] }), { message: 'failed parsing --set-json data a=[1e400]' });
  assert.throws(() => composeUserValues({ setJson: ['{"a":1e400}'] }), { message: 'failed parsing --set-json data JSON: {"a":1e400}' });
  assert.deepEqual(composeUserValues({ setJson: ['a=1e308'] }), { a: 1e308 });
});

test('--set errors read like Helm', () => {
  assert.throws(() => parseSetValues('a'), /key "a" has no value/);
  assert.throws(() => parseSetValues('a,b=1'), /key "a" has no value \(cannot end with ,\)/);
  assert.throws(() => parseSetValues('a.=1'), /key map "a" has no value/);
  assert.throws(() => parseSetValues('a={x'), /list must terminate with '}'/);
  assert.throws(() => parseSetValues('a[-1]=x'), /negative -1 index not allowed/);
  assert.throws(() => parseSetValues('a[70000]=x'), /index of 70000 is greater than maximum supported index of 65536/);
});

test('user values: -f files first, then --set-json, --set, --set-string, --set-file; lists are replaced by index', () => {
  const values = composeUserValues({
    fileValues: { sub: { list: ['u2a', 'u2b'] }, keep: { a: 10 } },
    setJson: ['{"j": {"k": 1}}', 'obj.x=[1]'],
    set: ['sub.list[1]=x,keep.c=3', 'n=5'],
    setString: ['n=6'],
  });
  assert.deepEqual(values, { sub: { list: ['u2a', 'x'] }, keep: { a: 10, c: int64(3) }, j: { k: 1 }, obj: { x: [1] }, n: '6' });
  assert.throws(() => composeUserValues({ set: ['a'] }), /^SetValuesError: failed parsing --set data: key "a" has no value$/m);
});
