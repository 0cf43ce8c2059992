// A real local control plane (etcd + kube-apiserver built from Go modules) for integration tests,
// the demo and the operator's dev mode. See docs/controlplane.md.
export { binariesIn, buildControlPlane, prebuiltBinaries, repoRoot, type BuildOptions, type ControlPlaneBinaries } from './build.js';
export {
  describeControlPlane,
  startControlPlane,
  stopOnSignals,
  RESTRICTED_GROUP,
  RESTRICTED_USER,
  type ControlPlane,
  type ControlPlaneUser,
  type StartOptions,
} from './start.js';
export { kubeconfigYaml, type KubeconfigParams } from './kubeconfig.js';
