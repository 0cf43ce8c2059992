import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newRelease, recordFromSecret, revisionSecrets } from './index.js';

const NOW = new Date('2026-06-12T11:04:17Z');
const base = { name: 'web', namespace: 'shop', chart: { name: 'web', version: '1.0.0', apiVersion: 'v2' }, config: {}, manifest: '---\n# Source: web/templates/cm.yaml\nkind: ConfigMap\n', now: NOW } as const;

test('inputsDigest: kept in the record annotations and read back; not on rollbacks, not on records without it', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  const roundTrip = (r: ReturnType<typeof newRelease>) => recordFromSecret(revisionSecrets(r, NOW).record).meta;
  assert.equal(roundTrip(newRelease({ ...base, version: 1, action: 'install', inputsDigest: digest })).inputsDigest, digest);
  assert.equal(roundTrip(newRelease({ ...base, version: 2, action: 'rollback', rollbackTo: 1, inputsDigest: digest })).inputsDigest, undefined);
  assert.equal(roundTrip(newRelease({ ...base, version: 3, action: 'upgrade' })).inputsDigest, undefined);
});
