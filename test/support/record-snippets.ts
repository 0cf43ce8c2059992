// Re-records the helm expectations of a snippet suite:
//   npm run build && node dist/test/support/record-snippets.js template
// or only the snippets whose id starts with a prefix, keeping the other recorded expectations:
//   node dist/test/support/record-snippets.js sprig --only sprig-regex-
// Each suite names the module that exports its `snippets` and the fixture it writes.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './paths.js';
import { readExpectations, recordSnippets, writeExpectations, type Snippet } from './helm-snippets.js';
import { referenceTools } from './tools.js';

/** Suites by name: compiled module (relative to this file) exporting `snippets`, and the fixture path in the repo. */
export const snippetSuites: Record<string, { module: string; fixture: string }> = {
  template: { module: '../differential/template-snippets.js', fixture: 'test/golden/template-snippets.json' },
  sprig: { module: '../differential/sprig-snippets.js', fixture: 'test/golden/sprig-snippets.json' },
  schema: { module: '../differential/schema-snippets.js', fixture: 'test/golden/schema-snippets.json' },
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only = args.indexOf('--only');
  const prefix = only >= 0 ? args.splice(only, 2)[1] : undefined;
  const names = args;
  if (names.length === 0 || names.some((n) => !(n in snippetSuites)) || (only >= 0 && !prefix)) {
    process.stderr.write(`usage: record-snippets.js SUITE... [--only ID-PREFIX]  (suites: ${Object.keys(snippetSuites).join(', ')})\n`);
    process.exit(2);
  }
  const { helm } = referenceTools();
  for (const name of names) {
    const suite = snippetSuites[name]!;
    const mod = (await import(new URL(suite.module, import.meta.url).href)) as { snippets: Snippet[] };
    const started = Date.now();
    const fixture = join(repoRoot, suite.fixture);
    const chosen = prefix === undefined ? mod.snippets : mod.snippets.filter((s) => s.id.startsWith(prefix));
    const recorded = await recordSnippets(helm, chosen);
    let results = recorded;
    if (prefix !== undefined) {
      // Keep every other snippet's recorded expectation, in the suite's order.
      const all = readExpectations(fixture);
      for (const r of results) all.set(r.id, r);
      results = mod.snippets.flatMap((s) => all.get(s.id) ?? []);
    }
    writeExpectations(fixture, results);
    const errors = recorded.filter((r) => r.error !== null).length;
    process.stdout.write(`${name}: ${chosen.length} snippets (${errors} errors) recorded in ${Date.now() - started} ms -> ${suite.fixture}\n`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
