// Differential snippets for values.schema.json (helm 4.1.4's validator, santhosh-tekuri/jsonschema
// v6): schemas that come back to themselves on one value through in-place applicators ($ref,
// allOf, anyOf, oneOf, not, if/then/else, dependentSchemas), which helm fails with "causing
// reference cycle", and recursive schemas that descend into properties or items, which are fine.
// Each is validated by the real helm (recorded in test/golden/schema-snippets.json, re-record with
// `node dist/test/support/record-snippets.js schema`) and by our validator, and the errors must match.
import type { Snippet } from '../support/helm-snippets.js';

/** A snippet: the schema (as JSON), the values (JSON text, so numbers are float64 as with helm's loader). */
const s = (id: string, schema: unknown, values: unknown = {}): Snippet => ({
  id: `schema-${id}`,
  template: 'ok\n',
  values: JSON.stringify(values),
  files: { 'values.schema.json': JSON.stringify(schema) },
});

const D07 = 'http://json-schema.org/draft-07/schema#';

export const snippets: Snippet[] = [
  // In-place cycles back to the root.
  s('anyof-root', { anyOf: [{ $ref: '#' }, { type: 'integer' }] }),
  s('anyof-root-other-branch-matches', { anyOf: [{ $ref: '#' }, { type: 'object' }] }),
  s('anyof-first-branch-matches', { anyOf: [{ type: 'object' }, { $ref: '#' }] }),
  s('allof-root', { allOf: [{ $ref: '#' }] }),
  s('oneof-root', { oneOf: [{ $ref: '#' }] }),
  s('oneof-root-other-matches', { oneOf: [{ $ref: '#' }, { type: 'object' }] }),
  s('not-root', { not: { $ref: '#' } }),
  s('if-root', { if: { $ref: '#' }, then: false }),
  s('then-root', { if: true, then: { $ref: '#' } }),
  s('else-root', { if: false, else: { $ref: '#' } }),
  s('else-without-if', { else: { $ref: '#' } }),
  s('dependent-schemas-present', { dependentSchemas: { a: { $ref: '#' } } }, { a: 1 }),
  s('dependent-schemas-absent', { dependentSchemas: { a: { $ref: '#' } } }, { b: 1 }),
  s('ref-self', { $ref: '#' }),
  s('type-fails-first', { type: 'integer', anyOf: [{ $ref: '#' }] }),
  // Through definitions, anchors and $id-relative URIs.
  s('defs-anyof', { $ref: '#/$defs/x', $defs: { x: { anyOf: [{ $ref: '#/$defs/x' }] } } }),
  s('definitions-draft07', { $schema: D07, $ref: '#/definitions/x', definitions: { x: { anyOf: [{ $ref: '#/definitions/x' }] } } }),
  s('draft07-anyof-root', { $schema: D07, anyOf: [{ $ref: '#' }] }),
  s('defs-chain', { $ref: '#/$defs/x', $defs: { x: { $ref: '#/$defs/y' }, y: { $ref: '#/$defs/x' } } }),
  s('defs-mutual-anyof', { $ref: '#/$defs/x', $defs: { x: { anyOf: [{ $ref: '#/$defs/y' }] }, y: { anyOf: [{ $ref: '#/$defs/x' }] } } }),
  s('defs-allof-oneof', { $ref: '#/$defs/x', $defs: { x: { allOf: [{ oneOf: [{ $ref: '#/$defs/x' }] }] } } }),
  s('id-relative', { $defs: { x: { $id: 'sub/x.json', anyOf: [{ $ref: 'x.json' }] } }, $ref: 'sub/x.json' }),
  s('id-absolute', { $defs: { x: { $id: 'http://example.com/x.json', anyOf: [{ $ref: 'x.json' }] } }, $ref: 'http://example.com/x.json' }),
  s('id-root', { $id: 'http://example.com/root.json', anyOf: [{ $ref: 'root.json' }] }),
  s('ref-into-cycle', { $ref: '#/$defs/x/anyOf/0', $defs: { x: { anyOf: [{ $ref: '#/$defs/x' }, { type: 'integer' }] } } }),
  s('unresolved-anchor-in-resource', { $defs: { y: { $id: 'sub.json', $ref: '#anc' } }, $ref: '#/$defs/y' }),
  s('unresolved-pointer', { $ref: '#/nope' }),
  s('anchor', { $defs: { x: { $anchor: 'foo', allOf: [{ $ref: '#foo' }] } }, $ref: '#foo' }),
  // Cycles at a property, entered from two places.
  s('property-cycle', { properties: { a: { anyOf: [{ $ref: '#/properties/a' }] } } }, { a: 1 }),
  s('property-cycle-absent', { properties: { a: { anyOf: [{ $ref: '#/properties/a' }] } } }, { b: 1 }),
  s('two-entries', { $defs: { x: { anyOf: [{ $ref: '#/$defs/y' }] }, y: { anyOf: [{ $ref: '#/$defs/x' }] } }, properties: { a: { $ref: '#/$defs/x' } } }, { a: 1 }),
  s('root-and-property', { properties: { c: { $ref: '#' } }, anyOf: [{ $ref: '#' }, { type: 'object' }] }, { c: 5 }),
  // Recursion through properties and items: no cycle.
  s('tree', { type: 'object', properties: { children: { type: 'array', items: { $ref: '#' } } } }, { children: [{ children: [] }, { children: [{ children: [] }] }] }),
  s('tree-error', { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#' } } } }, { children: [{ children: [{ name: 5 }] }] }),
  s('linked-list', { $defs: { node: { type: 'object', properties: { next: { $ref: '#/$defs/node' }, v: { type: 'integer' } } } }, properties: { head: { $ref: '#/$defs/node' } } }, { head: { v: 1, next: { v: 2, next: { v: 'x' } } } }),
  s('additional-properties-root', { additionalProperties: { anyOf: [{ type: 'integer' }, { $ref: '#' }] } }, { a: { b: { c: 1 } } }),
  s('ref-chain-no-cycle', { $ref: '#/$defs/a', $defs: { a: { $ref: '#/$defs/b' }, b: { allOf: [{ $ref: '#/$defs/c' }] }, c: { type: 'object' } } }),
  s('property-names-root', { propertyNames: { $ref: '#' } }, { a: 1 }),
];
