// Operator-side peak memory of reading a big Helm repository index (bitnami's was 26 MB; Flux's
// source-controller is known to run out of memory on such indexes). Generates an index.yaml of the
// requested size in helm's layout (`helm repo index` writes the same shape: descriptions, maintainers,
// annotations, digests, urls), serves it from a child process on 127.0.0.1, and in fresh child
// processes measures the peak RSS of:
//   - chartrelease: fetching it through the repository client (streamed, only the wanted chart kept);
//   - baseline: reading the same body into memory and parsing it whole with the `yaml` package, as a
//     naive client would.
// Prints the figures. Run: npx tsc -p tsconfig.json && node dist/bench/repo-index.js [megabytes]
import { fork } from 'node:child_process';
import { createReadStream, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const MB = 1024 * 1024;

function entry(chart: string, version: string, i: number): string {
  const digest = (i * 2654435761 >>> 0).toString(16).padStart(8, '0').repeat(8);
  return `  - annotations:
      category: Infrastructure
      images: |
        - name: ${chart}
          image: docker.io/example/${chart}:${version}-debian-12-r${i % 50}
        - name: os-shell
          image: docker.io/example/os-shell:12-debian-12-r${i % 40}
      licenses: Apache-2.0
    apiVersion: v2
    appVersion: ${version}
    created: "2025-0${1 + (i % 9)}-1${i % 10}T10:00:00.${String(i).padStart(6, '0')}Z"
    dependencies:
    - name: common
      repository: oci://registry-1.docker.io/examplecharts
      tags:
      - example-common
      version: 2.x.x
    description: ${chart} is a generated chart used to measure how much memory reading a large repository index takes. It carries a long description, as real charts do.
    digest: ${digest}
    home: https://example.com/charts/${chart}
    icon: https://example.com/icons/${chart}.svg
    keywords:
    - ${chart}
    - benchmark
    maintainers:
    - name: Example Maintainers
      url: https://github.com/example/charts
    name: ${chart}
    sources:
    - https://github.com/example/charts/tree/main/example/${chart}
    urls:
    - https://charts.example.com/${chart}-${version}.tgz
    version: ${version}
`;
}

function generate(file: string, megabytes: number): { charts: number; versions: number } {
  const parts: string[] = ['apiVersion: v1\nentries:\n'];
  let size = parts[0]!.length;
  let charts = 0;
  let versions = 0;
  while (size < megabytes * MB) {
    const chart = `chart-${String(charts).padStart(4, '0')}`;
    parts.push(`  ${chart}:\n`);
    for (let v = 199; v >= 0; v--) {
      const text = entry(chart, `${Math.floor(v / 20)}.${v % 20}.0`, versions++);
      parts.push(text);
      size += text.length;
    }
    charts++;
  }
  parts.push('generated: "2025-10-01T00:00:00Z"\n');
  writeFileSync(file, parts.join(''));
  return { charts, versions };
}

async function measure(mode: 'chartrelease' | 'baseline', url: string, wanted: string): Promise<void> {
  const before = process.memoryUsage().rss;
  let versions = 0;
  if (mode === 'chartrelease') {
    const { RepositoryIndexCache } = await import('../src/source/http-repo.js');
    const entries = await new RepositoryIndexCache().entries(url, wanted, {});
    versions = entries?.length ?? 0;
  } else {
    const { parse } = await import('yaml');
    const text = await (await fetch(`${url}/index.yaml`)).text();
    const doc = parse(text, { schema: 'failsafe' }) as { entries: Record<string, unknown[]> };
    versions = doc.entries[wanted]?.length ?? 0;
  }
  const peakKb = process.resourceUsage().maxRSS;
  process.send!({ beforeMb: before / MB, peakMb: peakKb / 1024, versions });
}

async function child(mode: 'chartrelease' | 'baseline', url: string, wanted: string): Promise<{ beforeMb: number; peakMb: number; versions: number }> {
  const p = fork(self, ['--measure', mode, url, wanted], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    p.once('message', (m) => resolve(m as never));
    p.once('exit', (code) => (code ? reject(new Error(`${mode} child exited ${code}`)) : undefined));
  });
}

async function mainBench(): Promise<void> {
  const megabytes = Number(process.argv[2] ?? 30);
  const dir = mkdtempSync(join(tmpdir(), 'chartrelease-bench-index-'));
  const file = join(dir, 'index.yaml');
  const { charts, versions } = generate(file, megabytes);
  const server = createServer((req, res) => {
    if (req.url !== '/index.yaml') return res.writeHead(404).end();
    res.writeHead(200, { 'content-length': String(statSync(file).size) });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const wanted = `chart-${String(Math.floor(charts / 2)).padStart(4, '0')}`;
  console.log(`index.yaml: ${(statSync(file).size / MB).toFixed(1)} MB, ${charts} charts, ${versions} versions; wanted: ${wanted}`);
  for (const mode of ['chartrelease', 'baseline'] as const) {
    const r = await child(mode, url, wanted);
    console.log(`${mode.padEnd(12)} peak RSS ${r.peakMb.toFixed(0)} MB (at start ${r.beforeMb.toFixed(0)} MB, growth ${(r.peakMb - r.beforeMb).toFixed(0)} MB), ${r.versions} versions of ${wanted} kept`);
  }
  server.close();
}

if (process.argv[2] === '--measure') await measure(process.argv[3] as 'chartrelease' | 'baseline', process.argv[4]!, process.argv[5]!);
else await mainBench();
