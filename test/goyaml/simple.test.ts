// The short way through simple YAML (src/goyaml/simple.ts) against the full reader: wherever the
// short way answers, it answers what the full reader returns (same values, same Go types, same key
// order); wherever the text leaves its shape, or holds an error, it does not answer and the full
// reader (with go-yaml's errors) decides. Checked on cases at each edge of the shape and on every
// values file, Chart.yaml and rendered document of the real-chart corpus.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { splitManifests } from '../../src/goyaml/index.js';
import { decodeWithPackage } from '../../src/goyaml/parse.js';
import { readSimpleYaml } from '../../src/goyaml/simple.js';
import { GoInt, type GoMap, type GoValue } from '../../src/template/value.js';
import { corpusDir } from '../support/paths.js';

/** A value with its Go types and key order spelled out. */
function canon(v: GoValue): string {
  if (v === null) return 'nil';
  if (v instanceof GoInt) return `${v.type}(${v.toString()})`;
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (typeof v === 'object' && !(v instanceof Uint8Array)) return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${canon((v as GoMap)[k]!)}`).join(',')}}`;
  return `${typeof v}(${typeof v === 'number' ? (Object.is(v, -0) ? '-0' : String(v)) : JSON.stringify(v)})`;
}

/** Whether the short way answers `text`; when it does, its value must be the full reader's. */
function agrees(text: string, jsonNumbers: boolean, where = JSON.stringify(text)): boolean {
  const fast = readSimpleYaml(text, jsonNumbers);
  if (fast === undefined) return false;
  let full: GoValue;
  try {
    full = decodeWithPackage(text, undefined, jsonNumbers);
  } catch (e) {
    assert.fail(`${where}: the short way answered ${canon(fast)} where the full reader fails: ${(e as Error).message}`);
  }
  assert.equal(canon(fast), canon(full), where);
  return true;
}

describe('simple YAML: answered as the full reader answers', () => {
  const answered = [
    'a: 1\nb: 1.5\nc: true\nd: ~\ne: yes\nf: "yes"\ng: \'it\'\'s\'\nh: 0x1F\ni: 1e3\nj: 2001-12-14\nk: 12345678901234567890\n',
    '# comment\nimage:\n  repository: ghcr.io/x/y  # trailing\n  tag: 6.14.1\n  pullSecrets: []\n  opts: { }\nhost: #0.0.0.0\nport:\n',
    'list:\n- a\n- -1\n- --port=80\n-\n  nested: x\n- k: v\n  l: w\nnext: 1\n',
    'spec:\n  containers:\n    - name: c\n      command: [\'sh\', "-c", run, 1, true]\n      args:\n        - |\n          echo $A &&\n            echo b\n\n        - x\n',
    'data:\n  a: |\n    line 1\n\n    # not a comment\n  b: |-\n    kept\n\n\n  c: last\n',
    'config: |\n  ends the text without a line break',
    'metadata:\n  annotations:\n    "helm.sh/hook": test\n    \'app.kubernetes.io/name\': \'x\'\n    checksum/config: abc\n',
    'key:\n  {}\nother:\n  []\nthird:\n  plain\n',
    '__proto__: 1\n1x: 2\nx: a#b\nz: "a: b"\n',
    'a: café\nb: 東京\n',
    'a: 1\na: 2\nb: 3\n',
    'plain scalar\n',
    'a:b\n',
  ];
  for (const [i, text] of answered.entries()) {
    it(`answers case ${i} as the full reader does, with JSON numbers and without`, () => {
      assert.ok(agrees(text, true), `the short way should answer ${JSON.stringify(text)}`);
      assert.ok(agrees(text, false));
    });
  }

  const leftToTheFullReader = [
    '', '# only a comment\n', 'a:\tb\n', 'a: 1\r\nb: 2\r\n', '---\na: 1\n', 'a: 1\n...\n', '%YAML 1.1\n---\na: 1\n',
    'a: &x 1\nb: *x\n', 'a: !!str 1\n', '<<: {a: 1}\n', 'a: {b: 1}\n', 'a: [b, [c]]\n', 'a: [b c]\n', 'a: [b,]\n',
    'a: "x\\ny"\n', 'a: "multi\n  line"\n', 'a: plain\n  continued\n', 'a: >\n  folded\n', 'a: |+\n  keep\n', 'a: |2\n    x\n',
    'a: |\nb: 1\n', 'a: |\n    x\n  # comment\nb: 1\n', 'a: |\n  x\n   \n', 'on: 1\n', '1: a\n', 'null: a\n', '? a\n: b\n',
    ' a: 1\nb: 2\n', 'a: 1\n  b: 2\n', 'a:\n  - x\n - y\n', '- - a\n', 'a: - b\n', 'a: b: c\n', 'a: b:\n', 'a: @x\n', 'a: `x\n',
    'a: .inf\n', 'a: "x" y\n', 'a: \'x\n', 'a : b\n', 'a: \u0085\n', 'a: \ufeffx\n', 'a: 1\nb\n',
  ];
  it('leaves every text outside its shape, and every text with an error, to the full reader', () => {
    for (const text of leftToTheFullReader) assert.equal(readSimpleYaml(text, true), undefined, JSON.stringify(text));
  });

  it('gives up past 200 levels of nesting (go-yaml\'s limits stay the full reader\'s)', () => {
    let deep = 'x: 1\n';
    for (let i = 1; i <= 250; i++) deep = `k:\n${deep.replace(/^/gm, '  ')}`;
    assert.equal(readSimpleYaml(deep, true), undefined);
    assert.ok(agrees('k:\n  k:\n    x: 1\n', true));
  });
});

describe('simple YAML: the real-chart corpus', { skip: !existsSync(corpusDir) && 'no corpus' }, () => {
  it('answers most values files and rendered documents, always as the full reader does', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.ya?ml$/.test(name)) files.push(path);
      }
    };
    walk(corpusDir);
    let texts = 0;
    let answered = 0;
    for (const path of files) {
      const text = readFileSync(path, 'utf8');
      const rendered = path.includes('/expected/');
      const pieces = rendered ? splitManifests(text) : [text];
      for (const [i, piece] of pieces.entries()) {
        texts++;
        if (agrees(piece, !rendered, `${path}#${i}`)) answered++;
      }
    }
    assert.ok(texts > 3000, `${texts} texts`);
    assert.ok(answered / texts > 0.5, `the short way answered ${answered} of ${texts}`);
  });
});
