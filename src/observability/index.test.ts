import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createObservability, parseBindAddress } from './index.js';

test('bind addresses: controller-runtime forms, 0 disables', () => {
  assert.deepEqual(parseBindAddress(':8080'), { host: null, port: 8080 });
  assert.deepEqual(parseBindAddress('127.0.0.1:9440'), { host: '127.0.0.1', port: 9440 });
  assert.deepEqual(parseBindAddress('[::1]:0'), { host: '::1', port: 0 });
  assert.deepEqual(parseBindAddress('localhost:1'), { host: 'localhost', port: 1 });
  assert.equal(parseBindAddress('0'), null);
  for (const bad of ['8080', ':', ':99999', 'a:b', '::1:80']) assert.throws(() => parseBindAddress(bad), /invalid bind address/, bad);
});

const get = async (url: string) => {
  const r = await fetch(url);
  return { status: r.status, body: await r.text(), type: r.headers.get('content-type') };
};

test('serves /metrics, /healthz and /readyz on their addresses; ready only when every ready check passes', async (t) => {
  const obs = createObservability({ metricsBindAddress: '127.0.0.1:0', healthBindAddress: '127.0.0.1:0', logDestination: { write() {} } });
  const at = await obs.serve();
  t.after(() => obs.close());
  assert.ok(at.metrics && at.health && at.metrics !== at.health);

  obs.metrics.observeReconcile('chartrelease', 'success', 0.1);
  const metrics = await get(`http://${at.metrics}/metrics`);
  assert.equal(metrics.status, 200);
  assert.match(metrics.type!, /^text\/plain/);
  assert.match(metrics.body, /^controller_runtime_reconcile_total\{controller="chartrelease",result="success"\} 1$/m);
  assert.equal((await get(`http://${at.metrics}/healthz`)).status, 404, 'probes are not on the metrics port');
  assert.equal((await get(`http://${at.health}/metrics`)).status, 404, 'metrics are not on the probe port');

  assert.deepEqual(await get(`http://${at.health}/healthz`), { status: 200, body: 'ok', type: 'text/plain; charset=utf-8' });
  const unready = await get(`http://${at.health}/readyz`);
  assert.equal(unready.status, 500, 'no ready check registered: not ready');

  let synced = false;
  let leaderOk = true;
  obs.health.addReadyCheck('informers-synced', () => synced);
  obs.health.addReadyCheck('leader-election', async () => {
    if (!leaderOk) throw new Error('lease not reachable');
    return true;
  });
  assert.deepEqual(await get(`http://${at.health}/readyz`), {
    status: 500,
    body: '[-]informers-synced failed: not yet\n[+]leader-election ok\nreadyz check failed',
    type: 'text/plain; charset=utf-8',
  });
  synced = true;
  assert.equal((await get(`http://${at.health}/readyz`)).body, 'ok');
  assert.equal((await get(`http://${at.health}/readyz?verbose`)).body, '[+]informers-synced ok\n[+]leader-election ok\nreadyz check passed');
  leaderOk = false;
  const down = await get(`http://${at.health}/readyz`);
  assert.equal(down.status, 500);
  assert.match(down.body, /^\[-\]leader-election failed: lease not reachable$/m);
  assert.equal((await get(`http://${at.health}/readyz/informers-synced`)).status, 200, 'one check by name');
  assert.equal((await get(`http://${at.health}/readyz/nope`)).status, 404);
  assert.equal((await fetch(`http://${at.health}/readyz`, { method: 'POST' })).status, 405);
  assert.throws(() => obs.health.addReadyCheck('leader-election', () => true), /already registered/);
});

test('one server when both addresses are the same; serving twice is refused; a busy port fails', async (t) => {
  const first = createObservability({ metricsBindAddress: '127.0.0.1:0', healthBindAddress: '0', logDestination: { write() {} } });
  const at = await first.serve();
  t.after(() => first.close());
  assert.equal(at.health, null);
  await assert.rejects(first.serve(), /already being served/);

  const port = Number(at.metrics!.split(':').pop());
  const busy = createObservability({ metricsBindAddress: `127.0.0.1:${port}`, healthBindAddress: '127.0.0.1:0', logDestination: { write() {} } });
  await assert.rejects(busy.serve(), /EADDRINUSE/);

  await first.close();
  const shared = createObservability({ metricsBindAddress: `127.0.0.1:${port}`, healthBindAddress: `127.0.0.1:${port}`, logDestination: { write() {} } });
  const both = await shared.serve();
  t.after(() => shared.close());
  assert.equal(both.metrics, both.health);
  assert.equal((await get(`http://${both.metrics}/metrics`)).status, 200);
  assert.equal((await get(`http://${both.health}/healthz`)).status, 200);
});
