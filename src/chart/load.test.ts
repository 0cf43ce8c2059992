import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { crdFiles, loadChart } from './load.js';
import { tgz } from './tgz.test-helper.js';

const root = mkdtempSync(join(tmpdir(), 'chart-load-'));
after(() => rmSync(root, { recursive: true, force: true }));

function writeTree(dir: string, files: Record<string, string>): string {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const chartYaml = 'apiVersion: v2\nname: demo\nversion: 1.2.3\n';

test('loads a chart directory: templates, values, schema, files, crds, subcharts (dir and .tgz)', () => {
  const dir = writeTree(join(root, 'demo'), {
    'Chart.yaml': chartYaml + 'dependencies:\n- name: sub\n  version: 0.1.0\n- name: packed\n  version: 0.2.0\n',
    'values.yaml': 'a: 1\n---\nb: [x]\n',
    'values.schema.json': '{"type":"object"}',
    '.helmignore': 'ignored.txt\n',
    'ignored.txt': 'no',
    'README.md': 'readme',
    'templates/deploy.yaml': 'kind: Deployment',
    'templates/_helpers.tpl': '{{ define "x" }}{{ end }}',
    'templates/.hidden.yaml': 'hidden',
    'crds/crd.yaml': 'kind: CustomResourceDefinition',
    'crds/notes.txt': 'not a crd',
    'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
    'charts/sub/values.yaml': 's: 1\n',
    'charts/sub/templates/x.yaml': 'x',
    'charts/sub/crds/sub-crd.yaml': 'kind: CustomResourceDefinition',
  });
  writeFileSync(join(dir, 'charts/packed-0.2.0.tgz'), tgz([
    { name: 'packed/Chart.yaml', data: 'apiVersion: v2\nname: packed\nversion: 0.2.0\n' },
    { name: 'packed/templates/p.yaml', data: 'p' },
  ]));
  const chart = loadChart(dir);
  assert.equal(chart.metadata.name, 'demo');
  assert.deepEqual(chart.values, { a: 1, b: ['x'] });
  assert.equal(chart.schema?.toString(), '{"type":"object"}');
  assert.deepEqual(chart.templates.map((t) => t.name), ['templates/_helpers.tpl', 'templates/deploy.yaml']);
  assert.deepEqual(chart.files.map((f) => f.name), ['.helmignore', 'README.md', 'crds/crd.yaml', 'crds/notes.txt']);
  assert.deepEqual(chart.dependencies.map((d) => d.metadata.name), ['packed', 'sub']);
  assert.deepEqual(chart.dependencies[1]!.values, { s: 1 });
  assert.deepEqual(crdFiles(chart).map((c) => c.filename), ['demo/crds/crd.yaml', 'demo/charts/sub/crds/sub-crd.yaml']);
});

test('Chart.yaml scalars decode as Helm reads them into strings; apiVersion v1 reads requirements.yaml', () => {
  const dir = writeTree(join(root, 'v1'), {
    'Chart.yaml': 'name: off\nversion: 1.0.0\nappVersion: 1.10\n',
    'requirements.yaml': 'dependencies:\n- name: sub\n  version: 0.1.0\n  condition: sub.enabled\n',
  });
  const chart = loadChart(dir);
  assert.equal(chart.metadata.apiVersion, 'v1');
  assert.equal(chart.metadata.name, 'false');
  assert.equal(chart.metadata.appVersion, '1.1');
  assert.equal(chart.metadata.dependencies?.[0]?.condition, 'sub.enabled');
  assert.deepEqual(chart.files.map((f) => f.name), ['requirements.yaml']);
});

test('validation errors read like Helm', () => {
  assert.throws(() => loadChart(writeTree(join(root, 'nover'), { 'Chart.yaml': 'apiVersion: v2\nname: x\n' })), /^ChartValidationError: validation: chart.metadata.version is required$/m);
  assert.throws(() => loadChart(writeTree(join(root, 'badver'), { 'Chart.yaml': 'apiVersion: v2\nname: x\nversion: one\n' })), /chart.metadata.version "one" is invalid/);
  assert.throws(() => loadChart(writeTree(join(root, 'nochart'), { 'values.yaml': 'a: 1' })), /Chart.yaml file is missing/);
  assert.throws(() => loadChart(join(root, 'does-not-exist')), /not found/);
});

test('loads a packaged chart from a Buffer (what the operator reads from a ConfigMap)', () => {
  const chart = loadChart(tgz([
    { name: 'demo/', type: '5' },
    { name: 'demo/Chart.yaml', data: chartYaml },
    { name: 'demo/values.yaml', data: '\ufeffk: v\n' },
    { name: 'demo/templates/a.yaml', data: 'a' },
    { name: 'demo/link.yaml', type: '2', link: '/etc/passwd' },
  ]));
  assert.equal(chart.metadata.version, '1.2.3');
  assert.deepEqual(chart.values, { k: 'v' });
  // A symbolic link in an archive is never followed: Helm reads it as an empty file.
  assert.deepEqual(chart.files.map((f) => [f.name, f.data.length]), [['link.yaml', 0]]);
});

test('archive safety: no path escapes the chart, sizes are limited', () => {
  const base = { name: 'demo/Chart.yaml', data: chartYaml };
  assert.throws(() => loadChart(tgz([base, { name: 'demo/../../evil', data: 'x' }])), /chart illegally references parent directory/);
  assert.throws(() => loadChart(tgz([base, { name: 'demo//etc/passwd', data: 'x' }])), /chart illegally contains absolute paths/);
  assert.throws(() => loadChart(tgz([{ name: 'Chart.yaml', data: chartYaml }])), /chart illegally contains content outside the base directory: "Chart.yaml"/);
  assert.throws(() => loadChart(tgz([base, { name: 'demo/big', data: 'x'.repeat(2000) }]), { limits: { maxChartBytes: 1000, maxFileBytes: 1000 } }), /decompressed chart is larger than the maximum size 1000/);
  assert.throws(() => loadChart(Buffer.from('not gzip')), /gzip: invalid header/);
  assert.throws(() => loadChart(tgz([])), /no files in chart archive/);
});

test('directories: symbolic links are followed with a warning; a .yaml passed as chart is named', () => {
  const dir = writeTree(join(root, 'links'), { 'Chart.yaml': chartYaml, 'shared/conf.txt': 'shared' });
  symlinkSync(join(dir, 'shared/conf.txt'), join(dir, 'conf-link.txt'));
  const warnings: string[] = [];
  const chart = loadChart(dir, { warn: (m, _level, attrs) => warnings.push(`${m} ${JSON.stringify(attrs)}`) });
  assert.deepEqual(chart.files.map((f) => [f.name, f.data.toString()]), [['conf-link.txt', 'shared'], ['shared/conf.txt', 'shared']]);
  assert.match(warnings[0]!, /^found symbolic link in path. Contents of linked file included and used \{"path":".*conf-link.txt","resolved":".*shared\/conf.txt"\}$/);
  writeFileSync(join(root, 'values.yaml'), 'a: 1');
  assert.throws(() => loadChart(join(root, 'values.yaml')), /seems to be a YAML file, but expected a gzipped archive/);
});
