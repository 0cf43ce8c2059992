import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goTrimSpace, ManifestHeadCache, parseManifestHead, splitManifests, YamlError } from './index.js';

describe('splitManifests: releaseutil.SplitManifests [order1]', () => {
  it('splits b-multi.yaml of the order1 probe, keeping the literal --- after a blank-line pair', () => {
    const file = [
      '---',
      '# leading separator and comment-only doc',
      '---',
      '',
      '---',
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: b-secret',
      '---   ',
      'apiVersion: example.com/v1',
      'kind: Widget',
      'metadata:',
      '  name: b-widget',
      '---',
      'apiVersion: example.com/v1',
      'kind: Alpha',
      'metadata:',
      '  name: b-alpha',
      '',
    ].join('\n');
    assert.deepEqual(splitManifests(file), [
      '# leading separator and comment-only doc',
      '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b-secret',
      'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: b-widget',
      'apiVersion: example.com/v1\nkind: Alpha\nmetadata:\n  name: b-alpha',
    ]);
  });

  it('drops empty files and separators only at line starts count', () => {
    assert.deepEqual(splitManifests('\n  \n'), []);
    assert.deepEqual(splitManifests('a: "x---y"\nb: |\n  ---\n'), ['a: "x---y"\nb: |\n  ---']);
    assert.deepEqual(splitManifests('a: 1\n---\nb: 2\n---'), ['a: 1', 'b: 2']);
  });

  it("trims as Go's strings.TrimSpace (NEL yes, BOM no)", () => {
    assert.equal(goTrimSpace('\u0085 x \u00a0'), 'x');
    assert.equal(goTrimSpace('\ufeffx'), '\ufeffx');
  });
});

describe('parseManifestHead: util.SimpleHead through sigs yaml [badyaml] [scalardoc]', () => {
  function errorText(doc: string): string {
    try {
      parseManifestHead(doc);
    } catch (e) {
      assert.ok(e instanceof YamlError);
      return e.message;
    }
    assert.fail('expected an error');
  }

  it('reads apiVersion, kind, name, namespace and annotations', () => {
    const head = parseManifestHead(
      'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: d-hook\n  namespace: ns\n  annotations:\n    "helm.sh/hook": pre-install\n    "helm.sh/hook-weight": -5\n',
    );
    assert.deepEqual(head, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      name: 'd-hook',
      namespace: 'ns',
      annotations: { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-weight': '-5' },
    });
  });

  it('converts scalars in string fields as sigs yaml does, matches keys case-insensitively', () => {
    const head = parseManifestHead('kind: 5\napiVersion: true\nmetadata:\n  name: 1.10\n  annotations:\n    x: 12345678901\n    z: null\n');
    assert.deepEqual(head, { apiVersion: 'true', kind: '5', name: '1.1', namespace: '', annotations: { x: '12345678901', z: '' } });
    assert.equal(parseManifestHead('Kind: Pod\n').kind, 'Pod');
    assert.deepEqual(parseManifestHead('# only a comment'), { apiVersion: '', kind: '', name: '', namespace: '', annotations: {} });
  });

  // Texts recorded from helm 4.1.4 (`YAML parse error on c/templates/t.yaml: <text>`).
  const errors: [string, string][] = [
    ['a: b: c', 'error converting YAML to JSON: yaml: mapping values are not allowed in this context'],
    ['hello world', 'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type util.SimpleHead'],
    ['- a', 'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type util.SimpleHead'],
    ['42', 'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go value of type util.SimpleHead'],
    ['apiVersion: {a: 1}\nkind: X', 'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go struct field SimpleHead.apiVersion of type string'],
    [
      'metadata: x',
      'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field SimpleHead.metadata of type struct { Name string "json:\\"name\\""; Annotations map[string]string "json:\\"annotations\\"" }',
    ],
    ['metadata:\n  name: 5\n  annotations:\n    a: {b: 1}', 'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go struct field .metadata.annotations of type string'],
    ['metadata:\n  name: [1]', 'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field .metadata.name of type string'],
    ['metadata:\n  annotations: [a]', 'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field .metadata.annotations of type map[string]string'],
  ];
  for (const [doc, want] of errors) {
    it(`fails on ${JSON.stringify(doc)}`, () => assert.equal(errorText(doc), want));
  }
});

describe('ManifestHeadCache: parseManifestHead remembered for repeated renders', () => {
  it('answers as parseManifestHead does, errors included, with fresh objects', () => {
    const cache = new ManifestHeadCache();
    const doc = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    a: b\n';
    const first = cache.read(doc);
    assert.deepEqual(first, parseManifestHead(doc));
    first.annotations.a = 'changed';
    assert.equal(cache.read(doc).annotations.a, 'b');
    assert.throws(() => cache.read('a: b: c'), (e: unknown) => e instanceof YamlError && /mapping values/.test(e.message));
    assert.throws(() => cache.read('a: b: c'), YamlError);
  });

  it('forgets the least recently read documents beyond its size', () => {
    const cache = new ManifestHeadCache(40);
    const a = 'kind: A\nmetadata: {name: aaaaaaaaaaa}';
    const b = 'kind: B\nmetadata: {name: bbbbbbbbbbb}';
    assert.equal(cache.read(a).kind, 'A');
    assert.equal(cache.read(b).kind, 'B');
    // Both cannot fit in 40 characters: reading b dropped a, so the cache still holds only one.
    assert.equal((cache as unknown as { entries: Map<string, unknown> }).entries.size, 1);
    assert.equal(cache.read(a).kind, 'A');
  });
});
