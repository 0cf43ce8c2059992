// Sprig's type conversions: int, int64, float64 (spf13/cast), atoi, toString, toDecimal.
import { GoInt, formatValue, type FuncMap, type GoValue } from '../value.js';
import { parseGoInt, strval, toFloat64, toInt, toInt64 } from './cast.js';
import { goFunc } from './signature.js';

/** strconv.Atoi with the error ignored: 0 on a syntax error, the clamped value on overflow. */
function atoi(s: string): GoInt {
  const body = s.replace(/^[+-]/, '');
  if (!/^[0-9]+$/.test(body)) return new GoInt(0, 'int');
  const v = parseGoInt(s, 10);
  if (v === undefined) return new GoInt(s.startsWith('-') ? -9223372036854775808 : 9223372036854775807, 'int');
  return new GoInt(v, 'int');
}

export const conversionFuncs: FuncMap = {
  atoi: goFunc('(a string) int', atoi),
  int: goFunc('(v interface{}) int', (v: GoValue) => toInt(v)),
  int64: goFunc('(v interface{}) int64', (v: GoValue) => toInt64(v)),
  float64: goFunc('(v interface{}) float64', (v: GoValue) => toFloat64(v)),
  toString: goFunc('(v interface{}) string', (v: GoValue) => strval(v)),
  toDecimal: goFunc('(v interface{}) int64', (v: GoValue) => new GoInt(parseGoInt(formatValue(v), 8) ?? 0, 'int64')),
};
