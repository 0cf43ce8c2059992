// Story: at scale, an operator's idle resyncs must cost the API server nothing. An install writes
// each new object once, without a dry-run first; periodic resyncs of an unchanged release send no
// write and no dry-run (the inventory watch vouches that nothing moved); an object edited by hand
// moves its resourceVersion, and the next resync dry-runs that object only and takes it back.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { EventRecorder, Operator, Reconciler } from '../../src/controller/index.js';
import { InventoryWatch } from '../../src/inventory-watch/index.js';
import { Discovery, KubeClient } from '../../src/kube/index.js';
import { createLogger } from '../../src/observability/index.js';
import { api, apiOk, eventually, requireCluster, testNamespace } from '../support/cluster.js';
import { applyYaml, chartReleaseYaml, installCRD, waitForReady, writeChart } from './operator-harness.js';

interface Sent {
  method: string;
  path: string;
  dryRun: boolean;
  accept?: string;
}

/** The operator's client, noting every write it sends (the server is real; nothing is answered for it). */
function recordingClient(kubeconfig: string, sent: Sent[], reads: string[] = []): KubeClient {
  const client = KubeClient.load({ kubeconfigPath: kubeconfig });
  const request = client.request.bind(client);
  client.request = ((method: string, path: string, opts: { query?: Record<string, unknown>; accept?: string } = {}) => {
    if (method === 'GET') reads.push(path);
    else sent.push({ method, path, dryRun: opts.query?.dryRun === 'All', ...(opts.accept ? { accept: opts.accept } : {}) });
    return request(method, path, opts as never);
  }) as typeof client.request;
  return client;
}

const CHART = {
  'Chart.yaml': 'apiVersion: v2\nname: pair\nversion: 0.1.0\n',
  'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\ndata:\n  greeting: {{ .Values.greeting | quote }}\n',
  'templates/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ .Release.Name }}-sa\n',
  'values.yaml': 'greeting: hello\n',
  // A test hook, as most charts ship: it runs only under spec.test, so it makes the install no longer.
  'templates/tests/ping.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-ping\n  annotations:\n    helm.sh/hook: test\nspec:\n  restartPolicy: Never\n  containers:\n    - name: ping\n      image: busybox\n',
};

test('install writes without dry-runs; idle resyncs send nothing; a hand edit is dry-run alone and taken back', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  await installCRD();
  const sent: Sent[] = [];
  const reads: string[] = [];
  const client = recordingClient(cluster.kubeconfig, sent, reads);
  const discovery = new Discovery(client);
  let logs = '';
  const log = createLogger({ level: 'debug', destination: new Writable({ write: (chunk, _enc, cb) => ((logs += chunk.toString()), cb()) }) as never });
  const inventory = new InventoryWatch(client, discovery, { onError: (err) => log.warn({ err: (err as Error).message }, 'inventory watch failed') });
  const operator = new Operator({ client, discovery, log, namespace: ns, concurrency: 2, inventory, backoff: { baseMs: 200, maxMs: 2000 } });
  const stop = new AbortController();
  const done = operator.run(stop.signal);
  t.after(async () => {
    stop.abort();
    await done;
    client.close();
    const list = await apiOk('GET', `/apis/chartrelease.dev/v1alpha1/namespaces/${ns}/chartreleases`);
    for (const cr of list.items as { metadata: { name: string } }[]) {
      await api('PATCH', `/apis/chartrelease.dev/v1alpha1/namespaces/${ns}/chartreleases/${cr.metadata.name}`, { body: { metadata: { finalizers: null } }, contentType: 'application/merge-patch+json' });
    }
  });
  await operator.waitForSync();

  const chart = writeChart(CHART);
  await applyYaml(chartReleaseYaml(ns, 'pair', { chart: { path: chart }, interval: '1h' }));
  await waitForReady(ns, 'pair');
  const install = sent.splice(0);
  // The new ChartRelease came from the watch without our finalizer: the finalizer patch went first
  // and its answer stood for the object (no read of it).
  const crReads = reads.splice(0).filter((p) => p.endsWith('/chartreleases/pair'));
  assert.equal(crReads.length, 0, `the install read the ChartRelease ${crReads.length} times`);
  const kinds = install.map((s) => `${s.method} ${s.path.replace(/^.*\/namespaces\/[^/]+\//, '').replace(/\/[^/]*pair[^/]*/, '/NAME')}${s.dryRun ? ' (dry-run)' : ''}`);
  assert.equal(install.filter((s) => s.dryRun).length, 0, `no dry-run of objects that do not exist yet:\n${kinds.join('\n')}`);
  // finalizer, status (once: no Reconciling announcement for a deploy that runs no hook), record
  // created once, as deployed (a first install that only applies objects), the Event, one apply per object
  assert.ok(install.length <= 6, `install wrote ${install.length} times:\n${kinds.join("\n")}`);
  // Writes whose answer is not used ask for metadata only: the applies (their resourceVersion), the
  // status patch and the Event. (The finalizer patch's answer is the object the reconcile goes on with.)
  const metadataOnly = install.filter((s) => /^application\/json;as=PartialObjectMetadata;/.test(s.accept ?? '')).map((s) => s.path.replace(/^.*\/namespaces\/[^/]+\//, ''));
  assert.ok(metadataOnly.includes('configmaps/pair-config') && metadataOnly.includes('serviceaccounts/pair-sa'), `applies answered with metadata: ${metadataOnly.join(', ')}`);
  assert.ok(metadataOnly.includes('chartreleases/pair/status') && metadataOnly.includes('events'), `status and event answered with metadata: ${metadataOnly.join(', ')}`);

  // Idle: resyncs every second send nothing but reads. (The spec change itself is a reconcile the
  // user asked for, which checks every object once.)
  await eventually('the inventory watch to list the release objects kinds', async () => inventory.synced || undefined);
  await apiOk('PATCH', `/apis/chartrelease.dev/v1alpha1/namespaces/${ns}/chartreleases/pair`, { body: { spec: { interval: '1s' } }, contentType: 'application/merge-patch+json' });
  await new Promise((r) => setTimeout(r, 2500));
  sent.splice(0);
  const reconciledBefore = (logs.match(/"msg":"reconciled"/g) ?? []).length;
  await new Promise((r) => setTimeout(r, 4000));
  const reconciled = (logs.match(/"msg":"reconciled"/g) ?? []).length - reconciledBefore;
  assert.ok(reconciled >= 2, `at least two idle resyncs ran (saw ${reconciled})`);
  assert.equal(sent.length, 0, `idle resyncs send no write and no dry-run: ${JSON.stringify(sent)}`);

  // Someone edits the ConfigMap: the next resync dry-runs it (and only it) and takes the field back.
  const cmPath = `/api/v1/namespaces/${ns}/configmaps/pair-config`;
  await apiOk('PATCH', `${cmPath}?fieldManager=kubectl-edit`, { body: { data: { greeting: 'edited' } }, contentType: 'application/merge-patch+json' });
  await eventually('the edit to be taken back', async () => (await apiOk('GET', cmPath)).data.greeting === 'hello' || undefined, 15_000);
  const dryRuns = sent.filter((s) => s.dryRun).map((s) => s.path);
  assert.ok(dryRuns.length >= 1 && dryRuns.every((p) => p === cmPath), `only the edited ConfigMap is dry-run: ${dryRuns.join(', ')}`);
  // The object is taken back before the reconcile records the Event and logs it: wait for the log too.
  await eventually('the drift correction to be logged', async () => /drift corrected/.test(logs) || undefined, 15_000);

  // A restarted operator (a new Reconciler: nothing in memory) finds the deployed revision's inputs
  // digest equal to that of the chart and values: it does not render, and the release stays Ready.
  stop.abort();
  await done;
  let renders = 0;
  const metrics = { renderDuration: { observe: () => void renders++ }, observeApply: () => {}, setReleaseConditions: () => {} };
  const fresh = new Reconciler({ client, discovery, events: new EventRecorder(client), log, metrics: metrics as never });
  const result = await fresh.reconcile(ns, 'pair');
  assert.equal(result.result, 'success');
  assert.equal(renders, 0, 'no render after a restart when the inputs match the deployed revision');
  // Changed values are still seen: the digest differs, the chart renders, and an upgrade follows.
  await apiOk('PATCH', `/apis/chartrelease.dev/v1alpha1/namespaces/${ns}/chartreleases/pair`, { body: { spec: { values: { greeting: 'bonjour' } } }, contentType: 'application/merge-patch+json' });
  const upgraded = await fresh.reconcile(ns, 'pair');
  assert.equal(upgraded.result, 'success');
  assert.ok(renders >= 1);
  assert.equal((await apiOk('GET', cmPath)).data.greeting, 'bonjour');
});
