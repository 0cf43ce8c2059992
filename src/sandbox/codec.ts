// Go values across the worker boundary. Structured cloning drops what the value model needs (GoInt's
// class, the Go type tag of a map or slice) and, like JSON, recurses once per nesting level, which
// values nested 10,000 deep (Helm accepts them) would turn into a stack overflow on the operator's
// thread. So values travel as a flat list of tokens in pre-order, written and read with explicit stacks.
import { GO_TYPE, GoInt, type GoIntType, type GoMap, type GoValue } from '../template/value.js';

/** A Go value flattened for postMessage: tag, payload, tag, payload, ... */
export type FlatValue = unknown[];

const PRIMITIVE = 0;
const INT = 1;
const LIST = 2;
const MAP = 3;
const BYTES = 4;

const goTypeOf = (v: object): string | undefined => (v as { [GO_TYPE]?: string })[GO_TYPE];

export function flattenValue(root: GoValue): FlatValue {
  const out: unknown[] = [];
  const todo: GoValue[] = [root];
  while (todo.length > 0) {
    const v = todo.pop()!;
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.push(PRIMITIVE, v);
    else if (v instanceof GoInt) out.push(INT, [v.value, v.type, v.exact?.toString()]);
    else if (v instanceof Uint8Array) out.push(BYTES, v);
    else if (Array.isArray(v)) {
      out.push(LIST, [v.length, goTypeOf(v)]);
      for (let i = v.length - 1; i >= 0; i--) todo.push(v[i]!);
    } else if (typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
      const keys = Object.keys(v as GoMap);
      out.push(MAP, [keys, goTypeOf(v as object)]);
      for (let i = keys.length - 1; i >= 0; i--) todo.push((v as GoMap)[keys[i]!]!);
    } else {
      throw new TypeError(`a value of type ${(v as object).constructor?.name ?? typeof v} cannot leave the render worker`);
    }
  }
  return out;
}

interface Frame {
  container: GoValue[] | GoMap;
  keys: string[] | null;
  next: number;
  length: number;
}

function tagged<T extends object>(v: T, goType: string | undefined): T {
  if (goType !== undefined) Object.defineProperty(v, GO_TYPE, { value: goType, enumerable: false, configurable: true, writable: true });
  return v;
}

export function unflattenValue(flat: FlatValue): GoValue {
  let root: GoValue = null;
  const stack: Frame[] = [];
  const attach = (v: GoValue) => {
    const top = stack[stack.length - 1];
    if (!top) {
      root = v;
      return;
    }
    if (top.keys) {
      const key = top.keys[top.next]!;
      if (key === '__proto__') Object.defineProperty(top.container, key, { value: v, enumerable: true, writable: true, configurable: true });
      else (top.container as GoMap)[key] = v;
    } else (top.container as GoValue[])[top.next] = v;
    top.next++;
  };
  const popFull = () => {
    while (stack.length > 0 && stack[stack.length - 1]!.next === stack[stack.length - 1]!.length) stack.pop();
  };
  for (let i = 0; i < flat.length; i += 2) {
    const tag = flat[i];
    const payload = flat[i + 1];
    if (tag === PRIMITIVE || tag === BYTES) attach(payload as GoValue);
    else if (tag === INT) {
      const [value, type, exact] = payload as [number, GoIntType, string | undefined];
      attach(new GoInt(value, type, exact === undefined ? undefined : BigInt(exact)));
    } else if (tag === LIST) {
      const [length, goType] = payload as [number, string | undefined];
      const list = tagged(new Array<GoValue>(length), goType);
      attach(list);
      if (length > 0) stack.push({ container: list, keys: null, next: 0, length });
    } else {
      const [keys, goType] = payload as [string[], string | undefined];
      const map = tagged({} as GoMap, goType);
      attach(map);
      if (keys.length > 0) stack.push({ container: map, keys, next: 0, length: keys.length });
    }
    popFull();
  }
  return root;
}
