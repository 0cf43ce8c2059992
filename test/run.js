#!/usr/bin/env node
// The one test command (npm test, and .ci/run): build, prepare the reference tools, start one real
// control plane (kube-apiserver + kube-controller-manager + etcd, built from Go modules and cached; see docs/controlplane.md),
// then run every compiled *.test.js under dist/ with Node's test runner. Arguments narrow the run to
// those files. The control plane is always torn down: on success, failure, Ctrl-C and SIGTERM.
//
// Control plane: started when running everything, or when a named file is under integration/ or e2e/
// or is named *.integration.test.js / *.e2e.test.js.
//   CHARTRELEASE_CONTROLPLANE=0|1     never / always start one
//   CHARTRELEASE_TEST_KUBECONFIG=...  use an already running one (e.g. from node dist/src/devcluster/cli.js)
//   CHARTRELEASE_CONTROLPLANE_BIN=dir prebuilt binaries instead of test/controlplane/build.sh
// OCI registry (docs/registry.md): built in the background when running everything or a file whose
// name says oci/registry; CHARTRELEASE_REGISTRY_BIN=dir uses a prebuilt `registry` binary instead.
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const isCI = process.env.CI === 'true' || process.env.CI === '1';
const say = (line) => process.stderr.write(`[run] ${line}\n`);

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return e.name.endsWith('.test.js') ? [p] : [];
  });
}

/** Spawns and resolves with { status, stdout } when the process ends. */
function exec(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { stdio: 'inherit', ...opts });
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (d) => (stdout += d));
  const done = new Promise((resolve) => {
    child.on('error', (err) => resolve({ status: 127, stdout, error: err }));
    child.on('close', (code, signal) => resolve({ status: code ?? (signal ? 128 : 1), stdout, signal }));
  });
  return { child, done };
}

const files = process.argv.slice(2);
const wantControlPlane =
  !process.env.CHARTRELEASE_TEST_KUBECONFIG &&
  (process.env.CHARTRELEASE_CONTROLPLANE === '1' ||
    (process.env.CHARTRELEASE_CONTROLPLANE !== '0' && (files.length === 0 || files.some((f) => /(^|[\\/])(integration|e2e)[\\/]|\.(integration|e2e)\.test\.js$/.test(f)))));

// Teardown state, shared by the normal path and the signal handlers.
let build = null; // the background Go build (own process group)
let controlPlane = null;
let tests = null;
let exiting = false;
async function teardown() {
  for (const b of [build, registryBuild]) {
    if (b && b.exitCode === null && b.signalCode === null) {
      try {
        process.kill(-b.pid, 'SIGTERM');
      } catch {}
    }
  }
  if (controlPlane) {
    const cp = controlPlane;
    controlPlane = null;
    await cp.stop();
  }
}
for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(sig, () => {
    if (exiting) return;
    exiting = true;
    say(`${sig}: stopping the tests and the control plane`);
    if (tests && tests.exitCode === null) tests.kill(sig);
    teardown().finally(() => process.exit(code));
  });
}

// 1. The Go build of kube-apiserver + etcd starts first (a cache hit returns in milliseconds), in the
//    background while TypeScript compiles.
let buildDone = null;
if (wantControlPlane && process.env.CHARTRELEASE_CONTROLPLANE_BIN) {
  buildDone = Promise.resolve({ status: 0, stdout: process.env.CHARTRELEASE_CONTROLPLANE_BIN });
} else if (wantControlPlane) {
  const b = exec('bash', [join(root, 'test', 'controlplane', 'build.sh')], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  build = b.child;
  buildDone = b.done;
}

// 1b. The OCI registry the chart-source tests push to (the CNCF distribution registry, built from its Go
//     module by test/registry/build.sh and cached the same way; see docs/registry.md), also in the
//     background. Wanted when running everything or a file about OCI/registries.
const wantRegistry = process.env.CHARTRELEASE_REGISTRY_BIN === undefined && (files.length === 0 || files.some((f) => /oci|registry/i.test(f)));
let registryBuild = null;
let registryDone = null;
if (wantRegistry) {
  const b = exec('bash', [join(root, 'test', 'registry', 'build.sh')], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  registryBuild = b.child;
  registryDone = b.done;
}

// 2. TypeScript, then the bundle `chartrelease template` renders with (bin/bundle-cli.js), as
// `npm run build` does.
for (const [cmd, args] of [['npx', ['tsc', '-p', 'tsconfig.json']], [process.execPath, [join(root, 'bin', 'bundle-cli.js')]]]) {
  const step = await exec(cmd, args, { cwd: root }).done;
  if (step.status !== 0) {
    await teardown();
    process.exit(step.status);
  }
}
const { referenceTools } = await import('../dist/test/support/tools.js');
const tools = referenceTools();
const env = { ...process.env, CHARTRELEASE_HELM: tools.helm, CHARTRELEASE_KUBECTL: tools.kubectl };

// 3. One control plane for the whole run.
let controlPlaneFailure = null;
let logDir = null;
if (wantControlPlane) {
  try {
    const built = await buildDone;
    const dir = built.stdout.trim().split('\n').pop();
    if (built.status !== 0 || !dir) throw new Error(`building the control plane failed (test/controlplane/build.sh exited with ${built.status}); see the [controlplane] lines above`);
    const { binariesIn, startControlPlane } = await import('../dist/src/devcluster/index.js');
    const binaries = binariesIn(dir);
    if (!binaries) throw new Error(`test/controlplane/build.sh reported ${dir}, which has no kube-apiserver and etcd`);
    const t0 = performance.now();
    // Per run (several people may run the tests at once); kept only when the run fails.
    logDir = join(root, '.cache', 'controlplane-logs', `run-${process.pid}`);
    controlPlane = await startControlPlane({ binaries, logDir });
    if (exiting) await new Promise(() => {}); // a signal arrived while starting: its handler is tearing down
    say(`control plane ready in ${((performance.now() - t0) / 1000).toFixed(1)}s at ${controlPlane.server} (logs: ${logDir})`);
    Object.assign(env, {
      CHARTRELEASE_TEST_KUBECONFIG: controlPlane.adminKubeconfigPath,
      CHARTRELEASE_TEST_RESTRICTED_KUBECONFIG: controlPlane.restricted.kubeconfigPath,
      CHARTRELEASE_TEST_RESTRICTED_USER: controlPlane.restricted.name,
      // Anything that falls back to the default kubeconfig talks to the throwaway cluster, never a real one.
      KUBECONFIG: controlPlane.adminKubeconfigPath,
    });
  } catch (err) {
    controlPlaneFailure = err;
    say(`NO CONTROL PLANE: ${err instanceof Error ? err.message : err}`);
    say(isCI ? 'CI=true: integration tests will fail, and so will this run.' : 'integration tests will be skipped.');
    await teardown();
  }
}

// 3b. The registry binary for the OCI tests (test/support/registry.ts reads these).
if (registryDone) {
  const built = await registryDone;
  const dir = built.stdout.trim().split('\n').pop();
  if (built.status === 0 && dir) env.CHARTRELEASE_REGISTRY_BIN = dir;
  else {
    env.CHARTRELEASE_REGISTRY_PROBLEM = `test/registry/build.sh exited with ${built.status}; see the [registry] lines above`;
    say(`NO OCI REGISTRY: ${env.CHARTRELEASE_REGISTRY_PROBLEM}`);
  }
}

// 4. The tests.
const run = exec(process.execPath, ['--test', '--test-concurrency=2', ...(files.length ? files : testFiles(join(root, 'dist')).sort())], { env, cwd: root });
tests = run.child;
const result = await run.done;
if (exiting) await new Promise(() => {});
await teardown();
if (logDir) {
  if (result.status === 0 && !controlPlaneFailure) rmSync(logDir, { recursive: true, force: true });
  else say(`the control plane's logs are kept in ${logDir}`);
}
if (controlPlaneFailure && isCI) process.exit(result.status || 1);
process.exit(result.status);
