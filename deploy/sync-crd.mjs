#!/usr/bin/env node
// Copies crds/chartrelease.yaml (generated from src/api by the controller engineer's tooling) to the
// two places packaging needs it: the kustomize base deploy/crd/ and the Helm chart's crds/ folder.
// test/integration/production-packaging.test.ts fails when a copy is stale.
import { copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'crds', 'chartrelease.yaml');
for (const target of ['deploy/crd/chartrelease.yaml', 'deploy/chart/crds/chartrelease.yaml']) {
  copyFileSync(source, join(root, target));
  process.stdout.write(`crds/chartrelease.yaml -> ${target}\n`);
}
