// Unit tests for the parts of the dev control plane harness that need no running processes.
// The control plane itself is exercised by test/integration/controlplane.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { binariesIn, kubeconfigYaml, prebuiltBinaries } from './index.js';

test('kubeconfigYaml writes one cluster, one token user and a current context', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
  const kc = parse(kubeconfigYaml({ server: 'https://127.0.0.1:6443', caData: pem, user: 'alice', token: 's3cret' }));
  assert.equal(kc['current-context'], 'chartrelease-dev');
  assert.deepEqual(kc.contexts, [{ name: 'chartrelease-dev', context: { cluster: 'chartrelease-dev', user: 'alice' } }]);
  assert.equal(kc.clusters[0].cluster.server, 'https://127.0.0.1:6443');
  assert.equal(Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64').toString(), pem);
  assert.deepEqual(kc.users, [{ name: 'alice', user: { token: 's3cret' } }]);
});

test('binariesIn and prebuiltBinaries find kube-apiserver, etcd and an optional controller manager', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'devcluster-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.equal(binariesIn(dir), null);
  writeFileSync(join(dir, 'kube-apiserver'), '');
  writeFileSync(join(dir, 'etcd'), '');
  assert.deepEqual(binariesIn(dir), { dir, kubeApiserver: join(dir, 'kube-apiserver'), etcd: join(dir, 'etcd') });
  writeFileSync(join(dir, 'kube-controller-manager'), '');
  assert.equal(binariesIn(dir)?.kubeControllerManager, join(dir, 'kube-controller-manager'));

  assert.equal(prebuiltBinaries({}), null);
  assert.equal(prebuiltBinaries({ CHARTRELEASE_CONTROLPLANE_BIN: dir })?.dir, dir);
  assert.equal(prebuiltBinaries({ KUBEBUILDER_ASSETS: dir })?.etcd, join(dir, 'etcd'));
  assert.deepEqual(prebuiltBinaries({ TEST_ASSET_KUBE_APISERVER: '/x/kube-apiserver', TEST_ASSET_ETCD: '/y/etcd' }), {
    dir: '/x',
    kubeApiserver: '/x/kube-apiserver',
    etcd: '/y/etcd',
  });
  assert.throws(() => prebuiltBinaries({ CHARTRELEASE_CONTROLPLANE_BIN: join(dir, 'nope') }), /has no kube-apiserver and etcd/);
});
