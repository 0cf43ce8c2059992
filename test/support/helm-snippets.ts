// Differential testing against the real helm binary. A snippet is a template (plus values, --set
// arguments, extra chart files) rendered as the chart's templates/NOTES.txt by
// `helm install rel CHART --dry-run=client -o json`: NOTES are not parsed as YAML, so any text is
// observable, and the JSON release carries them untrimmed. Recording runs helm once per snippet
// (about 40 ms each, a few in parallel) and stores { id, output, error } in a JSON fixture that the
// tests compare against without running helm.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Snippet {
  id: string;
  /** The template text, rendered as `c/templates/NOTES.txt` of a chart named `c`. */
  template: string;
  /** values.yaml text. Write it as JSON so that JSON.parse gives the Go values helm's loader gives. */
  values?: string;
  /** `--set` arguments (`a=5`, giving an int64). */
  set?: string[];
  /** Further chart files by path inside the chart, e.g. `templates/_helpers.tpl`. */
  files?: Record<string, string>;
  /** Chart.yaml text (default: apiVersion v2, name c, version 0.1.0, appVersion 1.2.3). */
  chartYaml?: string;
}

/** What helm did: the raw NOTES text, or its error message without the CLI's prefix. */
export interface SnippetExpectation {
  id: string;
  output: string | null;
  error: string | null;
}

export const DEFAULT_CHART_YAML = 'apiVersion: v2\nname: c\nversion: 0.1.0\nappVersion: "1.2.3"\n';
export const NOTES_PATH = 'c/templates/NOTES.txt';

/** Writes the throwaway chart of a snippet into `dir` (the chart directory). */
export function writeSnippetChart(dir: string, s: Snippet): void {
  const files: Record<string, string> = {
    'Chart.yaml': s.chartYaml ?? DEFAULT_CHART_YAML,
    'values.yaml': s.values ?? '',
    'templates/NOTES.txt': s.template,
    ...s.files,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

const INSTALL_PREFIX = 'Error: INSTALLATION FAILED: ';

function runHelm(helm: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(helm, args, { encoding: 'utf8', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Renders one snippet with the real helm. */
export async function recordSnippet(helm: string, s: Snippet, workDir: string): Promise<SnippetExpectation> {
  const chartDir = join(workDir, s.id.replace(/[^A-Za-z0-9_.-]/g, '_'), 'c');
  rmSync(dirname(chartDir), { recursive: true, force: true });
  writeSnippetChart(chartDir, s);
  const args = ['install', 'rel', chartDir, '--dry-run=client', '-o', 'json'];
  for (const kv of s.set ?? []) args.push('--set', kv);
  const { code, stdout, stderr } = await runHelm(helm, args);
  rmSync(dirname(chartDir), { recursive: true, force: true });
  if (code !== 0) {
    let error = stderr.replace(/\n$/, '');
    if (error.startsWith(INSTALL_PREFIX)) error = error.slice(INSTALL_PREFIX.length);
    return { id: s.id, output: null, error };
  }
  const release = JSON.parse(stdout) as { info?: { notes?: string } };
  return { id: s.id, output: release.info?.notes ?? '', error: null };
}

/** Renders all snippets with the real helm, `parallel` processes at a time, in snippet order. */
export async function recordSnippets(helm: string, snippets: readonly Snippet[], parallel = 2): Promise<SnippetExpectation[]> {
  const ids = new Set<string>();
  for (const s of snippets) {
    if (ids.has(s.id)) throw new Error(`duplicate snippet id ${s.id}`);
    ids.add(s.id);
  }
  const workDir = mkdtempSync(join(tmpdir(), 'helm-snippets-'));
  const results: SnippetExpectation[] = new Array(snippets.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < snippets.length) {
      const i = next++;
      results[i] = await recordSnippet(helm, snippets[i]!, workDir);
    }
  };
  try {
    await Promise.all(Array.from({ length: parallel }, worker));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  return results;
}

export function readExpectations(path: string): Map<string, SnippetExpectation> {
  const list = JSON.parse(readFileSync(path, 'utf8')) as SnippetExpectation[];
  return new Map(list.map((e) => [e.id, e]));
}

export function writeExpectations(path: string, results: readonly SnippetExpectation[]): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(results, null, 1) + '\n');
}

/**
 * Helm's parse order of a chart's template files (engine.sortTemplates): more path segments first,
 * then reverse lexicographic order. Later definitions of a name replace earlier ones.
 */
export function helmParseOrder(paths: readonly string[]): string[] {
  const depth = (p: string): number => p.split('/').length - 1;
  return [...paths].sort((a, b) => depth(b) - depth(a) || (a < b ? 1 : a > b ? -1 : 0));
}
