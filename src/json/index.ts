// JSON text of values of any depth. Values may nest as deep as helm's parsers allow (go-yaml and
// encoding/json: 10,000 levels), while V8's JSON.stringify and any recursive walk run out of the
// operator thread's stack near 4,000. Everything the operator's thread writes as JSON (release
// records, request bodies, digests, comparisons) goes through here: JSON.stringify while it can, an
// explicit stack past that.

type Frame =
  | { array: true; items: readonly unknown[]; i: number; object: object }
  | { array: false; entries: [string, unknown][]; i: number; object: object; wrote: boolean };

interface Mode {
  /** Object keys sorted (code unit order) at every level. */
  sorted: boolean;
  /** `toJSON` methods called, as JSON.stringify does. */
  toJSON: boolean;
}

/** The text of a value that is not written as an array or object, undefined where JSON.stringify leaves it out. */
function scalarText(v: unknown): string | undefined {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    default:
      return undefined;
  }
}

function prepare(v: unknown, key: string, mode: Mode): unknown {
  if (mode.toJSON && v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') v = (v as { toJSON(k: string): unknown }).toJSON(key);
  if (v instanceof Number || v instanceof String || v instanceof Boolean) return v.valueOf();
  return v;
}

function write(root: unknown, mode: Mode): string | undefined {
  const out: string[] = [];
  const stack: Frame[] = [];
  const open = new Set<object>();
  /** Writes a value, or opens its frame; false when there is nothing to write (undefined, functions). */
  const begin = (v: unknown): boolean => {
    if (v === null || typeof v !== 'object') {
      const text = scalarText(v);
      if (text === undefined) return false;
      out.push(text);
      return true;
    }
    if (open.has(v)) throw new TypeError('Converting circular structure to JSON');
    open.add(v);
    if (Array.isArray(v)) {
      out.push('[');
      stack.push({ array: true, items: v, i: 0, object: v });
    } else {
      const entries = Object.entries(v as Record<string, unknown>);
      if (mode.sorted) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      out.push('{');
      stack.push({ array: false, entries, i: 0, object: v, wrote: false });
    }
    return true;
  };
  if (!begin(prepare(root, '', mode))) return undefined;
  while (stack.length > 0) {
    const f = stack[stack.length - 1]!;
    if (f.array) {
      if (f.i === f.items.length) {
        out.push(']');
        open.delete(f.object);
        stack.pop();
        continue;
      }
      const i = f.i++;
      if (i > 0) out.push(',');
      if (!begin(prepare(f.items[i], String(i), mode))) out.push('null');
      continue;
    }
    if (f.i === f.entries.length) {
      out.push('}');
      open.delete(f.object);
      stack.pop();
      continue;
    }
    const [key, raw] = f.entries[f.i++]!;
    const v = prepare(raw, key, mode);
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    out.push(`${f.wrote ? ',' : ''}${JSON.stringify(key)}:`);
    f.wrote = true;
    begin(v);
  }
  return out.join('');
}

/** JSON.stringify(value) (no replacer, no indent), for values nested deeper than the stack allows. */
export function jsonStringify(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (err) {
    if (!(err instanceof RangeError) || !/call stack/i.test(err.message)) throw err;
    return write(value, { sorted: false, toJSON: true }) as string;
  }
}

/**
 * JSON with object keys sorted at every level, so the same values give the same text; undefined
 * members are left out (in arrays they are null), toJSON methods are not called.
 */
export function canonicalJson(value: unknown): string {
  return write(value, { sorted: true, toJSON: false }) ?? 'null';
}

/** Whether two JSON values are equal (arrays in order, objects by their own keys), at any depth. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  const todo: [unknown, unknown][] = [[a, b]];
  while (todo.length > 0) {
    const [x, y] = todo.pop()!;
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    if (Array.isArray(x)) {
      const ys = y as unknown[];
      if (x.length !== ys.length) return false;
      x.forEach((v, i) => todo.push([v, ys[i]]));
      continue;
    }
    const kx = Object.keys(x);
    if (kx.length !== Object.keys(y).length) return false;
    for (const k of kx) {
      if (!Object.prototype.hasOwnProperty.call(y, k)) return false;
      todo.push([(x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]]);
    }
  }
  return true;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The key paths where two values differ, depth first in sorted key order: while both sides are
 * maps the walk goes into every key of either; elsewhere `equal` decides. At most `limit` paths.
 */
export function differingPaths(a: unknown, b: unknown, equal: (x: unknown, y: unknown) => boolean, limit = Infinity): string[][] {
  const out: string[][] = [];
  const todo: [unknown, unknown, string[]][] = [[a, b, []]];
  while (todo.length > 0 && out.length < limit) {
    const [x, y, path] = todo.pop()!;
    if (isMap(x) && isMap(y)) {
      const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
      for (let i = keys.length - 1; i >= 0; i--) todo.push([x[keys[i]!], y[keys[i]!], [...path, keys[i]!]]);
    } else if (!equal(x, y)) out.push(path);
  }
  return out;
}
