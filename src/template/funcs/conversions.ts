// Sprig's type conversions: int, int64, float64 (spf13/cast), atoi, toString, toDecimal.
import { formatValue, goIntFromBigInt, type FuncMap, type GoValue, type GoInt } from '../value.js';
import { parseGoInt, strval, toFloat64, toInt, toInt64 } from './cast.js';
import { goFunc } from './signature.js';

/** strconv.Atoi with the error ignored: 0 on a syntax error, the clamped value on overflow. */
function atoi(s: string): GoInt {
  const body = s.replace(/^[+-]/, '');
  if (!/^[0-9]+$/.test(body)) return goIntFromBigInt(0n, 'int');
  const v = parseGoInt(s, 10);
  if (v === undefined) return goIntFromBigInt(s.startsWith('-') ? -9223372036854775808n : 9223372036854775807n, 'int');
  return goIntFromBigInt(v, 'int');
}

export const conversionFuncs: FuncMap = {
  atoi: goFunc('(a string) int', atoi),
  int: goFunc('(v interface{}) int', (v: GoValue) => toInt(v)),
  int64: goFunc('(v interface{}) int64', (v: GoValue) => toInt64(v)),
  float64: goFunc('(v interface{}) float64', (v: GoValue) => toFloat64(v)),
  toString: goFunc('(v interface{}) string', (v: GoValue) => strval(v)),
  toDecimal: goFunc('(v interface{}) int64', (v: GoValue) => goIntFromBigInt(parseGoInt(formatValue(v), 8) ?? 0n, 'int64')),
};
