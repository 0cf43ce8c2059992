// Leader election on the real control plane, with each candidate in its own process (so one can be
// SIGKILLed like a crashed pod). Short timings (4 s lease, 3 s renew deadline, 0.5 s retry) keep the
// run quick; the operator's own defaults (15/10/2) are exercised in production-operator.test.ts.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { api, apiOk, eventually, requireCluster, testNamespace } from '../support/cluster.js';

const compiledSrc = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');
const LEASE = { leaseDurationSeconds: 4, renewDeadlineSeconds: 3, retryPeriodSeconds: 0.5 };

/** A candidate process: runs a LeaderElector and prints one line per event (leading, aborted, stopped:REASON, released). */
const candidateScript = `
import { LeaderElector, leaseClientFor } from ${JSON.stringify(pathToFileURL(join(compiledSrc, 'leader', 'index.js')).href)};
import { KubeClient } from ${JSON.stringify(pathToFileURL(join(compiledSrc, 'kube', 'index.js')).href)};
const o = JSON.parse(process.env.CANDIDATE);
const elector = new LeaderElector(leaseClientFor(KubeClient.load({ kubeconfigPath: o.kubeconfig })), o.options);
const say = (line) => process.stdout.write(line + '\\n');
process.on('SIGTERM', async () => { await elector.release(); say('released'); process.exit(0); });
await elector.run({
  onStartedLeading: (signal) => { say('leading'); signal.addEventListener('abort', () => say('aborted')); },
  onStoppedLeading: (reason) => { say('stopped:' + reason); if (reason === 'lost') process.exit(3); },
});
`;

interface Candidate {
  identity: string;
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
}

function startCandidate(t: TestContext, kubeconfig: string, namespace: string, identity: string): Candidate {
  const options = { namespace, name: 'election', identity, ...LEASE };
  const child = spawn(process.execPath, ['--input-type=module', '-e', candidateScript], {
    env: { ...process.env, CANDIDATE: JSON.stringify({ kubeconfig, options }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  child.stdout!.setEncoding('utf8').on('data', (d: string) => lines.push(...d.split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.after(() => child.kill('SIGKILL'));
  return { identity, child, lines, exited };
}

const leasePath = (ns: string) => `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/election`;

async function holder(ns: string): Promise<string | undefined> {
  const r = await api(`GET`, leasePath(ns));
  return r.status === 200 ? (r.body.spec?.holderIdentity ?? undefined) : undefined;
}

async function twoCandidates(t: TestContext) {
  const env = requireCluster(t);
  if (!env) return null;
  const ns = await testNamespace(t);
  const a = startCandidate(t, env.kubeconfig, ns, 'candidate-a');
  const b = startCandidate(t, env.kubeconfig, ns, 'candidate-b');
  const first = await eventually('a leader', async () => holder(ns), 20_000);
  const [leader, standby] = first === a.identity ? [a, b] : [b, a];
  await eventually('the leader to start leading', async () => leader.lines.includes('leading'), 10_000);
  return { ns, leader, standby };
}

test('two candidates: exactly one leads, and keeps leading while it renews', async (t) => {
  const setup = await twoCandidates(t);
  if (!setup) return;
  const { ns, leader, standby } = setup;
  const before = await apiOk('GET', leasePath(ns));
  assert.equal(before.spec.leaseDurationSeconds, 4);
  assert.match(before.spec.renewTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  // Two lease durations later: same holder, renewed, and the standby never led.
  await new Promise((r) => setTimeout(r, 8_000));
  const after = await apiOk('GET', leasePath(ns));
  assert.equal(after.spec.holderIdentity, leader.identity);
  assert.equal(after.spec.acquireTime, before.spec.acquireTime, 'renewals keep acquireTime');
  assert.notEqual(after.spec.renewTime, before.spec.renewTime, 'the leader renews');
  assert.deepEqual(standby.lines, []);
});

test('the leader is killed: the standby takes over after the lease expires, not before', async (t) => {
  const setup = await twoCandidates(t);
  if (!setup) return;
  const { ns, leader, standby } = setup;
  const transitions = (await apiOk('GET', leasePath(ns))).spec.leaseTransitions ?? 0;
  leader.child.kill('SIGKILL');
  const killedAt = performance.now();
  await eventually('the standby to lead', async () => standby.lines.includes('leading'), 15_000);
  const took = (performance.now() - killedAt) / 1000;
  const lease = await apiOk('GET', leasePath(ns));
  assert.equal(lease.spec.holderIdentity, standby.identity);
  assert.equal(lease.spec.leaseTransitions, transitions + 1);
  // Expiry is measured from the standby's last sight of a renewal: between (lease - retry) and lease + 2 retries (+ jitter).
  assert.ok(took >= LEASE.leaseDurationSeconds - 1, `took over after ${took.toFixed(1)} s, before the lease could expire`);
  assert.ok(took <= LEASE.leaseDurationSeconds + 3, `took over after ${took.toFixed(1)} s`);
});

test('SIGTERM releases the lease: the standby takes over within a couple of retry periods', async (t) => {
  const setup = await twoCandidates(t);
  if (!setup) return;
  const { ns, leader, standby } = setup;
  leader.child.kill('SIGTERM');
  const stoppedAt = performance.now();
  assert.equal(await leader.exited, 0);
  assert.deepEqual(leader.lines, ['leading', 'aborted', 'stopped:released', 'released']);
  await eventually('the standby to lead', async () => standby.lines.includes('leading'), 10_000);
  const took = (performance.now() - stoppedAt) / 1000;
  assert.ok(took < LEASE.leaseDurationSeconds - 1, `took over after ${took.toFixed(1)} s: the released lease was waited out`);
  assert.equal(await holder(ns), standby.identity);
});

test('someone else takes the lease: the leader stops at once', async (t) => {
  const setup = await twoCandidates(t);
  if (!setup) return;
  const { ns, leader, standby } = setup;
  standby.child.kill('SIGKILL');
  // An intruder overwrites the holder (as a leader on a partitioned node whose lease we missed would).
  const lease = await apiOk('GET', leasePath(ns));
  const stamp = new Date().toISOString().replace(/Z$/, '000Z');
  await apiOk('PUT', leasePath(ns), { body: { ...lease, spec: { ...lease.spec, holderIdentity: 'intruder', renewTime: stamp, acquireTime: stamp } } });
  const tookAt = performance.now();
  assert.equal(await leader.exited, 3, 'the lost leader exits');
  assert.deepEqual(leader.lines, ['leading', 'aborted', 'stopped:lost']);
  assert.ok((performance.now() - tookAt) / 1000 < 2, 'within a few retry periods');
  assert.equal(await holder(ns), 'intruder', 'a lost leader never writes the lease again');
});
