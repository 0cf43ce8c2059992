// `chartrelease values` takes the chart from a repository with template's flags (--repo, --version).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { main, type CliIO } from '../../src/cli/index.js';
import { makeRepoDir, startRepoServer, type RepoServer } from '../support/chart-repo.js';

let server: RepoServer;
before(async () => {
  server = await startRepoServer({ dir: makeRepoDir([{ name: 'demo', versions: ['1.0.0'] }]) });
});
after(() => server.close());

test('values --explain --repo URL CHART --version: the repository chart\'s defaults with their lines, the overlay\'s typo warned', async () => {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readFile: (p) => (p === 'over.yaml' ? Buffer.from('greting: hi\n') : readFileSync(p)), env: {} };
  const rc = await main(['values', 'demo', '--repo', server.url, '--version', '1.0.0', '-f', 'over.yaml', '--explain'], io);
  assert.equal(rc, 0, stderr);
  assert.equal(stdout, 'greeting: hello  # values.yaml:1\ngreting: hi  # over.yaml:1\n');
  assert.equal(stderr, "warning: greting (over.yaml:1) is not in the chart's values.yaml and no template reads it; did you mean greeting?\n");
});
