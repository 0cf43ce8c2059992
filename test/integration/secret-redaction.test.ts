// Issue 11, problem 3: a value from a Secret overlay never reaches a message the operator writes,
// even when the API server, a template's `fail` or a failed record quotes it; messages still say
// what was wrong and where.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiOk, requireCluster, testNamespace } from '../support/cluster.js';
import { applyYaml, chartReleaseYaml, events, getChartRelease, records, startOperator, waitForCondition, waitForReady, writeChart } from './operator-harness.js';

const SECRET_LABEL = 'Tr0ub4dor and 3 horses!';
const SECRET_TOKEN = 'tok-9f8e7d6c5b4a';

test('a Secret value the API server rejects, or a template fails on, is [redacted] in status, events, logs and records', async (t) => {
  const cluster = requireCluster(t);
  if (!cluster) return;
  const ns = await testNamespace(t);
  const operator = await startOperator(t, cluster, ns);
  const chart = writeChart({
    'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'values.yaml': 'mode: ok\n',
    'templates/cm.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  labels:\n    tier: {{ .Values.tier | quote }}\ndata:\n  tokenHash: {{ .Values.token | sha256sum | quote }}\n' +
      '{{- if eq .Values.mode "strict" }}{{ fail (printf "token %s is not accepted in strict mode" .Values.token) }}{{ end }}\n',
  });
  const secret = `tier: ${JSON.stringify(SECRET_LABEL)}\ntoken: ${SECRET_TOKEN}\n`;
  await applyYaml(`apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-secrets\n  namespace: ${ns}\nstringData:\n  values.yaml: ${JSON.stringify(secret)}\n`);
  const leaked = (text: string) => text.includes(SECRET_LABEL) || text.includes(SECRET_TOKEN) || text.includes(Buffer.from(SECRET_TOKEN).toString('base64'));

  // 1. The API server refuses the label and quotes it.
  await applyYaml(chartReleaseYaml(ns, 'web', { chart: { path: chart }, valuesFrom: [{ kind: 'Secret', name: 'web-secrets' }], interval: '1h' }));
  const stalled = await waitForCondition(ns, 'web', 'Stalled on the label', (c) => c.Stalled !== undefined);
  const message = stalled.status.conditions.find((c: any) => c.type === 'Stalled').message as string;
  assert.ok(!leaked(message), message);
  assert.match(message, /metadata\.labels: Invalid value: "\[redacted\]"/, 'still says what and where');
  const failed = await records(ns, 'web');
  assert.ok(failed.length > 0 && failed.every((r) => !leaked(r.description)), JSON.stringify(failed.map((r) => r.description)));
  assert.ok(failed.some((r) => r.description.includes('[redacted]')));

  // 2. A template's fail quotes the token.
  await applyYaml(chartReleaseYaml(ns, 'web', { chart: { path: chart }, valuesFrom: [{ kind: 'Secret', name: 'web-secrets' }], values: { tier: 'front' }, interval: '1h' }));
  await waitForReady(ns, 'web');
  await applyYaml(chartReleaseYaml(ns, 'web', { chart: { path: chart }, valuesFrom: [{ kind: 'Secret', name: 'web-secrets' }], values: { tier: 'front', mode: 'strict' }, interval: '1h' }));
  const templateError = await waitForCondition(ns, 'web', 'Stalled TemplateError', (c) => c.Stalled?.reason === 'TemplateError');
  const templateMessage = templateError.status.conditions.find((c: any) => c.type === 'Stalled').message as string;
  assert.match(templateMessage, /token \[redacted\] is not accepted in strict mode/);

  const cr = await getChartRelease(ns, 'web');
  const everything = [JSON.stringify(cr.status), ...(await events(ns, 'web')), operator.logs(), ...(await records(ns, 'web')).map((r) => r.description)].join('\n');
  assert.ok(!leaked(everything), 'no Secret value in status, events, logs or record descriptions');
  assert.ok((await events(ns, 'web')).some((e) => e.includes('[redacted]')));
  assert.equal((await apiOk('GET', `/api/v1/namespaces/${ns}/configmaps/web`)).metadata.labels.tier, 'front');
});
