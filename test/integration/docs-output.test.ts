// The output shown in docs/diff.md and in the approval section of docs/operator.md is produced
// here, on the real control plane: the example chart's staging values deployed by a ChartRelease
// `checkout-api` in namespace `checkout`, then `chartrelease diff` with the staging and production
// overlays, then the ChartRelease switched to the production overlay in manual approval mode.
// The test fails when a page differs; CHARTRELEASE_WRITE_DOCS=1 writes the pages instead.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { api, apiOk, requireCluster } from '../support/cluster.js';
import { repoRoot } from '../support/paths.js';
import { docCommands, runDocCommand } from '../docs/doc-commands.js';
import { applyYaml, chartReleaseYaml, EXAMPLE_CHART, exampleValues, kubectlOk, startOperator, waitForCondition, waitForReady } from './operator-harness.js';

const write = process.env.CHARTRELEASE_WRITE_DOCS === '1';

/** The content of the block after `<!-- recorded: ID -->`. */
function recorded(text: string, id: string, content?: string): { text: string; current: string } {
  const re = new RegExp(`(<!-- recorded: ${id} -->\\n\`\`\`\\w+\\n)([\\s\\S]*?)(\`\`\`)`);
  const m = re.exec(text);
  if (!m) throw new Error(`no recorded block ${id}`);
  return { current: m[2]!, text: content === undefined ? text : text.replace(re, (_a, open: string, _b, close: string) => `${open}${content}${close}`) };
}

test('docs/diff.md and the approval section of docs/operator.md show what the commands print', { timeout: 300_000 }, async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = 'checkout';
  await api('DELETE', `/api/v1/namespaces/${ns}`);
  await apiOk('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } });
  t.after(() => api('DELETE', `/api/v1/namespaces/${ns}`));
  const previousKubeconfig = process.env.KUBECONFIG;
  process.env.KUBECONFIG = cluster.kubeconfig;
  t.after(() => (previousKubeconfig === undefined ? delete process.env.KUBECONFIG : (process.env.KUBECONFIG = previousKubeconfig)));
  await startOperator(t, cluster, ns);
  for (const env of ['staging', 'production']) await kubectlOk(['create', 'configmap', `checkout-api-${env}`, '-n', ns, `--from-literal=values.yaml=${exampleValues(`values.${env}.yaml`)}`]);
  const release = (env: string, extra: Record<string, unknown> = {}) =>
    chartReleaseYaml(ns, 'checkout-api', { chart: { path: EXAMPLE_CHART }, valuesFrom: [{ kind: 'ConfigMap', name: `checkout-api-${env}`, key: 'values.yaml' }], ...extra });
  await applyYaml(release('staging'));
  await waitForReady(ns, 'checkout-api');

  // docs/diff.md: the diff commands (the --from-cluster one once the ChartRelease names production).
  const diffPath = join(repoRoot, 'docs', 'diff.md');
  let diffDoc = readFileSync(diffPath, 'utf8');
  const outputs = new Map<string, string>();
  const run = async (args: string[]) => outputs.set(args.join(' '), (await runDocCommand(args)).output);
  const blocks = docCommands(diffDoc).filter((b) => b.args[0] === 'diff');
  assert.equal(blocks.length, 3);
  for (const b of blocks.filter((b) => !b.args.includes('--from-cluster'))) await run(b.args);

  // docs/operator.md: manual mode with the production overlay.
  await applyYaml(release('production', { approval: { mode: 'manual' } }));
  const cr = await waitForCondition(ns, 'checkout-api', 'a plan awaiting approval', (c, x) => c.AwaitingApproval?.status === 'True' && x.status?.plan?.action === 'upgrade');
  for (const b of blocks.filter((b) => b.args.includes('--from-cluster'))) await run(b.args);
  const { createdAt: _createdAt, ...plan } = cr.status.plan;
  const planYaml = stringify({ status: { plan } }, { lineWidth: 0 });
  const condition = cr.status.conditions.find((c: any) => c.type === 'AwaitingApproval');
  const conditionText = `AwaitingApproval=True (${condition.reason}): ${condition.message}\n`;

  for (const b of [...blocks].reverse()) {
    const out = outputs.get(b.args.join(' '))!;
    if (write) diffDoc = diffDoc.slice(0, b.start) + out + diffDoc.slice(b.end);
    else assert.equal(b.output, out, `docs/diff.md: chartrelease ${b.args.join(' ')}`);
  }
  const opPath = join(repoRoot, 'docs', 'operator.md');
  let opDoc = readFileSync(opPath, 'utf8');
  for (const [id, content] of [['approval-plan', planYaml], ['approval-condition', conditionText]] as const) {
    const r = recorded(opDoc, id, content);
    if (write) opDoc = r.text;
    else assert.equal(r.current, content, `docs/operator.md: ${id}`);
  }
  if (write) {
    writeFileSync(diffPath, diffDoc);
    writeFileSync(opPath, opDoc);
  }
});
