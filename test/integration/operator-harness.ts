// Shared by the operator stories (test/integration/operator-*.test.ts): the CRD installed once per
// control plane, an operator per test (in-process and scoped to the test's namespace, or the real
// `chartrelease operator` command as a child process), kubectl as a user drives it, and readers for
// the release's records.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { Writable } from 'node:stream';
import { stringify } from 'yaml';
import { chartReleaseCRD } from '../../src/api/index.js';
import { Operator } from '../../src/controller/index.js';
import { Discovery, KubeClient } from '../../src/kube/index.js';
import { createLogger } from '../../src/observability/index.js';
import { decodeRelease } from '../../src/release/index.js';
import { api, apiOk, eventually, kubectl, type ClusterEnv } from '../support/cluster.js';
import { repoRoot } from '../support/paths.js';

export const EXAMPLE_CHART = join(repoRoot, 'examples', 'checkout-api');

let crdInstalled: Promise<void> | undefined;

/** Installs (server-side applies) crds/chartrelease.yaml once per test process and waits until it is Established. */
export function installCRD(): Promise<void> {
  crdInstalled ??= (async () => {
    const crd = chartReleaseCRD();
    await apiOk('PATCH', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}?fieldManager=chartrelease-tests&force=true`, {
      body: JSON.stringify(crd),
      contentType: 'application/apply-patch+yaml',
    });
    await eventually('the ChartRelease CRD to be Established', async () => {
      const got = await apiOk('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
      return (got.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True');
    });
  })();
  return crdInstalled;
}

export interface RunningOperator {
  logs: () => string;
  stop: () => Promise<void>;
}

/** An operator in this process, watching only `namespace`, with quick retries; stopped when the test ends. */
export async function startOperator(t: TestContext, cluster: ClusterEnv, namespace: string, opts: { kubeconfig?: string } = {}): Promise<RunningOperator> {
  await installCRD();
  const client = KubeClient.load({ kubeconfigPath: opts.kubeconfig ?? cluster.kubeconfig });
  let logs = '';
  const log = createLogger({ level: 'debug', destination: new Writable({ write: (chunk, _enc, cb) => ((logs += chunk.toString()), cb()) }) as never });
  const operator = new Operator({ client, discovery: new Discovery(client), log, namespace, concurrency: 2, backoff: { baseMs: 200, maxMs: 2000 } });
  const stop = new AbortController();
  const done = operator.run(stop.signal);
  await operator.waitForSync();
  let stopped = false;
  const stopIt = async () => {
    if (stopped) return;
    stopped = true;
    stop.abort();
    await done;
    client.close();
  };
  t.after(async () => {
    await stopIt();
    // Nothing uninstalls any more: let the test namespace's deletion finish instead of waiting on our finalizer.
    const list = await apiOk('GET', `/apis/chartrelease.dev/v1alpha1/namespaces/${namespace}/chartreleases`);
    for (const cr of list.items as { metadata: { name: string } }[]) {
      await api('PATCH', `/apis/chartrelease.dev/v1alpha1/namespaces/${namespace}/chartreleases/${cr.metadata.name}`, { body: { metadata: { finalizers: null } }, contentType: 'application/merge-patch+json' });
    }
  });
  return { logs: () => logs, stop: stopIt };
}

/** `node bin/chartrelease.js operator` as a child process; killed when the test ends. */
export function startOperatorProcess(t: TestContext, kubeconfig: string, namespace: string): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'chartrelease.js'), 'operator', '--kubeconfig', kubeconfig, '--namespace', namespace, '--metrics-bind-address', '0', '--health-probe-bind-address', '0', '--log-format', 'json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, output: () => output };
}

/** kubectl, failing the test with kubectl's stderr when it fails. */
export async function kubectlOk(args: string[], input?: string): Promise<string> {
  const r = await kubectl(args, { input });
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

export function chartReleaseYaml(namespace: string, name: string, spec: Record<string, unknown>): string {
  return stringify({ apiVersion: 'chartrelease.dev/v1alpha1', kind: 'ChartRelease', metadata: { name, namespace }, spec });
}

export const applyYaml = (yaml: string) => kubectlOk(['apply', '-f', '-'], yaml);

export async function getChartRelease(namespace: string, name: string): Promise<any> {
  return apiOk('GET', `/apis/chartrelease.dev/v1alpha1/namespaces/${namespace}/chartreleases/${name}`);
}

/** Waits (as a user would, with `kubectl wait`) until the ChartRelease is Ready and has observed its generation; returns it. */
export async function waitForReady(namespace: string, name: string, timeoutSeconds = 60): Promise<any> {
  await kubectlOk(['wait', '-n', namespace, `--for=condition=Ready`, `chr/${name}`, `--timeout=${timeoutSeconds}s`]);
  return eventually(`chr/${name} to observe its generation while Ready`, async () => {
    const cr = await getChartRelease(namespace, name);
    const ready = cr.status?.conditions?.find((c: any) => c.type === 'Ready');
    return ready?.status === 'True' && cr.status.observedGeneration === cr.metadata.generation && ready.observedGeneration === cr.metadata.generation ? cr : null;
  }, timeoutSeconds * 1000);
}

/** Waits until a condition of the ChartRelease matches. */
export function waitForCondition(namespace: string, name: string, what: string, match: (c: Record<string, any>, cr: any) => boolean, timeoutMs = 60_000): Promise<any> {
  return eventually(`chr/${name}: ${what}`, async () => {
    const cr = await getChartRelease(namespace, name);
    if (cr.status?.observedGeneration !== cr.metadata.generation) return null;
    const conditions: Record<string, any> = Object.fromEntries((cr.status?.conditions ?? []).map((c: any) => [c.type, c]));
    return match(conditions, cr) ? cr : null;
  }, timeoutMs);
}

export interface RecordView {
  version: number;
  status: string;
  description: string;
  manifest: string;
  config: Record<string, unknown> | null;
}

/** The release's records (Helm storage Secrets), oldest first. */
export async function records(namespace: string, releaseName: string): Promise<RecordView[]> {
  const list = await apiOk('GET', `/api/v1/namespaces/${namespace}/secrets?labelSelector=${encodeURIComponent(`owner=helm,name=${releaseName}`)}`);
  return (list.items as any[])
    .filter((s) => s.type === 'helm.sh/release.v1')
    .map((s) => decodeRelease(Buffer.from(s.data.release, 'base64').toString('utf8')))
    .map((r) => ({ version: r.version, status: r.info.status, description: r.info.description ?? '', manifest: r.manifest, config: r.config }))
    .sort((a, b) => a.version - b.version);
}

/** Events recorded on the ChartRelease: "Type Reason: message". */
export async function events(namespace: string, name: string): Promise<string[]> {
  const list = await apiOk('GET', `/api/v1/namespaces/${namespace}/events?fieldSelector=${encodeURIComponent(`involvedObject.name=${name},involvedObject.kind=ChartRelease`)}`);
  return (list.items as any[]).map((e) => `${e.type} ${e.reason}: ${e.message}`);
}

/** A chart directory written from `files` (path → content) under a fresh temporary directory. */
export function writeChart(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'chartrelease-chart-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

export const exampleValues = (file: string) => readFileSync(join(EXAMPLE_CHART, file), 'utf8');
