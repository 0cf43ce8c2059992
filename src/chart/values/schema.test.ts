import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { GoMap } from '../../template/value.js';
import type { Chart } from '../types.js';
import { validateValues } from './schema.js';

function chart(name: string, schema: object | null, dependencies: Chart[] = []): Chart {
  return {
    metadata: {
      apiVersion: 'v2', name, version: '0.1.0', kubeVersion: '', description: '', type: '', keywords: [], home: '', sources: [],
      dependencies: null, maintainers: [], icon: '', appVersion: '', deprecated: false, annotations: {}, condition: '', tags: '',
    },
    templates: [], values: {}, schema: schema ? Buffer.from(JSON.stringify(schema)) : null, files: [], dependencies,
  };
}

const header = "values don't meet the specifications of the schema(s) in the following chart(s):\n";

function errorOf(c: Chart, values: GoMap): string {
  try {
    validateValues(c, values);
  } catch (err) {
    return (err as Error).message;
  }
  return '';
}

test('a type error reads as helm 4 prints it', () => {
  const c = chart('s1', { type: 'object', properties: { replicaCount: { type: 'integer' } } });
  assert.equal(errorOf(c, { replicaCount: '6' }), `${header}s1:\n- at '/replicaCount': got string, want integer\n`);
  assert.equal(errorOf(c, { replicaCount: 6 }), '');
});

test('several errors: grouped per property, want types sorted, combinators with their branches', () => {
  const c = chart('s1', {
    type: 'object',
    properties: {
      a: { type: 'object', properties: { b: { type: ['string', 'null'] } } },
      e: { enum: [1] },
      m: { minimum: 2, exclusiveMaximum: 1 },
      q: { anyOf: [{ type: 'string' }, { type: 'object' }] },
    },
  });
  assert.equal(errorOf(c, { a: { b: 1 }, e: 2, m: 1.5, q: 1 }), header + 's1:\n' + [
    "- at '/a/b': got number, want null or string",
    "- at '/e': value must be 1",
    "- at '/m': validation failed",
    "  - at '/m': minimum: got 1.5, want 2",
    "  - at '/m': exclusiveMaximum: got 1.5, want 1",
    "- at '/q': 'anyOf' failed",
    "  - at '/q': got number, want string",
    "  - at '/q': got number, want object",
  ].join('\n') + '\n');
});

test('draft-07 asserts formats, 2020-12 (no $schema) does not; subcharts validate their own section', () => {
  const sub = chart('sub', { $schema: 'http://json-schema.org/draft-07/schema#', properties: { x: { type: 'string', format: 'email' } } });
  const root = chart('root', { required: ['missing1'], properties: { s: { format: 'email' } } }, [sub]);
  assert.equal(errorOf(root, { s: 'abc', sub: { x: 'notanemail' } }), `${header}root:\n- at '': missing property 'missing1'\nsub:\n- at '/x': 'notanemail' is not valid email\n`);
  assert.equal(errorOf(root, { missing1: 1, s: 'abc', sub: { x: 'a@b.example' } }), '');
});

test('helm 4 details: "additional properties" even for one, grouped numbers, draft-04 boolean bounds ignored', () => {
  const c = chart('c', { additionalProperties: false, properties: { p: { $ref: '#/definitions/port' } }, definitions: { port: { type: 'integer', maximum: 65535 } } });
  assert.equal(errorOf(c, { zz: 1 }), `${header}c:\n- at '': additional properties 'zz' not allowed\n`);
  assert.equal(errorOf(c, { p: 70000 }), `${header}c:\n- at '/p': maximum: got 70,000, want 65,535\n`);
  const d4 = chart('c', { $schema: 'http://json-schema.org/draft-04/schema#', properties: { n: { type: 'number', minimum: 5, exclusiveMinimum: true } } });
  assert.equal(errorOf(d4, { n: 5 }), '');
  assert.equal(errorOf(d4, { n: 4 }), `${header}c:\n- at '/n': minimum: got 4, want 5\n`);
});

test('pattern and patternProperties are Go regular expressions (RE2 syntax), matched in linear time', () => {
  // (?i) and \z are Go syntax JavaScript refuses; ^(a+)+$ backtracks for ever in JavaScript.
  const c = chart('s1', {
    type: 'object',
    properties: { id: { type: 'string', pattern: '(?i)^ab+\\z' }, slow: { type: 'string', pattern: '^(a+)+$' } },
    patternProperties: { '^x(|y)+\\z': { type: 'integer' } },
  });
  const slow = 'a'.repeat(40) + 'b';
  assert.equal(errorOf(c, { id: 'ABB', slow: 'aaa', xyy: 1 }), '');
  assert.equal(errorOf(c, { id: 'ABB', slow }), `${header}s1:\n- at '/slow': '${slow}' does not match pattern '^(a+)+$'\n`);
  assert.equal(errorOf(c, { id: 'ABB\n' }), `${header}s1:\n- at '/id': 'ABB\n' does not match pattern '(?i)^ab+\\z'\n`);
  assert.equal(errorOf(c, { xyy: 'one' }), `${header}s1:\n- at '/xyy': got string, want integer\n`);
});

test('a pattern Go refuses is an error naming the chart\'s schema and the cause', () => {
  const c = chart('s1', { type: 'string', pattern: 'a(?=b)' });
  assert.match(errorOf(c, {}), /^s1\/values\.schema\.json: .*invalid or unsupported Perl syntax: `\(\?=`/);
});
