// Rewrites the output of every ```console block of the given docs that runs without a cluster
// (`values`, `template`) from the real command: node dist/test/docs/record-doc-commands.js docs/values.md
import { readFileSync, writeFileSync } from 'node:fs';
import { docCommands, runDocCommand } from './doc-commands.js';

for (const file of process.argv.slice(2)) {
  let text = readFileSync(file, 'utf8');
  for (const block of docCommands(text).reverse()) {
    if (!['values', 'template'].includes(block.args[0]!)) continue;
    const { output } = await runDocCommand(block.args);
    text = text.slice(0, block.start) + output + text.slice(block.end);
  }
  writeFileSync(file, text);
  console.log(`recorded ${file}`);
}
