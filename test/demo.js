#!/usr/bin/env node
// The demo (npm start, after the build): a real local control plane (kube-apiserver + etcd built from
// Go modules, cached after the first time), then the main job on it, running until Ctrl-C.
// For now the main job is only the control plane plus kubectl instructions; the operator and the
// example ChartRelease get added here once they exist.
import { buildControlPlane, describeControlPlane, startControlPlane, stopOnSignals } from '../dist/src/devcluster/index.js';
import { referenceTools } from '../dist/test/support/tools.js';

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
stopOnSignals(cp, () => say('stopping the control plane'));

const { kubectl } = referenceTools();
say(`control plane ready in ${((performance.now() - t0) / 1000).toFixed(1)}s`);

// (operator engineers: start the operator against cp.adminKubeconfigPath and apply examples/ here)

process.stdout.write(`\n${describeControlPlane(cp, kubectl)}\n\nCtrl-C stops everything and removes the cluster's data.\n`);
setInterval(() => {}, 1 << 30); // run until a signal; stopOnSignals tears down and exits
