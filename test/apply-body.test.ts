// applyBody edits the chart's own text (the namespace and Helm's ownership metadata inserted or
// replaced) instead of printing the parsed document again. Differential check: for every object of
// every rendered manifest of the real-chart corpus (helm's expected output), with and without a
// namespace, the edited text must parse to the same object as the printed one; and the edits must
// be what nearly every object gets (printing is the exception).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parse } from 'yaml';
import { applyBody, parseManifest, printedBody, type ManifestObject } from '../src/apply/manifest.js';
import { corpusCases } from './support/corpus.js';

const YAML = { version: '1.1', intAsBigInt: true, uniqueKeys: false, maxAliasCount: -1 } as const;
const ownership = { releaseName: 'rel-1', releaseNamespace: 'target' };

function same(object: ManifestObject, namespace: string | undefined, owner = ownership): boolean {
  const edited = applyBody(object, namespace, owner);
  const printed = printedBody(object, namespace, owner);
  assert.deepEqual(parse(edited, YAML), parse(printed, YAML), `${object.source ?? ''} ${object.ref.kind}/${object.ref.name} (namespace ${namespace}):\n--- edited\n${edited}\n--- printed\n${printed}`);
  return edited !== printed;
}

test('applyBody: the corpus objects edited in place parse to the printed objects', () => {
  let objects = 0;
  let editedCount = 0;
  const seen = new Set<string>();
  for (const c of corpusCases()) {
    if (c.expectedRc !== 0) continue;
    let parsed: ManifestObject[];
    try {
      parsed = parseManifest(c.expectedStdout);
    } catch {
      continue; // documents helm renders but nothing could apply (no kind, a list)
    }
    for (const object of parsed) {
      // The cases of a chart render many objects alike: each text is checked once.
      // (Texts past 20,000 characters, CRDs mostly, take long to print and add no form of metadata.)
      const key = object.text ?? '';
      if (object.text !== undefined && (seen.has(key) || key.length > 20_000)) continue;
      seen.add(key);
      objects++;
      const namespaced = same(object, 'target');
      same(object, undefined);
      if (namespaced && object.text !== undefined) editedCount++;
    }
  }
  assert.ok(objects > 500, `corpus objects: ${objects}`);
  console.log(`# ${editedCount} of ${objects} corpus objects edited in place`);
  assert.ok(editedCount / objects > 0.95, `${editedCount} of ${objects} objects edited in place`);
});

test('applyBody: forms it edits and forms it prints', () => {
  const body = (yaml: string, namespace: string | undefined = 'ns') => {
    const [object] = parseManifest(yaml);
    same(object!, namespace);
    return applyBody(object!, namespace, ownership);
  };
  // Block metadata without annotations or labels: inserted at its indentation, the rest as written.
  const plain = body('# Source: c/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n    name: x   # the name\ndata:\n  n: 0x1F\n  on: yes\n');
  assert.equal(
    plain,
    '# Source: c/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n    namespace: "ns"\n    annotations:\n      meta.helm.sh/release-name: "rel-1"\n      meta.helm.sh/release-namespace: "target"\n    labels:\n      app.kubernetes.io/managed-by: "Helm"\n    name: x   # the name\ndata:\n  n: 0x1F\n  on: yes',
  );
  // Existing keys: values replaced in place (quoted or plain), comments kept.
  const replaced = body("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: 'other' # theirs\n  labels:\n    app.kubernetes.io/managed-by: Tiller\n    a: b\n  annotations:\n    meta.helm.sh/release-name: old\n");
  assert.match(replaced, /namespace: "ns" # theirs\n/);
  assert.match(replaced, /app\.kubernetes\.io\/managed-by: "Helm"\n    a: b/);
  assert.match(replaced, /meta\.helm\.sh\/release-namespace: "target"\n    meta\.helm\.sh\/release-name: "rel-1"$/);
  // Printed: flow metadata, a namespace to remove (cluster-scoped), anchored or aliased values, an empty map.
  for (const [yaml, namespace] of [
    ['apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, labels: {a: b}}\n', 'ns'],
    ['apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n  namespace: y\n', undefined],
    ['apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: &l\n    a: b\ndata:\n  l: *l\n', 'ns'],
    ['apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations: {}\n', 'ns'],
    ['apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n', 'ns'],
  ] as const) {
    const [object] = parseManifest(yaml);
    assert.equal(applyBody(object!, namespace, ownership), printedBody(object!, namespace, ownership), yaml);
  }
  // A namespace another key aliases: printing fails as it did before edits (the alias would dangle).
  const [aliased] = parseManifest('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: &n y\ndata:\n  n: *n\n');
  assert.throws(() => applyBody(aliased!, 'ns', ownership), /Unresolved alias/);
  // A List's items have no text of their own: printed.
  const [item] = parseManifest('apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: a\n');
  assert.equal(item!.text, undefined);
  same(item!, 'ns');
});
