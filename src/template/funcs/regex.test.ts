import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatValue, int, type GoValue } from '../value.js';
import { GoRegexp } from './re2.js';
import { regexFuncs } from './regex.js';

const show = (name: string, ...args: GoValue[]) => formatValue(regexFuncs[name]!.fn(...args));

test('Sprig regex functions [regex1]', () => {
  assert.equal(show('regexMatch', '^[a-z]+$', 'abc'), 'true');
  assert.equal(show('regexFind', '[0-9]+', 'a12b34'), '12');
  assert.equal(show('regexFindAll', '[0-9]+', 'a12b34c5', int(-1)), '[12 34 5]');
  assert.equal(show('regexFindAll', '[0-9]+', 'a12b34c5', int(2)), '[12 34]');
  assert.equal(show('regexReplaceAll', '(a)(b)', 'xabyab', '${2}$1'), 'xbayba');
  assert.equal(show('regexReplaceAll', 'a(x*)b', '-ab-axxb-', '$1W'), '---');
  assert.equal(show('regexReplaceAll', 'a(x*)b', '-ab-axxb-', '${1}W'), '-W-xxW-');
  assert.equal(show('regexReplaceAllLiteral', 'a', 'aa', '$1'), '$1$1');
  assert.equal(show('regexSplit', '[,;]', 'a,b;c', int(-1)), '[a b c]');
  assert.equal(show('regexQuoteMeta', 'a.b*c'), 'a\\.b\\*c');
  assert.equal(show('regexMatch', '(?i)ABC', 'abc'), 'true');
  assert.equal(show('regexReplaceAll', '(?P<w>o)', 'foo', '[$w]'), 'f[o][o]');
});

test('patterns RE2 rejects fail with Go\'s text [regex_bad] [regex_bad2] [mustregex]', () => {
  assert.equal(show('regexMatch', 'a(?=b)', 'ab'), 'false');
  assert.throws(() => regexFuncs.regexFind!.fn('a(?=b)', 'ab'),
    { message: 'regexp: Compile(`a(?=b)`): error parsing regexp: invalid or unsupported Perl syntax: `(?=`' });
  assert.throws(() => regexFuncs.mustRegexMatch!.fn('a(?=b)', 'ab'), { message: 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`' });
  const errors: [string, string][] = [
    ['(a', 'missing closing ): `(a`'],
    ['a)', 'unexpected ): `a)`'],
    ['[a', 'missing closing ]: `[a`'],
    ['a**', 'invalid nested repetition operator: `**`'],
    ['*a', 'missing argument to repetition operator: `*`'],
    ['\\1', 'invalid escape sequence: `\\1`'],
    ['[z-a]', 'invalid character class range: `z-a`'],
    ['a{1001}', 'invalid repeat count: `{1001}`'],
  ];
  for (const [re, msg] of errors) assert.throws(() => new GoRegexp(re), { message: `error parsing regexp: ${msg}` }, re);
});

test('RE2 semantics differing from JavaScript', () => {
  const m = (re: string, s: string) => new GoRegexp(re).matchString(s);
  assert.equal(m('^a.c$', 'a\rc'), true); // Go's dot only excludes \n
  assert.equal(m('a$', 'a\n'), false); // $ is end of text without (?m)
  assert.equal(m('(?m)^b$', 'a\nb\nc'), true);
  assert.equal(m('(?s)a.b', 'a\nb'), true);
  assert.equal(m('\\s', '\v'), false); // \s is [\t\n\f\r ]
  assert.equal(m('[[:alpha:]]+\\z', 'ab1'), false);
  assert.equal(m('a{,2}', 'a{,2}'), true); // not a repeat: literal braces
  assert.equal(m('\\pL', 'é'), true);
  assert.equal(m('a(?i)b', 'aB'), true);
  assert.equal(m('a(?i)b', 'AB'), false);
  assert.equal(formatValue(new GoRegexp('a*').findAllString('baaab', -1)), '[ aaa ]');
  assert.equal(formatValue(new GoRegexp('(?U)a+').findString('aaa')), 'a');
  assert.equal(formatValue(new GoRegexp('x*').split('axbxc', -1)), '[a b c]');
});
