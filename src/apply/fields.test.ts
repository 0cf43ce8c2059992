import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setsField, upgradeManagedFields, type ManagedFieldsEntry } from './fields.js';

const deployment = {
  metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web' } },
  data: { level: 'info' },
  spec: {
    replicas: 2,
    template: {
      spec: {
        containers: [{ name: 'app', image: 'web:1', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80 }] }],
        finalizersLike: ['x', 'y'],
      },
    },
  },
};

test('setsField: the paths the API server prints in a conflict, against the deployed object', () => {
  assert.equal(setsField(deployment, '.data.level'), true);
  assert.equal(setsField(deployment, '.data.other'), false);
  assert.equal(setsField(deployment, '.spec.replicas'), true);
  assert.equal(setsField(deployment, '.metadata.labels.app.kubernetes.io/name'), true, 'map keys with dots');
  assert.equal(setsField(deployment, '.metadata.labels.app.kubernetes.io/other'), false);
  assert.equal(setsField(deployment, '.spec.template.spec.containers[name="app"].image'), true);
  assert.equal(setsField(deployment, '.spec.template.spec.containers[name="app"].env[name="A"].value'), true);
  assert.equal(setsField(deployment, '.spec.template.spec.containers[name="app"].env[name="B"].value'), false);
  assert.equal(setsField(deployment, '.spec.template.spec.containers[name="sidecar"].image'), false);
  assert.equal(setsField(deployment, '.spec.template.spec.containers[name="app"].ports[containerPort=80,protocol="TCP"]'), true, 'a defaulted key field');
  assert.equal(setsField(deployment, '.spec.template.spec.finalizersLike[="y"]'), true);
  assert.equal(setsField(deployment, '.spec.template.spec.containers[0].name'), true);
  assert.equal(setsField(deployment, '.spec.template.spec.containers[name="a,]"].image'), false, 'quoted brackets and commas');
});

const helmUpdate: ManagedFieldsEntry = { manager: 'helm', operation: 'Update', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {}, 'f:env': { 'k:{"name":"B"}': { '.': {}, 'f:value': {} } } } } };
const ours: ManagedFieldsEntry = { manager: 'chartrelease', operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } };
const status: ManagedFieldsEntry = { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'apps/v1', subresource: 'status', fieldsV1: { 'f:status': {} } };

test('csaupgrade: a Helm 3 (Update) entry is unioned into our Apply entry and removed', () => {
  const out = upgradeManagedFields([helmUpdate, ours, status], ['helm'], 'chartrelease')!;
  assert.deepEqual(out.map((e) => `${e.manager}/${e.operation}`), ['chartrelease/Apply', 'kube-controller-manager/Update']);
  assert.deepEqual(out[0]!.fieldsV1, { 'f:spec': { 'f:replicas': {}, 'f:env': { 'k:{"name":"B"}': { '.': {}, 'f:value': {} } } } });
});

test('csaupgrade: without an Apply entry of ours, the first Helm entry becomes it (Helm 4 Apply entries too)', () => {
  const helmApply = { ...helmUpdate, operation: 'Apply' };
  const out = upgradeManagedFields([status, helmApply], ['helm'], 'chartrelease')!;
  assert.deepEqual(out.map((e) => `${e.manager}/${e.operation}`), ['kube-controller-manager/Update', 'chartrelease/Apply']);
  assert.deepEqual(out[1]!.fieldsV1, helmApply.fieldsV1);
});

test('csaupgrade: nothing to move is null; subresource entries and other managers stay', () => {
  assert.equal(upgradeManagedFields([ours, status], ['helm'], 'chartrelease'), null);
  assert.equal(upgradeManagedFields([{ ...helmUpdate, subresource: 'status' }], ['helm'], 'chartrelease'), null);
});

test('drift reports name what someone edited, never server-set metadata such as .metadata.generation', async () => {
  const { differingPaths } = await import('./compare.js');
  const live = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation: 3, resourceVersion: '10', uid: 'u' }, spec: { replicas: 5 } };
  const applied = { ...live, metadata: { ...live.metadata, generation: 4, resourceVersion: '11' }, spec: { replicas: 2 } };
  assert.deepEqual(differingPaths(live, applied), ['.spec.replicas']);
});
