// Writing Go values as YAML the two ways Helm does:
//  * toYaml: sigs.k8s.io/yaml.Marshal = encoding/json, then the JSON read back by go-yaml v2 (so
//    integral floats become integers) and written by go-yaml v2 (80-column folding, sequences not
//    indented under keys);
//  * toYamlPretty: go-yaml v3's encoder with indent 2, straight from the Go values.
import { GoComplex, GoInt, GoPanic, GoStruct, goStringFromBytes, isNilMap, isNilSlice, methodOf, typeName, type GoMap, type GoValue } from '../template/value.js';
import { emitYaml, type EmitNode } from './emitter.js';
import { foldNel } from './parse.js';
import { YamlError } from './errors.js';
import { sortedKeys } from './key-order.js';
import { formatJsonFloat, formatYamlFloat } from './numbers.js';
import { FLOAT_TAG, INT_TAG, plainReadsAsString, resolveScalar } from './resolve.js';

/** What encoding/json produces, with numbers kept as their JSON text. */
type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | Map<string, JsonValue>;

class JsonNumber {
  constructor(readonly text: string) {}
}

/** encoding/json's view of a Go value; throws Go's error text for what JSON cannot hold. */
function toJsonValue(v: GoValue | undefined): JsonValue {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'string':
      return readBackFromJson(v);
    case 'number':
      if (!Number.isFinite(v)) throw new Error(`json: unsupported value: ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'}`);
      return new JsonNumber(formatJsonFloat(v));
  }
  if (v instanceof GoInt) return new JsonNumber(v.toString());
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (isNilSlice(v) || isNilMap(v)) return null;
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (v instanceof GoComplex) throw new Error('json: unsupported type: complex128');
  const own = ownJson(v);
  if (own !== undefined) return fromJsonText(own);
  const fields = v instanceof GoStruct ? v.fields : (v as GoMap);
  const out = new Map<string, JsonValue>();
  for (const [k, x] of Object.entries(fields)) out.set(readBackFromJson(k), toJsonValue(x));
  return out;
}

/**
 * A string as go-yaml reads it back from encoding/json's output: JSON leaves NEL (U+0085) raw, and
 * go-yaml takes it for a line break inside the quoted scalar, which folds.
 */
const readBackFromJson = foldNel;

/** The text of the value's MarshalJSON method (time.Time, semver versions), if its type has one. */
function ownJson(v: GoValue): string | undefined {
  const marshaler = methodOf(v, 'MarshalJSON');
  if (!marshaler) return undefined;
  const raw = marshaler.fn(v);
  return raw instanceof Uint8Array ? goStringFromBytes(raw) : String(raw);
}

/** What a Go encoding.TextMarshaler gives: here, a MarshalJSON that produces a JSON string. */
export function marshalledText(v: GoValue): string | undefined {
  const own = ownJson(v);
  const text = own === undefined ? undefined : (JSON.parse(own) as unknown);
  return typeof text === 'string' ? text : undefined;
}

function fromJsonText(text: string): JsonValue {
  const walk = (x: unknown): JsonValue => {
    if (x === null || typeof x === 'boolean' || typeof x === 'string') return x;
    if (typeof x === 'number') return new JsonNumber(formatJsonFloat(x));
    if (Array.isArray(x)) return x.map(walk);
    return new Map(Object.entries(x as object).map(([k, y]) => [k, walk(y)]));
  };
  return walk(JSON.parse(text));
}

/**
 * Characters encoding/json leaves raw in its output that go-yaml's reader refuses when sigs yaml
 * reads the JSON back (`control characters are not allowed`): DEL, C1 controls but NEL, U+FFFE/F.
 */
const unreadableInJson = /[\x7f-\x84\x86-\x9f\ufffe\uffff]/;

function checkReadable(json: JsonValue): void {
  if (typeof json === 'string') {
    if (unreadableInJson.test(json)) throw new Error('yaml: control characters are not allowed');
  } else if (Array.isArray(json)) json.forEach(checkReadable);
  else if (json instanceof Map) {
    for (const [k, v] of json) {
      checkReadable(k);
      checkReadable(v);
    }
  }
}

/** How go-yaml's encoder asks for a string: literal if multi-line, plain if it reads back as a string, else double-quoted. */
function stringNode(s: string): EmitNode {
  const style = s.includes('\n') ? 'literal' : plainReadsAsString(s) ? 'plain' : 'double';
  return { kind: 'scalar', value: s, style };
}

function plainNode(text: string): EmitNode {
  return { kind: 'scalar', value: text, style: 'plain' };
}

/** go-yaml v2 reading the JSON text (numbers typed by YAML rules) and writing it again. */
function jsonToEmitNode(v: JsonValue): EmitNode {
  if (v === null) return plainNode('null');
  if (typeof v === 'boolean') return plainNode(v ? 'true' : 'false');
  if (typeof v === 'string') return stringNode(v);
  if (v instanceof JsonNumber) {
    const r = resolveScalar(v.text);
    if (r.tag === INT_TAG) return plainNode((r.value as bigint).toString());
    if (r.tag === FLOAT_TAG) return plainNode(formatYamlFloat(r.value as number));
    return stringNode(v.text);
  }
  if (Array.isArray(v)) return { kind: 'seq', items: v.map(jsonToEmitNode) };
  return { kind: 'map', entries: sortedKeys(v.keys()).map((k) => [stringNode(k), jsonToEmitNode(v.get(k)!)]) };
}

/**
 * sigs.k8s.io/yaml.Marshal: the YAML text, ending with a line break. Throws a YamlError with Go's
 * text (`error marshaling into JSON: json: unsupported value: NaN`) for values JSON cannot hold.
 */
export function marshalYaml(v: GoValue): string {
  let json: JsonValue;
  try {
    json = toJsonValue(v);
  } catch (e) {
    throw new YamlError(`error marshaling into JSON: ${(e as Error).message}`);
  }
  try {
    checkReadable(json);
  } catch (e) {
    throw new YamlError(`error converting JSON to YAML: ${(e as Error).message}`);
  }
  return emitYaml(jsonToEmitNode(json), { flavor: 'v2', width: 80 });
}

/** Helm's `toYaml`: marshalYaml without the final line break, `""` when the value cannot be marshalled. */
export function toYaml(v: GoValue): string {
  try {
    return trimFinalNewline(marshalYaml(v));
  } catch (e) {
    if (e instanceof YamlError) return '';
    throw e;
  }
}

/** Helm's `mustToYaml`: like toYaml, but a value that cannot be marshalled panics (the call fails). */
export function mustToYaml(v: GoValue): string {
  try {
    return trimFinalNewline(marshalYaml(v));
  } catch (e) {
    if (e instanceof YamlError) throw new GoPanic(e.message);
    throw e;
  }
}

function trimFinalNewline(s: string): string {
  return s.endsWith('\n') ? s.slice(0, -1) : s;
}

/** go-yaml v3's encoder input for a Go value: floats as Go prints them, structs by lower-cased field names. */
function goToEmitNode(v: GoValue | undefined): EmitNode {
  if (v === null || v === undefined) return plainNode('null');
  switch (typeof v) {
    case 'boolean':
      return plainNode(v ? 'true' : 'false');
    case 'string':
      return stringNode(v);
    case 'number':
      return plainNode(formatYamlFloat(v));
  }
  if (v instanceof GoInt) return plainNode(v.toString());
  if (v instanceof Uint8Array) return { kind: 'seq', items: Array.from(v, (b) => plainNode(String(b))) };
  if (Array.isArray(v)) return { kind: 'seq', items: v.map(goToEmitNode) };
  if (v instanceof GoComplex) throw new YamlError(`cannot marshal type: ${typeName(v)}`);
  // time.Time is written as RFC 3339 plain; other types that marshal to a JSON string (semver
  // versions: encoding.TextMarshaler in Go) are written as that string.
  const text = marshalledText(v);
  if (text !== undefined) return typeName(v) === 'time.Time' ? plainNode(text) : stringNode(text);
  if (v instanceof GoStruct) {
    const entries = Object.entries(v.fields).map(([k, x]): [EmitNode, EmitNode] => [stringNode(k.toLowerCase()), goToEmitNode(x)]);
    return { kind: 'map', entries };
  }
  return { kind: 'map', entries: sortedKeys(Object.keys(v)).map((k) => [stringNode(k), goToEmitNode((v as GoMap)[k])]) };
}

/** Helm's `toYamlPretty`: go-yaml v3, indent 2, final line break trimmed; `""` on error. */
export function toYamlPretty(v: GoValue): string {
  try {
    return trimFinalNewline(emitYaml(goToEmitNode(v), { flavor: 'v3', width: Infinity }));
  } catch (e) {
    if (e instanceof YamlError) return '';
    throw e;
  }
}
