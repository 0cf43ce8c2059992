// values.schema.json validation after coalescing, as Helm 4 does it (santhosh-tekuri/jsonschema v6):
// the chart's schema against its values, then every subchart's schema against its section. The
// draft comes from `$schema` (2020-12 when absent or unversioned); `format` is asserted only for
// drafts before 2019-09. Errors are printed in the validator's shape:
//
//   values don't meet the specifications of the schema(s) in the following chart(s):
//   checkout-api:
//   - at '/replicaCount': got string, want integer
//
// The validator underneath is ajv (+ ajv-formats); its errors are regrouped into that tree.
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { GoRegexp } from '../../template/funcs/re2.js';
import { GoInt, isMap, type GoMap, type GoValue } from '../../template/value.js';
import type { Chart } from '../types.js';
import { breakRefCycles, REF_CYCLE_KEYWORD, unresolvedReference } from './schema-cycles.js';

export class SchemaValidationError extends Error {
  override name = 'SchemaValidationError';
}

type AjvClass = new (opts: object) => { compile(schema: object): ValidateFunction; addKeyword(definition: object): unknown };

// ajv is loaded on first use: most charts have no schema, and loading it costs a CLI run ~50 ms.
const require = createRequire(import.meta.url);
const load = <T>(id: string): T => {
  const m = require(id) as { default?: T };
  return (m.default ?? m) as T;
};

type Draft = 'draft-07' | '2019-09' | '2020-12';

/** santhosh-tekuri's draft detection: by the `$schema` URL; unknown or unversioned means the latest. */
function draftOf(schema: { $schema?: unknown }): Draft {
  const url = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (/json-schema\.org\/draft-0[4-7]\/schema/.test(url)) return 'draft-07';
  if (url.includes('json-schema.org/draft/2019-09/schema')) return '2019-09';
  return '2020-12';
}

/**
 * `pattern` and `patternProperties` as the Go validator reads them: Go's regexp (RE2 syntax,
 * matched in linear time), never JavaScript's backtracking RegExp.
 */
const goRegExp = Object.assign(
  (pattern: string) => {
    const re = new GoRegexp(pattern);
    return { test: (s: string) => re.matchString(s), toString: () => `GoRegexp(${JSON.stringify(pattern)})` };
  },
  { code: 'GoRegexp' },
);

const compiled = new WeakMap<Buffer, ValidateFunction>();

/** Where a schema came back to itself on the same value (see schema-cycles.ts): always a failure, helm's message. */
function refCycleFails(this: unknown, message: string, _data: unknown, parentSchema: unknown): boolean {
  refCycleFails.errors = [{ keyword: REF_CYCLE_KEYWORD, message, params: { message }, parentSchema: parentSchema as ErrorObject["parentSchema"] }];
  return false;
}
refCycleFails.errors = [] as Partial<ErrorObject>[];

function validatorFor(raw: Buffer, chartName: string): ValidateFunction {
  const cached = compiled.get(raw);
  if (cached) return cached;
  let schema: unknown;
  try {
    schema = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new SchemaValidationError(`${chartName}/values.schema.json: ${(err as Error).message}`);
  }
  if (typeof schema === 'boolean') schema = schema ? {} : { not: {} };
  if (!isMap(schema as GoValue)) throw new SchemaValidationError(`${chartName}/values.schema.json: a schema must be an object or a boolean`);
  const draft = draftOf(schema as { $schema?: unknown });
  // ajv only knows its own meta-schema URLs; the draft is chosen above.
  const { $schema: _ignored, ...body } = schema as Record<string, unknown>;
  if (/draft-0[34]\//.test(String((schema as { $schema?: unknown }).$schema))) dropBooleanBounds(body);
  const Cls = load<AjvClass>(draft === 'draft-07' ? 'ajv' : draft === '2019-09' ? 'ajv/dist/2019.js' : 'ajv/dist/2020.js');
  const addFormats = load<(ajv: object) => void>('ajv-formats');
  const ajv = new Cls({ allErrors: true, verbose: true, strict: false, validateFormats: draft === 'draft-07', validateSchema: false, logger: false, code: { regExp: goRegExp } });
  addFormats(ajv);
  ajv.addKeyword({ keyword: REF_CYCLE_KEYWORD, schemaType: 'string', errors: true, validate: refCycleFails });
  const idKeyword = /draft-04\//.test(String((schema as { $schema?: unknown }).$schema)) ? 'id' : '$id';
  const unresolved = unresolvedReference(body, idKeyword);
  if (unresolved) throw new SchemaValidationError(`values don't meet the specifications of the schema(s) in the following chart(s):\n${chartName}:\n${unresolved}\n`);
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(breakRefCycles(body, idKeyword));
  } catch (err) {
    throw new SchemaValidationError(`${chartName}/values.schema.json: ${(err as Error).message}`);
  }
  compiled.set(raw, validate);
  return validate;
}

/**
 * Draft-04's boolean `exclusiveMinimum`/`exclusiveMaximum` (modifiers of minimum/maximum) have no
 * effect in helm 4's validator, which reads the schema with later drafts' keywords; ajv would refuse
 * them, so they are dropped.
 */
function dropBooleanBounds(node: unknown): void {
  if (Array.isArray(node)) node.forEach(dropBooleanBounds);
  else if (node !== null && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    for (const k of ['exclusiveMinimum', 'exclusiveMaximum']) if (typeof o[k] === 'boolean') delete o[k];
    Object.values(o).forEach(dropBooleanBounds);
  }
}

/** Go values as the JSON the validator sees (int64 from --set is a JSON integer, bytes are base64). */
function toJson(v: GoValue): unknown {
  if (v instanceof GoInt) return v.value;
  if (Array.isArray(v)) return v.map(toJson);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (isMap(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) out[k] = toJson(e);
    return out;
  }
  return v;
}

const jsonType = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'boolean' : typeof v === 'number' ? 'number' : 'string');

/** How santhosh-tekuri prints a value inside a message: strings in single quotes, others as JSON. */
function display(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : JSON.stringify(v);
}

function quotedList(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}

/** Numbers as golang.org/x/text/message prints them in these messages: thousands grouped (`70,000`). */
function num(v: unknown): string {
  const text = typeof v === 'number' ? String(v) : JSON.stringify(v);
  const m = /^(-?)(\d+)(.*)$/.exec(text);
  if (!m || m[3]!.includes('e')) return text;
  return `${m[1]}${m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3]}`;
}

function messageOf(e: ErrorObject): string {
  const p = e.params as Record<string, any>;
  switch (e.keyword) {
    case 'type': {
      const want = (Array.isArray(p.type) ? [...p.type] : String(p.type).split(',')).sort();
      return `got ${jsonType(e.data)}, want ${want.join(' or ')}`;
    }
    case 'required':
      return `missing property '${p.missingProperty}'`;
    case 'additionalProperties':
      return `additional properties '${p.additionalProperty}' not allowed`;
    case 'enum':
      return p.allowedValues.length === 1 ? `value must be ${display(p.allowedValues[0])}` : `value must be one of ${p.allowedValues.map(display).join(', ')}`;
    case 'const':
      return `value must be ${display(p.allowedValue)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'multipleOf':
      return `${e.keyword}: got ${num(e.data)}, want ${num(p.limit ?? p.multipleOf)}`;
    case 'minLength':
    case 'maxLength':
      return `${e.keyword}: got ${num(Array.from(String(e.data)).length)}, want ${num(p.limit)}`;
    case 'minItems':
    case 'maxItems':
      return `${e.keyword}: got ${num((e.data as unknown[]).length)}, want ${num(p.limit)}`;
    case 'minProperties':
    case 'maxProperties':
      return `${e.keyword}: got ${num(Object.keys(e.data as object).length)}, want ${num(p.limit)}`;
    case 'pattern':
      return `${display(e.data)} does not match pattern ${display(p.pattern)}`;
    case 'format':
      return `${display(e.data)} is not valid ${p.format}`;
    case 'uniqueItems':
      return `items at ${p.j} and ${p.i} are equal`;
    case 'oneOf':
      return p.passingSchemas ? `'oneOf' failed, subschemas ${p.passingSchemas.join(', ')} matched` : `'oneOf' failed, none matched`;
    case 'anyOf':
      return `'anyOf' failed`;
    case 'not':
      return `'not' failed`;
    case 'false schema':
      return 'false schema';
    case REF_CYCLE_KEYWORD:
      return String(p.message);
    case 'dependentRequired':
    case 'dependencies':
      return `properties ${quotedList(String(p.deps).split(', '))} required, if '${p.property}' exists`;
    case 'contains':
      return 'no items match contains schema';
    default:
      return e.message ?? `${e.keyword} failed`;
  }
}

interface Node {
  at: string;
  message: string;
  children: Node[];
}

/** Regroups ajv's flat error list into santhosh-tekuri's tree (one "validation failed" per subtree). */
function errorTree(errors: ErrorObject[], at: string): Node[] {
  // Errors inside oneOf/anyOf branches belong to that keyword's node.
  const combinators = errors.filter((e) => (e.keyword === 'oneOf' || e.keyword === 'anyOf') && e.instancePath === at);
  const inBranch = (e: ErrorObject) => combinators.some((c) => e !== c && e.schemaPath.startsWith(`${c.schemaPath}/`));
  const nodes: Node[] = [];
  const additional: string[] = [];
  const missing: string[] = [];
  const deeper = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    if (combinators.includes(e) || inBranch(e) || (e.keyword === 'if')) continue;
    if (e.instancePath === at) {
      if (e.keyword === 'required') missing.push(String((e.params as Record<string, unknown>).missingProperty));
      else if (e.keyword === 'additionalProperties') additional.push(String((e.params as Record<string, unknown>).additionalProperty));
      else nodes.push({ at, message: messageOf(e), children: [] });
      continue;
    }
    const rest = e.instancePath.slice(at.length + 1);
    const child = `${at}/${rest.split('/')[0]}`;
    const list = deeper.get(child) ?? [];
    list.push(e);
    deeper.set(child, list);
  }
  if (missing.length) nodes.unshift({ at, message: missing.length === 1 ? `missing property ${quotedList(missing)}` : `missing properties ${quotedList(missing)}`, children: [] });
  // A combinator inside another one's branch is a node of that branch, with its own branches below it.
  const innermost = (e: ErrorObject) => combinators.filter((c) => e !== c && e.schemaPath.startsWith(`${c.schemaPath}/`)).sort((a, b) => b.schemaPath.length - a.schemaPath.length)[0];
  const combinatorNode = (c: ErrorObject): Node => ({
    at,
    message: messageOf(c),
    children: errors.filter((e) => innermost(e) === c).map((e) => (combinators.includes(e) ? combinatorNode(e) : { at: e.instancePath, message: messageOf(e), children: [] })),
  });
  for (const c of combinators) if (innermost(c) === undefined) nodes.push(combinatorNode(c));
  for (const [child, list] of deeper) {
    const sub = errorTree(list, child);
    if (sub.length === 1) nodes.push(sub[0]!);
    else nodes.push({ at: child, message: 'validation failed', children: sub });
  }
  if (additional.length) nodes.push({ at, message: `additional properties ${quotedList(additional)} not allowed`, children: [] });
  return nodes;
}

function printTree(nodes: Node[], indent: string): string {
  return nodes.map((n) => `${indent}- at '${n.at}': ${n.message}\n${printTree(n.children, `${indent}  `)}`).join('');
}

/** Keywords after whose failure helm's validator stops applying that schema to the value, in its order. */
const STOPPING = ['type', 'const', 'enum', 'format'];

/** The schema objects inside a schema (itself included), without following references. */
function within(schema: unknown): Set<unknown> {
  const out = new Set<unknown>();
  const todo = [schema];
  while (todo.length > 0) {
    const v = todo.pop();
    if (v === null || typeof v !== 'object' || out.has(v)) continue;
    out.add(v);
    todo.push(...Object.values(v as object));
  }
  return out;
}

/**
 * Helm's validator returns from a schema at the first failing `type`, `const`, `enum` or `format`
 * (in that order) without applying the rest of it to the value; ajv (allErrors) goes on. The errors
 * ajv found in the rest of such a schema, at that value or below it, are dropped.
 */
function stopAtFirstFailure(errors: ErrorObject[]): ErrorObject[] {
  const stops = errors.filter((e) => STOPPING.includes(e.keyword) && e.parentSchema !== undefined);
  if (stops.length === 0) return errors;
  const inside = new Map(stops.map((s) => [s, within(s.parentSchema)]));
  return errors.filter((e) => !stops.some((s) => {
    if (s === e || !(e.instancePath === s.instancePath || e.instancePath.startsWith(`${s.instancePath}/`))) return false;
    if (e.parentSchema === s.parentSchema && e.instancePath === s.instancePath) return !STOPPING.includes(e.keyword) || STOPPING.indexOf(e.keyword) > STOPPING.indexOf(s.keyword);
    return inside.get(s)!.has(e.parentSchema);
  }));
}

/** The errors of one schema against one values map, as Helm prints them ('' when valid). */
function validateSingle(schema: Buffer, values: GoMap, chartName: string): string {
  const validate = validatorFor(schema, chartName);
  if (validate(toJson(values))) return '';
  return printTree(errorTree(stopAtFirstFailure(validate.errors ?? []), ''), '').replace(/\n$/, '') + '\n';
}

/** ValidateAgainstSchema: the chart's and its subcharts' schema errors, one block per chart. */
function schemaErrors(chart: Chart, values: GoMap): string {
  let out = '';
  if (chart.schema) {
    const errs = validateSingle(chart.schema, values, chart.metadata.name);
    if (errs) out += `${chart.metadata.name}:\n${errs}`;
  }
  for (const sub of chart.dependencies) {
    const name = sub.metadata.name;
    const raw = Object.hasOwn(values, name) ? values[name] : null;
    if (raw === null || raw === undefined) continue;
    if (!isMap(raw)) {
      out += `${name}:\ninvalid type for values: expected object (map), got ${raw instanceof GoInt ? raw.type : typeof raw === 'number' ? 'float64' : Array.isArray(raw) ? '[]interface {}' : typeof raw}\n`;
      continue;
    }
    out += schemaErrors(sub, raw);
  }
  return out;
}

/** Throws a SchemaValidationError with Helm's text when the coalesced values violate a schema. */
export function validateValues(chart: Chart, values: GoMap): void {
  const errs = schemaErrors(chart, values);
  if (errs) throw new SchemaValidationError(`values don't meet the specifications of the schema(s) in the following chart(s):\n${errs}`);
}
