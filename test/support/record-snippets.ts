// Re-records the helm expectations of a snippet suite:
//   npm run build && node dist/test/support/record-snippets.js template
// Each suite names the module that exports its `snippets` and the fixture it writes.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './paths.js';
import { recordSnippets, writeExpectations, type Snippet } from './helm-snippets.js';
import { referenceTools } from './tools.js';

/** Suites by name: compiled module (relative to this file) exporting `snippets`, and the fixture path in the repo. */
export const snippetSuites: Record<string, { module: string; fixture: string }> = {
  template: { module: '../differential/template-snippets.js', fixture: 'test/golden/template-snippets.json' },
  sprig: { module: '../differential/sprig-snippets.js', fixture: 'test/golden/sprig-snippets.json' },
};

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  if (names.length === 0 || names.some((n) => !(n in snippetSuites))) {
    process.stderr.write(`usage: record-snippets.js SUITE...  (suites: ${Object.keys(snippetSuites).join(', ')})\n`);
    process.exit(2);
  }
  const { helm } = referenceTools();
  for (const name of names) {
    const suite = snippetSuites[name]!;
    const mod = (await import(new URL(suite.module, import.meta.url).href)) as { snippets: Snippet[] };
    const started = Date.now();
    const results = await recordSnippets(helm, mod.snippets);
    const fixture = join(repoRoot, suite.fixture);
    writeExpectations(fixture, results);
    const errors = results.filter((r) => r.error !== null).length;
    process.stdout.write(`${name}: ${results.length} snippets (${errors} errors) recorded in ${Date.now() - started} ms -> ${suite.fixture}\n`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
