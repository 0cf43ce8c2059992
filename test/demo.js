#!/usr/bin/env node
// The demo (npm start, after the build): a real local control plane (kube-apiserver + etcd built from
// Go modules, cached after the first time), then the main job on it, running until Ctrl-C: the CRD is
// installed, `chartrelease operator` starts, the example ChartRelease (the seed article's chart with
// its production overlay from a ConfigMap) is applied and waited for until Ready, and the demo prints
// `kubectl get chr` and how to poke the release (upgrade, rollback, drift, helm history).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildControlPlane, describeControlPlane, startControlPlane, stopOnSignals } from '../dist/src/devcluster/index.js';
import { referenceTools } from '../dist/test/support/tools.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const say = (line) => process.stderr.write(`[demo] ${line}\n`);
const t0 = performance.now();

let cp;
try {
  const binaries = await buildControlPlane();
  say('starting etcd, kube-apiserver and kube-controller-manager');
  cp = await startControlPlane({ binaries, progress: (l) => say(l) });
} catch (err) {
  say(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
let operator;
stopOnSignals(cp, async () => {
  if (operator && operator.exitCode === null) {
    say('stopping the operator');
    operator.kill('SIGTERM');
    await new Promise((resolve) => operator.once('exit', resolve));
  }
  say('stopping the control plane');
});

const { kubectl, helm } = referenceTools();
say(`control plane ready in ${((performance.now() - t0) / 1000).toFixed(1)}s`);

// The operator's part: CRD, operator, example ChartRelease, Ready.
const kc = cp.adminKubeconfigPath;
function k(args, input) {
  const r = spawnSync(kubectl, ['--kubeconfig', kc, ...args], { input, encoding: 'utf8' });
  if (r.status !== 0) {
    say(`kubectl ${args.join(' ')} failed:\n${r.stderr}`);
    throw new Error('demo step failed');
  }
  return r.stdout;
}
const chart = join(root, 'examples', 'checkout-api');
const logDir = join(root, '.cache');
mkdirSync(logDir, { recursive: true });
const logFile = join(logDir, 'demo-operator.log');
try {
  say('installing the ChartRelease CRD (crds/chartrelease.yaml)');
  k(['apply', '--server-side', '-f', join(root, 'crds', 'chartrelease.yaml')]);
  k(['wait', '--for=condition=Established', 'crd/chartreleases.chartrelease.dev', '--timeout=60s']);

  say(`starting: node bin/chartrelease.js operator --kubeconfig ${kc}   (log: ${logFile})`);
  const log = openSync(logFile, 'w');
  operator = spawn(process.execPath, [join(root, 'bin', 'chartrelease.js'), 'operator', '--kubeconfig', kc, '--log-format', 'console', '--metrics-bind-address', '127.0.0.1:0', '--health-probe-bind-address', '127.0.0.1:0'], {
    stdio: ['ignore', log, log],
  });
  operator.on('exit', (code, signal) => {
    if (signal !== 'SIGTERM') say(`the operator exited (${code ?? signal}); see ${logFile}`);
  });

  say('applying the example: namespace checkout, ConfigMap checkout-values (values.production.yaml), ChartRelease checkout-api');
  k(['create', 'namespace', 'checkout']);
  k(['create', 'configmap', 'checkout-values', '-n', 'checkout', `--from-file=values.production.yaml=${join(chart, 'values.production.yaml')}`]);
  k(['apply', '-f', '-'], [
    'apiVersion: chartrelease.dev/v1alpha1',
    'kind: ChartRelease',
    'metadata: {name: checkout-api, namespace: checkout}',
    'spec:',
    `  chart: {path: ${JSON.stringify(chart)}}`,
    '  valuesFrom:',
    '    - {kind: ConfigMap, name: checkout-values, key: values.production.yaml}',
    '  values: {image: {tag: v1.4.0}}',
    '  interval: 1m',
    '',
  ].join('\n'));
  const t1 = performance.now();
  k(['wait', '-n', 'checkout', '--for=condition=Ready', 'chr/checkout-api', '--timeout=120s']);
  say(`checkout-api Ready in ${((performance.now() - t1) / 1000).toFixed(1)}s`);
  process.stdout.write(`\n$ kubectl get chr -n checkout\n${k(['get', 'chr', '-n', 'checkout'])}`);
  process.stdout.write(`\n$ kubectl get deploy,svc,cm,hpa,pdb,ingress -n checkout\n${k(['get', 'deploy,svc,cm,hpa,pdb,ingress', '-n', 'checkout'])}`);
} catch (err) {
  say(err instanceof Error ? err.message : String(err));
  say(`operator log: ${logFile}`);
}

process.stdout.write(`\n${describeControlPlane(cp, kubectl)}\n
Poke the release (export KUBECONFIG=${kc}; kubectl is ${kubectl}):
  upgrade:   kubectl patch chr checkout-api -n checkout --type=merge -p '{"spec":{"values":{"image":{"tag":"v1.4.1"}}}}'
  rollback:  kubectl patch chr checkout-api -n checkout --type=merge -p '{"spec":{"revision":1}}'
  unpin:     kubectl patch chr checkout-api -n checkout --type=json -p '[{"op":"remove","path":"/spec/revision"}]'
  drift:     kubectl patch cm checkout-api -n checkout --type=merge -p '{"data":{"LOG_LEVEL":"debug"}}'   (put back within the 1m interval)
  history:   kubectl get chr checkout-api -n checkout -o yaml   |   ${helm} history checkout-api -n checkout --kubeconfig ${kc}
  events:    kubectl events -n checkout --for chr/checkout-api
  operator:  tail -f ${logFile}

Ctrl-C stops everything and removes the cluster's data.\n`);
setInterval(() => {}, 1 << 30); // run until a signal; stopOnSignals tears down and exits
