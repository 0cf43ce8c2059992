// Issue 11, problem 5: the operator killed (SIGKILL) at every point of a reconcile. The operator
// talks to the API server through a loopback proxy that kills it just before its Nth write request
// reaches the server, for N = 1, 2, ... until a reconcile completes unkilled; that is every point
// between two writes of an upgrade (records, objects, prune, status). After each kill, and after a
// restarted operator finishes the release: revision numbers contiguous and never reused, at most one
// record deployed, and status.history equal to the records. The same for a first install that only
// applies objects, which writes its record once, as deployed, before the first object: after a kill
// at any point the restarted operator ends with that one record and every object.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { parse, stringify } from 'yaml';
import { kubeconfigYaml } from '../../src/devcluster/kubeconfig.js';
import { api, apiOk, connection, eventually, requireCluster, testNamespace } from '../support/cluster.js';
import { repoRoot } from '../support/paths.js';
import { applyYaml, chartReleaseYaml, getChartRelease, installCRD, writeChart } from './operator-harness.js';

/** A loopback HTTP proxy to the API server that runs `onWrite` before forwarding each write (true: drop it). */
async function startProxy(t: TestContext, kubeconfig: string, onWrite: (method: string, path: string) => boolean): Promise<number> {
  const target = connection(kubeconfig);
  const url = new URL(target.server);
  const agent = new https.Agent({ ca: target.ca, keepAlive: true });
  const server = http.createServer((req, res) => {
    const write = req.method !== 'GET' && !/\/events(\?|$)/.test(req.url ?? '');
    if (write && onWrite(req.method!, req.url!)) {
      req.socket.destroy();
      return;
    }
    const upstream = https.request({ host: url.hostname, port: url.port, method: req.method, path: req.url, headers: { ...req.headers, host: url.host }, agent }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
    agent.destroy();
  });
  return (server.address() as { port: number }).port;
}

interface Snapshot {
  versions: number[];
  statuses: string[];
  uids: Map<number, string>;
}

async function snapshot(ns: string, name: string): Promise<Snapshot> {
  const list = await apiOk('GET', `/api/v1/namespaces/${ns}/secrets?labelSelector=${encodeURIComponent(`owner=helm,name=${name}`)}`);
  const items = (list.items as any[]).filter((s) => s.type === 'helm.sh/release.v1').sort((a, b) => Number(a.metadata.labels.version) - Number(b.metadata.labels.version));
  return {
    versions: items.map((s) => Number(s.metadata.labels.version)),
    statuses: items.map((s) => `${s.metadata.labels.version}:${s.metadata.labels.status}`),
    uids: new Map(items.map((s) => [Number(s.metadata.labels.version), s.metadata.uid as string])),
  };
}

/**
 * An operator for `ns` behind the killing proxy: `startOperator(n)` starts one that is killed (SIGKILL)
 * just before its nth write reaches the API server (Infinity: never); `output()` is the end of what it printed.
 */
async function killRig(t: TestContext, kubeconfig: string, ns: string) {
  let killAt = Infinity;
  let writes = 0;
  let child: ChildProcess | undefined;
  let killed = false;
  let output = '';
  const port = await startProxy(t, kubeconfig, () => {
    writes++;
    if (writes < killAt || killed) return killed;
    killed = true;
    child?.kill('SIGKILL');
    return true;
  });
  const admin = connection(kubeconfig);
  const dir = mkdtempSync(join(tmpdir(), 'chartrelease-kill-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const proxied = join(dir, 'kubeconfig');
  // Plain HTTP on loopback to the proxy (which speaks TLS to the API server); client-node accepts an
  // http:// server only with insecure-skip-tls-verify, which has nothing to skip here.
  const config = parse(kubeconfigYaml({ server: `http://127.0.0.1:${port}`, caData: admin.ca, user: 'chartrelease-admin', token: admin.token }));
  config.clusters[0].cluster = { server: `http://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true };
  writeFileSync(proxied, stringify(config), { mode: 0o600 });

  const startOperator = async (at: number) => {
    killAt = at;
    writes = 0;
    killed = false;
    const started = spawn(process.execPath, [join(repoRoot, 'bin', 'chartrelease.js'), 'operator', '--kubeconfig', proxied, '--namespace', ns, '--metrics-bind-address', '0', '--health-probe-bind-address', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    for (const stream of [started.stdout!, started.stderr!]) stream.setEncoding('utf8').on('data', (d: string) => (output = (output + d).slice(-4000)));
    let dead = false;
    const exited = new Promise<void>((resolve) => started.once('exit', () => ((dead = true), resolve())));
    t.after(() => {
      if (started.exitCode === null && started.signalCode === null) started.kill('SIGKILL');
    });
    return { exited, dead: () => dead, stop: async () => (started.kill('SIGKILL'), await exited) };
  };

  return { startOperator, output: () => output };
}

test('SIGKILL at every write of an upgrade: never two deployed records, revision numbers contiguous and never reused, history equals the records', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await installCRD();
  const chart = writeChart({
    'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'values.yaml': 'step: 0\n',
    'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  step: {{ .Values.step | quote }}\n',
    'templates/more.yaml': '{{- range $i := until 2 }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-more-{{ $i }}\ndata:\n  step: {{ $.Values.step | quote }}\n{{- end }}\n',
    'templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n      name: http\n  selector: {app: web}\n',
    // Present on odd steps only: every other upgrade creates it, the next prunes it.
    'templates/extra.yaml': '{{- if eq (mod (int .Values.step) 2) 1 }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-extra\ndata:\n  step: {{ .Values.step | quote }}\n{{- end }}\n',
  });

  const { startOperator, output } = await killRig(t, cluster.kubeconfig, ns);

  const seen = new Map<number, string>();
  const check = (s: Snapshot, when: string) => {
    const deployed = s.statuses.filter((x) => x.endsWith(':deployed'));
    assert.ok(deployed.length <= 1, `${when}: at most one deployed record, got ${s.statuses.join(', ')}`);
    if (s.versions.length) {
      const first = s.versions[0]!;
      assert.deepEqual(s.versions, s.versions.map((_, i) => first + i), `${when}: contiguous revision numbers, got ${s.versions.join(', ')}`);
    }
    for (const [version, uid] of s.uids) {
      const before = seen.get(version);
      assert.ok(before === undefined || before === uid, `${when}: revision ${version} was written twice (a number reused)`);
      seen.set(version, uid);
    }
  };
  const readyNow = async () => {
    const got = await getChartRelease(ns, 'web');
    const ready = got.status?.conditions?.find((c: any) => c.type === 'Ready');
    return ready?.status === 'True' && got.status.observedGeneration === got.metadata.generation;
  };
  const settle = async (step: number, when: string) => {
    const op = await startOperator(Infinity);
    const cr = await eventually(`${when}: Ready with step ${step}`, async () => {
      const got = await getChartRelease(ns, 'web');
      const ready = got.status?.conditions?.find((c: any) => c.type === 'Ready');
      return ready?.status === 'True' && got.status.observedGeneration === got.metadata.generation ? got : null;
    }, 60_000).catch((err: Error) => {
      throw new Error(`${err.message}; the operator wrote:\n${output()}`);
    });
    const s = await snapshot(ns, 'web');
    check(s, `${when}, recovered`);
    assert.deepEqual(
      [...cr.status.history].reverse().map((h: any) => `${h.revision}:${h.status}`),
      s.statuses,
      `${when}: status.history equals the records`,
    );
    assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/web`)).data.step, String(step));
    await op.stop();
  };

  await applyYaml(chartReleaseYaml(ns, 'web', { chart: { path: chart }, values: { step: 0 }, historyLimit: 100, interval: '1h' }));
  await settle(0, 'install');

  let points = 0;
  for (let n = 1; ; n++) {
    const step = n;
    await applyYaml(chartReleaseYaml(ns, 'web', { chart: { path: chart }, values: { step }, historyLimit: 100, interval: '1h' }));
    const op = await startOperator(n);
    let outcome: 'killed' | 'completed' | undefined;
    for (const deadline = Date.now() + 60_000; !outcome; ) {
      if (op.dead()) outcome = 'killed';
      else if (await readyNow()) outcome = 'completed';
      else if (Date.now() > deadline) throw new Error(`step ${step}: neither killed nor Ready after 60 s`);
      else await new Promise((r) => setTimeout(r, 100));
    }
    if (outcome === 'killed') {
      points++;
      check(await snapshot(ns, 'web'), `killed before write ${n} of step ${step}`);
      await settle(step, `killed before write ${n}`);
      continue;
    }
    await op.stop();
    check(await snapshot(ns, 'web'), `step ${step} unkilled`);
    break;
  }
  assert.ok(points >= 12, `the upgrade was killed at ${points} points`);
  t.diagnostic(`killed at ${points} points; ${seen.size} revisions written`);
});

test('SIGKILL at every write of a first install that only applies objects: one record, deployed before the first object, and every object after a restart', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  await installCRD();
  const chart = writeChart({
    'Chart.yaml': 'apiVersion: v2\nname: site\nversion: 0.1.0\n',
    'templates/cm.yaml': '{{- range $i := until 3 }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ $.Release.Name }}-{{ $i }}\ndata:\n  i: {{ $i | quote }}\n{{- end }}\n',
    'templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  ports:\n    - port: 80\n      name: http\n  selector: {app: web}\n',
  });
  const name = 'site';

  let points = 0;
  for (let n = 1; ; n++) {
    // A namespace and an operator of its own for each point: the only writes counted are this install's.
    const ns = await testNamespace(t);
    // Its finalizer would hold the namespace's deletion: no operator runs then.
    t.after(() => api('PATCH', `/apis/chartrelease.dev/v1alpha1/namespaces/${ns}/chartreleases/${name}`, { body: { metadata: { finalizers: null } }, contentType: 'application/merge-patch+json' }));
    const objects = [0, 1, 2].map((i) => `/api/v1/namespaces/${ns}/configmaps/${name}-${i}`).concat(`/api/v1/namespaces/${ns}/services/${name}`);
    const { startOperator, output } = await killRig(t, cluster.kubeconfig, ns);
    await applyYaml(chartReleaseYaml(ns, name, { chart: { path: chart }, interval: '1h' }));
    const op = await startOperator(n);
    let outcome: 'killed' | 'completed' | undefined;
    for (const deadline = Date.now() + 60_000; !outcome; ) {
      const ready = (await getChartRelease(ns, name)).status?.conditions?.find((c: any) => c.type === 'Ready');
      if (op.dead()) outcome = 'killed';
      else if (ready?.status === 'True') outcome = 'completed';
      else if (Date.now() > deadline) throw new Error(`install ${name}: neither killed nor Ready after 60 s`);
      else await new Promise((r) => setTimeout(r, 100));
    }
    await op.stop();
    if (outcome === 'completed') break;
    points++;
    const killed = await snapshot(ns, name);
    const present = (await Promise.all(objects.map(async (path) => (await api('GET', path)).status === 200))).filter(Boolean).length;
    // Writes: the finalizer, the record, one apply per object, the status. No object before the record.
    if (present > 0) assert.deepEqual(killed.statuses, ['1:deployed'], `killed before write ${n}: ${present} objects exist, so the record must`);
    assert.ok(killed.statuses.length <= 1, `killed before write ${n}: at most one record, got ${killed.statuses.join(', ')}`);

    const again = await startOperator(Infinity);
    const cr = await eventually(`${name}: Ready after the restart`, async () => {
      const got = await getChartRelease(ns, name);
      const ready = got.status?.conditions?.find((c: any) => c.type === 'Ready');
      return ready?.status === 'True' && got.status.observedGeneration === got.metadata.generation ? got : null;
    }, 60_000).catch((err: Error) => {
      throw new Error(`${err.message}; the operator wrote:\n${output()}`);
    });
    const s = await snapshot(ns, name);
    assert.deepEqual(s.statuses, ['1:deployed'], `killed before write ${n}, recovered: one record`);
    if (killed.uids.size) assert.equal(s.uids.get(1), killed.uids.get(1), `killed before write ${n}: revision 1 kept, not written again`);
    assert.deepEqual(cr.status.history.map((h: any) => `${h.revision}:${h.status}`), ['1:deployed'], `killed before write ${n}: status.history equals the records`);
    for (const path of objects) assert.equal((await api('GET', path)).status, 200, `killed before write ${n}, recovered: ${path} exists`);
    await again.stop();
  }
  assert.ok(points >= 6, `the install was killed at ${points} points`);
  t.diagnostic(`killed at ${points} points`);
});
