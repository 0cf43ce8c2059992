// `chartrelease template [NAME] CHART [flags]` as it runs inside a render worker (see template.ts):
// what `helm template` prints, with helm's flags. Manifests on stdout; errors on stderr as
// `Error: ...` with exit code 1; warnings as helm logs them (`level=WARN msg="..."`).
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadChart, type Chart, type Warn } from '../chart/index.js';
import { goTrimSpace } from '../goyaml/index.js';
import { formatTemplateOutput, RenderError, renderChart, type RenderResult } from '../render/index.js';
import type { SourceAuth } from '../source/index.js';
import type { FetchedChart } from '../source/types.js';
import type { ChartInput } from '../sandbox/index.js';
import { parseFlags, type FlagValues } from './flags.js';
import type { CliIO } from './index.js';
import { HELP, TEMPLATE_FLAGS as FLAGS } from './template-flags.js';
import { readText, userValuesOf } from './values-input.js';



/** A value as slog's text handler writes it: quoted when empty or holding spaces, quotes, `=` or controls. */
function logValue(value: string): string {
  return value !== '' && /^[\x21-\x7e\u00a0-\uffff]+$/.test(value) && !/["=\\]/.test(value) ? value : JSON.stringify(value);
}

/** slog's text handler: `level=WARN msg="..." key=value ...`. */
function logLine(level: string, message: string, attrs: Record<string, string> = {}): string {
  return `level=${level} msg=${logValue(message)}${Object.entries(attrs).map(([k, v]) => ` ${k}=${logValue(v)}`).join('')}\n`;
}

// chartutil.ValidateReleaseName: a DNS-1123 subdomain of at most 53 characters.
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function releaseNameError(name: string): string | null {
  if (name !== '' && name.length <= 53 && RELEASE_NAME.test(name)) return null;
  return `release name ${JSON.stringify(name)}: invalid release name, must match regex ${RELEASE_NAME.source} and the length must not be longer than 53`;
}

/** Helm's CheckDependencies: every dependency in Chart.yaml must be present in charts/. */
function missingDependencies(chart: Chart): string[] {
  const present = new Set(chart.dependencies.map((d) => d.metadata.name));
  return (chart.metadata.dependencies ?? []).filter((d) => !present.has(d.name)).map((d) => d.name);
}

/**
 * --output-dir as helm writes it: one file per template (under RELEASE/ with --release-name, CRDs not),
 * documents appended with their Source line, `wrote PATH` printed for every write, then the empty
 * manifest text (a lone newline).
 */
function writeOutputDir(outputDir: string, dir: string, result: RenderResult, includeCrds: boolean, skipTests: boolean, noHooks: boolean, io: CliIO): void {
  const written = new Set<string>();
  const write = (name: string, content: string, append: boolean, base = dir) => {
    const path = join(base, name);
    mkdirSync(dirname(path), { recursive: true });
    const text = `---\n# Source: ${name}\n${content}\n`;
    if (append) appendFileSync(path, text);
    else writeFileSync(path, text);
    written.add(name);
    io.stdout(`wrote ${path}\n`);
  };
  // CRDs go to the output dir itself, without the release name (helm's renderResources).
  if (includeCrds) for (const crd of result.crds) write(crd.filename, crd.file.data.toString('utf8'), written.has(crd.filename), outputDir);
  for (const m of result.manifests) write(m.path, m.content, written.has(m.path));
  // Hooks are appended to a file that already exists, even one left from an earlier run (as helm does).
  if (!noHooks) for (const h of result.hooks) if (!(skipTests && h.events.includes('test'))) write(h.path, h.content, written.has(h.path) || existsSync(join(dir, h.path)));
  io.stdout('\n');
}

// Chart sources (HTTP, TLS, OCI) are loaded only for --repo and oci:// charts: a local chart does not pay for them.
const sources = () => import('../source/index.js');

/** Credentials and TLS settings from helm's flags (files read as helm reads them). */
function flagAuth(authFromFlags: (typeof import('../source/index.js'))['authFromFlags'], flags: FlagValues, io: CliIO): SourceAuth | undefined {
  const file = (name: string) => (flags[name] === undefined ? undefined : readText(io, flags[name] as string));
  return authFromFlags({
    username: flags.username as string | undefined,
    password: flags.password as string | undefined,
    caPem: file('ca-file'),
    certPem: file('cert-file'),
    keyPem: file('key-file'),
    insecureSkipTLSVerify: flags['insecure-skip-tls-verify'] === true,
  });
}

/**
 * The chart as helm's LocateChart finds it: an `oci://` reference (resolved over the registry's
 * tags), `--repo URL` with a chart name (fetched, verified and cached by digest), else a local
 * directory or .tgz.
 */
/** Where the chart comes from: fetched (oci:// or --repo) as archive bytes and digest, else a local path. */
export async function locateChartInput(chartRef: string, flags: FlagValues, io: CliIO): Promise<ChartInput> {
  const repo = flags.repo as string | undefined;
  const version = flags.version as string | undefined;
  if (!chartRef.startsWith('oci://') && repo === undefined) return { path: chartRef };
  let fetched: FetchedChart;
  const { authFromFlags, fetchChart, sourceCaches } = await sources();
  if (chartRef.startsWith('oci://')) {
    fetched = await fetchChart(
      { kind: 'oci', url: chartRef, ...(version ? { version } : {}), ...(flags['plain-http'] === true ? { plainHTTP: true } : {}) },
      { auth: flagAuth(authFromFlags, flags, io), caches: sourceCaches() },
    );
  } else {
    fetched = await fetchChart(
      { kind: 'repository', url: repo!, name: chartRef, ...(version ? { version } : {}) },
      { auth: flagAuth(authFromFlags, flags, io), passCredentials: flags['pass-credentials'] === true, caches: sourceCaches() },
    );
  }
  return { archive: fetched.archive, digest: fetched.digest };
}

export async function locateChart(chartRef: string, flags: FlagValues, io: CliIO, warn: Warn): Promise<Chart> {
  const input = await locateChartInput(chartRef, flags, io);
  if ('path' in input) return loadChart(input.path, { warn });
  return (await sources()).loadChartByDigest(input.digest, input.archive, { warn });
}

async function runTemplate(args: string[], io: CliIO, maxOutputBytes: number, progress: (what: string) => void): Promise<number> {
  const { flags, positional } = parseFlags(args, FLAGS);
  if (flags.help) {
    io.stdout(HELP);
    return 0;
  }
  if (positional.length === 0 || positional.length > 2) {
    throw new Error(`"chartrelease template" requires at least 1 and at most 2 arguments\n\nUsage:  chartrelease template [NAME] [CHART] [flags]`);
  }
  const [releaseName, chartPath] = positional.length === 2 ? [positional[0]!, positional[1]!] : ['release-name', positional[0]!];
  const warn: Warn = (message, level = 'INFO', attrs) => io.stderr(logLine(level, message, attrs));
  const nameError = releaseNameError(releaseName);
  if (nameError) {
    io.stderr(logLine('ERROR', 'release name check failed', { error: nameError }));
    throw new Error(`release name check failed: ${nameError}`);
  }

  const values = userValuesOf(flags, io);

  const chart = await locateChart(chartPath, flags, io, warn);
  const missing = missingDependencies(chart);
  if (missing.length) {
    throw new Error(`an error occurred while checking for chart dependencies. You may need to run \`helm dependency build\` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: ${missing.join(', ')}`);
  }
  if (chart.metadata.deprecated) warn('this chart is deprecated', 'WARN');

  let result: RenderResult;
  try {
    result = renderChart(chart, {
    values,
    releaseName,
    namespace: (flags.namespace as string | undefined) ?? 'default',
    isUpgrade: flags['is-upgrade'] === true,
    kubeVersion: flags['kube-version'] as string | undefined,
    apiVersions: flags['api-versions'] as string[] | undefined,
    warn,
    maxOutputBytes,
    onTemplate: progress,
    });
  } catch (err) {
    if (!(err instanceof RenderError) || !flags.debug) throw err;
    // helm --debug: what was rendered on stdout, the error without the hint.
    let blob = '';
    for (const [path, content] of [...(err.renderedFiles ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (goTrimSpace(content) !== '') blob += `---\n# Source: ${path}\n${content}\n`;
    }
    io.stdout(`${goTrimSpace(blob)}\n`);
    io.stderr(`Error: ${err.message}\n`);
    return 1;
  }
  const includeCrds = flags['include-crds'] === true;
  const skipTests = flags['skip-tests'] === true;
  const noHooks = flags['no-hooks'] === true;
  const outputDir = flags['output-dir'] as string | undefined;
  if (outputDir) {
    writeOutputDir(outputDir, flags['release-name'] ? join(outputDir, releaseName) : outputDir, result, includeCrds, skipTests, noHooks, io);
    return 0;
  }
  io.stdout(formatTemplateOutput(result, { includeCrds, skipTests, noHooks, showOnly: flags['show-only'] as string[] | undefined }));
  return 0;
}

export interface TemplateJobInput {
  args: string[];
  /** Standard input, read by the command's thread when a file argument is `-`. */
  stdin?: Uint8Array;
  maxOutputBytes: number;
}

export interface TemplateJobOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** The render worker's job: runs the command with its output collected. */
export async function templateJob(input: TemplateJobInput, progress: (what: string) => void): Promise<TemplateJobOutput> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readFile: (p) => (p === '-' ? Buffer.from(input.stdin ?? new Uint8Array()) : readFileSync(p)),
    env: {},
  };
  let code: number;
  try {
    code = await runTemplate(input.args, io, input.maxOutputBytes, progress);
  } catch (err) {
    const message = (err as Error).message;
    // Like helm: errors while rendering (after the release exists) carry a hint about --debug.
    io.stderr(err instanceof RenderError ? `Error: ${message}\n\nUse --debug flag to render out invalid YAML\n` : `Error: ${message}\n`);
    code = 1;
  }
  return { code, stdout, stderr };
}
