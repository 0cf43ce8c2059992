// docs/values.md shows real output: every `chartrelease values` block prints exactly that today.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/paths.js';
import { docCommands, runDocCommand } from './doc-commands.js';

test('docs/values.md: the output shown is what the commands print', async () => {
  const blocks = docCommands(readFileSync(join(repoRoot, 'docs', 'values.md'), 'utf8')).filter((b) => b.args[0] === 'values');
  assert.ok(blocks.length >= 3);
  for (const block of blocks) assert.equal((await runDocCommand(block.args)).output, block.output, `chartrelease ${block.args.join(' ')}`);
});
