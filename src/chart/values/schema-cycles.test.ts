import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { breakRefCycles, REF_CYCLE_KEYWORD } from './schema-cycles.js';

/** The cycle messages a rewritten schema carries, wherever they are. */
function messages(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((e) => messages(e, out));
  else if (v !== null && typeof v === 'object') {
    for (const [k, e] of Object.entries(v)) {
      if (k === REF_CYCLE_KEYWORD) out.push(e as string);
      else messages(e, out);
    }
  }
  return out;
}

test('schemas without an in-place cycle are returned as they are, recursion through properties and items included', () => {
  for (const schema of [
    { type: 'object', properties: { children: { type: 'array', items: { $ref: '#' } } } },
    { $ref: '#/$defs/a', $defs: { a: { allOf: [{ $ref: '#/$defs/b' }] }, b: { type: 'string' } } },
    { additionalProperties: { anyOf: [{ type: 'integer' }, { $ref: '#' }] } },
    { propertyNames: { $ref: '#' } },
    { $ref: 'http://example.com/elsewhere.json' },
  ]) assert.equal(breakRefCycles(schema), schema);
});

test('a $ref back through an in-place applicator becomes a failure with helm\'s message', () => {
  const root = (kw: string, sub: unknown) => messages(breakRefCycles({ [kw]: sub }));
  assert.deepEqual(root('anyOf', [{ $ref: '#' }, { type: 'integer' }]), ['both /anyOf/0/$ref and  resolve to "file:///values.schema.json#" causing reference cycle']);
  assert.deepEqual(root('allOf', [{ $ref: '#' }]), ['both /allOf/0/$ref and  resolve to "file:///values.schema.json#" causing reference cycle']);
  assert.deepEqual(root('not', { $ref: '#' }), ['both /not/$ref and  resolve to "file:///values.schema.json#" causing reference cycle']);
  assert.deepEqual(root('dependentSchemas', { a: { $ref: '#' } }), ['both /dependentSchemas/a/$ref and  resolve to "file:///values.schema.json#" causing reference cycle']);
  assert.deepEqual(root('$ref', '#'), ['both /$ref and  resolve to "file:///values.schema.json#" causing reference cycle']);
});

test('cycles through definitions, $id-relative URIs and anchors are named by the document location', () => {
  const x = 'resolve to "file:///values.schema.json#/$defs/x" causing reference cycle';
  assert.deepEqual(messages(breakRefCycles({ $ref: '#/$defs/x', $defs: { x: { $ref: '#/$defs/y' }, y: { $ref: '#/$defs/x' } } })), [`both /$ref/$ref/$ref and /$ref ${x}`]);
  assert.deepEqual(messages(breakRefCycles({ $defs: { x: { $id: 'sub/x.json', anyOf: [{ $ref: 'x.json' }] } }, $ref: 'sub/x.json' })), [`both /$ref/anyOf/0/$ref and /$ref ${x}`]);
  assert.deepEqual(messages(breakRefCycles({ $defs: { x: { $anchor: 'a', oneOf: [{ $ref: '#a' }] } }, $ref: '#a' })), [`both /$ref/oneOf/0/$ref and /$ref ${x}`]);
  assert.deepEqual(messages(breakRefCycles({ $id: 'http://example.com/r.json', if: { $ref: 'r.json' } })), ['both /if/$ref and  resolve to "file:///values.schema.json#" causing reference cycle']);
  assert.deepEqual(messages(breakRefCycles({ definitions: { x: { anyOf: [{ $ref: '#/definitions/x' }] } }, $ref: '#/definitions/x' })), ['both /$ref/anyOf/0/$ref and /$ref resolve to "file:///values.schema.json#/definitions/x" causing reference cycle']);
});

test('a reference into a subschema of a cycle: the repeat is found where the subschema is reached again, as helm finds it', () => {
  const schema = { $ref: '#/$defs/x/anyOf/0', $defs: { x: { anyOf: [{ $ref: '#/$defs/x' }, { type: 'integer' }] } } };
  assert.deepEqual(messages(breakRefCycles(schema)), ['both /$ref/$ref/anyOf/0 and /$ref resolve to "file:///values.schema.json#/$defs/x/anyOf/0" causing reference cycle']);
});

test('a cycle entered from two places is unrolled from each, named by the way it was entered', () => {
  const schema = { $defs: { x: { anyOf: [{ $ref: '#/$defs/y' }] }, y: { anyOf: [{ $ref: '#/$defs/x' }] } }, properties: { a: { $ref: '#/$defs/x' }, b: { $ref: '#/$defs/y' } } };
  assert.deepEqual(messages(breakRefCycles(schema)).sort(), [
    'both /properties/a/$ref/anyOf/0/$ref/anyOf/0/$ref and /properties/a/$ref resolve to "file:///values.schema.json#/$defs/x" causing reference cycle',
    'both /properties/b/$ref/anyOf/0/$ref/anyOf/0/$ref and /properties/b/$ref resolve to "file:///values.schema.json#/$defs/y" causing reference cycle',
  ]);
});

test('a schema with many ways around its cycles is cut once the unrolling budget is spent', () => {
  // 30 definitions each referring to every other through anyOf: unrolling every path would never end.
  const names = Array.from({ length: 30 }, (_, i) => `d${i}`);
  const $defs = Object.fromEntries(names.map((n) => [n, { anyOf: names.map((m) => ({ $ref: `#/$defs/${m}` })) }]));
  const out = breakRefCycles({ $ref: '#/$defs/d0', $defs });
  assert.ok(messages(out).length > 0);
  assert.ok(JSON.stringify(out).length < 50_000_000);
});

test('a cycle reached again below a property of its own copies is unrolled once per place, not without end', () => {
  // properties/a comes back to the root through if/$ref, and the root to properties/a through anyOf/$ref.
  const schema = { anyOf: [{ $ref: '#/properties/a' }], properties: { a: { if: { $ref: '#' }, then: true } } };
  const out = breakRefCycles(schema);
  assert.ok(messages(out).includes('both /anyOf/0/$ref/if/$ref and  resolve to "file:///values.schema.json#" causing reference cycle'));
  assert.ok(JSON.stringify(out).length < 10_000);
});
