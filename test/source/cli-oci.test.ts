// `chartrelease template NAME oci://host/path/chart --version ...` against a real registry (charts
// pushed by `helm push`): stdout equals `helm template`'s byte for byte, anonymous over plain HTTP and
// with the token flow over TLS (custom CA, client certificate, --username/--password).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { main, type CliIO } from '../../src/cli/index.js';
import { helm, helmRegistryFlags, requireRegistry, startRegistry, packageTestChart } from '../support/registry.js';

async function ours(args: string[]): Promise<{ stdout: string; stderr: string; rc: number }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readFile: (p) => readFileSync(p), env: {} };
  return { rc: await main(['template', ...args], io), stdout, stderr };
}


test('template oci:// renders as helm template does: constraints, newest, exact, + versions; anonymous and with auth over TLS', async (t) => {
  const bin = requireRegistry(t);
  if (!bin) return;
  const plain = await startRegistry(t, bin);
  const secure = await startRegistry(t, bin, { auth: 'token', tls: true, clientCert: true });
  for (const v of ['1.0.0', '1.0.3', '1.2.0', '2.0.0-rc.1', '1.3.0+build.7']) {
    const tgz = packageTestChart('demo', v);
    await plain.push(tgz, 'charts');
    if (v === '1.0.3') await secure.push(tgz, 'private/charts');
  }
  const same = async (dir: string, args: string[]) => {
    const h = await helm(dir, ['template', ...args]);
    assert.equal(h.status, 0, h.stderr);
    const r = await ours(args);
    assert.equal(r.rc, 0, r.stderr);
    assert.equal(r.stdout, h.stdout);
    return r.stdout;
  };
  const chart = `${plain.url}/charts/demo`;
  assert.match(await same(plain.dir, ['web', chart, '--version', '~1.0', '--plain-http']), /chartVersion: "1\.0\.3"/);
  assert.match(await same(plain.dir, [chart, '--plain-http', '--namespace', 'apps', '--set', 'greeting=hi']), /chartVersion: "1\.3\.0\+build\.7"/);
  assert.match(await same(plain.dir, ['web', chart, '--version', '2.0.0-rc.1', '--plain-http']), /chartVersion: "2\.0\.0-rc\.1"/);
  assert.match(await same(plain.dir, ['web', chart, '--version', '1.3.0+build.7', '--plain-http']), /chartVersion: "1\.3\.0\+build\.7"/);
  assert.match(await same(plain.dir, ['web', `${chart}:1.2.0`, '--plain-http']), /chartVersion: "1\.2\.0"/);
  assert.match(await same(secure.dir, ['web', `${secure.url}/private/charts/demo`, '--version', '1.0.x', ...helmRegistryFlags(secure, true)]), /chartVersion: "1\.0\.3"/);

  // Failures name the reference and say what to change.
  const missing = await ours(['web', chart, '--version', '9.x', '--plain-http']);
  assert.notEqual(missing.rc, 0);
  assert.match(missing.stderr, /oci:\/\/127\.0\.0\.1:\d+\/charts\/demo: no version matches "9\.x"; nearest available: /);
  const noCreds = await ours(['web', `${secure.url}/private/charts/demo`, '--version', '1.0.x', '--ca-file', secure.pki!.files.ca, '--cert-file', secure.pki!.files.clientCert, '--key-file', secure.pki!.files.clientKey]);
  assert.notEqual(noCreds.rc, 0);
  assert.match(noCreds.stderr, /401 Unauthorized; the registry requires credentials/);
});
