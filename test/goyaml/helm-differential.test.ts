// Differential test of src/goyaml against helm 4.1.4: test/goyaml/fixtures/helm-yaml.json holds what
// helm printed for each case of helm-cases.ts (re-record with record-helm-fixtures.ts); here the same
// values go through our parser and the same functions, and the texts must be identical.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  fromToml,
  parseValuesYaml,
  parseYamlList,
  parseYamlMap,
  toToml,
  toYaml,
  toYamlPretty,
  YamlError,
} from '../../src/goyaml/index.js';
import { marshalJson, sprigFuncs } from '../../src/template/funcs/index.js';
import { compareBytes, isMap, typeName, type GoMap, type GoValue } from '../../src/template/value.js';
import { fixturePath, helmCases, type Probe, type RecordedCase } from './helm-cases.js';

/** Helm's toJson (encoding/json). Building the Sprig functions registers time.Time's methods. */
sprigFuncs();
const goJson = (v: GoValue | undefined) => marshalJson(v ?? null);

function at(values: GoMap, path: string): GoValue | undefined {
  let v: GoValue | undefined = values;
  for (const key of path === '' ? [] : path.split('.')) v = isMap(v) ? v[key] : undefined;
  return v;
}

function typesOf(m: GoValue | undefined): string {
  if (!isMap(m)) return '';
  return Object.keys(m)
    .sort(compareBytes)
    .map((k) => `${k}=${typeName(m[k])};`)
    .join('');
}

function errorText(e: unknown): string {
  if (e instanceof YamlError) return e.message;
  throw e;
}

function evaluate(p: Probe, values: GoMap): string {
  if ('built' in p) return p.fn === 'toYaml' ? toYaml(p.value()) : p.fn === 'toYamlPretty' ? toYamlPretty(p.value()) : toToml(p.value());
  const v = at(values, p.path);
  const text = typeof v === 'string' ? v : '';
  switch (p.fn) {
    case 'toYaml':
      return toYaml(v ?? null);
    case 'toYamlPretty':
      return toYamlPretty(v ?? null);
    case 'toJson':
      return goJson(v);
    case 'types':
      return typesOf(v);
    case 'fromYaml':
      try {
        return goJson(parseYamlMap(text));
      } catch (e) {
        return goJson({ Error: errorText(e) });
      }
    case 'fromYamlArray':
      try {
        return goJson(parseYamlList(text));
      } catch (e) {
        return goJson([errorText(e)]);
      }
    case 'toToml':
      return toToml(v ?? null);
    case 'fromToml':
      return goJson(fromToml(text));
    case 'fromTomlTypes':
      return typesOf(fromToml(text));
  }
}

const digest = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

const recorded = new Map(
  (JSON.parse(readFileSync(fixturePath, 'utf8')) as { cases: RecordedCase[] }).cases.map((c) => [c.name, c]),
);

describe('src/goyaml against helm 4.1.4 (recorded)', () => {
  for (const c of helmCases()) {
    it(c.name, () => {
      const want = recorded.get(c.name);
      assert.ok(want, `no recording for "${c.name}": re-record the fixture`);
      let values: GoMap;
      try {
        values = parseValuesYaml(c.values, 'values.yaml');
      } catch (e) {
        assert.equal(`cannot load values.yaml: ${errorText(e)}`, want.error ?? '(helm loaded these values)');
        return;
      }
      assert.equal(want.error, undefined, `helm failed: ${want.error}`);
      c.probes.forEach((p, i) => {
        const got = evaluate(p, values);
        const expected = want.outputs![i]!;
        assert.equal(c.digestOnly ? digest(got) : got, expected, `${p.fn} ${'built' in p ? p.built : `.Values.${p.path}`}`);
      });
    });
  }
});
