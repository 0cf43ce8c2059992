// Reference cycles in values.schema.json, as helm's validator (santhosh-tekuri/jsonschema v6)
// finds them. The validator keeps a chain of the schemas it is applying to one value: every
// in-place applicator (`$ref`, `$dynamicRef`, `$recursiveRef`, `allOf`, `anyOf`, `oneOf`, `not`,
// `if`, `then`, `else`, `dependentSchemas`, schema-valued `dependencies`) extends the chain, and
// descending to a property or item starts a new one. When a schema comes back into the chain of
// the same value, that application fails with
//
//   both /anyOf/0/$ref and  resolve to "file:///values.schema.json#" causing reference cycle
//
// (the keyword paths of the two places from the root of the schema, and the location of the schema
// in the document). The failure is an ordinary one: inside `anyOf` another branch may still match,
// inside `not` or `if` it counts as not matching. A schema that recurses through properties or
// items (a tree) never repeats on one value and is fine.
//
// ajv would instead recurse until the stack runs out. So a schema with an in-place cycle is
// rewritten before ajv compiles it: each in-place cycle is unrolled from the places it is entered,
// and the `$ref` that closes it becomes the keyword REF_CYCLE_KEYWORD, which always fails with the
// message above. Schemas without such a cycle are left as they are.

/** The URL helm's validator gives the chart's schema document. */
export const SCHEMA_URL = 'file:///values.schema.json';
/** The keyword standing for a `$ref` that closes a cycle; its value is the failure's message. */
export const REF_CYCLE_KEYWORD = 'chartreleaseRefCycle';
/** Where the unrolled copies go in the rewritten document. */
const COPIES = 'x-chartrelease-unrolled';
/** At most this many schema objects are created by unrolling; past it a cycle is cut where it is found. */
const UNROLL_BUDGET = 5_000;

type Json = unknown;
type Obj = Record<string, Json>;

const isObj = (v: Json): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

const REF_KEYWORDS = ['$ref', '$dynamicRef', '$recursiveRef'] as const;
/** Keywords whose subschemas apply to the same value (besides the references). */
const IN_PLACE_ONE = ['not', 'if', 'then', 'else'];
const IN_PLACE_LIST = ['allOf', 'anyOf', 'oneOf'];
const IN_PLACE_MAP = ['dependentSchemas', 'dependencies'];
/** Keywords whose subschemas apply to a property, an item or another value. */
const DESCEND_ONE = ['additionalProperties', 'items', 'additionalItems', 'contains', 'unevaluatedProperties', 'unevaluatedItems', 'propertyNames', 'contentSchema'];
const DESCEND_LIST = ['items', 'prefixItems'];
const DESCEND_MAP = ['properties', 'patternProperties'];
/** Containers of schemas that apply only through references. */
const CONTAINERS = ['$defs', 'definitions'];

const escapeToken = (k: string): string => k.replaceAll('~', '~0').replaceAll('/', '~1');

/** A subschema of `node`: the keyword path below it (`/anyOf/0`) and the value there. */
interface Child {
  path: string;
  value: Json;
  inPlace: boolean;
}

function children(node: Obj): Child[] {
  const out: Child[] = [];
  const one = (k: string, inPlace: boolean) => {
    const v = node[k];
    if (isObj(v) || typeof v === 'boolean') out.push({ path: `/${escapeToken(k)}`, value: v, inPlace });
  };
  const list = (k: string, inPlace: boolean) => {
    const v = node[k];
    if (Array.isArray(v)) v.forEach((e, i) => out.push({ path: `/${escapeToken(k)}/${i}`, value: e, inPlace }));
  };
  const map = (k: string, inPlace: boolean) => {
    const v = node[k];
    if (isObj(v)) for (const [name, e] of Object.entries(v)) if (isObj(e) || typeof e === 'boolean') out.push({ path: `/${escapeToken(k)}/${escapeToken(name)}`, value: e, inPlace });
  };
  IN_PLACE_ONE.forEach((k) => one(k, true));
  IN_PLACE_LIST.forEach((k) => list(k, true));
  IN_PLACE_MAP.forEach((k) => map(k, true));
  DESCEND_ONE.forEach((k) => one(k, false));
  DESCEND_LIST.forEach((k) => list(k, false));
  DESCEND_MAP.forEach((k) => map(k, false));
  CONTAINERS.forEach((k) => map(k, false));
  return out;
}

/** The value at a JSON pointer (already unescaped tokens) below `node`. */
function atPointer(node: Json, pointer: string): Json {
  if (pointer === '') return node;
  let at: Json = node;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(at)) {
      if (!/^(0|[1-9]\d*)$/.test(key) || Number(key) >= at.length) return undefined;
      at = at[Number(key)];
    } else if (isObj(at) && Object.hasOwn(at, key)) at = at[key];
    else return undefined;
  }
  return at;
}

const withoutFragment = (url: string): string => url.replace(/#.*$/s, '');

function resolveUrl(ref: string, base: string): string | undefined {
  try {
    return new URL(ref, base).href;
  } catch {
    return undefined;
  }
}

/** Schema objects of the document with their JSON pointer, and how references resolve to them. */
class SchemaIndex {
  readonly pointerOf = new Map<Obj, string>();
  private readonly baseOf = new Map<Obj, string>();
  private readonly resources = new Map<string, string>();
  private readonly anchors = new Map<string, string>();

  constructor(readonly root: Obj, idKeyword: '$id' | 'id') {
    this.resources.set(SCHEMA_URL, '');
    const todo: { node: Obj; pointer: string; base: string }[] = [{ node: root, pointer: '', base: SCHEMA_URL }];
    while (todo.length > 0) {
      const { node, pointer, base: outer } = todo.pop()!;
      if (this.pointerOf.has(node)) continue;
      let base = outer;
      const id = node[idKeyword];
      if (typeof id === 'string') {
        if (id.startsWith('#')) this.anchors.set(`${base}${id}`, pointer); // draft-07's plain-name fragment
        else {
          const url = resolveUrl(id, base);
          if (url !== undefined) {
            base = withoutFragment(url);
            this.resources.set(base, pointer);
          }
        }
      }
      for (const k of ['$anchor', '$dynamicAnchor']) if (typeof node[k] === 'string') this.anchors.set(`${base}#${node[k] as string}`, pointer);
      this.pointerOf.set(node, pointer);
      this.baseOf.set(node, base);
      for (const c of children(node)) if (isObj(c.value)) todo.push({ node: c.value, pointer: pointer + c.path, base });
    }
  }

  /** The absolute URL of a reference made in `from`. */
  url(ref: string, from: Obj): string | undefined {
    return resolveUrl(ref, this.baseOf.get(from) ?? SCHEMA_URL);
  }

  hasResource(url: string): boolean {
    return this.resources.has(url);
  }

  /** The JSON pointer (in the whole document) a reference made in `from` points at, if it is in the document. */
  resolve(ref: string, from: Obj): string | undefined {
    const url = this.url(ref, from);
    if (url === undefined) return undefined;
    const hash = url.indexOf('#');
    const doc = hash < 0 ? url : url.slice(0, hash);
    let fragment: string;
    try {
      fragment = hash < 0 ? '' : decodeURIComponent(url.slice(hash + 1));
    } catch {
      return undefined;
    }
    if (fragment === '' || fragment.startsWith('/')) {
      const resource = this.resources.get(doc);
      if (resource === undefined) return undefined;
      const pointer = resource + fragment;
      return atPointer(this.root, pointer) === undefined ? undefined : pointer;
    }
    return this.anchors.get(`${doc}#${fragment}`);
  }
}

interface Edge {
  keyword: string;
  target: Json;
  pointer: string | undefined;
}

/** The references of a schema object, resolved. */
function refsOf(index: SchemaIndex, node: Obj): Edge[] {
  const out: Edge[] = [];
  for (const keyword of REF_KEYWORDS) {
    const ref = node[keyword];
    if (typeof ref !== 'string') continue;
    const pointer = index.resolve(ref, node);
    out.push({ keyword, pointer, target: pointer === undefined ? undefined : atPointer(index.root, pointer) });
  }
  return out;
}

/**
 * The strongly connected components of the graph of in-place applications (Tarjan's algorithm,
 * without recursion): for every schema object on an in-place cycle, its component's number.
 */
function inPlaceCycles(index: SchemaIndex): Map<Obj, number> {
  const next = (node: Obj): Obj[] => [
    ...children(node).filter((c) => c.inPlace && isObj(c.value)).map((c) => c.value as Obj),
    ...refsOf(index, node).flatMap((e) => (isObj(e.target) ? [e.target] : [])),
  ];
  const order = new Map<Obj, number>();
  const low = new Map<Obj, number>();
  const onStack = new Set<Obj>();
  const stack: Obj[] = [];
  const component = new Map<Obj, number>();
  let counter = 0;
  let components = 0;
  for (const start of index.pointerOf.keys()) {
    if (order.has(start)) continue;
    const frames: { node: Obj; succ: Obj[]; i: number }[] = [];
    const enter = (node: Obj) => {
      order.set(node, counter);
      low.set(node, counter++);
      stack.push(node);
      onStack.add(node);
      frames.push({ node, succ: next(node), i: 0 });
    };
    enter(start);
    while (frames.length > 0) {
      const f = frames[frames.length - 1]!;
      if (f.i < f.succ.length) {
        const w = f.succ[f.i++]!;
        if (!order.has(w)) enter(w);
        else if (onStack.has(w)) low.set(f.node, Math.min(low.get(f.node)!, order.get(w)!));
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1]!.node;
        low.set(parent, Math.min(low.get(parent)!, low.get(f.node)!));
      }
      if (low.get(f.node) !== order.get(f.node)) continue;
      const members: Obj[] = [];
      let w: Obj;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        members.push(w);
      } while (w !== f.node);
      const cyclic = members.length > 1 || next(f.node).includes(f.node);
      if (cyclic) {
        for (const m of members) component.set(m, components);
        components++;
      }
    }
  }
  return component;
}

/** One schema applied to the current value on the way to where we are: the schema and its keyword path. */
interface Applied {
  node: Obj;
  path: string;
}

/** Rewrites a document with in-place cycles so that ajv can compile it (see the top of the file). */
class Unroller {
  private readonly plain = new Map<Obj, Obj>();
  private readonly fresh = new Map<Obj, Obj>();
  private readonly entries = new Map<string, string>();
  private readonly copies: Obj = {};
  private copyCount = 0;
  private budget = UNROLL_BUDGET;
  cycles = 0;

  constructor(
    private readonly index: SchemaIndex,
    private readonly component: Map<Obj, number>,
    private readonly idKeyword: '$id' | 'id',
  ) {}

  document(): Obj {
    const out = this.schema(this.index.root, '', []) as Obj;
    return { ...out, $id: SCHEMA_URL, [COPIES]: this.copies };
  }

  private abs(pointer: string): string {
    return `${SCHEMA_URL}#${pointer.split('/').map(encodeURIComponent).join('/')}`;
  }

  /**
   * A subschema as it appears at a place reached by `path`, `chain` being what applies to the same
   * value there. `validated` is false below `$defs`/`definitions`, which apply only through
   * references (those get unrolled copies), so nothing there is unrolled.
   */
  private schema(value: Json, path: string, chain: Applied[], validated = true): Json {
    if (!isObj(value)) return value;
    const c = this.component.get(value);
    if (c === undefined) {
      const done = this.plain.get(value);
      if (done) return done;
      const out: Obj = {};
      this.plain.set(value, out);
      this.fill(value, out, path, [], true);
      return out;
    }
    const out: Obj = {};
    if (!validated) {
      this.fill(value, out, path, [], false);
      return out;
    }
    // Back at a schema the chain passed through (reached here without a reference: a subschema of a
    // schema that a reference led into): the schema fails at once, as the validator checks first.
    const seen = chain.find((a) => a.node === value);
    if (seen) {
      this.cycles++;
      return { [REF_CYCLE_KEYWORD]: this.message(path, seen.path, this.index.pointerOf.get(value)!) };
    }
    const here = chain.filter((a) => this.component.get(a.node) === c);
    if (here.length === 0) {
      // Entered afresh (at its place, or below a property or item): the same whatever the route, once.
      const done = this.fresh.get(value);
      if (done) return done;
      this.fresh.set(value, out);
    }
    this.unroll(value, out, path, here);
    return out;
  }

  /** The copy of a schema on an in-place cycle, `chain` being what applies to the same value before it. */
  private unroll(value: Obj, out: Obj, path: string, chain: Applied[]): Obj {
    this.budget--;
    this.fill(value, out, path, [...chain, { node: value, path }], true);
    return out;
  }

  private fill(node: Obj, out: Obj, path: string, chain: Applied[], validated: boolean): void {
    const kids = new Map(children(node).map((k) => [k.path, k]));
    const later: [string, Json][] = [];
    for (const [key, value] of Object.entries(node)) {
      if (key === '$id' || key === this.idKeyword || key === '$anchor') continue;
      if ((REF_KEYWORDS as readonly string[]).includes(key) && typeof value === 'string') {
        this.reference(node, key, out, path, chain, validated);
        continue;
      }
      out[key] = value;
      if (isObj(value) || Array.isArray(value)) later.push([key, value]);
    }
    // Containers last, so that a schema reached through a reference is named by that route.
    later.sort(([a], [b]) => Number(CONTAINERS.includes(a)) - Number(CONTAINERS.includes(b)));
    for (const [key, value] of later) {
      const token = `/${escapeToken(key)}`;
      const container = CONTAINERS.includes(key);
      const sub = (childPath: string, v: Json): Json => {
        const kid = kids.get(childPath);
        if (!kid) return v;
        return this.schema(v, path + childPath, kid.inPlace ? chain : [], validated && !container);
      };
      if (Array.isArray(value)) out[key] = value.map((v, i) => sub(`${token}/${i}`, v));
      else if (kids.has(token)) out[key] = sub(token, value);
      else out[key] = Object.fromEntries(Object.entries(value as Obj).map(([k, v]) => [k, sub(`${token}/${escapeToken(k)}`, v)]));
    }
  }

  /** Helm's words for a schema applied again to the value: both keyword paths, and where the schema is in the document. */
  private message(again: string, first: string, pointer: string): string {
    return `both ${again} and ${first} resolve to "${SCHEMA_URL}#${pointer}" causing reference cycle`;
  }

  private reference(node: Obj, keyword: string, out: Obj, path: string, chain: Applied[], validated: boolean): void {
    const edge = refsOf(this.index, node).find((e) => e.keyword === keyword);
    const refPath = `${path}/${escapeToken(keyword)}`;
    if (!edge || edge.pointer === undefined) {
      // Unresolved: made absolute, so that taking the $id's out does not make it resolve elsewhere.
      out[keyword] = this.index.url(node[keyword] as string, node) ?? node[keyword];
      return;
    }
    const target = edge.target;
    if (!validated) {
      out.$ref = this.abs(edge.pointer);
      return;
    }
    const seen = isObj(target) ? chain.find((a) => a.node === target) : undefined;
    const c = isObj(target) ? this.component.get(target) : undefined;
    if (seen) {
      out[REF_CYCLE_KEYWORD] = this.message(refPath, seen.path, edge.pointer);
      this.cycles++;
      return;
    }
    if (c === undefined || !isObj(target)) {
      if (isObj(target)) this.schema(target, refPath, []);
      out.$ref = this.abs(edge.pointer);
      return;
    }
    const inChain = chain.length > 0 && this.component.get(chain[0]!.node) === c;
    if (this.budget <= 0) {
      // Past the budget: the cycle is cut here, named by the first schema of the chain.
      const first = inChain ? chain[0]! : { node: target, path: refPath };
      out[REF_CYCLE_KEYWORD] = this.message(refPath, first.path, this.index.pointerOf.get(first.node) ?? edge.pointer);
      this.cycles++;
      return;
    }
    if (!inChain) {
      // Entering a cycle from outside: one unrolled copy per place it is entered from.
      const site = `${this.index.pointerOf.get(node) ?? path}/${keyword}`;
      let name = this.entries.get(site);
      if (name === undefined) {
        name = String(this.copyCount++);
        this.entries.set(site, name);
        this.copies[name] = this.unroll(target, {}, refPath, []);
      }
      out.$ref = `${SCHEMA_URL}#/${COPIES}/${name}`;
      return;
    }
    const name = String(this.copyCount++);
    this.copies[name] = this.schema(target, refPath, chain);
    out.$ref = `${SCHEMA_URL}#/${COPIES}/${name}`;
  }
}

/**
 * The schema as ajv should compile it: unchanged when no schema can come back to itself on the same
 * value; otherwise rewritten so that each such return fails with helm's "causing reference cycle".
 * `idKeyword` is `id` for draft-04 schemas, `$id` otherwise.
 */
export function breakRefCycles(root: Obj, idKeyword: '$id' | 'id' = '$id'): Obj {
  const index = new SchemaIndex(root, idKeyword);
  const component = inPlaceCycles(index);
  if (component.size === 0) return root;
  return new Unroller(index, component, idKeyword).document();
}

/**
 * A `$ref` into this document (its root or a resource with an `$id` inside it) that points at
 * nothing, in helm's words (`json-pointer in "file:///values.schema.json#/x" not found`): ajv
 * would recurse for ever resolving one inside an `$id` resource. References elsewhere are not
 * judged here.
 */
export function unresolvedReference(root: Obj, idKeyword: '$id' | 'id' = '$id'): string | undefined {
  const index = new SchemaIndex(root, idKeyword);
  for (const node of index.pointerOf.keys()) {
    const ref = node.$ref;
    if (typeof ref !== 'string' || index.resolve(ref, node) !== undefined) continue;
    const url = index.url(ref, node);
    if (url === undefined) continue;
    const hash = url.indexOf('#');
    if (!index.hasResource(hash < 0 ? url : url.slice(0, hash))) continue;
    const fragment = hash < 0 ? '' : url.slice(hash + 1);
    return fragment === '' || fragment.startsWith('/') ? `json-pointer in "${url}" not found` : `anchor in "${url}" not found in schema "${SCHEMA_URL}"`;
  }
  return undefined;
}
