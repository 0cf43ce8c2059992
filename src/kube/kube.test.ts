import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  KubeApiError,
  KubeTransportError,
  apiVersionSet,
  formatRef,
  isFieldManagerConflict,
  isGone,
  isRetryable,
  isStaleWrite,
  parseAggregatedDiscovery,
  queryString,
  refKey,
  resourcePath,
  serviceAccountUser,
  splitApiVersion,
} from './index.js';

test('KubeApiError: retryable by status, reason and message', () => {
  const cases: { code: number; reason?: string; message?: string; causes?: { reason: string; field?: string; message?: string }[]; retryable: boolean; stale?: boolean; fieldConflict?: boolean }[] = [
    { code: 429, reason: 'TooManyRequests', retryable: true },
    { code: 500, reason: 'InternalError', message: 'etcdserver: request timed out', retryable: true },
    { code: 503, reason: 'ServiceUnavailable', retryable: true },
    { code: 504, reason: 'Timeout', retryable: true },
    { code: 409, reason: 'Conflict', message: 'Operation cannot be fulfilled on configmaps "x": the object has been modified', retryable: true, stale: true },
    {
      code: 409,
      reason: 'Conflict',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.a',
      causes: [{ reason: 'FieldManagerConflict', field: '.data.a', message: 'conflict with "kubectl-edit" using v1' }],
      retryable: false,
      fieldConflict: true,
    },
    { code: 409, reason: 'AlreadyExists', retryable: false },
    { code: 403, reason: 'Forbidden', message: 'secrets is forbidden: User "x" cannot list', retryable: false },
    { code: 404, reason: 'NotFound', retryable: false },
    { code: 422, reason: 'Invalid', retryable: false },
    { code: 500, reason: 'InternalError', message: 'failed to create typed patch object (ns/cm; /v1, Kind=ConfigMap): errors:', retryable: false },
  ];
  for (const c of cases) {
    const err = new KubeApiError({ method: 'PATCH', path: '/p', statusCode: c.code, status: { kind: 'Status', reason: c.reason, message: c.message, details: { causes: c.causes } } });
    assert.equal(err.retryable, c.retryable, `${c.code} ${c.reason} ${c.message ?? ''}`);
    assert.equal(isRetryable(err), c.retryable);
    assert.equal(isStaleWrite(err), c.stale ?? false, `stale ${c.code} ${c.message}`);
    assert.equal(isFieldManagerConflict(err), c.fieldConflict ?? false);
    if (c.message) assert.equal(err.message, c.message, 'the server message is kept');
  }
});

test('KubeApiError without a Status body keeps the text, reason from the code', () => {
  const err = new KubeApiError({ method: 'GET', path: '/x', statusCode: 410, body: 'too old' });
  assert.equal(err.reason, 'Gone');
  assert.equal(err.message, 'too old');
  assert.ok(isGone(err));
  assert.ok(new KubeTransportError('GET', '/x', new Error('ECONNREFUSED')).retryable);
  assert.equal(isRetryable(new Error('plain')), false);
});

test('paths: refs, resource paths and queries', () => {
  assert.deepEqual(splitApiVersion('v1'), { group: '', version: 'v1' });
  assert.deepEqual(splitApiVersion('apps/v1'), { group: 'apps', version: 'v1' });
  const deployments = { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespaced: true };
  const crds = { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', resource: 'customresourcedefinitions', namespaced: false };
  const configmaps = { group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespaced: true };
  const table: [Parameters<typeof resourcePath>, string][] = [
    [[deployments, { namespace: 'shop', name: 'web' }], '/apis/apps/v1/namespaces/shop/deployments/web'],
    [[deployments, {}], '/apis/apps/v1/deployments'],
    [[crds, { namespace: 'ignored', name: 'a.b.c' }], '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/a.b.c'],
    [[configmaps, { namespace: 'ns', name: 'x', subresource: 'status' }], '/api/v1/namespaces/ns/configmaps/x/status'],
  ];
  for (const [args, want] of table) assert.equal(resourcePath(...args), want);
  assert.equal(queryString({ a: 1, b: undefined, c: 'x y', d: true, e: null }), '?a=1&c=x%20y&d=true');
  assert.equal(queryString({}), '');
  assert.equal(formatRef({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop' }), 'Deployment.apps/web -n shop');
  assert.equal(formatRef({ apiVersion: 'v1', kind: 'Namespace', name: 'shop' }), 'Namespace/shop');
  assert.equal(refKey({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'h', namespace: 'n' }), refKey({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', name: 'h', namespace: 'n' }));
  assert.notEqual(refKey({ apiVersion: 'v1', kind: 'ConfigMap', name: 'a', namespace: 'n' }), refKey({ apiVersion: 'v1', kind: 'ConfigMap', name: 'a', namespace: 'm' }));
  assert.equal(serviceAccountUser('ops', 'deployer'), 'system:serviceaccount:ops:deployer');
});

test('discovery: mappings and Helm-style APIVersions from aggregated discovery', () => {
  const core = {
    kind: 'APIGroupDiscoveryList',
    items: [
      {
        metadata: {},
        versions: [
          {
            version: 'v1',
            resources: [
              { resource: 'configmaps', responseKind: { group: '', version: '', kind: 'ConfigMap' }, scope: 'Namespaced' as const },
              { resource: 'namespaces', responseKind: { kind: 'Namespace' }, scope: 'Cluster' as const, subresources: [{ subresource: 'status', responseKind: { kind: 'Namespace' } }] },
            ],
          },
        ],
      },
    ],
  };
  const apps = {
    kind: 'APIGroupDiscoveryList',
    items: [
      {
        metadata: { name: 'apps' },
        versions: [{ version: 'v1', resources: [{ resource: 'deployments', responseKind: { kind: 'Deployment' }, scope: 'Namespaced' as const, subresources: [{ subresource: 'scale', responseKind: { kind: 'Scale' } }] }] }],
      },
    ],
  };
  const a = parseAggregatedDiscovery(core);
  const b = parseAggregatedDiscovery(apps);
  assert.deepEqual(a.mappings, [
    { group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespaced: true },
    { group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', namespaced: false },
  ]);
  assert.deepEqual(b.groupVersions, ['apps/v1']);
  assert.deepEqual(apiVersionSet([...a.groupVersions, ...b.groupVersions], [...a.mappings, ...b.mappings], [...a.subresourceKinds, ...b.subresourceKinds]), [
    'apps/v1',
    'apps/v1/Deployment',
    'apps/v1/Scale',
    'v1',
    'v1/ConfigMap',
    'v1/Namespace',
  ]);
});

test('KubeClient: one keep-alive agent per TLS identity, reused while the credentials hand out the same material', async () => {
  const { KubeClient } = await import('./client.js');
  let ca = Buffer.from('ca one');
  const credentials = { server: new URL('https://127.0.0.1:1'), poolable: true, apply: async (o: { ca?: Buffer }) => void (o.ca = ca) };
  const client = KubeClient.fromCredentials(credentials as never);
  const transport = (client as unknown as { transport: { options(m: string, h: Record<string, string>): Promise<{ agent?: unknown }> } }).transport;
  const first = (await transport.options('GET', {})).agent;
  assert.ok(first);
  assert.equal((await transport.options('GET', {})).agent, first, 'same material: same agent');
  ca = Buffer.from('ca one');
  assert.equal((await transport.options('GET', {})).agent, first, 'equal material in new buffers: same agent');
  ca = Buffer.from('ca two');
  const second = (await transport.options('GET', {})).agent;
  assert.notEqual(second, first, 'another CA: another agent');
  assert.equal((await transport.options('GET', {})).agent, second);
  client.close();
});
