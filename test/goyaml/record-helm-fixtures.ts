// Re-records test/goyaml/fixtures/helm-yaml.json with the reference helm:
//
//   npx tsc -p tsconfig.json && node dist/test/goyaml/record-helm-fixtures.js
//
// Each case becomes a throwaway chart whose values.yaml is the case's values and whose NOTES.txt
// prints every probe between markers; `helm install --dry-run=client` renders it (NOTES are not
// parsed as YAML, so any text survives). Corpus outputs are stored as sha256 digests.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceTools } from '../support/tools.js';
import { fixturePath, helmCases, probeTemplate, type HelmCase, type RecordedCase } from './helm-cases.js';

const mark = (i: number, end = false) => `«${end ? '/' : ''}${i}»`;

export function digest(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

function record(helm: string, c: HelmCase): RecordedCase {
  const dir = mkdtempSync(join(tmpdir(), 'goyaml-case-'));
  try {
    mkdirSync(join(dir, 'c', 'templates'), { recursive: true });
    writeFileSync(join(dir, 'c', 'Chart.yaml'), 'apiVersion: v2\nname: c\nversion: 0.1.0\n');
    writeFileSync(join(dir, 'c', 'values.yaml'), c.values);
    writeFileSync(join(dir, 'c', 'templates', 'NOTES.txt'), c.probes.map((p, i) => `${mark(i)}${probeTemplate(p)}${mark(i, true)}`).join('\n'));
    let stdout: string;
    try {
      stdout = execFileSync(helm, ['install', 'rel', join(dir, 'c'), '--dry-run=client'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const stderr = String((e as { stderr?: string }).stderr ?? e);
      return { name: c.name, error: stderr.trim().replace(/^Error: INSTALLATION FAILED: /, '') };
    }
    const outputs = c.probes.map((_, i) => {
      const start = stdout.indexOf(mark(i));
      const end = stdout.indexOf(mark(i, true));
      if (start < 0 || end < 0) throw new Error(`${c.name}: probe ${i} missing from helm's output`);
      const text = stdout.slice(start + mark(i).length, end);
      return c.digestOnly ? digest(text) : text;
    });
    return { name: c.name, outputs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const { helm } = referenceTools();
  const version = execFileSync(helm, ['version', '--short'], { encoding: 'utf8' }).trim();
  const cases = helmCases().map((c) => {
    process.stderr.write(`${c.name}\n`);
    return record(helm, c);
  });
  mkdirSync(join(fixturePath, '..'), { recursive: true });
  writeFileSync(fixturePath, `${JSON.stringify({ helm: version, cases }, null, 1)}\n`);
  process.stderr.write(`wrote ${cases.length} cases to ${fixturePath}\n`);
}

if (process.argv[1]?.endsWith('record-helm-fixtures.js')) main();
