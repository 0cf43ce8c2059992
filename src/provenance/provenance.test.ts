import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Chart } from '../chart/index.js';
import { parseValuesYaml } from '../goyaml/index.js';
import { annotatedYaml, explainValues, nearestKey, type ValuesLayer } from './index.js';
import { keyLines } from './lines.js';
import { readsOfTexts, readStatus } from './reads.js';

function chart(name: string, valuesText: string, templates: Record<string, string>, dependencies: Chart[] = [], type = ''): Chart {
  return {
    metadata: {
      apiVersion: 'v2', name, version: '0.1.0', kubeVersion: '', description: '', type, keywords: [], home: '', sources: [],
      dependencies: dependencies.length ? dependencies.map((d) => ({ name: d.metadata.name, version: '0.1.0', repository: '', condition: '', tags: [], enabled: true, importValues: [], alias: '' })) : null,
      maintainers: [], icon: '', appVersion: '', deprecated: false, annotations: {}, condition: '', tags: '',
    },
    templates: Object.entries(templates).map(([n, t]) => ({ name: `templates/${n}`, data: Buffer.from(t) })),
    values: parseValuesYaml(valuesText),
    valuesText,
    schema: null,
    files: [],
    dependencies,
  };
}

const layer = (name: string, text: string): ValuesLayer => ({ name, values: parseValuesYaml(text), text });

const redis = chart('redis', 'auth:\n  enabled: true\n  password: ""\nglobal:\n  storageClass: ""\n', {
  'secret.yaml': '{{ if .Values.auth.enabled }}{{ .Values.auth.password }}{{ .Values.global.storageClass }}{{ end }}',
});
const app = chart(
  'app',
  'replicaCount: 2\nimage:\n  repository: nginx\n  tag: latest\nresources: {}\nglobal:\n  storageClass: standard\nredis:\n  auth:\n    enabled: false\n',
  {
    'deployment.yaml': 'replicas: {{ .Values.replicaCount }}\nimage: {{ .Values.image.repository }}:{{ .Values.image.tag }}\n{{- toYaml .Values.resources }}\n{{ index .Values "extra-labels" }}',
  },
  [redis],
);

test('every leaf names its source: chart defaults, the subchart, each overlay in order, --set', () => {
  const base = layer('values.base.yaml', 'image:\n  tag: "1.0"\nresources:\n  limits:\n    cpu: 1\n');
  const prod = layer('values.production.yaml', '# production\nreplicaCount: 6\nredis:\n  auth:\n    enabled: true\n');
  const set: ValuesLayer = { name: '--set', values: { image: { tag: '2.0' } } };
  const user = { image: { tag: '2.0' }, resources: { limits: { cpu: 1 } }, replicaCount: 6, redis: { auth: { enabled: true } } };
  const { values, leaves, warnings } = explainValues(app, user, [base, prod, set]);
  const source = Object.fromEntries(leaves.map((l) => [l.path.join('.'), l.source]));
  assert.deepEqual(source, {
    replicaCount: 'values.production.yaml:2',
    'image.repository': 'values.yaml:3',
    'image.tag': '--set',
    'resources.limits.cpu': 'values.base.yaml:5',
    'global.storageClass': 'values.yaml:7',
    'redis.auth.enabled': 'values.production.yaml:5',
    'redis.auth.password': 'charts/redis/values.yaml:3',
    'redis.global.storageClass': 'values.yaml:7',
  });
  assert.deepEqual(warnings, []);
  // The annotated text is the same YAML, with comments.
  const text = annotatedYaml(values, leaves);
  assert.match(text, /^replicaCount: 6 {2}# values\.production\.yaml:2$/m);
  assert.deepEqual(parseValuesYaml(text), values);
});

test('an overlay key nothing reads is a warning with the nearest key; keys read whole or by index are not', () => {
  const typo = layer('values.production.yaml', 'replicas: 3\nimage:\n  tagg: v2\nresources:\n  requests:\n    cpu: 1\nextra-labels: {a: b}\nredis:\n  auth:\n    passwrd: x\n');
  const { warnings } = explainValues(app, typo.values, [typo]);
  assert.deepEqual(
    warnings.map((w) => [w.kind, w.path, w.source, w.suggestion]),
    [
      ['UnusedKey', 'replicas', 'values.production.yaml:1', 'replicaCount'],
      ['UnusedKey', 'image.tagg', 'values.production.yaml:3', 'image.tag'],
      ['UnusedKey', 'redis.auth.passwrd', 'values.production.yaml:10', 'redis.auth.password'],
    ],
  );
  assert.equal(warnings[0]!.message, "replicas (values.production.yaml:1) is not in the chart's values.yaml and no template reads it; did you mean replicaCount?");
  assert.ok(warnings.every((w) => !w.message.includes('v2') && !w.message.includes(': x')), 'messages never carry values');
});

test('a null deletes only chart defaults: a null for a key the chart lacks is a warning, naming the overlay it replaces', () => {
  const a = layer('a.yaml', 'image:\n  tag: null\nextra: 1\n');
  const b = layer('b.yaml', 'extra: null\nunknown: null\n');
  const { values, warnings } = explainValues(app, { image: { tag: null }, extra: null, unknown: null }, [a, b]);
  assert.equal(Object.hasOwn(values.image as object, 'tag'), false, 'the default was deleted');
  assert.deepEqual(values.extra, null);
  assert.deepEqual(warnings.map((w) => [w.kind, w.path, w.source]), [
    ['UnusedKey', 'extra', 'a.yaml:3'],
    ['NullDeletesNothing', 'extra', 'b.yaml:1'],
    ['NullDeletesNothing', 'unknown', 'b.yaml:2'],
  ]);
  assert.match(warnings[1]!.message, /replacing what a\.yaml:3 set/);
});

test('library charts read with the includer\'s values', () => {
  const lib = chart('common', '', { '_labels.tpl': '{{ define "common.labels" }}{{ .Values.commonLabels }}{{ end }}' }, [], 'library');
  const parent = chart('p', 'a: 1\n', { 'cm.yaml': '{{ include "common.labels" . }}{{ .Values.a }}' }, [lib]);
  const l = layer('o.yaml', 'commonLabels: {team: x}\n');
  assert.deepEqual(explainValues(parent, l.values, [l]).warnings, []);
});

test('reads: chains, index, whole use of a parent, fields accessed through with', () => {
  const reads = readsOfTexts(['{{ .Values.image.tag }}{{ with $.Values.probe }}{{ .path }}{{ end }}{{ index .Values.labels "app.kubernetes.io/x" }}']);
  assert.equal(readStatus(reads, ['image', 'tag']), 'whole');
  assert.equal(readStatus(reads, ['image']), 'partial');
  assert.equal(readStatus(reads, ['image', 'tagg']), 'none');
  assert.equal(readStatus(reads, ['probe', 'anything']), 'whole');
  assert.equal(readStatus(reads, ['labels', 'app.kubernetes.io/x']), 'whole');
  assert.equal(readStatus(reads, ['other', 'path']), 'whole', 'accessed as .path somewhere');
});

test('nearest key: typos and shared stems, nothing far away', () => {
  assert.equal(nearestKey('replicas', ['replicaCount', 'image', 'service']), 'replicaCount');
  assert.equal(nearestKey('imgae', ['image', 'ingress']), 'image');
  assert.equal(nearestKey('tagg', ['tag', 'pullPolicy']), 'tag');
  assert.equal(nearestKey('podAnotations', ['podAnnotations', 'podLabels']), 'podAnnotations');
  assert.equal(nearestKey('zzz', ['image', 'service']), undefined);
});

test('key lines: nested keys, later documents win, quoted keys', () => {
  const lines = keyLines('a:\n  b: 1\n"c.d": 2\n---\na:\n  b: 3\n');
  assert.equal(lines.get('a\0b'), 6);
  assert.equal(lines.get('c.d'), 3);
});
