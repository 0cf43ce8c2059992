// `kubectl apply -k deploy/default` on the real control plane, then the operator's ServiceAccount
// (authenticated with its own token, not impersonated by an admin) can do exactly its job: what the
// operator needs is allowed, what charts need is not, and charts go through impersonation.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { randomBytes } from 'node:crypto';
import { api, apiOk, eventually, kubectl, requireCluster, serviceAccountKubeconfig, testNamespace, waitUntilAllowed } from '../support/cluster.js';
import { startOperator, writeTinyChart } from './production-support.js';

const SYSTEM_NS = 'chartrelease-system';
const OPERATOR_SA = 'chartrelease-controller';
const OPERATOR_USER = `system:serviceaccount:${SYSTEM_NS}:${OPERATOR_SA}`;

async function install(t: TestContext): Promise<boolean> {
  if (!requireCluster(t)) return false;
  // Other suites may create the same CRD at the same moment (kubectl's get-then-create then meets
  // AlreadyExists): a second try applies over it.
  let applied = await kubectl(['apply', '-k', 'deploy/default']);
  if (applied.status !== 0 && /AlreadyExists/.test(applied.stderr)) applied = await kubectl(['apply', '-k', 'deploy/default']);
  assert.equal(applied.status, 0, applied.stderr);
  // The bindings just created take effect a moment later: wait for the cluster-wide and the Lease grant.
  await waitUntilAllowed(OPERATOR_USER, { verb: 'watch', resource: 'chartreleases', group: 'chartrelease.dev' });
  await waitUntilAllowed(OPERATOR_USER, { verb: 'update', resource: 'leases', group: 'coordination.k8s.io', namespace: SYSTEM_NS });
  return true;
}

test('kubectl apply -k deploy/default creates everything', async (t) => {
  if (!(await install(t))) return;
  await apiOk('GET', `/api/v1/namespaces/${SYSTEM_NS}`);
  const crd = await apiOk('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/chartreleases.chartrelease.dev');
  assert.ok(crd.status.conditions.some((c: any) => c.type === 'Established'));
  await apiOk('GET', `/api/v1/namespaces/${SYSTEM_NS}/serviceaccounts/${OPERATOR_SA}`);
  await apiOk('GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles/chartrelease-manager');
  await apiOk('GET', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/chartrelease-manager');
  await apiOk('GET', `/apis/rbac.authorization.k8s.io/v1/namespaces/${SYSTEM_NS}/roles/chartrelease-leader-election`);
  await apiOk('GET', `/apis/rbac.authorization.k8s.io/v1/namespaces/${SYSTEM_NS}/rolebindings/chartrelease-leader-election`);
  const deployment = await apiOk('GET', `/apis/apps/v1/namespaces/${SYSTEM_NS}/deployments/chartrelease-controller`);
  assert.equal(deployment.spec.template.spec.serviceAccountName, OPERATOR_SA);
  const service = await apiOk('GET', `/api/v1/namespaces/${SYSTEM_NS}/services/chartrelease-controller-metrics`);
  assert.equal(service.spec.ports[0].port, 8080);
  // Applying again changes nothing (the install command is safe to repeat for upgrades).
  const again = await kubectl(['apply', '-k', 'deploy/default']);
  assert.equal(again.status, 0, again.stderr);
  assert.doesNotMatch(again.stdout, /created|configured/);
});

test('the operator ServiceAccount, with its own token, has what the operator needs and nothing a chart needs', async (t) => {
  if (!(await install(t))) return;
  const ns = await testNamespace(t);
  // Its own token from the TokenRequest API: the API server authenticates it as the ServiceAccount.
  const kubeconfig = await serviceAccountKubeconfig(t, SYSTEM_NS, OPERATOR_SA);
  const as = { kubeconfig };

  const whoami = await apiOk('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { ...as, body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
  assert.equal(whoami.status.userInfo.username, OPERATOR_USER);

  const canI = async (...args: string[]) => (await kubectl(['auth', 'can-i', ...args], as)).stdout.trim();
  const allowed = [
    ['list', 'chartreleases.chartrelease.dev', '--all-namespaces'],
    ['watch', 'chartreleases.chartrelease.dev', '--all-namespaces'],
    ['patch', 'chartreleases.chartrelease.dev', '-n', ns],
    ['patch', 'chartreleases.chartrelease.dev', '--subresource=status', '-n', ns],
    ['update', 'chartreleases.chartrelease.dev', '--subresource=finalizers', '-n', ns],
    ['create', 'events', '-n', ns],
    ['create', 'events.events.k8s.io', '-n', ns],
    ['watch', 'configmaps', '--all-namespaces'],
    ['list', 'secrets', '--all-namespaces'],
    ['delete', 'secrets', '-n', ns],
    ['create', 'namespaces'],
    ['impersonate', 'serviceaccounts', '-n', ns],
    ['update', 'leases.coordination.k8s.io', '-n', SYSTEM_NS],
  ];
  for (const a of allowed) assert.equal(await canI(...a), 'yes', `can-i ${a.join(' ')}`);
  const denied = [
    ['create', 'configmaps', '-n', ns],
    ['create', 'deployments.apps', '-n', ns],
    ['delete', 'namespaces'],
    ['create', 'clusterrolebindings.rbac.authorization.k8s.io'],
    ['update', 'leases.coordination.k8s.io', '-n', ns],
    ['impersonate', 'users'],
    ['impersonate', 'groups'],
    ['delete', 'chartreleases.chartrelease.dev', '-n', ns],
  ];
  for (const d of denied) assert.equal(await canI(...d), 'no', `can-i ${d.join(' ')}`);

  // The real requests, not only the review: revision records and the leader Lease.
  const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: `probe-${randomBytes(3).toString('hex')}` }, spec: {} };
  assert.equal((await api('POST', `/apis/coordination.k8s.io/v1/namespaces/${SYSTEM_NS}/leases`, { ...as, body: lease })).status, 201);
  assert.equal((await api('POST', `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`, { ...as, body: lease })).status, 403);
  const record = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sh.helm.release.v1.probe.v1' }, type: 'helm.sh/release.v1', data: {} };
  assert.equal((await api('POST', `/api/v1/namespaces/${ns}/secrets`, { ...as, body: record })).status, 201);

  // Charts are applied as spec.serviceAccountName: the deployer's own RBAC decides, not the operator's.
  await apiOk('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { body: { metadata: { name: 'deployer' } } });
  const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } });
  const asDeployer = { ...as, headers: { 'impersonate-user': `system:serviceaccount:${ns}:deployer` } };
  assert.equal((await api('POST', `/api/v1/namespaces/${ns}/configmaps`, { ...as, body: configMap('direct') })).status, 403, 'the operator itself cannot apply chart objects');
  assert.equal((await api('POST', `/api/v1/namespaces/${ns}/configmaps`, { ...asDeployer, body: configMap('before-grant') })).status, 403, 'nor can a deployer without a role');
  await grantDeployer(ns);
  assert.equal((await api('POST', `/api/v1/namespaces/${ns}/configmaps`, { ...asDeployer, body: configMap('after-grant') })).status, 201, 'the deployer with a role can');
  // Impersonating the ServiceAccount's user alone is enough: the API server adds its groups itself
  // (sending Impersonate-Group would need `impersonate` on groups, which this RBAC rightly lacks).
  const review = await apiOk('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { ...asDeployer, body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
  assert.deepEqual(review.status.userInfo.groups, ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated']);
  const withGroups = { ...as, headers: { 'impersonate-user': `system:serviceaccount:${ns}:deployer`, 'impersonate-group': 'system:serviceaccounts' } };
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps`, withGroups)).status, 403);
  // Impersonating anyone but a ServiceAccount is refused, and so is adding a privileged group.
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps`, { ...as, headers: { 'impersonate-user': 'alice' } })).status, 403);
  assert.equal(
    (await api('GET', `/api/v1/namespaces/${ns}/configmaps`, { ...as, headers: { 'impersonate-user': `system:serviceaccount:${ns}:deployer`, 'impersonate-group': 'system:masters' } })).status,
    403,
  );
});

async function grantDeployer(ns: string): Promise<void> {
  await apiOk('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, {
    body: { metadata: { name: 'deployer' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] }] },
  });
  await apiOk('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
    body: { metadata: { name: 'deployer' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'deployer' }, subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: ns }] },
  });
  await waitUntilAllowed(`system:serviceaccount:${ns}:deployer`, { verb: 'create', resource: 'configmaps', namespace: ns });
}

test('the operator runs with exactly the installed RBAC: a release with a deployer ServiceAccount becomes Ready', async (t) => {
  if (!(await install(t))) return;
  const ns = await testNamespace(t);
  const shard = `install-${randomBytes(3).toString('hex')}`;
  await apiOk('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { body: { metadata: { name: 'deployer' } } });
  await grantDeployer(ns);
  const op = await startOperator(t, {
    kubeconfig: await serviceAccountKubeconfig(t, SYSTEM_NS, OPERATOR_SA),
    watchLabelSelector: `chartrelease.test/shard=${shard}`,
    leaderElectionNamespace: SYSTEM_NS,
    leaderElectionId: `chartrelease-${shard}`,
  });
  const chart = writeTinyChart();
  const release = (name: string, serviceAccountName?: string) => ({
    apiVersion: 'chartrelease.dev/v1alpha1',
    kind: 'ChartRelease',
    metadata: { name, labels: { 'chartrelease.test/shard': shard } },
    spec: { chart: { path: chart }, values: { greeting: 'hi' }, ...(serviceAccountName ? { serviceAccountName } : {}) },
  });
  await apiOk('POST', `/apis/chartrelease.dev/v1alpha1/namespaces/${ns}/chartreleases`, { body: release('with-deployer', 'deployer') });
  await apiOk('POST', `/apis/chartrelease.dev/v1alpha1/namespaces/${ns}/chartreleases`, { body: release('as-operator') });

  const condition = async (name: string, type: string) => {
    const r = await api('GET', `/apis/chartrelease.dev/v1alpha1/namespaces/${ns}/chartreleases/${name}`);
    return (r.body?.status?.conditions ?? []).find((c: any) => c.type === type);
  };
  await eventually('with-deployer to be Ready', async () => (await condition('with-deployer', 'Ready'))?.status === 'True', 60_000);
  const cm = await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/with-deployer-one`);
  assert.equal(cm.data.greeting, 'hi');
  assert.ok(cm.metadata.managedFields.some((f: any) => f.manager === 'chartrelease' && f.operation === 'Apply'));
  await apiOk('GET', `/api/v1/namespaces/${ns}/secrets/sh.helm.release.v1.with-deployer.v1`);

  // Without a ServiceAccount the operator applies as itself, which the default install does not allow:
  // a clear failure in status, nothing applied.
  const failed = await eventually(
    'as-operator to report the missing permission',
    async () => {
      const ready = await condition('as-operator', 'Ready');
      return ready?.status === 'False' && /forbidden/i.test(ready.message) ? ready : undefined;
    },
    60_000,
  );
  assert.match(failed.message, /forbidden/i);
  assert.equal((await api('GET', `/api/v1/namespaces/${ns}/configmaps/as-operator-one`)).status, 404);
  assert.equal(op.child.exitCode, null, 'the operator keeps running');
});
