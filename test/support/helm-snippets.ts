// Differential testing against the real helm binary. A snippet is a template (plus values, --set
// arguments, extra chart files) rendered as the chart's templates/NOTES.txt by
// `helm install rel CHART --dry-run=client -o json`: NOTES are not parsed as YAML, so any text is
// observable, and the JSON release carries them untrimmed. Recording runs helm once per snippet
// (about 40 ms each, a few in parallel) and stores { id, output, error } in a JSON fixture that the
// tests compare against without running helm.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  /** `--set-string` and `--set-json` arguments. */
  setString?: string[];
  setJson?: string[];
  /** Overlay texts, passed in order as `-f` files (written next to the chart as values-N.yaml). */
  valueFiles?: string[];
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

/** Name of an overlay file of a snippet (-f), as both helm and our engine are given it. */
export const overlayName = (i: number): string => `values-${i}.yaml`;

/** How long one helm run may take (a fuzzed input may make helm run away; a test must not hang). */
export const HELM_TIMEOUT_MS = 120_000;

/**
 * helm fetches what a values.schema.json names over http (`$ref`, an unknown `$schema`): through a
 * proxy at a closed loopback port such a fetch fails at once, and nothing leaves the machine (Go
 * asks the proxy instead of resolving the host). Loopback URLs are fetched directly.
 */
const OFFLINE_ENV = { ...process.env, HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: '', http_proxy: '', https_proxy: '', no_proxy: '' };

/**
 * helm under a 4 GiB address-space limit where prlimit exists: an input that makes helm allocate
 * without bound (`until` of 10^11) ends in Go's "fatal error: out of memory" instead of swapping a
 * shared machine.
 */
const PRLIMIT = ['/usr/bin/prlimit', '/bin/prlimit'].find((p) => existsSync(p));

function runHelm(helm: string, args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const [cmd, argv] = PRLIMIT ? [PRLIMIT, [`--as=${4 * 1024 ** 3}`, helm, ...args]] : [helm, args];
  return new Promise((resolve) => {
    execFile(cmd, argv, { encoding: 'utf8', maxBuffer: 256 << 20, timeout: HELM_TIMEOUT_MS, killSignal: 'SIGKILL', env: OFFLINE_ENV, ...(cwd ? { cwd } : {}) }, (err, stdout, stderr) => {
      const killed = err && (err as { killed?: boolean }).killed;
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr: killed ? `helm killed after ${HELM_TIMEOUT_MS / 1000}s (${(err as { signal?: string }).signal ?? 'timeout'})\n${stderr}` : stderr });
    });
  });
}

/** The values flags of a snippet (overlays written into `dir`). */
function valuesArgs(s: Snippet, dir: string): string[] {
  const args: string[] = [];
  (s.valueFiles ?? []).forEach((text, i) => {
    writeFileSync(join(dir, overlayName(i)), text);
    args.push('-f', join(dir, overlayName(i)));
  });
  for (const kv of s.setJson ?? []) args.push('--set-json', kv);
  for (const kv of s.set ?? []) args.push('--set', kv);
  for (const kv of s.setString ?? []) args.push('--set-string', kv);
  return args;
}

/** Renders one snippet with the real helm. */
export async function recordSnippet(helm: string, s: Snippet, workDir: string): Promise<SnippetExpectation> {
  const chartDir = join(workDir, s.id.replace(/[^A-Za-z0-9_.-]/g, '_'), 'c');
  rmSync(dirname(chartDir), { recursive: true, force: true });
  writeSnippetChart(chartDir, s);
  const args = ['install', 'rel', chartDir, '--dry-run=client', '-o', 'json', ...valuesArgs(s, dirname(chartDir))];
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

/**
 * Helm's verdict on many charts in one process: `helm lint` of one chart directory per snippet
 * (values flags are not per chart: snippets here carry none). Per snippet: null when lint reports
 * no error, else its error message (the render's, as install would print it, when there is one). Lint renders in helm's lint mode (`required` and `fail` do not
 * fail, the release is "test-release" at revision 0), so a caller takes "no error" as a hint to be
 * confirmed by an install of that chart, and an error as helm refusing the chart.
 */
export async function lintSnippets(helm: string, snippets: readonly Snippet[], workDir: string): Promise<(string | null)[]> {
  const dir = mkdtempSync(join(workDir, 'lint-'));
  try {
    const paths = snippets.map((s, i) => {
      if (s.set?.length || s.setString?.length || s.setJson?.length || s.valueFiles?.length) throw new Error(`lintSnippets: ${s.id} has values flags`);
      writeSnippetChart(join(dir, String(i), 'c'), s);
      return `${i}/c`;
    });
    const { stdout, stderr } = await runHelm(helm, ['lint', ...paths], dir);
    const sections = new Map<string, string>();
    const parts = stdout.split(/^==> Linting (.*)$/m);
    for (let i = 1; i < parts.length; i += 2) sections.set(parts[i]!, parts[i + 1]!);
    return paths.map((p) => {
      const text = sections.get(p);
      if (text === undefined) throw new Error(`helm lint printed no section for ${p}: ${stderr.slice(0, 2000)}`);
      // Each message: `[ERROR] <where>: <text>` up to the next bracketed line. The render's error
      // (`templates/`) is the one install would print; else the first.
      const errors = [...text.matchAll(/^\[ERROR\] ([^:\n]*): ([\s\S]*?)(?=^\[(?:ERROR|WARNING|INFO)\] |(?![\s\S]))/gm)].map((m) => ({ where: m[1]!, text: m[2]!.replace(/\s+$/, '') }));
      if (errors.length === 0) return null;
      return (errors.find((e) => e.where === 'templates/') ?? errors[0]!).text;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
