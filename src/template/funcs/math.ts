// Sprig's arithmetic (numeric.go and functions.go): int64 math over cast.ToInt64, float math through
// shopspring/decimal over cast.ToFloat64, floor/ceil/round, min/max.
import { GoPanic, goIntFromBigInt, type FuncMap, type GoInt, type GoValue } from '../value.js';
import { exactInt, intArg, toFloat64, toInt64 } from './cast.js';
import { goFunc } from './signature.js';

const big = (v: GoValue) => exactInt(toInt64(v));
/** An int64 result, wrapping around on overflow as Go does, exact beyond 2^53. */
const int64Of = (b: bigint) => goIntFromBigInt(BigInt.asIntN(64, b), 'int64');

function divide(a: GoValue, b: GoValue, op: 'div' | 'mod'): GoInt {
  const x = big(a);
  const y = big(b);
  if (y === 0n) throw new GoPanic('runtime error: integer divide by zero');
  return int64Of(op === 'div' ? x / y : x % y);
}

// ---------------------------------------------------------------------------------------------
// shopspring/decimal, as far as Sprig uses it: exact decimal add/sub/mul, division rounded to 16
// places (half away from zero), conversion from and to float64.

interface Decimal {
  coef: bigint;
  exp: number; // value = coef × 10^exp
}

/** decimal.NewFromFloat: the shortest decimal that reads back as the float. */
function decimalFromFloat(f: number): Decimal {
  if (!Number.isFinite(f)) throw new GoPanic(`Cannot create a Decimal from ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`);
  const [mant, e] = f.toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '').replace('-', '');
  const fracDigits = mant.includes('.') ? mant.split('.')[1]!.length : 0;
  return { coef: BigInt((f < 0 ? '-' : '') + digits), exp: Number(e) - fracDigits };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.coef * 10n ** BigInt(a.exp - exp), b.coef * 10n ** BigInt(b.exp - exp), exp];
}

const decimalOps: Record<string, (a: Decimal, b: Decimal) => Decimal> = {
  add: (a, b) => {
    const [x, y, exp] = align(a, b);
    return { coef: x + y, exp };
  },
  sub: (a, b) => {
    const [x, y, exp] = align(a, b);
    return { coef: x - y, exp };
  },
  mul: (a, b) => ({ coef: a.coef * b.coef, exp: a.exp + b.exp }),
  div: (a, b) => {
    if (b.coef === 0n) throw new GoPanic('decimal division by 0');
    const precision = 16;
    // a/b × 10^precision, rounded half away from zero.
    let num = a.coef;
    let den = b.coef;
    const shift = a.exp - b.exp + precision;
    if (shift >= 0) num *= 10n ** BigInt(shift);
    else den *= 10n ** BigInt(-shift);
    const negative = (num < 0n) !== (den < 0n);
    const n = num < 0n ? -num : num;
    const d = den < 0n ? -den : den;
    let q = n / d;
    if ((n % d) * 2n >= d) q += 1n;
    return { coef: negative ? -q : q, exp: -precision };
  },
};

const decimalToFloat = (d: Decimal) => Number(`${d.coef}e${d.exp}`);

function decimalFold(op: string, first: GoValue, rest: GoValue[]): number {
  let acc = decimalFromFloat(toFloat64(first));
  for (const x of rest) acc = decimalOps[op]!(acc, decimalFromFloat(toFloat64(x)));
  return decimalToFloat(acc);
}

/** Sprig's round: sign-preserving fractional part compared with roundOn (default .5). */
function round(a: GoValue, places: number, roundOn = 0.5): number {
  const pow = 10 ** places;
  const digit = pow * toFloat64(a);
  const frac = digit - Math.trunc(digit);
  return (frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow;
}

const goMax = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a === b && a === 0 ? (Object.is(a, -0) ? b : a) : Math.max(a, b));
const goMin = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a === b && a === 0 ? (Object.is(a, -0) ? a : b) : Math.min(a, b));

function maxInt(a: GoValue, ...rest: GoValue[]): GoInt {
  let acc = big(a);
  for (const x of rest) if (big(x) > acc) acc = big(x);
  return int64Of(acc);
}

function minInt(a: GoValue, ...rest: GoValue[]): GoInt {
  let acc = big(a);
  for (const x of rest) if (big(x) < acc) acc = big(x);
  return int64Of(acc);
}

const maxFn = goFunc('(a interface{}, i ...interface{}) int64', maxInt);

export const mathFuncs: FuncMap = {
  add1: goFunc('(i interface{}) int64', (i: GoValue) => int64Of(big(i) + 1n)),
  add: goFunc('(i ...interface{}) int64', (...is: GoValue[]) => int64Of(is.reduce((s: bigint, x) => s + big(x), 0n))),
  sub: goFunc('(a, b interface{}) int64', (a: GoValue, b: GoValue) => int64Of(big(a) - big(b))),
  div: goFunc('(a, b interface{}) int64', (a: GoValue, b: GoValue) => divide(a, b, 'div')),
  mod: goFunc('(a, b interface{}) int64', (a: GoValue, b: GoValue) => divide(a, b, 'mod')),
  mul: goFunc('(a interface{}, v ...interface{}) int64', (a: GoValue, ...v: GoValue[]) => int64Of(v.reduce((p: bigint, x) => p * big(x), big(a)))),
  add1f: goFunc('(i interface{}) float64', (i: GoValue) => decimalFold('add', i, [1])),
  addf: goFunc('(i ...interface{}) float64', (...is: GoValue[]) => decimalFold('add', 0, is)),
  subf: goFunc('(a interface{}, v ...interface{}) float64', (a: GoValue, ...v: GoValue[]) => decimalFold('sub', a, v)),
  divf: goFunc('(a interface{}, v ...interface{}) float64', (a: GoValue, ...v: GoValue[]) => decimalFold('div', a, v)),
  mulf: goFunc('(a interface{}, v ...interface{}) float64', (a: GoValue, ...v: GoValue[]) => decimalFold('mul', a, v)),
  biggest: maxFn,
  max: maxFn,
  min: goFunc('(a interface{}, i ...interface{}) int64', minInt),
  maxf: goFunc('(a interface{}, i ...interface{}) float64', (a: GoValue, ...i: GoValue[]) => i.reduce((m: number, x) => goMax(m, toFloat64(x)), toFloat64(a))),
  minf: goFunc('(a interface{}, i ...interface{}) float64', (a: GoValue, ...i: GoValue[]) => i.reduce((m: number, x) => goMin(m, toFloat64(x)), toFloat64(a))),
  ceil: goFunc('(a interface{}) float64', (a: GoValue) => Math.ceil(toFloat64(a))),
  floor: goFunc('(a interface{}) float64', (a: GoValue) => Math.floor(toFloat64(a))),
  round: goFunc('(a interface{}, p int, rOpt ...float64) float64', (a: GoValue, p, ...r: number[]) => round(a, intArg(p), r[0])),
};
