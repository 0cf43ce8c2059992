// Leader election on a coordination.k8s.io Lease, so several replicas can run and only one reconciles.
export {
  DEFAULT_LEASE_DURATION_SECONDS,
  DEFAULT_RENEW_DEADLINE_SECONDS,
  DEFAULT_RETRY_PERIOD_SECONDS,
  LeaderElector,
  defaultIdentity,
  runWithLeaderElection,
  type ElectionLogger,
  type LeaderCallbacks,
  type LeaderElectionOptions,
  type LeaseClient,
  type StopReason,
} from './elector.js';
export type { Lease, LeaseSpec } from './lease.js';
export { leaseClientFor } from './kube-lease-client.js';
