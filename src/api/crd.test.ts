import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse, stringify } from 'yaml';
import { chartReleaseCRD } from './crd.js';

const file = join(process.cwd(), 'crds', 'chartrelease.yaml');
const HEADER = '# Generated from src/api/crd.ts (the TypeScript types are the source of truth).\n# Regenerate: CHARTRELEASE_WRITE_CRD=1 node --test dist/src/api/crd.test.js\n';

test('crds/chartrelease.yaml is exactly the CRD that src/api/crd.ts describes', () => {
  const expected = HEADER + stringify(chartReleaseCRD(), { lineWidth: 0 });
  if (process.env.CHARTRELEASE_WRITE_CRD === '1') writeFileSync(file, expected);
  const actual = readFileSync(file, 'utf8');
  assert.deepEqual(parse(actual), chartReleaseCRD(), 'crds/chartrelease.yaml is stale: regenerate it (see its header)');
  assert.equal(actual, expected);
});

test('the CRD has the contract names, status subresource and printer columns', () => {
  const crd = chartReleaseCRD();
  assert.equal(crd.metadata.name, 'chartreleases.chartrelease.dev');
  assert.deepEqual(crd.spec.names.shortNames, ['chr']);
  const v = crd.spec.versions[0]!;
  assert.deepEqual(v.subresources, { status: {} });
  assert.deepEqual(
    v.additionalPrinterColumns.filter((c) => !('priority' in c)).map((c) => c.name),
    ['Ready', 'Revision', 'Chart', 'Status', 'Age'],
  );
});
