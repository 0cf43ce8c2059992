import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KubeApiError, type Discovery, type KubeClient, type RawWatchEvent, type ResourceMapping, type WatchSource } from '../kube/index.js';
import { InventoryWatch } from './index.js';

const MAPPINGS: Record<string, ResourceMapping> = {
  ConfigMap: { group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespaced: true },
  ClusterRole: { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', resource: 'clusterroles', namespaced: false },
};
const discovery = { mapping: async (_apiVersion: string, kind: string) => MAPPINGS[kind]! } as unknown as Discovery;

/** A scripted kind: a list of objects, then watch events pushed by the test. */
function scripted(items: { name: string; namespace?: string; rv: string }[]) {
  const pending: RawWatchEvent[] = [];
  let wake: (() => void) | undefined;
  const source: WatchSource = {
    async listPage() {
      return { items: items.map((i) => ({ metadata: { name: i.name, namespace: i.namespace, resourceVersion: i.rv } })), resourceVersion: '1' };
    },
    async *watch(_rv, signal) {
      while (!signal.aborted) {
        if (!pending.length) await new Promise<void>((r) => ((wake = r), signal.addEventListener('abort', () => r(), { once: true })));
        const e = pending.shift();
        if (e) yield e;
      }
    },
  };
  return { source, push: (e: RawWatchEvent) => (pending.push(e), wake?.()) };
}

const tick = () => new Promise((r) => setTimeout(r, 20));
const cm = { apiVersion: 'v1', kind: 'ConfigMap', name: 'a', namespace: 'shop' };
const cr = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'r' };
const CM_KEY = '|ConfigMap|shop|a';
const CR_KEY = 'rbac.authorization.k8s.io|ClusterRole||r';

test('InventoryWatch: an object counts as unchanged only while the watch shows the resourceVersion the release applied', async () => {
  const configmaps = scripted([{ name: 'a', namespace: 'shop', rv: '10' }]);
  const roles = scripted([{ name: 'r', rv: '20' }]);
  const w = new InventoryWatch({} as KubeClient, discovery, { sourceFor: (m) => (m.kind === 'ConfigMap' ? configmaps.source : roles.source) });
  const stop = new AbortController();
  const running = w.run(stop.signal);
  // Nothing remembered and the kinds not listed yet: everything is to be checked.
  assert.deepEqual([...(await w.changedSince('shop/web', 'd1', [cm, cr]))].sort(), [CM_KEY, CR_KEY].sort());
  await tick();
  assert.equal(w.synced, true);
  assert.deepEqual([...(await w.changedSince('shop/web', 'd1', [cm, cr]))].sort(), [CM_KEY, CR_KEY].sort(), 'listed, but nothing remembered');
  w.remember('shop/web', 'd1', new Map([[CM_KEY, '10'], [CR_KEY, '20']]));
  assert.deepEqual([...(await w.changedSince('shop/web', 'd1', [cm, cr]))], []);
  assert.deepEqual([...(await w.changedSince('shop/web', 'd2', [cm, cr]))].sort(), [CM_KEY, CR_KEY].sort(), 'another manifest: nothing vouched for');
  // An edit moves the resourceVersion; a delete removes it.
  configmaps.push({ type: 'MODIFIED', object: { metadata: { name: 'a', namespace: 'shop', resourceVersion: '11' } } });
  roles.push({ type: 'DELETED', object: { metadata: { name: 'r', resourceVersion: '21' } } });
  await tick();
  assert.deepEqual([...(await w.changedSince('shop/web', 'd1', [cm, cr]))].sort(), [CM_KEY, CR_KEY].sort());
  // The resync applied the ConfigMap again: remembered with merge, the role still counts as changed.
  w.remember('shop/web', 'd1', new Map([[CM_KEY, '11']]), true);
  assert.deepEqual([...(await w.changedSince('shop/web', 'd1', [cm, cr]))], [CR_KEY]);
  w.forget('shop/web');
  assert.equal((await w.changedSince('shop/web', 'd1', [cm])).size, 1);
  stop.abort();
  await running;
});

test('InventoryWatch: a kind whose watch is refused is never vouched for, and is not retried', async () => {
  let lists = 0;
  const refused: WatchSource = {
    async listPage() {
      lists++;
      throw new KubeApiError({ method: 'GET', path: '/api/v1/configmaps', statusCode: 403, body: 'forbidden' });
    },
    watch() {
      throw new Error('not reached');
    },
  };
  const errors: unknown[] = [];
  const w = new InventoryWatch({} as KubeClient, discovery, { sourceFor: () => refused, onError: (e) => errors.push(e) });
  const stop = new AbortController();
  const running = w.run(stop.signal);
  w.remember('shop/web', 'd1', new Map([[CM_KEY, '10']]));
  assert.equal((await w.changedSince('shop/web', 'd1', [cm])).size, 1);
  await new Promise((r) => setTimeout(r, 700));
  assert.equal(lists, 1);
  assert.equal(errors.length, 1);
  assert.equal(w.synced, true, 'a refused kind does not hold readiness back');
  assert.equal((await w.changedSince('shop/web', 'd1', [cm])).size, 1);
  stop.abort();
  await running;
});
