import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sprint, sprintf, sprintln } from './fmt.js';
import { int, GoComplex } from './value.js';

test('Sprint spaces operands only when neither is a string (probe print1)', () => {
  assert.equal(sprint([int(1), int(2), 'a', 'b', int(3)]), '1 2ab3');
  assert.equal(sprint([null, 1.5, [int(1), 'x']]), '<nil> 1.5 [1 x]');
  assert.equal(sprintln([int(1), 'a', 'b']), '1 a b\n');
});

test('printf verbs on values as probe printf_types records them', () => {
  const m = { b: 1, a: ['x', 2] };
  const cases: [string, unknown[], string][] = [
    ['%v', [m], 'map[a:[x 2] b:1]'],
    ['%+v', [m], 'map[a:[x 2] b:1]'],
    ['%#v', ['str'], '"str"'],
    ['%T', [2.5], 'float64'],
    ['%.1f', [2.5], '2.5'],
    ['%05.1f', [2.5], '002.5'],
    ['%x', ['hi'], '6869'],
    ['%q', [['x', 2]], '["x" %!q(float64=2)]'],
    ['%6s|%-6s|', ['ab', 'cd'], '    ab|cd    |'],
    ['%%', [], '%'],
    ['%d %d', [int(1)], '1 %!d(MISSING)'],
    ['%d', [int(1), int(2)], '1%!(EXTRA int=2)'],
    ['%t', [true], 'true'],
    ['%c|%U', [int(65), int(65)], 'A|U+0041'],
    ['%e', [2.5], '2.500000e+00'],
    ['%g', [1e6], '1e+06'],
    ['%o %b %X', [int(8), int(5), int(255)], '10 101 FF'],
    ['%d', [3000], '%!d(float64=3000)'],
    ['%s', [int(5)], '%!s(int=5)'],
    ['%.0f', [1e6], '1000000'],
    ['%s|%v|%d', [null, null, null], '%!s(<nil>)|<nil>|%!d(<nil>)'],
    ['%s', [{ C: 3, a: 1 }], 'map[C:%!s(float64=3) a:%!s(float64=1)]'],
  ];
  for (const [format, args, want] of cases) assert.equal(sprintf(format, args as never), want, format);
});

test('floats round half to even on exact ties and use exponent forms like strconv', () => {
  assert.equal(sprintf('%.0f %.0f %.1f %.2f', [0.5, 2.5, 0.25, 1.005]), '0 2 0.2 1.00');
  assert.equal(sprintf('%g %g %.3g %G', [100000, 1e-5, 1234.5678, 1e21]), '100000 1e-05 1.23e+03 1E+21');
  assert.equal(sprintf('%8.3f|%-8.2e|%+.1f|% .1f', [3.14159, 1234.5, 2, 2]), '   3.142|1.23e+03|+2.0| 2.0');
  assert.equal(sprintf('%x %b', [1.5, 1]), '0x1.8p+00 4503599627370496p-52');
  assert.equal(sprint([new GoComplex(0, 1)]), '(0+1i)');
});

test('integers: width, precision, flags and explicit indexes', () => {
  assert.equal(sprintf('%05d|%-5d|%+d|%x|%#x|%#o|%.3d|%08.3d', [int(42), int(42), int(42), int(-255), int(255), int(8), int(7), int(7)]),
    '00042|42   |+42|-ff|0xff|010|007|     007');
  assert.equal(sprintf('%[2]d %[1]d', [int(1), int(2)]), '2 1');
  assert.equal(sprintf('%*d|%-*d', [int(4), int(1), int(3), int(2)]), '   1|2  ');
  assert.equal(sprintf('%q %q %+q', ["a\"b\n", int(97), 'é']), '"a\\"b\\n" \'a\' "\\u00e9"');
  assert.equal(sprintf('%!', []), '%!!(MISSING)');
  assert.equal(sprintf('%', []), '%!(NOVERB)');
});
