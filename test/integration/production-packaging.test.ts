// Packaging checks that need no cluster: the CRD copies are current, the kustomize bases build, the
// operator's Helm chart renders with helm and with our own `template` command byte for byte, both
// install paths grant the same RBAC and the same hardened pod, and the Dockerfile keeps its shape.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../support/paths.js';
import { referenceTools } from '../support/tools.js';

const tools = referenceTools();
const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

function run(bin: string, args: string[]): string {
  const r = spawnSync(bin, args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `${bin} ${args.join(' ')}:\n${r.stderr}`);
  return r.stdout;
}

const docs = (text: string): any[] => parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean);
const find = (objects: any[], kind: string, nameSuffix = '') => {
  const found = objects.filter((o) => o.kind === kind && String(o.metadata.name).endsWith(nameSuffix));
  assert.equal(found.length, 1, `one ${kind} named *${nameSuffix}, got ${found.map((o) => o.metadata.name).join(', ') || 'none'}`);
  return found[0];
};

const kustomized = () => docs(run(tools.kubectl, ['kustomize', 'deploy/default']));
const helmRendered = (...set: string[]) =>
  docs(run(tools.helm, ['template', 'chartrelease', 'deploy/chart', '--namespace', 'chartrelease-system', ...set.flatMap((s) => ['--set', s])]));

test('the CRD copies in deploy/ are identical to crds/chartrelease.yaml (refresh: node deploy/sync-crd.mjs)', () => {
  const crd = read('crds/chartrelease.yaml');
  assert.equal(read('deploy/crd/chartrelease.yaml'), crd, 'deploy/crd/chartrelease.yaml is stale');
  assert.equal(read('deploy/chart/crds/chartrelease.yaml'), crd, 'deploy/chart/crds/chartrelease.yaml is stale');
});

test('deploy/default builds everything into chartrelease-system', () => {
  const objects = kustomized();
  assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort(), [
    'ClusterRole/chartrelease-manager',
    'ClusterRoleBinding/chartrelease-manager',
    'CustomResourceDefinition/chartreleases.chartrelease.dev',
    'Deployment/chartrelease-controller',
    'Namespace/chartrelease-system',
    'Role/chartrelease-leader-election',
    'RoleBinding/chartrelease-leader-election',
    'Service/chartrelease-controller-metrics',
    'ServiceAccount/chartrelease-controller',
  ]);
  for (const o of objects) if (!['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind)) assert.equal(o.metadata.namespace, 'chartrelease-system', `${o.kind} namespace`);
  assert.ok(!objects.some((o) => o.kind === 'ClusterRoleBinding' && o.roleRef.name === 'cluster-admin'), 'cluster-admin is opt-in, never in the default');
  const optIn = docs(run(tools.kubectl, ['kustomize', 'deploy/cluster-admin']));
  assert.equal(find(optIn, 'ClusterRoleBinding').roleRef.name, 'cluster-admin');
});

/** The pod properties both install paths must share. */
function assertHardenedPod(deployment: any, what: string) {
  const pod = deployment.spec.template.spec;
  const [c] = pod.containers;
  assert.equal(pod.securityContext.runAsNonRoot, true, what);
  assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault', what);
  assert.deepEqual(c.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } }, what);
  assert.equal(c.livenessProbe.httpGet.path, '/healthz', what);
  assert.equal(c.readinessProbe.httpGet.path, '/readyz', what);
  assert.ok(c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.memory, `${what}: resources`);
  assert.ok(c.args.includes('--leader-elect'), `${what}: leader election on`);
  assert.ok(c.args.includes('--health-probe-bind-address=:9440') && c.args.includes('--metrics-bind-address=:8080'), `${what}: endpoints`);
  assert.ok(pod.volumes.some((v: any) => v.emptyDir) && c.volumeMounts.some((m: any) => m.mountPath === '/tmp'), `${what}: a writable /tmp`);
}

test('kustomize and the Helm chart install the same RBAC rules and the same hardened pod', () => {
  const k = kustomized();
  const h = helmRendered();
  assert.deepEqual(find(h, 'ClusterRole', '-manager').rules, find(k, 'ClusterRole', '-manager').rules, 'manager ClusterRole rules');
  assert.deepEqual(find(h, 'Role', '-leader-election').rules, find(k, 'Role', '-leader-election').rules, 'leader election Role rules');
  assertHardenedPod(find(k, 'Deployment'), 'kustomize');
  assertHardenedPod(find(h, 'Deployment'), 'helm');
  assert.ok(!h.some((o) => o.kind === 'ClusterRoleBinding' && o.roleRef.name === 'cluster-admin'));
  const optIn = helmRendered('rbac.clusterAdmin=true', 'watchLabelSelector=shard=a');
  assert.equal(find(optIn, 'ClusterRoleBinding', '-cluster-admin').roleRef.name, 'cluster-admin');
  assert.ok(find(optIn, 'Deployment').spec.template.spec.containers[0].args.includes('--watch-label-selector=shard=a'));
});

test('the RBAC grants nothing a chart would need: no wildcard, no workload kinds', () => {
  const role = find(kustomized(), 'ClusterRole', '-manager');
  for (const rule of role.rules) {
    assert.ok(!rule.verbs.includes('*') && !rule.resources.includes('*') && !rule.apiGroups.includes('*'), JSON.stringify(rule));
    assert.ok(!rule.apiGroups.some((g: string) => ['apps', 'batch', 'rbac.authorization.k8s.io', 'apiextensions.k8s.io'].includes(g)), JSON.stringify(rule));
  }
});

test('the operator chart renders identically with helm template and chartrelease template', () => {
  const cli = join(repoRoot, 'bin', 'chartrelease.js');
  const cases = [[], ['rbac.clusterAdmin=true', 'watchLabelSelector=shard=a', 'leaderElection.enabled=false', 'serviceAccount.create=false', 'metrics.service.enabled=false']];
  for (const set of cases) {
    const args = ['template', 'chartrelease', 'deploy/chart', '--namespace', 'chartrelease-system', ...set.flatMap((s) => ['--set', s])];
    assert.equal(run(process.execPath, [cli, ...args]), run(tools.helm, args), `template ${set.join(' ')}`);
  }
});

test('Dockerfile: multi-stage, npm ci then npm ci --omit=dev, non-root distroless runtime with only what runs', () => {
  const lines = read('Dockerfile')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages = lines.flatMap((l, i) => (l.startsWith('FROM ') ? [i] : []));
  assert.ok(stages.length >= 3, 'a build stage, a production-dependencies stage and the runtime stage');
  assert.ok(lines.some((l) => /^RUN npm ci( |$)/.test(l) && !l.includes('--omit=dev')), 'npm ci for the build');
  assert.ok(lines.some((l) => /^RUN npm ci .*--omit=dev/.test(l)), 'npm ci --omit=dev for the runtime');
  assert.ok(!lines.some((l) => l.startsWith('ADD ')), 'COPY, never ADD');
  const runtime = lines.slice(stages.at(-1)!);
  assert.match(runtime[0]!, /^FROM \S*distroless\/nodejs\S*:nonroot$/);
  assert.ok(!runtime.some((l) => l.startsWith('RUN ')), 'nothing runs in the runtime stage');
  assert.deepEqual(
    runtime.filter((l) => l.startsWith('COPY ')).map((l) => l.split(/\s+/).at(-1)),
    ['./node_modules', './package.json', './bin', './dist/src'],
    'only the production dependencies, the manifest, the entry and the compiled sources',
  );
  const user = runtime.find((l) => l.startsWith('USER '));
  assert.ok(user && !/^USER (0|root)\b/.test(user), 'runs as a non-root user');
  const ignore = read('.dockerignore').split('\n');
  assert.equal(ignore.find((l) => l.trim() && !l.startsWith('#')), '*', '.dockerignore starts by excluding everything');
  assert.ok(ignore.includes('**/*.test.ts'), 'tests stay out of the image');
  assert.ok(ignore.includes('src/devcluster/'), 'the development control plane stays out of the image');
});
