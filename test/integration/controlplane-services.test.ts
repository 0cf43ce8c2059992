// Issue 11, problem 6: the local control plane holds a thousand releases. Its Service IP range is a
// /12 like kubeadm's default (10.96.0.0/12); a /24 ran out at the 254th Service ("range is full").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, requireCluster, testNamespace } from '../support/cluster.js';

const SERVICES = 1100;

/** 10.96.0.0/12: 10.96.0.0 - 10.111.255.255. */
const inServiceRange = (ip: string) => {
  const [a, b] = ip.split('.').map(Number);
  return a === 10 && b! >= 96 && b! <= 111;
};

test(`${SERVICES} ClusterIP Services (one per release of a thousand) all get an address from the /12`, async (t) => {
  if (!requireCluster(t)) return;
  const ns = await testNamespace(t);
  const failures: string[] = [];
  const ips: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < SERVICES) {
      const i = next++;
      const body = { apiVersion: 'v1', kind: 'Service', metadata: { name: `release-${i}` }, spec: { ports: [{ port: 80 }], selector: { release: String(i) } } };
      const r = await api('POST', `/api/v1/namespaces/${ns}/services`, { body });
      if (r.status !== 201) failures.push(`release-${i}: ${r.status} ${JSON.stringify(r.body?.message ?? r.body)}`);
      else ips.push(r.body.spec.clusterIP);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  assert.deepEqual(failures.slice(0, 3), [], `${failures.length} Services refused`);
  assert.equal(new Set(ips).size, SERVICES, 'every Service has its own address');
  assert.deepEqual(ips.filter((ip) => !inServiceRange(ip)), [], 'addresses come from 10.96.0.0/12');
});
