// Sprig's list functions (list.go). They accept any slice or array kind through reflection; the
// plain variants panic where the must* variants return the error, which aborts rendering either way.
import { GO_TYPE, GoError, GoPanic, compareBytes, int, nilSlice, typeName, withGoType, type FuncMap, type GoFunc, type GoValue } from '../value.js';
import { intArg, strval, toInt } from './cast.js';
import { deepEqual, isEmpty, kindOrPanic, sliceElements } from './reflect.js';
import { goFunc } from './signature.js';

/** Elements of a list argument, or the error Sprig reports for any other kind. */
function elementsOf(v: GoValue, message: (kind: string) => string): GoValue[] {
  const kind = kindOrPanic(v);
  const items = sliceElements(v);
  if (!items) throw new GoError(message(kind));
  return items;
}

/** Sprig's strslice (toStrings): nil elements dropped, the rest through strval. */
function toStringList(v: GoValue): string[] {
  if (typeName(v) === '[]string') return (v as string[]).slice();
  const items = sliceElements(v);
  if (items) return items.filter((x) => x !== null).map(strval);
  return v === null ? [] : [strval(v)];
}

function push(list: GoValue, v: GoValue): GoValue[] {
  return [...elementsOf(list, (k) => `Cannot push on type ${k}`), v];
}
function prepend(list: GoValue, v: GoValue): GoValue[] {
  return [v, ...elementsOf(list, (k) => `Cannot prepend on type ${k}`)];
}
function first(list: GoValue): GoValue {
  return elementsOf(list, (k) => `Cannot find first on type ${k}`)[0] ?? null;
}
function last(list: GoValue): GoValue {
  const items = elementsOf(list, (k) => `Cannot find last on type ${k}`);
  return items.length ? items[items.length - 1]! : null;
}
function rest(list: GoValue): GoValue[] {
  const items = elementsOf(list, (k) => `Cannot find rest on type ${k}`);
  return items.length ? items.slice(1) : nilSlice();
}
function initial(list: GoValue): GoValue[] {
  const items = elementsOf(list, (k) => `Cannot find initial on type ${k}`);
  return items.length ? items.slice(0, -1) : nilSlice();
}
function reverse(list: GoValue): GoValue[] {
  return elementsOf(list, (k) => `Cannot find reverse on type ${k}`).slice().reverse();
}
function compact(list: GoValue): GoValue[] {
  return elementsOf(list, (k) => `Cannot compact on type ${k}`).filter((x) => !isEmpty(x));
}
function uniq(list: GoValue): GoValue[] {
  const out: GoValue[] = [];
  for (const x of elementsOf(list, (k) => `Cannot find uniq on type ${k}`)) if (!out.some((y) => deepEqual(x, y))) out.push(x);
  return out;
}
function without(list: GoValue, ...omit: GoValue[]): GoValue[] {
  return elementsOf(list, (k) => `Cannot find without on type ${k}`).filter((x) => !omit.some((o) => deepEqual(o, x)));
}
function has(needle: GoValue, haystack: GoValue): boolean {
  if (haystack === null) return false;
  return elementsOf(haystack, (k) => `Cannot find has on type ${k}`).some((x) => deepEqual(needle, x));
}

/** Sprig's slice: list[start:end] keeping the list's type; an empty list gives nil. */
function slice(list: GoValue, ...indices: GoValue[]): GoValue {
  const items = elementsOf(list, (k) => `list should be type of slice or array but ${k}`);
  if (items.length === 0) return null;
  const start = indices.length > 0 ? toInt(indices[0]!).value : 0;
  const end = indices.length > 1 ? toInt(indices[1]!).value : items.length;
  if (start < 0 || end < start || end > items.length) throw new GoPanic('reflect.Value.Slice: slice index out of bounds');
  if (list instanceof Uint8Array) return list.slice(start, end);
  const out = items.slice(start, end);
  const t = (list as { [GO_TYPE]?: string })[GO_TYPE];
  return t ? withGoType(out, t) : out;
}

/** Go's int(f) on amd64: out of range (or NaN) gives math.MinInt64. */
const floatToInt = (f: number) => (Number.isFinite(f) && Math.abs(f) < 2 ** 63 ? Math.trunc(f) : -(2 ** 63));

/** Sprig's chunk, with its float arithmetic: a size of 0 or below makes Go panic or return [] as it does. */
function chunk(size: number, list: GoValue): GoValue {
  const items = elementsOf(list, (k) => `Cannot chunk type ${k}`);
  const makeslice = (n: number) => {
    if (n < 0) throw new GoPanic('runtime error: makeslice: len out of range');
  };
  const l = items.length;
  const count = floatToInt(Math.floor((l - 1) / size) + 1);
  makeslice(count);
  const out: GoValue[] = [];
  for (let i = 0; i < count; i++) {
    let clen = size;
    if (i === count - 1) {
      clen = floatToInt(Math.floor(l % size));
      if (clen === 0) clen = size;
    }
    makeslice(clen);
    const start = i * size;
    if (start + clen > l) throw new GoPanic('reflect: slice index out of range');
    out.push(items.slice(start, start + clen));
  }
  return withGoType(out, '[][]interface {}');
}

function concat(...lists: GoValue[]): GoValue[] {
  const out: GoValue[] = [];
  for (const l of lists) {
    const kind = kindOrPanic(l);
    const items = sliceElements(l);
    if (!items) throw new GoPanic(`Cannot concat type ${kind} as list`);
    out.push(...items);
  }
  return out.length ? out : nilSlice();
}

/** A must* variant returns the error; the plain one panics with it: both abort with the same text. */
function pair(signature: string, mustSignature: string, impl: (...args: any[]) => GoValue): [GoFunc, GoFunc] {
  return [goFunc(signature, impl), goFunc(mustSignature, impl)];
}

/**
 * Most elements until/untilStep/seq may produce. Go would allocate any length; JavaScript aborts the
 * whole process past about 112 million array elements (a fatal "invalid size" error no handler can
 * catch), and ten million ints already cost hundreds of MiB here: a longer list is a clean error.
 */
export const MAX_GENERATED_LIST = 10_000_000;

/** untilStep: the ints from start towards stop (exclusive) by step; a step of the wrong sign gives []. */
function untilStep(start: number, stop: number, step: number): number[] {
  const out: number[] = [];
  const count = step === 0 ? 0 : Math.ceil((stop - start) / step);
  if (count > MAX_GENERATED_LIST) {
    throw new GoError(`a list of ${count} numbers is longer than a render may build (at most ${MAX_GENERATED_LIST})`);
  }
  if (stop < start) {
    if (step >= 0) return out;
    for (let i = start; i > stop; i += step) out.push(i);
    return out;
  }
  if (step <= 0) return out;
  for (let i = start; i < stop; i += step) out.push(i);
  return out;
}

const intList = (ns: number[]) => withGoType(ns.map(int), '[]int');

/** seq like Unix seq: `seq 3`, `seq 2 5`, `seq 0 2 10`, counting down when end < start. */
function seq(...params: GoValue[]): string {
  const p = params.map(intArg);
  let nums: number[];
  switch (p.length) {
    case 1: {
      const inc = p[0]! < 1 ? -1 : 1;
      nums = untilStep(1, p[0]! + inc, inc);
      break;
    }
    case 2: {
      const inc = p[1]! < p[0]! ? -1 : 1;
      nums = untilStep(p[0]!, p[1]! + inc, inc);
      break;
    }
    case 3: {
      const [start, step, end] = p as [number, number, number];
      const inc = end < start ? -1 : 1;
      if (end < start && step > 0) return '';
      nums = untilStep(start, end + inc, step);
      break;
    }
    default:
      return '';
  }
  return nums.join(' ');
}

const [appendFn, mustAppend] = pair('(list interface{}, v interface{}) []interface{}', '(list interface{}, v interface{}) ([]interface{}, error)', push);
const [prependFn, mustPrepend] = pair('(list interface{}, v interface{}) []interface{}', '(list interface{}, v interface{}) ([]interface{}, error)', prepend);
const [firstFn, mustFirst] = pair('(list interface{}) interface{}', '(list interface{}) (interface{}, error)', first);
const [lastFn, mustLast] = pair('(list interface{}) interface{}', '(list interface{}) (interface{}, error)', last);
const [restFn, mustRest] = pair('(list interface{}) []interface{}', '(list interface{}) ([]interface{}, error)', rest);
const [initialFn, mustInitial] = pair('(list interface{}) []interface{}', '(list interface{}) ([]interface{}, error)', initial);
const [reverseFn, mustReverse] = pair('(v interface{}) []interface{}', '(v interface{}) ([]interface{}, error)', reverse);
const [uniqFn, mustUniq] = pair('(list interface{}) []interface{}', '(list interface{}) ([]interface{}, error)', uniq);
const [compactFn, mustCompact] = pair('(list interface{}) []interface{}', '(list interface{}) ([]interface{}, error)', compact);
const [withoutFn, mustWithout] = pair('(list interface{}, omit ...interface{}) []interface{}', '(list interface{}, omit ...interface{}) ([]interface{}, error)', without);
const [hasFn, mustHas] = pair('(needle interface{}, haystack interface{}) bool', '(needle interface{}, haystack interface{}) (bool, error)', has);
const [sliceFn, mustSlice] = pair('(list interface{}, indices ...interface{}) interface{}', '(list interface{}, indices ...interface{}) (interface{}, error)', slice);
const [chunkFn, mustChunk] = pair('(size int, list interface{}) [][]interface{}', '(size int, list interface{}) ([][]interface{}, error)', (n, l) => chunk(intArg(n), l));

const listFn = goFunc('(v ...interface{}) []interface{}', (...v: GoValue[]) => v);

export const listFuncs: FuncMap = {
  list: listFn,
  tuple: listFn,
  append: appendFn, push: appendFn, mustAppend, mustPush: mustAppend,
  prepend: prependFn, mustPrepend,
  first: firstFn, mustFirst,
  last: lastFn, mustLast,
  rest: restFn, mustRest,
  initial: initialFn, mustInitial,
  reverse: reverseFn, mustReverse,
  uniq: uniqFn, mustUniq,
  compact: compactFn, mustCompact,
  without: withoutFn, mustWithout,
  has: hasFn, mustHas,
  slice: sliceFn, mustSlice,
  chunk: chunkFn, mustChunk,
  concat: goFunc('(lists ...interface{}) interface{}', concat),
  sortAlpha: goFunc('(list interface{}) []string', (l: GoValue) =>
    withGoType(sliceElements(l) ? toStringList(l).sort(compareBytes) : [strval(l)], '[]string')),
  toStrings: goFunc('(v interface{}) []string', (v: GoValue) => withGoType(toStringList(v), '[]string')),
  join: goFunc('(sep string, v interface{}) string', (sep: string, v: GoValue) => toStringList(v).join(sep)),
  until: goFunc('(count int) []int', (c) => intList(untilStep(0, intArg(c), intArg(c) < 0 ? -1 : 1))),
  untilStep: goFunc('(start, stop, step int) []int', (a, b, c) => intList(untilStep(intArg(a), intArg(b), intArg(c)))),
  seq: goFunc('(params ...int) string', seq),
};
