// `chartrelease operator`: runs the controller against the current kubeconfig (or the pod's service
// account in a cluster) until SIGTERM/SIGINT: logger, metrics and probes from src/observability,
// optional Lease leader election from src/leader, the Operator from src/controller. On a signal it
// stops taking keys, lets reconciles in flight finish, releases the lease and exits 0.
import { readFileSync } from 'node:fs';
import { Operator } from '../controller/index.js';
import { InventoryWatch } from '../inventory-watch/index.js';
import { Discovery, KubeClient } from '../kube/index.js';
import { defaultIdentity, leaseClientFor, runWithLeaderElection, type LeaderElector } from '../leader/index.js';
import { createObservability, parseLogFormat, parseLogLevel } from '../observability/index.js';
import { configureSourceCaches } from '../source/index.js';
import { flagHelp, FlagError, parseFlags, type FlagSpec } from './flags.js';
import { configureSharedRenderPool, RENDER_LIMIT_FLAGS, renderLimitsFromFlags } from '../sandbox/index.js';
import type { CliIO, Command } from './index.js';

const FLAGS: FlagSpec[] = [
  { name: 'kubeconfig', kind: 'string', usage: 'path to the kubeconfig file (default: $KUBECONFIG, ~/.kube/config, then the in-cluster service account)' },
  { name: 'context', kind: 'string', usage: 'kubeconfig context to use' },
  { name: 'namespace', short: 'n', kind: 'string', usage: 'watch ChartReleases (and their ConfigMaps and Secrets) in this namespace only (default: all namespaces)' },
  { name: 'concurrency', kind: 'string', usage: 'ChartReleases reconciled at the same time (default 4)' },
  { name: 'watch-label-selector', kind: 'string', usage: 'reconcile only ChartReleases with these labels (sharding), e.g. shard=a' },
  { name: 'log-level', kind: 'string', usage: 'trace, debug, info, warn or error (default info)' },
  { name: 'log-format', kind: 'string', usage: 'json or console (default json)' },
  { name: 'metrics-bind-address', kind: 'string', usage: 'where /metrics is served; "0" disables it (default ":8080")' },
  { name: 'health-probe-bind-address', kind: 'string', usage: 'where /healthz and /readyz are served; "0" disables them (default ":9440")' },
  { name: 'leader-elect', kind: 'bool', usage: 'run only while holding a coordination.k8s.io Lease, so several replicas can run' },
  { name: 'leader-election-namespace', kind: 'string', usage: 'namespace of the Lease (default: the pod namespace, else chartrelease-system)' },
  { name: 'leader-election-id', kind: 'string', usage: 'name of the Lease (default chartrelease-leader)' },
  { name: 'cache-dir', kind: 'string', usage: 'where charts downloaded from repositories are cached by digest (default: chartrelease-cache under the OS temp dir)' },
  { name: 'cache-max-bytes', kind: 'string', usage: 'largest total size of the chart cache; least recently used charts go first (default 268435456)' },
  ...RENDER_LIMIT_FLAGS,
  { name: 'render-workers', kind: 'string', usage: 'worker threads that render charts (each holds its own cache of loaded charts) (default 1; each costs about 90 MiB of RSS after a large chart)' },
  { name: 'help', short: 'h', kind: 'bool', usage: 'help for operator' },
];

const HELP = `Run the ChartRelease controller: watch ChartReleases, render their charts as Helm does,
server-side apply them, record every revision in Helm's storage format, roll back on spec.revision.

Usage:
  chartrelease operator [flags]

Flags:
${flagHelp(FLAGS)}`;

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

function podNamespace(): string | undefined {
  try {
    return readFileSync(SERVICE_ACCOUNT_NAMESPACE, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function positiveInt(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new FlagError(`invalid argument "${text}" for "--${flag}" flag: must be a whole number of at least 1`);
  return n;
}

async function run(args: string[], io: CliIO): Promise<number> {
  let flags;
  let concurrency: number;
  let obs;
  try {
    ({ flags } = parseFlags(args, FLAGS));
    if (flags.help) {
      io.stdout(HELP);
      return 0;
    }
    concurrency = positiveInt(flags.concurrency as string | undefined, 'concurrency', 4);
    configureSharedRenderPool({ limits: renderLimitsFromFlags(flags), size: positiveInt(flags['render-workers'] as string | undefined, 'render-workers', 1), youngGenerationMiB: 8, idleStopMs: 60_000 });
    configureSourceCaches({
      ...(flags['cache-dir'] ? { dir: flags['cache-dir'] as string } : {}),
      ...(flags['cache-max-bytes'] ? { maxBytes: positiveInt(flags['cache-max-bytes'] as string, 'cache-max-bytes', 0) } : {}),
    });
    obs = createObservability({
      logLevel: parseLogLevel((flags['log-level'] as string | undefined) ?? 'info'),
      logFormat: parseLogFormat((flags['log-format'] as string | undefined) ?? 'json'),
      metricsBindAddress: flags['metrics-bind-address'] as string | undefined,
      healthBindAddress: flags['health-probe-bind-address'] as string | undefined,
    });
  } catch (err) {
    io.stderr(`Error: ${(err as Error).message}\n`);
    return 1;
  }
  const log = obs.logger;
  let client: KubeClient;
  try {
    client = KubeClient.load({ kubeconfigPath: flags.kubeconfig as string | undefined, context: flags.context as string | undefined });
  } catch (err) {
    io.stderr(`Error: no usable kubeconfig: ${(err as Error).message}\n`);
    return 1;
  }
  const discovery = new Discovery(client);
  const operator = new Operator({
    client,
    discovery,
    inventory: new InventoryWatch(client, discovery, { onError: (err, kind) => log.warn({ err: (err as Error).message, kind }, 'inventory watch failed (retried, unless refused: then objects of this kind are dry-run at every resync)') }),
    log,
    metrics: obs.metrics,
    logFor: (namespace, name) => obs.reconcileLogger({ namespace, name, revision: null }),
    namespace: flags.namespace as string | undefined,
    labelSelector: flags['watch-label-selector'] as string | undefined,
    concurrency,
  });
  let elector: LeaderElector | undefined;
  // A standby is ready while it waits for the lease (else a one-replica rolling update never
  // completes: the new pod leads only after the old one exits); the leader once its watch has listed.
  obs.health.addReadyCheck('informers-synced', () => (elector !== undefined && !elector.isLeader()) || operator.hasSynced);
  await obs.serve();

  const stop = new AbortController();
  let running: Promise<void> = Promise.resolve();
  const onSignal = (signal: string) => {
    log.info({ signal }, 'stopping: letting reconciles in flight finish');
    stop.abort();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);

  if (flags['leader-elect']) {
    const leaseName = (flags['leader-election-id'] as string | undefined) ?? 'chartrelease-leader';
    const leaseNamespace = (flags['leader-election-namespace'] as string | undefined) ?? podNamespace() ?? 'chartrelease-system';
    const leadershipEnds = new Promise<void>((resolve) => {
      elector = runWithLeaderElection(
        leaseClientFor(client),
        { namespace: leaseNamespace, name: leaseName, identity: defaultIdentity(), logger: log, onLeadershipChange: (leading) => obs.metrics.setLeader(leaseName, leading) },
        (leading) => {
          const both = AbortSignal.any([leading, stop.signal]);
          running = operator.run(both);
        },
        (reason) => {
          if (reason === 'lost') {
            // Another replica may be reconciling already: stop at once, mid-reconcile (a pending record is resumed by the next leader).
            log.error({ lease: `${leaseNamespace}/${leaseName}` }, 'leadership lost: exiting so another replica takes over');
            process.exit(1);
          }
          resolve();
        },
      );
      stop.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    obs.health.addReadyCheck('leader-election', () => elector!.canServe());
    await leadershipEnds;
  } else {
    running = operator.run(stop.signal);
    await new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
  }
  await running;
  await elector?.release();
  await obs.close();
  client.close();
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  return 0;
}

export const operatorCommand: Command = {
  name: 'operator',
  summary: 'Run the ChartRelease controller against the current cluster',
  run,
};
