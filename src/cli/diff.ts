// `chartrelease diff NAME CHART [flags]` / `chartrelease diff --from-cluster NS/NAME`: what deploying
// would change in the cluster, as `kubectl diff` shows it: the chart rendered against the cluster
// (its capabilities, `lookup`), every object server-side dry-run applied as the `chartrelease` field
// manager, a unified diff per object that would be created, changed or deleted by prune. Exit code
// 0: no changes, 1: changes, 2: an error.
import { resolveSpec, chartReleasePath, type ChartRelease } from '../api/index.js';
import { loadInputs, renderRelease, type ReleaseInputs } from '../controller/desired.js';
import { diffAgainstCluster, formatDiffs, hasChanges, releaseRecords, summarize, summaryLine } from '../diff/index.js';
import { Discovery, KubeClient } from '../kube/index.js';
import { planDigest, planObjectsFromDiffs, valuesChanged, type PlanSubject } from '../plan/index.js';
import { flagHelp, parseFlags, type FlagSpec } from './flags.js';
import type { CliIO, Command } from './index.js';
import { TEMPLATE_FLAGS } from './template-flags.js';
import { locateChartInput } from './template-run.js';
import { CHART_SOURCE_FLAG_NAMES, valuesInput, VALUES_FLAGS } from './values-input.js';

const FLAGS: FlagSpec[] = [
  ...VALUES_FLAGS,
  ...TEMPLATE_FLAGS.filter((f) => CHART_SOURCE_FLAG_NAMES.has(f.name)),
  { name: 'namespace', short: 'n', kind: 'string', usage: 'namespace of the release (default "default")' },
  { name: 'from-cluster', kind: 'string', valueName: 'NS/NAME', usage: 'diff what the ChartRelease NS/NAME would deploy now (its chart, valuesFrom and values)' },
  { name: 'force-conflicts', kind: 'bool', usage: 'take over fields other managers own, as spec.forceConflicts does (else a conflict is an error)' },
  { name: 'prune', kind: 'bool', usage: 'show the objects prune would delete (default true)' },
  { name: 'kubeconfig', kind: 'string', usage: 'path to the kubeconfig file (default: $KUBECONFIG, ~/.kube/config)' },
  { name: 'context', kind: 'string', usage: 'kubeconfig context to use' },
  { name: 'help', short: 'h', kind: 'bool', usage: 'help for diff' },
];

const HELP = `Show what deploying a chart would change in the cluster, as kubectl diff does: the chart is
rendered against the cluster, each object is applied with a server-side dry run as the chartrelease
field manager, and a unified diff is printed for every object that would be created, changed or
deleted by prune. Server-managed fields (managedFields, resourceVersion, uid, generation,
creationTimestamp, status) are left out; Secret values are shown only as [redacted] markers.

Exit status: 0 no changes, 1 changes, 2 an error.

Usage:
  chartrelease diff NAME CHART [flags]
  chartrelease diff --from-cluster NAMESPACE/NAME [flags]

Flags:
${flagHelp(FLAGS)}
`;

class UsageError extends Error {}

async function fromCluster(client: KubeClient, ref: string): Promise<{ inputs: ReleaseInputs; releaseName: string; namespace: string; force: boolean; prune: boolean; pinned?: boolean }> {
  const m = /^([^/]+)\/([^/]+)$/.exec(ref);
  if (!m) throw new UsageError(`--from-cluster wants NAMESPACE/NAME, got ${JSON.stringify(ref)}`);
  const cr = await client.get<ChartRelease>(chartReleasePath(m[1]!, m[2]!));
  const spec = resolveSpec(cr);
  return { inputs: await loadInputs(client, cr, spec), releaseName: spec.releaseName, namespace: spec.targetNamespace, force: spec.forceConflicts, prune: spec.prune, pinned: spec.revision !== undefined };
}

async function runDiff(args: string[], io: CliIO): Promise<number> {
  const { flags, positional } = parseFlags(args, FLAGS);
  if (flags.help) {
    io.stdout(HELP);
    return 0;
  }
  const source = flags['from-cluster'] as string | undefined;
  if (source ? positional.length > 0 : positional.length !== 2) {
    throw new UsageError(`"chartrelease diff" requires NAME and CHART, or --from-cluster NAMESPACE/NAME\n\nUsage:  chartrelease diff NAME CHART [flags]`);
  }
  const client = KubeClient.load({ kubeconfigPath: flags.kubeconfig as string | undefined, context: flags.context as string | undefined });
  try {
    const discovery = new Discovery(client);
    const target = source
      ? await fromCluster(client, source)
      : await (async () => {
          const { userValues } = valuesInput(flags, io);
          // Loaded and rendered in a render worker (src/sandbox/); the user's values go as spec.values do.
          const inputs: ReleaseInputs = { chart: await locateChartInput(positional[1]!, flags, io), chartDigest: '', overlays: [], specValues: userValues };
          return { inputs, releaseName: positional[0]!, namespace: (flags.namespace as string | undefined) ?? 'default', force: flags['force-conflicts'] === true, prune: flags.prune !== false, pinned: false };
        })();
    const records = await releaseRecords(client, target.namespace, target.releaseName);
    const rendered = await renderRelease(target.inputs, {
      releaseName: target.releaseName,
      namespace: target.namespace,
      revision: records.nextRevision,
      isUpgrade: records.deployed !== undefined,
      discovery,
      lookupClient: client,
    });
    const diffs = await diffAgainstCluster(client, discovery, rendered.manifest, rendered.crds, records.deployed?.manifest, {
      releaseName: target.releaseName,
      targetNamespace: target.namespace,
      force: target.force,
      prune: target.prune,
    });
    io.stdout(formatDiffs(diffs));
    const summary = summarize(diffs);
    io.stderr(`release ${target.releaseName} in ${target.namespace}${records.deployed ? ` (revision ${records.deployed.revision} deployed)` : ' (not installed)'}: ${summaryLine(summary)}\n`);
    if (source && !target.pinned && hasChanges(summary)) {
      // The digest the ChartRelease's plan gets for exactly these changes (spec.approval manual): approvable ahead.
      const { chart, manifestDigest, valuesDigest } = rendered.summary;
      const subject: PlanSubject = { action: records.deployed ? 'upgrade' : 'install', revision: records.nextRevision, chart: { name: chart.name, version: chart.version }, manifestDigest, valuesDigest };
      io.stderr(`plan ${planDigest(subject, planObjectsFromDiffs(diffs), valuesChanged(records.deployed?.config, rendered.config))}\n`);
    }
    return hasChanges(summary) ? 1 : 0;
  } finally {
    client.close();
  }
}

export const diffCommand: Command = {
  name: 'diff',
  summary: 'show what deploying a chart (or a ChartRelease) would change in the cluster',
  async run(args, io) {
    try {
      return await runDiff(args, io);
    } catch (err) {
      io.stderr(`Error: ${(err as Error).message}\n`);
      return 2;
    }
  },
};
