import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import type https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { KubeconfigError, loadCredentials } from './index.js';

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'kubeconfig-test-'));
}

const kubeconfig = (o: { current?: string; clusters?: object[]; users?: object[]; contexts?: object[] }) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Config', ...(o.current ? { 'current-context': o.current } : {}), clusters: o.clusters ?? [], users: o.users ?? [], contexts: o.contexts ?? [] });

async function applied(creds: ReturnType<typeof loadCredentials>): Promise<https.RequestOptions & { headers: Record<string, string> }> {
  const opts: https.RequestOptions = { headers: {} };
  await creds.apply(opts);
  return opts as https.RequestOptions & { headers: Record<string, string> };
}

test('kubeconfig: token, inline CA and client certificate of the current context', async () => {
  const d = dir();
  try {
    const file = join(d, 'config');
    writeFileSync(
      file,
      kubeconfig({
        current: 'a',
        clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': Buffer.from('CA').toString('base64'), 'tls-server-name': 'kubernetes' } }],
        users: [{ name: 'u', user: { token: 'tok', 'client-certificate-data': Buffer.from('CERT').toString('base64'), 'client-key-data': Buffer.from('KEY').toString('base64') } }],
        contexts: [{ name: 'a', context: { cluster: 'c', user: 'u', namespace: 'shop' } }],
      }),
    );
    const creds = loadCredentials({ kubeconfigPath: file });
    assert.equal(creds.server.toString(), 'https://127.0.0.1:6443/');
    assert.equal(creds.namespace, 'shop');
    assert.equal(creds.poolable, true);
    const opts = await applied(creds);
    assert.equal(opts.headers.authorization, 'Bearer tok');
    assert.equal(String(opts.ca), 'CA');
    assert.equal(String(opts.cert), 'CERT');
    assert.equal(String(opts.key), 'KEY');
    assert.equal(opts.servername, 'kubernetes');
    assert.equal(opts.rejectUnauthorized, true);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('kubeconfig: files in $KUBECONFIG merge with the first one winning; relative paths are relative to their file', async () => {
  const d = dir();
  try {
    mkdirSync(join(d, 'second'));
    writeFileSync(join(d, 'second', 'ca.crt'), 'SECOND-CA');
    writeFileSync(join(d, 'second', 'token'), 'file-token\n');
    const first = join(d, 'first');
    const second = join(d, 'second', 'config');
    writeFileSync(first, kubeconfig({ current: 'b', clusters: [{ name: 'c', cluster: { server: 'https://first:1', 'insecure-skip-tls-verify': true } }], users: [{ name: 'u', user: { username: 'admin', password: 'pw' } }] }));
    writeFileSync(
      second,
      kubeconfig({
        current: 'ignored',
        clusters: [
          { name: 'c', cluster: { server: 'https://second:2' } },
          { name: 'd', cluster: { server: 'https://d:3', 'certificate-authority': 'ca.crt' } },
        ],
        users: [{ name: 'v', user: { tokenFile: 'token' } }],
        contexts: [
          { name: 'b', context: { cluster: 'd', user: 'v' } },
          { name: 'e', context: { cluster: 'c', user: 'u' } },
        ],
      }),
    );
    const env = { KUBECONFIG: [first, join(d, 'missing'), second].join(':'), HOME: d };
    const b = loadCredentials({}, env);
    assert.equal(b.server.host, 'd:3');
    const opts = await applied(b);
    assert.equal(String(opts.ca), 'SECOND-CA');
    assert.equal(opts.headers.authorization, 'Bearer file-token');
    const e = loadCredentials({ context: 'e' }, env);
    assert.equal(e.server.host, 'first:1', 'cluster c of the first file wins');
    const eOpts = await applied(e);
    assert.equal(eOpts.rejectUnauthorized, false);
    assert.equal(eOpts.headers.authorization, `Basic ${Buffer.from('admin:pw').toString('base64')}`);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('kubeconfig: exec plugins and proxies are handed to client-node; broken configs name what is missing', async () => {
  const d = dir();
  try {
    const file = join(d, 'config');
    writeFileSync(
      file,
      kubeconfig({
        current: 'x',
        clusters: [
          { name: 'c', cluster: { server: 'https://h:1' } },
          { name: 'p', cluster: { server: 'https://h:2', 'proxy-url': 'http://proxy:3128' } },
        ],
        users: [
          {
            name: 'exec',
            user: {
              exec: {
                apiVersion: 'client.authentication.k8s.io/v1',
                command: process.execPath,
                args: ['-e', `console.log(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'from-plugin' } }))`],
                interactiveMode: 'Never',
              },
            },
          },
        ],
        contexts: [
          { name: 'x', context: { cluster: 'c', user: 'exec' } },
          { name: 'proxied', context: { cluster: 'p' } },
          { name: 'nocluster', context: { cluster: 'zz' } },
        ],
      }),
    );
    const exec = loadCredentials({ kubeconfigPath: file });
    assert.equal(exec.constructor.name, 'DelegatedCredentials');
    const execHeaders = (await applied(exec)).headers;
    assert.equal(execHeaders.authorization ?? execHeaders.Authorization, 'Bearer from-plugin');
    assert.equal(loadCredentials({ kubeconfigPath: file, context: 'proxied' }).poolable, false);
    assert.throws(() => loadCredentials({ kubeconfigPath: file, context: 'nocluster' }), (err: Error) => err instanceof KubeconfigError && /names cluster "zz", which is not defined/.test(err.message));
    assert.throws(() => loadCredentials({ kubeconfigPath: file, context: 'nope' }), /has no context "nope"/);
    assert.throws(() => loadCredentials({}, { HOME: d }), /no kubeconfig/);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('in-cluster: KUBERNETES_SERVICE_HOST without a service account is an error naming the variables', () => {
  assert.throws(() => loadCredentials({ inCluster: true }, {}), /KUBERNETES_SERVICE_HOST/);
});
