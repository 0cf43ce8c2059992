// `chartrelease template --repo URL CHART --version ...` against a real repository (charts packaged
// and indexed by helm, served on 127.0.0.1): stdout equals `helm template`'s byte for byte, plain and
// over TLS with basic auth, a custom CA and a client certificate.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main, type CliIO } from '../../src/cli/index.js';
import { makeRepoDir, makeTestPki, startRepoServer, type RepoServer, type TestPki } from '../support/chart-repo.js';
import { referenceTools } from '../support/tools.js';

async function ours(args: string[]): Promise<{ stdout: string; stderr: string; rc: number }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readFile: (p) => readFileSync(p), env: {} };
  return { rc: await main(['template', ...args], io), stdout, stderr };
}

/** helm template, run asynchronously: the repository server answers from this process's event loop. */
function helm(args: string[]): Promise<{ stdout: string; stderr: string; status: number | null }> {
  const home = mkdtempSync(join(tmpdir(), 'chartrelease-helmhome-'));
  const env = { ...process.env, HELM_CACHE_HOME: join(home, 'cache'), HELM_CONFIG_HOME: join(home, 'config'), HELM_DATA_HOME: join(home, 'data') };
  const child = spawn(referenceTools().helm, ['template', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.on('close', (status) => resolve({ stdout, stderr, status })));
}

async function same(args: string[]): Promise<string> {
  const h = await helm(args);
  assert.equal(h.status, 0, h.stderr);
  const r = await ours(args);
  assert.equal(r.rc, 0, r.stderr);
  assert.equal(r.stdout, h.stdout);
  return r.stdout;
}

describe('template --repo', () => {
  let server: RepoServer;
  let secure: RepoServer;
  let pki: TestPki;
  before(async () => {
    const dir = makeRepoDir([{ name: 'demo', versions: ['1.0.0', '1.0.3', '1.2.0', '2.0.0-rc.1'] }]);
    server = await startRepoServer({ dir });
    pki = makeTestPki();
    secure = await startRepoServer({ dir, basicAuth: { username: 'ci', password: 'p4ss' }, tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert, requireClientCert: true } });
  });
  after(async () => {
    await server.close();
    await secure.close();
  });

  test('a constraint, no version, and an exact version render as helm renders them', async () => {
    assert.match(await same(['web', 'demo', '--repo', server.url, '--version', '~1.0']), /chartVersion: "1\.0\.3"/);
    assert.match(await same(['demo', '--repo', server.url, '--namespace', 'apps', '--set', 'greeting=hi']), /chartVersion: "1\.2\.0"/);
    assert.match(await same(['web', 'demo', '--repo', `${server.url}/`, '--version', '2.0.0-rc.1']), /chartVersion: "2\.0\.0-rc\.1"/);
  });

  test('over TLS with basic auth, a custom CA and a client certificate', async () => {
    const flags = ['--username', 'ci', '--password', 'p4ss', '--ca-file', pki.files.ca, '--cert-file', pki.files.clientCert, '--key-file', pki.files.clientKey];
    assert.match(await same(['web', 'demo', '--repo', secure.url, '--version', '1.0.x', ...flags]), /chartVersion: "1\.0\.3"/);
    assert.match(await same(['web', 'demo', '--repo', secure.url, '--insecure-skip-tls-verify', ...flags.filter((f, i, all) => f !== '--ca-file' && all[i - 1] !== '--ca-file')]), /chartVersion: "1\.2\.0"/);
  });

  test('errors name the URL and what to change; the password is never printed', async () => {
    const missing = await ours(['web', 'demo', '--repo', server.url, '--version', '3.x']);
    assert.equal(missing.rc, 1);
    assert.equal(missing.stdout, '');
    assert.match(missing.stderr, new RegExp(`^Error: chart "demo" in repository ${server.url}/: no version matches "3.x"; nearest available: 2.0.0-rc.1, 1.2.0, 1.0.3, 1.0.0\n$`));
    const denied = await ours(['web', 'demo', '--repo', secure.url, '--username', 'ci', '--password', 'wrong-secret', '--ca-file', pki.files.ca, '--cert-file', pki.files.clientCert, '--key-file', pki.files.clientKey]);
    assert.equal(denied.rc, 1);
    assert.match(denied.stderr, /401 Unauthorized/);
    assert.doesNotMatch(denied.stderr, /wrong-secret/);
    const noCa = await ours(['web', 'demo', '--repo', secure.url]);
    assert.match(noCa.stderr, /TLS verification failed.*--ca-file/);
  });
});
