// Locating or building the real kube-apiserver, kube-controller-manager and etcd binaries. The build itself is
// test/controlplane/build.sh (a separate Go module, cached by version outside the repo); this file
// only runs it and finds its output. Honours prebuilt binaries the way envtest does.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ControlPlaneBinaries {
  /** Directory holding the binaries. */
  dir: string;
  kubeApiserver: string;
  etcd: string;
  /** Absent for envtest-style asset directories, which carry no controller manager. */
  kubeControllerManager?: string;
}

export interface BuildOptions {
  /** Rebuild even when the cache has the binaries. */
  force?: boolean;
  /** Where build progress goes (default: this process's stderr). */
  progress?: (line: string) => void;
}

/** The repository root, found from this compiled file (dist/src/devcluster/build.js) or its source. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'test', 'controlplane', 'build.sh'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find test/controlplane/build.sh above ' + fileURLToPath(import.meta.url));
}

export function binariesIn(dir: string): ControlPlaneBinaries | null {
  const kubeApiserver = join(dir, 'kube-apiserver');
  const etcd = join(dir, 'etcd');
  const kcm = join(dir, 'kube-controller-manager');
  if (!existsSync(kubeApiserver) || !existsSync(etcd)) return null;
  return { dir: resolve(dir), kubeApiserver, etcd, ...(existsSync(kcm) ? { kubeControllerManager: kcm } : {}) };
}

/**
 * Prebuilt binaries named by the environment, if any: CHARTRELEASE_CONTROLPLANE_BIN (a directory with
 * kube-apiserver, etcd and optionally kube-controller-manager), or envtest's TEST_ASSET_KUBE_APISERVER + TEST_ASSET_ETCD, or KUBEBUILDER_ASSETS.
 */
export function prebuiltBinaries(env: NodeJS.ProcessEnv = process.env): ControlPlaneBinaries | null {
  if (env.CHARTRELEASE_CONTROLPLANE_BIN) {
    const found = binariesIn(env.CHARTRELEASE_CONTROLPLANE_BIN);
    if (!found) throw new Error(`CHARTRELEASE_CONTROLPLANE_BIN=${env.CHARTRELEASE_CONTROLPLANE_BIN} has no kube-apiserver and etcd`);
    return found;
  }
  if (env.TEST_ASSET_KUBE_APISERVER && env.TEST_ASSET_ETCD) {
    return { dir: dirname(env.TEST_ASSET_KUBE_APISERVER), kubeApiserver: env.TEST_ASSET_KUBE_APISERVER, etcd: env.TEST_ASSET_ETCD };
  }
  if (env.KUBEBUILDER_ASSETS) return binariesIn(env.KUBEBUILDER_ASSETS);
  return null;
}

/**
 * Builds kube-apiserver, kube-controller-manager and etcd from Go modules (or finds them in the cache, which takes well under
 * a second) and returns their paths. Rejects with the build script's own diagnosis when the build fails.
 */
export function buildControlPlane(opts: BuildOptions = {}): Promise<ControlPlaneBinaries> {
  const prebuilt = prebuiltBinaries();
  if (prebuilt && !opts.force) return Promise.resolve(prebuilt);
  const script = join(repoRoot(), 'test', 'controlplane', 'build.sh');
  const progress = opts.progress ?? ((line: string) => process.stderr.write(line + '\n'));
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', [script, ...(opts.force ? ['--force'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const tail: string[] = [];
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    let partial = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      const lines = (partial + d).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        progress(line);
        tail.push(line);
        if (tail.length > 30) tail.shift();
      }
    });
    child.on('error', (err) => reject(new Error(`cannot run ${script}: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (partial) progress(partial);
      const dir = stdout.trim().split('\n').pop() ?? '';
      const found = code === 0 && dir ? binariesIn(dir) : null;
      if (found) return resolvePromise(found);
      const why = signal ? `was killed by ${signal}` : `exited with status ${code}`;
      const failure = tail.filter((l) => l.includes('BUILD FAILED') || l.startsWith('[controlplane]   ')).slice(-12);
      reject(new Error(`building the control plane failed: ${script} ${why}\n${failure.join('\n')}`));
    });
  });
}
