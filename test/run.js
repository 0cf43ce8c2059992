#!/usr/bin/env node
// The one test command (npm test, and .ci/run): build, prepare the reference tools, then run every
// compiled *.test.js under dist/ with Node's test runner. Arguments narrow the run to those files.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return e.name.endsWith('.test.js') ? [p] : [];
  });
}

run('npx', ['tsc', '-p', 'tsconfig.json']);
const { referenceTools } = await import('../dist/test/support/tools.js');
const tools = referenceTools();
const env = { ...process.env, CHARTRELEASE_HELM: tools.helm, CHARTRELEASE_KUBECTL: tools.kubectl };
const files = process.argv.slice(2);
run(process.execPath, ['--test', '--test-concurrency=2', ...(files.length ? files : testFiles('dist').sort())], { env });
