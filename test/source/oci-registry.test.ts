// The OCI chart source against a real registry (the CNCF distribution registry built by
// test/registry/build.sh), with charts pushed by the real `helm push`: constraint resolution over
// paginated tags, Helm's `+`/`_` tag convention, digest pins that hold when a tag is pushed again,
// anonymous pull, htpasswd Basic auth, the Bearer token flow, dockerconfigjson Secrets, TLS with a
// test CA and client certificates, and the errors a user gets when something is wrong.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { ArchiveCache, ChartSourceError, createSourceCaches, fetchChart, loadFetchedChart, type SourceAuth } from '../../src/source/index.js';
import { fetchOciChart, resolveOciChart } from '../../src/source/oci.js';
import { REGISTRY_IDENTITY_TOKEN, REGISTRY_PASSWORD, REGISTRY_USER, requireRegistry, startRegistry, type RegistryOptions, type TestRegistry, packageTestChart } from '../support/registry.js';

const isSourceError = (reason: ChartSourceError['reason'], pattern?: RegExp, retryable?: boolean) => (err: unknown) => {
  assert.ok(err instanceof ChartSourceError, `not a ChartSourceError: ${String(err)}`);
  assert.equal(err.reason, reason, err.message);
  if (pattern) assert.match(err.message, pattern);
  if (retryable !== undefined) assert.equal(err.retryable, retryable, err.message);
  return true;
};


const sha256 = (file: string) => `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;

async function registry(t: TestContext, options: RegistryOptions = {}): Promise<TestRegistry | null> {
  const bin = requireRegistry(t);
  return bin ? startRegistry(t, bin, options) : null;
}

describe('anonymous registry over plain HTTP', () => {
  test('resolves constraints over paginated tags, verifies digests and reads + from _ tags', async (t) => {
    const reg = await registry(t);
    if (!reg) return;
    const pushed: Record<string, { tgz: string; digest: string }> = {};
    for (const v of ['0.9.0', '1.0.0', '1.0.1', '1.1.0-rc.1', '1.1.0', '2.0.0+build.1']) {
      const tgz = packageTestChart('demo', v);
      pushed[v] = { tgz, digest: await reg.push(tgz, 'charts') };
    }
    const base = { url: `${reg.url}/charts/demo`, plainHTTP: true };

    const patch = await fetchOciChart({ ...base, version: '1.0.x' }, { tagPageSize: 2 });
    assert.equal(patch.name, 'demo');
    assert.equal(patch.version, '1.0.1');
    assert.equal(patch.digest, pushed['1.0.1']!.digest, 'the manifest digest helm push printed');
    assert.equal(patch.source, `${reg.url}/charts/demo:1.0.1@${pushed['1.0.1']!.digest}`);
    assert.ok(patch.archive.equals(readFileSync(pushed['1.0.1']!.tgz)), 'the chart layer is the packaged archive, byte for byte');
    assert.equal(loadFetchedChart(patch).metadata.version, '1.0.1');

    // The newest stable version is on the last of three pages of two tags: pagination must be followed.
    const newest = await fetchOciChart(base, { tagPageSize: 2 });
    assert.equal(newest.version, '2.0.0+build.1');
    assert.equal(newest.source, `${reg.url}/charts/demo:2.0.0_build.1@${pushed['2.0.0+build.1']!.digest}`);
    assert.equal((await fetchOciChart({ ...base, version: '>=1.1.0-0 <2' })).version, '1.1.0');
    assert.equal((await fetchOciChart({ ...base, version: '~1.1.0-0' })).version, '1.1.0');
    assert.equal((await fetchOciChart({ ...base, version: '1.1.0-rc.1' })).version, '1.1.0-rc.1');
    assert.equal((await fetchOciChart({ ...base, version: '2.0.0+build.1' })).digest, pushed['2.0.0+build.1']!.digest);
    assert.equal((await fetchOciChart({ ...base, url: `${base.url}:1.0.0` })).version, '1.0.0');

    await assert.rejects(fetchOciChart({ ...base, version: '3.x' }, { tagPageSize: 2 }), isSourceError('VersionNotFound', /oci:\/\/127\.0\.0\.1:\d+\/charts\/demo: no version matches "3.x"; nearest available: 2\.0\.0\+build\.1, 1\.1\.0/, false));
    await assert.rejects(fetchOciChart({ ...base, version: '1.0.7' }), isSourceError('VersionNotFound', /no tag 1\.0\.7 .*nearest available: .*1\.0\.1, 1\.0\.0/));
    await assert.rejects(fetchOciChart({ ...base, url: `${reg.url}/charts/nothing` }), isSourceError('VersionNotFound', /does not exist in the registry/));
    await assert.rejects(fetchOciChart({ ...base, version: 'latest' }), isSourceError('SourceInvalid', /neither a version nor a semver constraint/));
  });

  test('a digest pin holds when the tag is pushed again; a tag follows the new push', async (t) => {
    const reg = await registry(t);
    if (!reg) return;
    const first = packageTestChart('pinned', '1.0.0');
    const firstDigest = await reg.push(first, 'charts');
    const base = { url: `${reg.url}/charts/pinned`, plainHTTP: true };
    const cache = new ArchiveCache({ dir: mkdtempSync(join(tmpdir(), 'chartrelease-oci-cache-')) });

    const second = packageTestChart('pinned', '1.0.0', { 'templates/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n' });
    const secondDigest = await reg.push(second, 'charts');
    assert.notEqual(firstDigest, secondDigest);

    for (const source of [{ ...base, digest: firstDigest }, { ...base, version: `1.0.0@${firstDigest}` }, { ...base, url: `${base.url}@${firstDigest}` }]) {
      const pinned = await fetchOciChart(source, { archives: cache });
      assert.equal(pinned.digest, firstDigest);
      assert.ok(pinned.archive.equals(readFileSync(first)), 'the pinned chart, not the one the tag now names');
      assert.equal(pinned.source, `${base.url}@${firstDigest}`);
    }
    const byTag = await fetchOciChart({ ...base, version: '1.0.0' });
    assert.equal(byTag.digest, secondDigest);
    assert.ok(byTag.archive.equals(readFileSync(second)));
    assert.equal((await resolveOciChart({ ...base, version: '1.0.x' })).digest, secondDigest);
    // The layer is cached by its own digest.
    assert.ok(cache.get(sha256(first).slice(7)));

    await assert.rejects(fetchOciChart({ ...base, digest: `sha256:${'0'.repeat(64)}` }), isSourceError('VersionNotFound', /no manifest with digest sha256:0{64}/));
    await assert.rejects(fetchOciChart({ ...base, version: `2.0.0@${firstDigest}` }), isSourceError('SourceInvalid', /is chart version 1\.0\.0, not 2\.0\.0/));
    await assert.rejects(fetchOciChart({ ...base, version: '2.x', digest: firstDigest }), isSourceError('SourceInvalid', /is chart version 1\.0\.0, which does not satisfy 2\.x/));
    assert.equal((await fetchOciChart({ ...base, version: '1.x', digest: firstDigest })).digest, firstDigest);
  });

  test('the wrong scheme or port says what to change', async (t) => {
    const reg = await registry(t);
    if (!reg) return;
    await assert.rejects(fetchOciChart({ url: `${reg.url}/charts/demo`, version: '1.0.0' }), isSourceError('SourceUnreachable', /plainHTTP: true/));
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    await assert.rejects(fetchOciChart({ url: `oci://127.0.0.1:${closed}/charts/demo`, version: '1.0.0', plainHTTP: true }), isSourceError('SourceUnreachable', /ECONNREFUSED.*check the registry host and port/, true));
  });
});

describe('registry with htpasswd Basic auth', () => {
  test('anonymous pull is refused with advice; username/password and a dockerconfigjson Secret pull', async (t) => {
    const reg = await registry(t, { auth: 'basic' });
    if (!reg) return;
    const tgz = packageTestChart('private', '1.2.3');
    const digest = await reg.push(tgz, 'team/charts');
    const source = { url: `${reg.url}/team/charts/private`, version: '^1', plainHTTP: true };

    await assert.rejects(fetchOciChart(source), isSourceError('SourceAuthFailed', /401 Unauthorized; the registry requires credentials: set spec\.chart\.oci\.secretRef/, false));
    await assert.rejects(fetchOciChart(source, { auth: { username: REGISTRY_USER, password: 'wrong' } }), isSourceError('SourceAuthFailed', /refused the credentials/, false));

    const withPassword = await fetchOciChart(source, { auth: { username: REGISTRY_USER, password: REGISTRY_PASSWORD } });
    assert.equal(withPassword.version, '1.2.3');
    assert.equal(withPassword.digest, digest);

    const dockerConfig = (host: string): SourceAuth => ({
      dockerConfigJson: JSON.stringify({ auths: { 'other.example': { auth: 'eDp5' }, [host]: { auth: Buffer.from(`${REGISTRY_USER}:${REGISTRY_PASSWORD}`).toString('base64') } } }),
    });
    assert.equal((await fetchOciChart(source, { auth: dockerConfig(reg.host) })).digest, digest);
    assert.equal((await fetchOciChart(source, { auth: dockerConfig(`http://${reg.host}/v1/`) })).digest, digest, "docker's URL-shaped keys name the same host");
    await assert.rejects(fetchOciChart(source, { auth: dockerConfig('elsewhere.example:5000') }), isSourceError('SourceAuthFailed', /requires credentials/));

    // Through the dispatch every caller uses, with the shared caches.
    const viaIndex = await fetchChart({ kind: 'oci', ...source }, { auth: { username: REGISTRY_USER, password: REGISTRY_PASSWORD }, caches: createSourceCaches({ dir: mkdtempSync(join(tmpdir(), 'chartrelease-oci-cache-')) }) });
    assert.equal(viaIndex.digest, digest);
  });
});

describe('registry with the token flow over TLS', () => {
  test('a Bearer challenge is answered with a token from the realm; TLS is verified against the CA', async (t) => {
    const reg = await registry(t, { auth: 'token', tls: true, clientCert: true });
    if (!reg) return;
    const pki = reg.pki!;
    const tgz = packageTestChart('secure', '0.1.0');
    const digest = await reg.push(tgz, 'charts');
    const source = { url: `${reg.url}/charts/secure`, version: '0.1.x' };
    const tls: SourceAuth = { caPem: pki.caCert, certPem: pki.clientCert, keyPem: pki.clientKey };
    const creds = { username: REGISTRY_USER, password: REGISTRY_PASSWORD };

    const fetched = await fetchOciChart(source, { auth: { ...tls, ...creds } });
    assert.equal(fetched.digest, digest);
    assert.ok(fetched.archive.equals(readFileSync(tgz)));
    const asked = reg.tokenServer!.requests.filter((r) => r.user === REGISTRY_USER && r.scope.includes('repository:charts/secure:pull'));
    assert.ok(asked.length >= 1, `the token service was asked for the pull scope: ${JSON.stringify(reg.tokenServer!.requests)}`);

    // A dockerconfigjson identitytoken is an OAuth2 refresh token: exchanged at the realm by a POST.
    const identity = (token: string): SourceAuth => ({ ...tls, dockerConfigJson: JSON.stringify({ auths: { [reg.host]: { username: '00000000-0000-0000-0000-000000000000', identitytoken: token } } }) });
    assert.equal((await fetchOciChart(source, { auth: identity(REGISTRY_IDENTITY_TOKEN) })).digest, digest);
    assert.ok(reg.tokenServer!.requests.some((r) => r.method === 'POST' && r.scope.includes('repository:charts/secure:pull')));
    await assert.rejects(fetchOciChart(source, { auth: identity('stale') }), isSourceError('SourceAuthFailed', /token service .*refused the credentials/));

    await assert.rejects(fetchOciChart(source, { auth: tls }), isSourceError('SourceAuthFailed', /requires credentials/));
    await assert.rejects(fetchOciChart(source, { auth: { ...tls, username: REGISTRY_USER, password: 'nope' } }), isSourceError('SourceAuthFailed', /token service .*refused the credentials/));
    await assert.rejects(fetchOciChart(source, { auth: { certPem: pki.clientCert, keyPem: pki.clientKey, ...creds } }), isSourceError('SourceUnreachable', /TLS verification failed.*ca\.crt/, false));
    await assert.rejects(fetchOciChart(source, { auth: { caPem: pki.caCert, ...creds } }), isSourceError('SourceUnreachable', /asks for a client certificate: give tls\.crt and tls\.key/));
    await assert.rejects(fetchOciChart({ ...source, plainHTTP: true }, { auth: { ...tls, ...creds } }), isSourceError('SourceInvalid', /speaks HTTPS, not plain HTTP: remove plainHTTP/));
    const skipVerify = await fetchOciChart({ ...source, insecureSkipTLSVerify: true }, { auth: { certPem: pki.clientCert, keyPem: pki.clientKey, ...creds } });
    assert.equal(skipVerify.digest, digest);
  });
});

describe('what fetches of one repository share (the operator resyncing many releases)', () => {
  test('releases following a range of one repository ask for one token and list the tags once', async (t) => {
    const reg = await registry(t, { auth: 'token', accessLog: true });
    if (!reg) return;
    for (const v of ['1.0.0', '1.1.0']) await reg.push(packageTestChart('shared', v), 'team/charts');
    const ref = { kind: 'oci' as const, url: `${reg.url}/team/charts/shared`, version: '^1', plainHTTP: true };
    const caches = createSourceCaches({ dir: mkdtempSync(join(tmpdir(), 'chartrelease-oci-cache-')) });
    // What the operator passes: the shared caches and the release's interval.
    const ctx = { auth: { username: REGISTRY_USER, password: REGISTRY_PASSWORD }, caches, maxAgeMs: 300_000 };
    const tokens = () => reg.tokenServer!.requests.filter((r) => r.scope.includes('repository:team/charts/shared:pull')).length;
    // Tag lists served (200): the first fetch's anonymous try, answered 401, is not a list.
    const tagLists = () => reg.requestsTo(/^\/v2\/team\/charts\/shared\/tags\/list/).filter((line) => /" 200 /.test(line)).length;
    const all = () => reg.requestsTo(/^\/v2\/team\/charts\/shared\//).length;
    const before = { tokens: tokens(), tagLists: tagLists(), all: all() };

    // Eight releases reconciled at the same moment, then eight more one after the other (a resync).
    const fetched = await Promise.all(Array.from({ length: 8 }, () => fetchChart(ref, ctx)));
    for (let i = 0; i < 8; i++) fetched.push(await fetchChart(ref, ctx));
    for (const f of fetched) assert.equal(f.version, '1.1.0');
    const used = { tokens: tokens() - before.tokens, tagLists: tagLists() - before.tagLists };
    t.diagnostic(`16 fetches: ${used.tokens} token request(s), ${used.tagLists} tag list(s), ${all() - before.all} registry requests in all`);
    assert.deepEqual(used, { tokens: 1, tagLists: 1 }, 'one token and one tag list for all sixteen');
    assert.equal(caches.registries.tokenRequests, 1);
    assert.equal(caches.registries.tagListReads, 1);

    // Other credentials share nothing with these; and the CLI (maxAgeMs 0) lists again.
    const other = { ...ctx, auth: { dockerConfigJson: JSON.stringify({ auths: { [reg.host]: { auth: Buffer.from(`${REGISTRY_USER}:${REGISTRY_PASSWORD}`).toString('base64') } } }) } };
    assert.equal((await fetchChart(ref, other)).version, '1.1.0');
    assert.equal(tokens() - before.tokens, 2, 'another Secret gets a token of its own');
    assert.equal((await fetchChart(ref, { ...ctx, maxAgeMs: 0 })).version, '1.1.0');
    assert.equal(tagLists() - before.tagLists, 3);
  });

  test('a chart layer that is not what its digest says is a retryable DigestMismatch, as a repository archive is', async (t) => {
    const reg = await registry(t);
    if (!reg) return;
    const tgz = packageTestChart('tampered', '1.0.0');
    await reg.push(tgz, 'charts');
    // Alter the stored layer (same length): the registry serves what its storage holds.
    const hex = sha256(tgz).slice(7);
    const blob = join(reg.dir, 'data', 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
    const bytes = readFileSync(blob);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(blob, bytes);
    await assert.rejects(
      fetchOciChart({ url: `${reg.url}/charts/tampered`, version: '1.0.0', plainHTTP: true }),
      isSourceError('DigestMismatch', new RegExp(`the chart archive should be sha256:${hex} \\(\\d+ bytes\\) but the registry served sha256:(?!${hex})`), true),
    );
  });
});
