import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dockerConfigCredentials, DockerConfigError, parseChallenges, pullScope, tokenUrl } from './oci-auth.js';
import { nextLink, parseHelmManifest, HELM_CHART_LAYER_MEDIA_TYPE, HELM_CONFIG_MEDIA_TYPE } from './oci.js';
import { ChartSourceError } from './types.js';

test('parseChallenges reads Bearer with quoted, comma-holding values, and several challenges in one header', () => {
  const [bearer] = parseChallenges('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"');
  assert.deepEqual(bearer, { scheme: 'bearer', params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull,push' } });
  assert.deepEqual(parseChallenges('Basic realm="Registry Realm"'), [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]);
  assert.deepEqual(
    parseChallenges('Basic realm=x, Bearer realm="https://t/x", service=s').map((c) => c.scheme),
    ['basic', 'bearer'],
  );
  assert.deepEqual(parseChallenges('Bearer realm="a\\"b"')[0]!.params, { realm: 'a"b' });
  assert.deepEqual(parseChallenges(''), []);
});

test('tokenUrl asks the realm for the challenge scope, or the pull scope when the challenge names none', () => {
  const withScope = tokenUrl({ scheme: 'bearer', params: { realm: 'https://t.example/token?x=1', service: 'reg', scope: 'repository:a:pull' } }, pullScope('other'));
  assert.equal(withScope!.toString(), 'https://t.example/token?x=1&service=reg&scope=repository%3Aa%3Apull');
  const without = tokenUrl({ scheme: 'bearer', params: { realm: 'http://127.0.0.1:1/t' } }, pullScope('charts/app'));
  assert.equal(without!.searchParams.get('scope'), 'repository:charts/app:pull');
  assert.equal(tokenUrl({ scheme: 'bearer', params: { realm: 'file:///etc/passwd' } }, 's'), undefined);
  assert.equal(tokenUrl({ scheme: 'bearer', params: {} }, 's'), undefined);
});

test('dockerConfigCredentials finds the registry by host, in every spelling docker writes', () => {
  const auth = Buffer.from('robot:p@ss:word').toString('base64');
  const config = JSON.stringify({
    auths: {
      'https://index.docker.io/v1/': { auth: Buffer.from('hub:hubpw').toString('base64') },
      'registry.example:5000': { username: 'u', password: 'p' },
      'https://ghcr.io': { auth },
      'quay.io': { registrytoken: 'tok' },
      'id.example': { identitytoken: 'refresh' },
    },
  });
  assert.deepEqual(dockerConfigCredentials(config, 'registry.example:5000'), { username: 'u', password: 'p' });
  assert.deepEqual(dockerConfigCredentials(config, 'ghcr.io'), { username: 'robot', password: 'p@ss:word' });
  assert.deepEqual(dockerConfigCredentials(config, 'docker.io'), { username: 'hub', password: 'hubpw' });
  assert.deepEqual(dockerConfigCredentials(config, 'quay.io'), { token: 'tok' });
  assert.deepEqual(dockerConfigCredentials(config, 'id.example'), { identityToken: 'refresh' });
  assert.equal(dockerConfigCredentials(config, 'registry.example'), undefined);
  assert.throws(() => dockerConfigCredentials('{not json', 'h'), DockerConfigError);
  assert.throws(() => dockerConfigCredentials('{"auths":[]}', 'h'), /no "auths" object/);
  assert.throws(() => dockerConfigCredentials(JSON.stringify({ auths: { h: { auth: Buffer.from('nocolon').toString('base64') } } }), 'h'), /not base64 of user:password/);
});

test('nextLink follows rel="next" on the same registry only', () => {
  const page = 'http://127.0.0.1:5000/v2/a/tags/list?n=2';
  assert.equal(nextLink('</v2/a/tags/list?last=b&n=2>; rel="next"', page), 'http://127.0.0.1:5000/v2/a/tags/list?last=b&n=2');
  assert.equal(nextLink(['<http://127.0.0.1:5000/v2/a/tags/list?last=c>; rel=next'], page), 'http://127.0.0.1:5000/v2/a/tags/list?last=c');
  assert.equal(nextLink('<https://elsewhere.example/v2/a/tags/list?last=b>; rel="next"', page), undefined);
  assert.equal(nextLink('</x>; rel="prev"', page), undefined);
  assert.equal(nextLink(undefined, page), undefined);
});

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const manifest = (layers: object[], config: object = { mediaType: HELM_CONFIG_MEDIA_TYPE, digest: digest('c'), size: 10 }) =>
  Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers }));

test("parseHelmManifest takes Helm's config and chart layer, and says why anything else is not a chart", () => {
  const ok = parseHelmManifest(manifest([{ mediaType: HELM_CHART_LAYER_MEDIA_TYPE, digest: digest('d'), size: 100 }, { mediaType: 'application/vnd.cncf.helm.chart.provenance.v1.prov', digest: digest('e'), size: 5 }]), 'oci://h/c', ':1.0.0');
  assert.deepEqual(ok.chart, { mediaType: HELM_CHART_LAYER_MEDIA_TYPE, digest: digest('d'), size: 100 });
  const reject = (body: Buffer, re: RegExp) =>
    assert.throws(() => parseHelmManifest(body, 'oci://h/c', ':1.0.0'), (e: unknown) => e instanceof ChartSourceError && e.reason === 'SourceInvalid' && re.test(e.message));
  reject(manifest([{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digest('d'), size: 1 }], { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digest('c'), size: 1 }), /not a Helm chart: its config media type .* \(is it a container image\?\)/);
  reject(manifest([]), /does not contain a layer with media type application\/vnd.cncf.helm.chart.content.v1.tar\+gzip/);
  reject(manifest([{ mediaType: HELM_CHART_LAYER_MEDIA_TYPE, digest: 'sha256:xyz', size: 1 }]), /chart layer digest "sha256:xyz"/);
  reject(manifest([{ mediaType: HELM_CHART_LAYER_MEDIA_TYPE, digest: digest('d'), size: -1 }]), /malformed chart layer descriptor/);
  reject(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] })), /image index/);
  reject(Buffer.from('<html>'), /not JSON/);
});
