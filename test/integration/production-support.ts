// Helpers for the production-*.test.ts suites: run the real `chartrelease operator` command as a child
// process, scrape its metrics, read its JSON log lines, and write a tiny chart to deploy.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { repoRoot } from '../support/paths.js';

const cliPath = join(repoRoot, 'bin', 'chartrelease.js');

/** A free TCP port on the loopback address. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface OperatorProcess {
  child: ChildProcess;
  /** Parsed JSON log lines, in order. */
  logs: Record<string, any>[];
  /** Anything on stdout that is not a JSON line, and all of stderr. */
  otherOutput: string[];
  metricsUrl: string;
  healthUrl: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface OperatorOptions {
  kubeconfig: string;
  /** Only ChartReleases with this label selector (each test its own: other suites run operators too). */
  watchLabelSelector: string;
  /** Namespace of the leader Lease; none: no leader election. */
  leaderElectionNamespace?: string;
  leaderElectionId?: string;
  extraArgs?: string[];
}

export async function startOperator(t: TestContext, opts: OperatorOptions): Promise<OperatorProcess> {
  const [metricsPort, healthPort] = [await freePort(), await freePort()];
  const args = [
    cliPath,
    'operator',
    `--kubeconfig=${opts.kubeconfig}`,
    `--metrics-bind-address=127.0.0.1:${metricsPort}`,
    `--health-probe-bind-address=127.0.0.1:${healthPort}`,
    `--watch-label-selector=${opts.watchLabelSelector}`,
    '--log-format=json',
    '--log-level=debug',
    ...(opts.leaderElectionNamespace
      ? ['--leader-elect', `--leader-election-namespace=${opts.leaderElectionNamespace}`, `--leader-election-id=${opts.leaderElectionId ?? 'chartrelease-leader'}`]
      : []),
    ...(opts.extraArgs ?? []),
  ];
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBECONFIG: opts.kubeconfig } });
  // Everything the operator prints also goes to a file, named in the test's diagnostics.
  const logFile = join(mkdtempSync(join(tmpdir(), 'chartrelease-operator-')), 'output.log');
  const logCopy = createWriteStream(logFile);
  child.stdout!.pipe(logCopy);
  child.stderr!.pipe(logCopy);
  t.diagnostic(`operator pid ${child.pid} output: ${logFile}`);
  const logs: Record<string, any>[] = [];
  const otherOutput: string[] = [];
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    partial += d;
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const line of lines.filter(Boolean)) {
      try {
        logs.push(JSON.parse(line));
      } catch {
        otherOutput.push(line);
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => otherOutput.push(d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return { child, logs, otherOutput, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`, healthUrl: `http://127.0.0.1:${healthPort}`, exited };
}

/** One metrics scrape as a map from series (name plus labels, as printed) to value; {} when unreachable. */
export async function scrape(op: OperatorProcess): Promise<Record<string, number>> {
  try {
    const text = await (await fetch(op.metricsUrl)).text();
    const out: Record<string, number> = {};
    for (const line of text.split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const at = line.lastIndexOf(' ');
      out[line.slice(0, at)] = Number(line.slice(at + 1));
    }
    return out;
  } catch {
    return {};
  }
}

/** HTTP status of a probe path, or 0 when unreachable. */
export async function probe(op: OperatorProcess, path: '/healthz' | '/readyz'): Promise<number> {
  try {
    return (await fetch(op.healthUrl + path)).status;
  } catch {
    return 0;
  }
}

/**
 * Writes a minimal chart and returns its directory: one ConfigMap per name in .Values.maps, and with
 * .Values.deployment a Deployment that never becomes ready (the control plane has no deployment
 * controller), so a reconcile with wait enabled lasts until its timeout.
 */
export function writeTinyChart(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'chartrelease-prod-')), 'tiny');
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: tiny\nversion: 0.1.0\nappVersion: "1.0"\n');
  writeFileSync(join(dir, 'values.yaml'), 'maps: [one]\ngreeting: hello\n');
  writeFileSync(
    join(dir, 'templates', 'configmaps.yaml'),
    '{{- range .Values.maps }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ $.Release.Name }}-{{ . }}\ndata:\n  greeting: {{ $.Values.greeting | quote }}\n{{- end }}\n',
  );
  writeFileSync(
    join(dir, 'templates', 'deployment.yaml'),
    '{{- if .Values.deployment }}\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-app\nspec:\n  replicas: 1\n' +
      '  selector:\n    matchLabels:\n      app: tiny\n  template:\n    metadata:\n      labels:\n        app: tiny\n    spec:\n' +
      '      containers:\n        - name: app\n          image: tiny:1.0\n{{- end }}\n',
  );
  return dir;
}
