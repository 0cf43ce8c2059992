// Hostile inputs of issue 15 through `chartrelease template` (the sandbox the operator renders in
// too): each ends in a clear error, as helm's, or renders as helm does, and never takes the process
// down. Expected texts were taken from helm 4.1.4.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import test, { after } from 'node:test';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main, type CliIO } from '../../src/cli/index.js';

const root = mkdtempSync(join(tmpdir(), 'chartrelease-hostile-'));
after(() => rmSync(root, { recursive: true, force: true }));

let charts = 0;
/** A chart directory with these files (Chart.yaml added unless given). */
export function chartDir(files: Record<string, string>): string {
  const dir = join(root, `c${charts++}`);
  const all = { 'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n', ...files };
  for (const [name, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

export async function template(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readFile: (p) => Buffer.from(require_(p)), env: {} };
  const code = await main(['template', ...args], io);
  return { code, stdout, stderr };
}
import { readFileSync } from 'node:fs';
const require_ = (p: string) => readFileSync(p);

/** A "billion laughs" document of 386 bytes: 9^7 strings once expanded. */
export function aliasBomb(levels = 7): string {
  const lines = [`l0: &l0 [${Array(9).fill('"lol"').join(',')}]`];
  for (let i = 1; i <= levels; i++) lines.push(`l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(',')}]`);
  return `${lines.join('\n')}\n`;
}

const ALIASING = 'error converting YAML to JSON: yaml: document contains excessive aliasing';

test('an alias bomb is refused with go-yaml\'s message in values.yaml, a -f overlay, Chart.yaml, fromYaml and rendered manifests', async () => {
  const values = await template(chartDir({ 'values.yaml': aliasBomb(), 'templates/t.yaml': 'a: 1\n' }));
  assert.equal(values.code, 1);
  assert.equal(values.stderr, `Error: cannot load values.yaml: cannot unmarshal yaml document: ${ALIASING}\n`);

  const overlay = join(root, 'bomb.yaml');
  writeFileSync(overlay, aliasBomb());
  const file = await template(chartDir({ 'templates/t.yaml': 'a: 1\n' }), '-f', overlay);
  assert.equal(file.stderr, `Error: failed to parse ${overlay}: cannot unmarshal yaml document: ${ALIASING}\n`);

  const chartYaml = await template(chartDir({ 'Chart.yaml': `${aliasBomb()}apiVersion: v2\nname: c\nversion: 0.1.0\n`, 'templates/t.yaml': 'a: 1\n' }));
  assert.equal(chartYaml.stderr, `Error: cannot load Chart.yaml: ${ALIASING}\n`);

  const fromYaml = await template(chartDir({
    'b.yaml': aliasBomb(),
    'l.yaml': `- x\n${aliasBomb().replace(/^/gm, '- ').slice(0, -2)}`,
    'templates/t.yaml': 'x: {{ (fromYaml (.Files.Get "b.yaml")).Error | quote }}\ny: {{ fromYamlArray (.Files.Get "l.yaml") | first | quote }}\n',
  }));
  assert.equal(fromYaml.code, 0, fromYaml.stderr);
  assert.equal(fromYaml.stdout, `---\n# Source: c/templates/t.yaml\nx: "${ALIASING}"\ny: "${ALIASING}"\n`);

  const manifest = await template(chartDir({ 'templates/t.yaml': `kind: ConfigMap\n${aliasBomb()}` }));
  assert.equal(manifest.code, 1);
  assert.match(manifest.stderr, /^Error: YAML parse error on c\/templates\/t\.yaml: .*document contains excessive aliasing/);
});

test('many aliases of a small node are fine and cost linear time', async () => {
  const many = `x: &x v\n${Array.from({ length: 20_000 }, (_, i) => `k${i}: *x\n`).join('')}`;
  const r = await template(chartDir({ 'values.yaml': many, 'templates/t.yaml': 'n: {{ len .Values }}\n' }));
  assert.equal(r.stdout, '---\n# Source: c/templates/t.yaml\nn: 20001\n');
});

test('values nested 9,000 levels are read as helm reads them; past 10,000 go-yaml\'s and encoding/json\'s limits apply', async () => {
  const nested = (n: number) => `a: ${'['.repeat(n)}${']'.repeat(n)}\n`;
  const chart = chartDir({ 'templates/t.yaml': 'n: {{ .Values.a | toJson | len }}\n' });
  const write = (n: number) => {
    const path = join(root, `nested-${n}.yaml`);
    writeFileSync(path, nested(n));
    return path;
  };
  const ok = await template(chart, '-f', write(9000));
  assert.equal(ok.stdout, '---\n# Source: c/templates/t.yaml\nn: 18000\n', ok.stderr);
  const json = await template(chart, '-f', write(10_000));
  assert.equal(json.stderr, `Error: failed to parse ${join(root, 'nested-10000.yaml')}: cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: invalid character '[' exceeded max depth\n`);
  const yaml = await template(chart, '-f', write(10_001));
  assert.equal(yaml.stderr, `Error: failed to parse ${join(root, 'nested-10001.yaml')}: cannot unmarshal yaml document: error converting YAML to JSON: yaml: exceeded max depth of 10000\n`);
  // Twice as deep: the same error, not the render worker's heap (walks over the parsed document that
  // copy the path to each node are quadratic in the depth).
  const deeper = await template(chart, '-f', write(20_000));
  assert.equal(deeper.stderr, `Error: failed to parse ${join(root, 'nested-20000.yaml')}: cannot unmarshal yaml document: error converting YAML to JSON: yaml: exceeded max depth of 10000\n`);
  // An alias at the bottom of 9,000 levels is resolved (the anchors are found in one pass, not per level).
  const aliased = join(root, 'nested-aliased.yaml');
  writeFileSync(aliased, `x: &x 1\na: ${'['.repeat(9000)}*x${']'.repeat(9000)}\n`);
  const alias = await template(chart, '-f', aliased);
  assert.equal(alias.stdout, '---\n# Source: c/templates/t.yaml\nn: 18001\n', alias.stderr);
});

test('100,000 nested {{if}} render; parentheses past 10,000 are Go\'s "max expression depth exceeded"', async () => {
  const ifs = await template(chartDir({ 'templates/t.yaml': `a: ${'{{if 1}}'.repeat(100_000)}x${'{{end}}'.repeat(100_000)}\n` }));
  assert.equal(ifs.stdout, '---\n# Source: c/templates/t.yaml\na: x\n', ifs.stderr);
  const parens = await template(chartDir({ 'templates/t.yaml': `a: {{ ${'('.repeat(10_001)}1${')'.repeat(10_001)} }}\n` }));
  assert.equal(parens.stderr, 'Error: parse error at (c/templates/t.yaml:1): max expression depth exceeded\n\nUse --debug flag to render out invalid YAML\n');
});

test('include recursion inside if and with reaches helm\'s 1000 and fails with helm\'s message', async () => {
  const r = await template(chartDir({ 'templates/t.yaml': '{{ define "r" }}{{ if . }}{{ with . }}{{ include "r" . }}{{ end }}{{ end }}{{ end }}a: {{ include "r" 1 }}\n' }));
  assert.equal(r.code, 1);
  assert.equal(r.stderr.split('error calling include').length - 1, 1002); // as helm's text: one per level, and the outer call
  assert.match(r.stderr, /error calling include: rendering template has a nested reference name: r: unable to execute template\n\nUse --debug flag/);
});

test('{{ until 120000000 | len }} and {{ range until 100000000 }} end in a clean error, not an abort or out of memory', async () => {
  const len = await template(chartDir({ 'templates/t.yaml': 'a: {{ until 120000000 | len }}\n' }));
  assert.equal(len.code, 1);
  assert.match(len.stderr, /at <until 120000000>: error calling until: a list of 120000000 numbers is longer than a render may build \(at most 10000000\)/);
  const range = await template(chartDir({ 'templates/t.yaml': '{{ range until 100000000 }}x{{ end }}\n' }));
  assert.equal(range.code, 1);
  assert.match(range.stderr, /error calling until: a list of 100000000 numbers/);
});

test('output past --render-max-output and a render past --render-timeout end in errors naming the chart, template and limit', async () => {
  const big = await template(chartDir({ 'templates/big.yaml': '{{ range until 5000000 }}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{{ end }}\n' }), '--render-max-output', '1');
  assert.equal(big.stderr, 'Error: rendered output exceeds 1 MiB (chart c, template c/templates/big.yaml)\n\nUse --debug flag to render out invalid YAML\n');
  const chart = chartDir({ 'templates/slow.yaml': '{{ define "l" }}{{ range until 1000000 }}{{ end }}{{ include "l" . }}{{ end }}{{ include "l" . }}\n' });
  const slow = await template(chart, '--render-timeout', '3s');
  assert.equal(slow.code, 1);
  assert.equal(slow.stderr, `Error: rendering chart ${chart} exceeded 3s while executing c/templates/slow.yaml\n`);
});

test('a recursive $ref in values.schema.json fails with helm\'s "causing reference cycle", naming the chart', async () => {
  const r = await template(chartDir({
    'values.schema.json': '{"$ref":"#/$defs/x","$defs":{"x":{"$ref":"#/$defs/y"},"y":{"$ref":"#/$defs/x"}}}',
    'templates/t.yaml': 'a: 1\n',
  }));
  assert.equal(r.stderr, 'Error: values don\'t meet the specifications of the schema(s) in the following chart(s):\nc:\n- at \'\': both /$ref/$ref/$ref and /$ref resolve to "file:///values.schema.json#/$defs/x" causing reference cycle\n\n');
  // Back to the root through anyOf: the fuzz suite's 682 findings.
  const anyOf = await template(chartDir({ 'values.schema.json': '{"anyOf":[{"$ref":"#"},{"type":"integer"}]}', 'templates/t.yaml': 'a: 1\n' }));
  assert.equal(anyOf.stderr, 'Error: values don\'t meet the specifications of the schema(s) in the following chart(s):\nc:\n- at \'\': \'anyOf\' failed\n  - at \'\': both /anyOf/0/$ref and  resolve to "file:///values.schema.json#" causing reference cycle\n  - at \'\': got object, want integer\n\n');
  // A schema that recurses through a subschema of its own is fine.
  const tree = await template(chartDir({
    'values.schema.json': '{"type":"object","properties":{"children":{"type":"array","items":{"$ref":"#"}}}}',
    'values.yaml': 'children: [{children: []}]\n',
    'templates/t.yaml': 'a: 1\n',
  }));
  assert.equal(tree.code, 0, tree.stderr);
});

test('a catastrophic regex (^(a+)+$ on 40 a and a b) in regexMatch, regexFindAll, regexReplaceAll and a schema pattern answers at once, as RE2 does', async () => {
  const funcs = await template(chartDir({
    'templates/t.yaml': '{{- $s := printf "%sb" (repeat 40 "a") }}\nm: {{ regexMatch "^(a+)+$" $s }}\nf: {{ regexFindAll "^(a+)+$" $s -1 | len }}\nr: {{ regexReplaceAll "^(a+)+$" $s "y" }}\n',
  }));
  assert.equal(funcs.stdout, `---\n# Source: c/templates/t.yaml\nm: false\nf: 0\nr: ${'a'.repeat(40)}b\n`, funcs.stderr);
  const schema = await template(chartDir({
    'values.schema.json': '{"properties":{"id":{"type":"string","pattern":"^(a+)+$"}}}',
    'values.yaml': `id: ${'a'.repeat(40)}b\n`,
    'templates/t.yaml': 'a: 1\n',
  }));
  assert.equal(schema.stderr, `Error: values don't meet the specifications of the schema(s) in the following chart(s):\nc:\n- at '/id': '${'a'.repeat(40)}b' does not match pattern '^(a+)+$'\n\n`);
});

test('a 100 MB string in an overlay renders or ends in a clean error, and never takes a 512 MiB process down', async () => {
  // As a child process with a 512 MiB heap for its own thread: the render (its worker) has its own limits.
  const overlay = join(root, 'big.yaml');
  writeFileSync(overlay, `a: "${'x'.repeat(100 * 1024 * 1024)}"\n`);
  const chart = chartDir({ 'templates/t.yaml': 'n: {{ len .Values.a }}\n' });
  const bin = fileURLToPath(new URL('../../../bin/chartrelease.js', import.meta.url));
  const r = spawnSync(process.execPath, ['--max-old-space-size=512', bin, 'template', chart, '-f', overlay], { encoding: 'utf8', maxBuffer: 1 << 20 });
  rmSync(overlay);
  assert.equal(r.signal, null, `killed by ${r.signal}: ${r.stderr.slice(-500)}`);
  if (r.status === 0) assert.equal(r.stdout, '---\n# Source: c/templates/t.yaml\nn: 104857600\n');
  else assert.match(r.stderr, /^Error: rendering chart .* exceeded (30s|the memory limit of 1024 MiB)/, r.stderr.slice(-500));
});
