// The real-chart corpus (../shared/corpus): cases, helm's expected output, and the comparison that
// tolerates only what differs between two helm runs of a non-deterministic chart.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir } from './paths.js';

export interface CorpusCase {
  chart: string;
  name: string;
  chartDir: string;
  /** The overlay file, or null for `default`. */
  valuesFile: string | null;
  expectedStdout: string;
  expectedStderr: string;
  expectedRc: number;
  deterministic: boolean;
  /** How many lines differed between two helm runs (0 when deterministic). */
  diffLines: number;
}

interface Meta {
  render: { cases: Record<string, { rc: number; deterministic: boolean; diff_lines: number }> };
}

/** Every case of every chart, in chart then case order (`default` first). */
export function corpusCases(dir: string = corpusDir): CorpusCase[] {
  const out: CorpusCase[] = [];
  for (const chart of readdirSync(dir).sort()) {
    const metaPath = join(dir, chart, 'meta.json');
    if (!existsSync(metaPath)) continue;
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Meta;
    const caseDir = join(dir, chart, 'cases');
    const overlays = existsSync(caseDir) ? readdirSync(caseDir).filter((f) => f.endsWith('.values.yaml')).map((f) => f.slice(0, -'.values.yaml'.length)).sort() : [];
    for (const name of ['default', ...overlays]) {
      const info = meta.render.cases[name];
      const expected = (ext: string) => {
        const p = join(dir, chart, 'expected', `${name}.${ext}`);
        return existsSync(p) ? readFileSync(p, 'utf8') : '';
      };
      out.push({
        chart,
        name,
        chartDir: join(dir, chart, 'chart'),
        valuesFile: name === 'default' ? null : join(caseDir, `${name}.values.yaml`),
        expectedStdout: expected('yaml'),
        expectedStderr: expected('stderr'),
        expectedRc: Number(expected('rc').trim() || '0'),
        deterministic: info?.deterministic ?? true,
        diffLines: info?.diff_lines ?? 0,
      });
    }
  }
  return out;
}

const PEM = /-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g;

/** PEM blocks replaced by their type: a generated certificate or key is random as a whole. */
function maskPem(text: string): string {
  return text.replace(PEM, (_m, type: string) => `<PEM ${type}>`);
}

function decodeBase64(token: string): string | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token) || token.length % 4 !== 0) return null;
  return Buffer.from(token, 'base64').toString('latin1');
}

/** The character class of a random token: what generators (randAlphaNum, sha256sum, ...) produce. */
function shape(token: string): string {
  if (/^[0-9a-f]+$/.test(token)) return 'hex';
  if (/^[a-z0-9]+$/.test(token)) return 'lower-alnum';
  if (/^[A-Za-z0-9]+$/.test(token)) return 'alnum';
  return 'base64';
}

/** Whether two differing tokens are both random values of the same shape. */
function sameRandomShape(a: string, b: string): boolean {
  const da = decodeBase64(a);
  const db = decodeBase64(b);
  // base64 of a generated certificate or key: compare the PEM types only.
  if (da !== null && db !== null && da.startsWith('-----BEGIN') && db.startsWith('-----BEGIN')) return maskPem(da) === maskPem(db);
  // Generators in the corpus make at least 5 characters (randAlphaNum 5 for test pod names);
  // shorter tokens (numbers, small words) must match exactly.
  if (a.length !== b.length || a.length < 5) return false;
  const sa = shape(a);
  const sb = shape(b);
  if (sa === sb) return true;
  // Short random alphanumerics may happen to be all lower case or all hex in one run.
  return sa !== 'base64' && sb !== 'base64';
}

const TOKEN = /[A-Za-z0-9+/=]+/g;

/** A timestamp (raw or base64-encoded): it differs in any later run, not only between two quick ones. */
function isTimestamp(token: string): boolean {
  const date = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}/;
  return date.test(token) || date.test(decodeBase64(token) ?? '');
}

/** Whether the only differences of a line are timestamps. */
function onlyTimestampsDiffer(expected: string, actual: string): boolean {
  const te = expected.match(TOKEN) ?? [];
  const ta = actual.match(TOKEN) ?? [];
  return te.length === ta.length && te.every((t, i) => t === ta[i] || (isTimestamp(t) && isTimestamp(ta[i]!)));
}

function lineMatchesModuloRandom(expected: string, actual: string): boolean {
  const te = expected.match(TOKEN) ?? [];
  const ta = actual.match(TOKEN) ?? [];
  if (te.length !== ta.length) return false;
  if (expected.replace(TOKEN, '') !== actual.replace(TOKEN, '')) return false;
  return te.every((t, i) => t === ta[i] || sameRandomShape(t, ta[i]!));
}

export interface Comparison {
  ok: boolean;
  /** Lines that differ (after masking PEM blocks), or -1 when the line counts differ. */
  differingLines: number;
  /** The first differing line, for the report. */
  firstDifference?: { line: number; expected: string; actual: string };
}

/**
 * Byte-for-byte, or — for a non-deterministic case — line by line where a differing line may only
 * differ in random tokens of the same shape, and no more lines may differ than between two helm runs.
 */
export function compareOutput(expected: string, actual: string, deterministic: boolean, maxDiffLines: number): Comparison {
  if (expected === actual) return { ok: true, differingLines: 0 };
  const el = (deterministic ? expected : maskPem(expected)).split('\n');
  const al = (deterministic ? actual : maskPem(actual)).split('\n');
  let differing = 0;
  let first: Comparison['firstDifference'];
  const n = Math.max(el.length, al.length);
  for (let i = 0; i < n; i++) {
    if (el[i] === al[i]) continue;
    differing++;
    first ??= { line: i + 1, expected: el[i] ?? '<end of output>', actual: al[i] ?? '<end of output>' };
  }
  if (deterministic || el.length !== al.length) return { ok: false, differingLines: el.length !== al.length ? -1 : differing, firstDifference: first };
  let random = 0;
  let ok = true;
  for (let i = 0; i < n && ok; i++) {
    if (el[i] === al[i]) continue;
    if (!lineMatchesModuloRandom(el[i]!, al[i]!)) ok = false;
    else if (!onlyTimestampsDiffer(el[i]!, al[i]!)) random++;
  }
  // Random values differ in every run; timestamps only when the clock moved on (not counted).
  ok &&= random <= maxDiffLines;
  return { ok, differingLines: differing, firstDifference: first };
}
