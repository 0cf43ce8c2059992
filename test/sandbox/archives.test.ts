// Chart archives within bounds: per-file size (helm's 5 MiB), total unpacked size counted across
// nested packaged subcharts, nesting depth, file count and compressed size; decompression stops at
// the budget whatever the headers claim; no entry leaves the chart.
import assert from 'node:assert/strict';
import test from 'node:test';
import { loadChart, ChartLoadError } from '../../src/chart/index.js';
import { chartYaml, nestedArchive, tgz } from './tgz.js';

const MiB = 1024 * 1024;
const fails = (archive: Buffer, pattern: RegExp, limits?: Parameters<typeof loadChart>[1]) =>
  assert.throws(() => loadChart(archive, limits), (e: unknown) => e instanceof ChartLoadError && pattern.test(e.message));

test('one 95 MiB file in a 97 KB archive is refused, as helm refuses files over 5 MiB', () => {
  const archive = tgz([{ name: 'c/Chart.yaml', data: chartYaml('c') }, { name: 'c/big', data: Buffer.alloc(95 * MiB) }]);
  assert.ok(archive.length < 100 * 1024);
  fails(archive, /^decompressed chart file "c\/big" is larger than the maximum file size 5242880$/);
  const five = tgz([{ name: 'c/Chart.yaml', data: chartYaml('c') }, { name: 'c/five', data: Buffer.alloc(5 * MiB) }]);
  assert.equal(loadChart(five).files[0]!.data.length, 5 * MiB);
});

test('packaged subcharts nested 40 deep are refused past 10 levels, in a few KB of archive', () => {
  const archive = nestedArchive(40);
  assert.ok(archive.length < 80 * 1024);
  fails(archive, /error unpacking subchart c10\.tgz in c9: packaged subcharts nest deeper than 10 levels$/);
  assert.equal(loadChart(nestedArchive(9)).dependencies[0]!.metadata.name, 'c1');
});

test('the 100 MiB unpacked limit counts across a chart and all its packaged subcharts', () => {
  const sub = (i: number) => tgz([{ name: `s${i}/Chart.yaml`, data: chartYaml(`s${i}`) }, ...Array.from({ length: 9 }, (_, j) => ({ name: `s${i}/f${j}`, data: Buffer.alloc(4 * MiB) }))]);
  const entries = [{ name: 'c/Chart.yaml', data: chartYaml('c') }, ...[0, 1, 2].map((i) => ({ name: `c/charts/s${i}.tgz`, data: sub(i) }))];
  fails(tgz(entries), /decompressed chart is larger than the maximum size 104857600$/);
  // Each subchart alone (36 MiB) is within the limit.
  assert.equal(loadChart(tgz(entries.slice(0, 3))).dependencies.length, 2);
});

test('file count, compressed size and lying headers are bounded', () => {
  const many = tgz([{ name: 'c/Chart.yaml', data: chartYaml('c') }, ...Array.from({ length: 10_000 }, (_, i) => ({ name: `c/f${i}`, data: 'x' }))]);
  fails(many, /^chart has more than the maximum 10000 files$/);
  fails(tgz([{ name: 'c/Chart.yaml', data: chartYaml('c') }]), /^chart archive is larger than the maximum archive size 10 /, { limits: { maxChartBytes: 100 * MiB, maxFileBytes: 5 * MiB, maxArchiveBytes: 10 } });
  // A header claiming 1 GiB of data that is not there.
  fails(tgz([{ name: 'c/Chart.yaml', data: chartYaml('c') }, { name: 'c/liar', data: 'x', size: 1024 * MiB }]), /^decompressed chart is larger than the maximum size|unexpected EOF/);
  // A stream that inflates far past the budget stops at it (the headers cannot be trusted to say so).
  fails(tgz([{ name: 'c/Chart.yaml', data: chartYaml('c') }, ...Array.from({ length: 30 }, (_, i) => ({ name: `c/f${i}`, data: Buffer.alloc(4 * MiB) }))]), /decompressed chart is larger than the maximum size 104857600$/);
});

test('entries that leave the chart are refused; links are empty files', () => {
  fails(tgz([{ name: 'c/Chart.yaml', data: chartYaml('c') }, { name: 'c/../../etc/passwd', data: 'x' }]), /chart illegally references parent directory/);
  fails(tgz([{ name: 'c/Chart.yaml', data: chartYaml('c') }, { name: 'c//etc/passwd', data: 'x' }]), /chart illegally contains absolute paths/);
  const links = loadChart(tgz([{ name: 'c/Chart.yaml', data: chartYaml('c') }, { name: 'c/l', type: '2', link: '/etc/passwd' }, { name: 'c/h', type: '1', link: '../x' }]));
  assert.deepEqual(links.files.map((f) => [f.name, f.data.length]), [['l', 0], ['h', 0]]);
});
