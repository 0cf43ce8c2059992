// The Helm HTTP repository client against real repositories: charts packaged and indexed by the
// reference helm, served on 127.0.0.1 by test/support/chart-repo.ts (plain, basic auth, TLS with a
// test CA, client certificates).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ArchiveCache, ChartSourceError, createSourceCaches, fetchChart, loadFetchedChart, OciRegistryCache, RepositoryIndexCache, type FetchContext, type SourceAuth } from '../../src/source/index.js';
import { isChartLoaded } from '../../src/source/cache.js';
import { helmRepoIndex, makeRepoDir, makeTestPki, publishVersion, startRepoServer, type RepoServer, type TestPki } from '../support/chart-repo.js';

const cacheDir = () => mkdtempSync(join(tmpdir(), 'chartrelease-cache-test-'));
const ctx = (auth?: SourceAuth, maxAgeMs = 0): FetchContext => ({ auth, maxAgeMs, caches: createSourceCaches({ dir: cacheDir() }) });
const isSourceError = (reason: ChartSourceError['reason'], pattern?: RegExp, retryable?: boolean) => (err: unknown) => {
  assert.ok(err instanceof ChartSourceError, `not a ChartSourceError: ${String(err)}`);
  assert.equal(err.reason, reason, err.message);
  if (pattern) assert.match(err.message, pattern);
  if (retryable !== undefined) assert.equal(err.retryable, retryable, err.message);
  return true;
};
const count = (server: RepoServer, suffix: string) => server.requests.filter((r) => r.path.endsWith(suffix) && r.status === 200).length;

describe('plain HTTP repository', () => {
  let dir: string;
  let server: RepoServer;
  before(async () => {
    dir = makeRepoDir([{ name: 'demo', versions: ['0.9.0', '1.0.0', '1.0.1', '1.1.0-rc.1', '1.1.0'] }, { name: 'other', versions: ['3.0.0'] }]);
    server = await startRepoServer({ dir });
  });
  after(() => server.close());

  test('resolves a constraint, downloads the archive and verifies the index digest', async () => {
    const fetched = await fetchChart({ kind: 'repository', url: server.url, name: 'demo', version: '1.0.x' }, ctx());
    assert.equal(fetched.name, 'demo');
    assert.equal(fetched.version, '1.0.1');
    const file = readFileSync(join(dir, 'demo-1.0.1.tgz'));
    assert.equal(fetched.digest, `sha256:${createHash('sha256').update(file).digest('hex')}`);
    assert.equal(fetched.source, `${server.url}/demo-1.0.1.tgz`);
    assert.ok(fetched.archive.equals(file));
    const chart = loadFetchedChart(fetched);
    assert.equal(chart.metadata.version, '1.0.1');
    assert.ok(isChartLoaded(fetched.digest));
    assert.equal(loadFetchedChart(fetched), chart, 'a chart with the same digest is not parsed again');
  });

  test('no version: the newest stable; a constraint naming a pre-release may pick it', async () => {
    assert.equal((await fetchChart({ kind: 'repository', url: server.url, name: 'demo' }, ctx())).version, '1.1.0');
    assert.equal((await fetchChart({ kind: 'repository', url: `${server.url}/`, name: 'demo', version: '>=1.1.0-0 <1.1.0' }, ctx())).version, '1.1.0-rc.1');
  });

  test('no match: VersionNotFound naming the repository and the nearest versions; unknown chart names the chart', async () => {
    await assert.rejects(
      fetchChart({ kind: 'repository', url: server.url, name: 'demo', version: '2.x' }, ctx()),
      isSourceError('VersionNotFound', new RegExp(`chart "demo" in repository ${server.url}/: no version matches "2.x"; nearest available: 1.1.0, 1.1.0-rc.1, 1.0.1, 1.0.0, 0.9.0`), false),
    );
    await assert.rejects(fetchChart({ kind: 'repository', url: server.url, name: 'nope' }, ctx()), isSourceError('VersionNotFound', /chart "nope" not found in repository/));
    await assert.rejects(fetchChart({ kind: 'repository', url: `${server.url}/sub`, name: 'demo' }, ctx()), isSourceError('SourceInvalid', /404 Not Found.*no index.yaml there/));
  });

  test('an index younger than maxAge is not read again; archives come from the disk cache; one download for concurrent callers', async () => {
    const c = ctx(undefined, 60_000);
    const before = { index: count(server, 'index.yaml'), archive: count(server, 'demo-1.0.0.tgz') };
    const all = await Promise.all(Array.from({ length: 6 }, () => fetchChart({ kind: 'repository', url: server.url, name: 'demo', version: '1.0.0' }, c)));
    assert.ok(all.every((f) => f.digest === all[0]!.digest));
    assert.equal(count(server, 'index.yaml') - before.index, 1, 'one index read for six callers');
    assert.equal(count(server, 'demo-1.0.0.tgz') - before.archive, 1, 'one download for six callers');
    await fetchChart({ kind: 'repository', url: server.url, name: 'demo', version: '1.0.0' }, c);
    assert.equal(count(server, 'index.yaml') - before.index, 1, 'fresh index reused');
    // A new process on the same cache directory: the index is read again, the archive is not downloaded.
    const again: FetchContext = { maxAgeMs: 0, caches: { archives: new ArchiveCache({ dir: c.caches.archives.dir }), indexes: new RepositoryIndexCache(), registries: new OciRegistryCache() } };
    await fetchChart({ kind: 'repository', url: server.url, name: 'demo', version: '1.0.0' }, again);
    assert.equal(count(server, 'index.yaml') - before.index, 2);
    assert.equal(count(server, 'demo-1.0.0.tgz') - before.archive, 1, 'archive from the disk cache');
    // Another chart of the same repository: the shared index is read once more to learn it.
    assert.equal((await fetchChart({ kind: 'repository', url: server.url, name: 'other' }, c)).version, '3.0.0');
    assert.equal(c.caches.indexes.reads, 2);
  });

  test('a newly published version is seen once the index is read again', async () => {
    const c = ctx(undefined, 0);
    const ref = { kind: 'repository' as const, url: server.url, name: 'demo', version: '1.0.x' };
    assert.equal((await fetchChart(ref, c)).version, '1.0.1');
    publishVersion(dir, 'demo', '1.0.2');
    assert.equal((await fetchChart(ref, c)).version, '1.0.2');
  });

  test('an archive that is not what the index lists: DigestMismatch naming both digests', async () => {
    const bad = makeRepoDir([{ name: 'demo', versions: ['1.0.0'] }]);
    const other = makeRepoDir([{ name: 'demo', versions: ['1.0.0'] }]);
    // Same name, different bytes (helm package stamps no time, so change the content).
    const srv = await startRepoServer({ dir: bad });
    try {
      const original = readFileSync(join(bad, 'demo-1.0.0.tgz'));
      const replaced = Buffer.concat([readFileSync(join(other, 'demo-1.0.0.tgz')), Buffer.from([0])]);
      assert.ok(!original.equals(replaced));
      writeFileSync(join(bad, 'demo-1.0.0.tgz'), replaced);
      await assert.rejects(fetchChart({ kind: 'repository', url: srv.url, name: 'demo' }, ctx()), isSourceError('DigestMismatch', /has digest sha256:[0-9a-f]{64}, but repository .* lists sha256:[0-9a-f]{64}/, true));
    } finally {
      await srv.close();
    }
  });

  test('a corrupt archive with a matching digest: ArchiveInvalid naming its URL', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'chartrelease-corrupt-'));
    const archive = gzipSync(Buffer.from('this is not a tar archive, just text that gzip wrapped'));
    writeFileSync(join(bad, 'broken-1.0.0.tgz'), archive);
    const digest = createHash('sha256').update(archive).digest('hex');
    writeFileSync(join(bad, 'index.yaml'), `apiVersion: v1\nentries:\n  broken:\n  - name: broken\n    version: 1.0.0\n    digest: ${digest}\n    urls:\n    - broken-1.0.0.tgz\n`);
    const srv = await startRepoServer({ dir: bad });
    try {
      const fetched = await fetchChart({ kind: 'repository', url: srv.url, name: 'broken' }, ctx());
      assert.throws(() => loadFetchedChart(fetched), isSourceError('ArchiveInvalid', new RegExp(`^chart broken 1.0.0 from ${srv.url}/broken-1.0.0.tgz: `)));
    } finally {
      await srv.close();
    }
  });

  test('an index that is not in the block layout is read whole: JSON at once, flow style on a second read', async () => {
    const archive = readFileSync(join(dir, 'other-3.0.0.tgz'));
    const digest = createHash('sha256').update(archive).digest('hex');
    const layouts: [string, number][] = [
      [JSON.stringify({ apiVersion: 'v1', entries: { other: [{ name: 'other', version: '3.0.0', digest, urls: ['other-3.0.0.tgz'] }] } }), 1],
      [`apiVersion: v1\nentries: {other: [{name: other, version: 3.0.0, digest: ${digest}, urls: [other-3.0.0.tgz]}]}\n`, 2],
    ];
    for (const [index, reads] of layouts) {
      const other = mkdtempSync(join(tmpdir(), 'chartrelease-layout-'));
      writeFileSync(join(other, 'other-3.0.0.tgz'), archive);
      writeFileSync(join(other, 'index.yaml'), index);
      const srv = await startRepoServer({ dir: other });
      try {
        const fetched = await fetchChart({ kind: 'repository', url: srv.url, name: 'other' }, ctx());
        assert.equal(fetched.digest, `sha256:${digest}`);
        assert.equal(srv.requests.filter((r) => r.path === '/index.yaml').length, reads);
      } finally {
        await srv.close();
      }
    }
  });

  test('a token is sent as a bearer token', async () => {
    await fetchChart({ kind: 'repository', url: server.url, name: 'other' }, ctx({ token: 'tok-123' }));
    assert.equal(server.requests.at(-2)?.authorization, 'Bearer tok-123');
  });

  test('an archive over the size limit is refused', async () => {
    const c = ctx();
    await assert.rejects(
      (async () => {
        const { fetchRepositoryChart } = await import('../../src/source/http-repo.js');
        return fetchRepositoryChart({ url: server.url, name: 'other' }, { ...c.caches, maxArchiveBytes: 100 });
      })(),
      isSourceError('ArchiveInvalid', /more than the limit of 100/),
    );
  });
});

test('an unreachable repository is a retryable error naming the URL', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  await assert.rejects(fetchChart({ kind: 'repository', url: `http://127.0.0.1:${port}/charts`, name: 'demo' }, ctx()), isSourceError('SourceUnreachable', new RegExp(`repository index http://127.0.0.1:${port}/charts/index.yaml: ECONNREFUSED`), true));
});

test('a server that never answers times out', async () => {
  const hang = createServer(() => {}).listen(0, '127.0.0.1');
  await new Promise((r) => hang.once('listening', r));
  const port = (hang.address() as { port: number }).port;
  try {
    const { httpGet } = await import('../../src/source/http.js');
    await assert.rejects(httpGet(`http://127.0.0.1:${port}/index.yaml`, { maxBytes: 1000, what: 'repository index', idleTimeoutMs: 300 }), isSourceError('SourceUnreachable', /no answer for 0s/, true));
  } finally {
    hang.close();
  }
});

describe('repository behind basic auth', () => {
  let server: RepoServer;
  let archiveServer: RepoServer;
  before(async () => {
    const dir = makeRepoDir([{ name: 'private', versions: ['2.0.0'] }]);
    server = await startRepoServer({ dir, basicAuth: { username: 'reader', password: 's3cret-pw' } });
    // The same charts indexed with absolute URLs on another host (localhost is not 127.0.0.1).
    const absolute = makeRepoDir([{ name: 'private', versions: ['2.0.0'] }]);
    archiveServer = await startRepoServer({ dir: absolute });
    helmRepoIndex(absolute, archiveServer.url.replace('127.0.0.1', 'localhost'));
  });
  after(async () => {
    await server.close();
    await archiveServer.close();
  });

  test('without credentials: SourceAuthFailed naming the URL, not retried', async () => {
    await assert.rejects(fetchChart({ kind: 'repository', url: server.url, name: 'private' }, ctx()), isSourceError('SourceAuthFailed', new RegExp(`repository index ${server.url}/index.yaml: 401 Unauthorized; check the username/password`), false));
  });

  test('wrong password: the message never carries it', async () => {
    await assert.rejects(fetchChart({ kind: 'repository', url: server.url, name: 'private' }, ctx({ username: 'reader', password: 'wrong-pw-123' })), (err: unknown) => {
      assert.ok(err instanceof ChartSourceError);
      assert.equal(err.reason, 'SourceAuthFailed');
      assert.doesNotMatch(err.message + String(err.stack), /wrong-pw-123|reader/);
      return true;
    });
  });

  test('with credentials: fetched; credentials in the URL are never shown', async () => {
    const fetched = await fetchChart({ kind: 'repository', url: server.url, name: 'private' }, ctx({ username: 'reader', password: 's3cret-pw' }));
    assert.equal(fetched.version, '2.0.0');
    const inUrl = server.url.replace('http://', 'http://reader:s3cret-pw@');
    const again = await fetchChart({ kind: 'repository', url: inUrl, name: 'private' }, ctx());
    assert.equal(again.source, `${server.url}/private-2.0.0.tgz`);
  });

  test('credentials are not sent to an archive on another host', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chartrelease-abs-'));
    const srv = await startRepoServer({ dir, basicAuth: { username: 'reader', password: 's3cret-pw' } });
    try {
      // An index on the authenticated server whose archive URLs point at archiveServer (absolute).
      const abs = await fetch(`${archiveServer.url}/index.yaml`).then((r) => r.text());
      writeFileSync(join(dir, 'index.yaml'), abs);
      const fetched = await fetchChart({ kind: 'repository', url: srv.url, name: 'private' }, ctx({ username: 'reader', password: 's3cret-pw' }));
      assert.match(fetched.source, /^http:\/\/localhost:\d+\/private-2\.0\.0\.tgz$/);
      const archiveRequest = archiveServer.requests.find((r) => r.path === '/private-2.0.0.tgz');
      assert.ok(archiveRequest, 'archive fetched from the other host');
      assert.equal(archiveRequest.authorization, undefined, 'no credentials sent to another host');
      assert.ok(srv.requests.find((r) => r.path === '/index.yaml')?.authorization, 'credentials sent to the repository');
    } finally {
      await srv.close();
    }
  });
});

describe('repository over TLS', () => {
  let pki: TestPki;
  let server: RepoServer;
  let mtls: RepoServer;
  before(async () => {
    pki = makeTestPki();
    const dir = makeRepoDir([{ name: 'secure', versions: ['0.1.0'] }]);
    server = await startRepoServer({ dir, tls: { cert: pki.serverCert, key: pki.serverKey } });
    mtls = await startRepoServer({ dir, tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert, requireClientCert: true } });
  });
  after(async () => {
    await server.close();
    await mtls.close();
  });

  test('an unknown CA is refused with what to do', async () => {
    await assert.rejects(fetchChart({ kind: 'repository', url: server.url, name: 'secure' }, ctx()), isSourceError('SourceUnreachable', /TLS verification failed.*ca\.crt/, false));
  });

  test('the custom CA is trusted; insecureSkipTLSVerify skips verification', async () => {
    assert.equal((await fetchChart({ kind: 'repository', url: server.url, name: 'secure' }, ctx({ caPem: pki.caCert }))).version, '0.1.0');
    assert.equal((await fetchChart({ kind: 'repository', url: server.url, name: 'secure' }, ctx({ insecureSkipTLSVerify: true }))).version, '0.1.0');
  });

  test('a client certificate is presented when the server asks for one', async () => {
    await assert.rejects(fetchChart({ kind: 'repository', url: mtls.url, name: 'secure' }, ctx({ caPem: pki.caCert })), isSourceError('SourceUnreachable'));
    const fetched = await fetchChart({ kind: 'repository', url: mtls.url, name: 'secure' }, ctx({ caPem: pki.caCert, certPem: pki.clientCert, keyPem: pki.clientKey }));
    assert.equal(fetched.version, '0.1.0');
  });
});
