// One reconcile of one ChartRelease: observe (read the object, its records, render chart + values),
// decide (classify → next action, both pure), act (one action), then write status, only if it
// changed (a deploy that can take long also writes Reconciling=True before it starts: progress.ts).
// Level-triggered: everything is read fresh; the queue only says which release to look at.
import { FINALIZER, FORCE_REQUEST_ANNOTATION, InvalidSpecError, RECONCILE_REQUEST_ANNOTATION, RESET_REQUEST_ANNOTATION, resolveSpec, chartReleasePath, truncateMessage, type ChartRelease, type ChartReleaseStatus, type ResolvedSpec, type PlanStatus, type PlanObject } from '../api/index.js';
import { describeChanges, summarizeChanges, type Change } from '../apply/index.js';
import { isForbidden, isNotFound, serviceAccountUser, type Discovery, type KubeClient } from '../kube/index.js';
import { dependencyVerdict, gatherDependencies } from '../dependencies/index.js';
import type { InventoryWatch } from '../inventory-watch/index.js';
import type { OperatorMetrics } from '../observability/index.js';
import {
  applyReleaseStatus,
  countersFrom,
  exhaustedAction,
  exhaustedMessage,
  handledFrom,
  remediationStep,
  testSuccess,
  withAttempt,
  withFailure,
  withReset,
  type AttemptAction,
  type ReleaseStatusUpdate,
  type RemediationStep,
} from '../remediation/index.js';
import { secretStrings } from '../redact/index.js';
import { checkOwnership, claimRelease, describeOwner, mayUninstall, ownedByOtherMessage, ownerFor, ownerMetadata, ownerOfRecords, TAKE_OVER_ANNOTATION } from '../ownership/index.js';
import { liveRevision, versionsToPrune, versionsToSupersede, RevisionStore, type StoredRecord } from '../release/index.js';
import {
  deployRendered,
  deployRollback,
  dryRunPlanObjects,
  resumeRecord,
  uninstallRelease,
  uninstallRevisions,
  TestFailedError,
  type TestReport,
  verifyDeployed,
  type ActionLogger,
  type DeployReport,
  type ReleaseContext,
} from './actions/index.js';
import type { Outcome } from './conditions.js';
import { approvalOf, awaitingApproval, buildPlan, planObjectsFromChanges, valuesChanged, type PlanSubject } from '../plan/index.js';
import type { ValuesWarning } from '../provenance/index.js';
import { VALUES_WARNINGS, valuesWarningsMessage } from './values-warnings.js';
import { decide, type NextAction } from './decide.js';
import { decideRemediation } from './remediate.js';
import { inputsDigest, loadInputs, RenderCache, renderRelease, type ReleaseInputs, type RenderedRelease } from './desired.js';
import { classifyError, RetryableError, StalledError } from './errors.js';
import type { EventRecorder } from './events.js';
import { addFinalizerPatch, patchFinalizers, removeFinalizerPatch } from './finalizer.js';
import { announcesDeploy, recordsDeployedFirst } from './progress.js';
import { classify, deployedRecord, isPending, newestFirst, sameContent, type DesiredResult, type RecordSummary, type ReleaseState } from './state.js';
import { nextStatus, statusChanged, writeStatus } from './status.js';

/** What the queue does next with the key (mapped by the operator, with the reconcile_total metric). */
/** The state the release was classified in ('unobserved' when observing failed). */
export type ObservedState = ReleaseState['kind'] | 'unobserved';

export type ReconcileResult =
  | { result: 'success'; requeueAfterMs?: number; state: ObservedState }
  /** Retry with per-key backoff. */
  | { result: 'retry'; error: RetryableError; state: ObservedState }
  /** Terminal until the user changes something; looked at again after the interval. */
  | { result: 'stalled'; error: StalledError; requeueAfterMs: number; state: ObservedState }
  /** The object is gone (or its finalizer released): forget the key. */
  | { result: 'gone' };

export interface ReconcilerOptions {
  client: KubeClient;
  discovery: Discovery;
  events: EventRecorder;
  log: ActionLogger;
  now?: () => Date;
  /** How soon a release waiting for workloads to become ready is looked at again (default 5 s). */
  readinessPollMs?: number;
  /** How soon a release waiting for its spec.dependsOn is looked at again (default 15 s; the operator also queues it when one becomes Ready). */
  dependencyPollMs?: number;
  /** Render and apply timings, change counts and the release's conditions (src/observability's OperatorMetrics). */
  metrics?: Pick<OperatorMetrics, 'renderDuration' | 'observeApply' | 'setReleaseConditions'>;
  /** Which applied objects moved since their last apply (src/inventory-watch): unmoved ones are not dry-run at a resync. */
  inventory?: InventoryWatch;
}

/** The parts of a record the classifier needs. */
export function recordSummary(r: StoredRecord): RecordSummary {
  const md = r.release.chart?.metadata;
  return {
    revision: r.release.version,
    status: r.release.info.status,
    action: r.meta.action,
    ...(r.meta.rollbackTo !== undefined ? { rollbackTo: r.meta.rollbackTo } : {}),
    chart: { name: md?.name ?? '', version: md?.version ?? '', ...(md?.appVersion ? { appVersion: md.appVersion } : {}) },
    manifestDigest: r.meta.manifestDigest,
    valuesDigest: r.meta.valuesDigest,
    ...(r.meta.inputsDigest ? { inputsDigest: r.meta.inputsDigest } : {}),
    deployedAt: r.release.info.last_deployed ?? '',
    description: r.release.info.description ?? '',
  };
}

/** What the Ready message adds while spec.revision holds back a different chart + values. */
const pinnedNote = (pin: number | undefined) =>
  pin === undefined ? '' : `; pinned by spec.revision ${pin}: the current chart and values differ and are not deployed until spec.revision is removed`;

const readyMessage = (revision: number, rollbackTo?: number) => `revision ${revision}${rollbackTo !== undefined ? ` (rollback to ${rollbackTo})` : ''}`;

/** One line per changed object; drifted objects name the fields that differed. */
function changeLines(changes: readonly Change[]): string {
  const lines = changes.flatMap((c) => describeChanges([c]).map((line) => (c.fields?.length ? `${line} (${c.fields.join(', ')})` : line)));
  return lines.length > 8 ? `${lines.slice(0, 8).join('; ')}; and ${lines.length - 8} more` : lines.join('; ');
}

export class Reconciler {
  private readonly now: () => Date;
  private readonly renders = new RenderCache();

  constructor(private readonly opts: ReconcilerOptions) {
    this.now = opts.now ?? (() => new Date());
  }

  /**
   * `log` replaces the reconciler's logger for this run (a per-reconcile child with a reconcileID).
   * `finalizers`: the object's finalizers as the watch last delivered it, when that object was not
   * being deleted and lacked ours (a new ChartRelease). Adding ours is then the first step whatever
   * else it says, so the finalizer patch goes first, without reading the object: its test operation
   * fails if the list moved since, and its answer is the object as it is now, which the reconcile
   * goes on with (as after a read). Any failure of it falls back to reading the object.
   */
  async reconcile(namespace: string, name: string, signal?: AbortSignal, log?: ActionLogger, opts: { checkAll?: boolean; finalizers?: readonly string[] } = {}): Promise<ReconcileResult> {
    const { client } = this.opts;
    const options = log ? { ...this.opts, log } : this.opts;
    const gone = (): ReconcileResult => {
      this.renders.delete(`${namespace}/${name}`);
      this.renders.delete(`${namespace}/${name}#next`);
      secretStrings.forget(`${namespace}/${name}`);
      this.opts.inventory?.forget(`${namespace}/${name}`);
      return { result: 'gone' };
    };
    if (opts.finalizers && !opts.finalizers.includes(FINALIZER)) {
      try {
        const patched = await patchFinalizers<ChartRelease>(client, chartReleasePath(namespace, name), addFinalizerPatch(opts.finalizers.length ? opts.finalizers : undefined));
        if (patched) return new ReleaseReconcile(options, this.now, patched, this.renders, signal, opts.checkAll ?? false).run();
      } catch (err) {
        if (isNotFound(err)) return gone();
        // The list moved (the test failed), the object is being deleted, or anything else: read it.
        options.log.debug({ release: `${namespace}/${name}`, err: (err as Error).message }, 'finalizer patch from the watched object failed; reading the object');
      }
    }
    let cr: ChartRelease;
    try {
      cr = await client.get<ChartRelease>(chartReleasePath(namespace, name), { signal });
    } catch (err) {
      if (isNotFound(err)) return gone();
      throw err;
    }
    const first = new ReleaseReconcile(options, this.now, cr, this.renders, signal, opts.checkAll ?? false);
    const result = await first.run();
    // Our finalizer is on: go on with the object the patch returned, in this same reconcile (no second
    // read of the object, no second pass through the queue).
    if (first.withFinalizer) return new ReleaseReconcile(options, this.now, first.withFinalizer, this.renders, signal, opts.checkAll ?? false).run();
    return result;
  }
}

/** The state of one reconcile run. */
class ReleaseReconcile {
  private readonly log: ActionLogger;
  private spec: ResolvedSpec | undefined;
  private specProblem: string | undefined;
  private readonly store: RevisionStore;
  private stored: StoredRecord[] | undefined;
  private inputs: ReleaseInputs | undefined;
  private rendered: RenderedRelease | undefined;
  /** Records changed: read them again for status. */
  private recordsChanged = false;
  /** The status as last read or written. */
  private status: ChartReleaseStatus;
  /** status.plan to write (undefined: keep it). */
  private plan: PlanStatus | null | undefined;
  /** Failure counters, annotation values handled, Released/Remediated/TestSuccess changes (src/remediation). */
  private readonly release: ReleaseStatusUpdate;
  /** The object after this run added our finalizer (the reconcile goes on with it). */
  withFinalizer: ChartRelease | undefined;

  constructor(
    private readonly opts: ReconcilerOptions,
    private readonly now: () => Date,
    private readonly cr: ChartRelease,
    private readonly renders: RenderCache,
    private readonly signal: AbortSignal | undefined,
    private readonly checkAll: boolean,
  ) {
    try {
      this.spec = resolveSpec(cr);
    } catch (err) {
      if (!(err instanceof InvalidSpecError)) throw err;
      this.specProblem = err.message;
    }
    const releaseName = this.spec?.releaseName ?? (cr.spec?.releaseName || cr.metadata.name);
    const targetNamespace = this.spec?.targetNamespace ?? (cr.spec?.targetNamespace || cr.metadata.namespace);
    this.store = new RevisionStore(opts.client, targetNamespace, releaseName, { now: now, recordMetadata: ownerMetadata(ownerFor(cr)) });
    this.log = opts.log;
    this.status = cr.status ?? {};
    this.release = { counters: countersFrom(cr.status), handled: handledFrom(cr.status), conditions: {} };
    const reset = cr.metadata.annotations?.[RESET_REQUEST_ANNOTATION];
    if (reset !== undefined && reset !== this.release.handled.resetAt) {
      this.release.counters = withReset(this.release.counters);
      this.release.handled.resetAt = reset;
    }
  }

  private get key(): string {
    return `${this.cr.metadata.namespace}/${this.cr.metadata.name}`;
  }

  private context(): ReleaseContext {
    const spec = this.spec!;
    const sa = spec.serviceAccountName;
    const ns = this.cr.metadata.namespace;
    const applyClient = sa
      ? this.opts.client.impersonate({ user: serviceAccountUser(ns, sa) }) // the API server adds the ServiceAccount's groups; asking for groups would need `impersonate` on groups
      : this.opts.client;
    return { cr: this.cr, spec, client: this.opts.client, applyClient, discovery: this.opts.discovery, store: this.store, events: this.opts.events, now: this.now, log: this.log, signal: this.signal, progress: (m) => this.progress(m), inventory: this.opts.inventory, checkAll: this.checkAll };
  }

  async run(): Promise<ReconcileResult> {
    let state: ReleaseState;
    try {
      state = await this.observe();
    } catch (err) {
      return this.finish('unobserved', classifyError(err, 'Observe'));
    }
    const action = this.remediation(state) ?? decide(state);
    this.log.debug({ release: this.key, state: state.kind, action: action.kind }, 'decided');
    try {
      if ((action.kind === 'deploy' || action.kind === 'resume') && this.spec?.dependsOn.length) {
        const waiting = await this.waitForDependencies(state);
        if (waiting) return waiting;
      }
      return await this.act(state, action);
    } catch (err) {
      return this.finish(state, classifyError(err, stepName(action)));
    }
  }

  // ---- observe

  private async observe(): Promise<ReleaseState> {
    const cr = this.cr;
    const deleting = Boolean(cr.metadata.deletionTimestamp);
    const hasFinalizer = cr.metadata.finalizers?.includes(FINALIZER) ?? false;
    const spec = this.spec;
    const active = !deleting && hasFinalizer && !this.specProblem && spec && !spec.suspend;
    if (active) {
      this.stored = await this.store.list(this.signal);
      await this.claimOwnership();
    }
    const records = (this.stored ?? []).map(recordSummary);
    let desired: DesiredResult | undefined;
    if (active) desired = await this.desired(records);
    return classify({ deleting, hasFinalizer, specProblem: this.specProblem, suspended: spec?.suspend ?? false, pin: spec?.revision, records, desired });
  }

  /** One owner per release (src/ownership/): stalls if another live ChartRelease owns it, records us on a release we adopt or take over. */
  private async claimOwnership(): Promise<void> {
    const stored = this.stored ?? [];
    const verdict = await checkOwnership(this.opts.client, this.cr, stored, this.signal);
    const release = { name: this.store.releaseName, namespace: this.store.namespace };
    if (verdict.kind === 'ownedByOther') throw new StalledError('ReleaseOwnedByOther', ownedByOtherMessage(release, verdict.owner, this.cr.metadata));
    if (verdict.kind !== 'adopt' && verdict.kind !== 'takeOver') return;
    await claimRelease(this.store, this.cr, stored, this.signal);
    this.stored = await this.store.list(this.signal);
    if (verdict.kind === 'takeOver') {
      const why = verdict.why === 'ownerGone' ? 'which no longer exists' : `as its ${TAKE_OVER_ANNOTATION} annotation asks`;
      await this.opts.events.record(this.cr, 'Normal', 'ReleaseTakenOver', `release ${release.name} in namespace ${release.namespace} taken over from ${describeOwner(verdict.previous)}, ${why}`);
    }
    this.log.info({ release: this.key, releaseName: release.name, targetNamespace: release.namespace, verdict: verdict.kind }, 'release ownership recorded');
  }

  /**
   * Renders chart + values as the deployed revision was rendered (its number, install or upgrade), so
   * `.Release.Revision` or `.Release.IsInstall` alone is no change.
   */
  private async desired(records: RecordSummary[]): Promise<DesiredResult> {
    const ctx = this.context();
    const deployed = deployedRecord(records);
    const next = (newestFirst(records)[0]?.revision ?? 0) + 1;
    try {
      this.inputs = await loadInputs(ctx.client, this.cr, ctx.spec);
      const { origin } = this.inputs;
      if (origin) this.log.debug({ release: this.key, digest: origin.digest, source: origin.source }, 'chart fetched'); // loaded (and named) in the render worker
      // Inputs the deployed revision was rendered from (its recorded digest): no render needed. Not with
      // a pin, a newer failed or pending record, or a force request: their handling needs the render.
      const force = this.cr.metadata.annotations?.[FORCE_REQUEST_ANNOTATION];
      const settled = deployed !== undefined && newestFirst(records)[0]?.revision === deployed.revision && ctx.spec.revision === undefined && (force === undefined || force === this.release.handled.forceAt);
      if (settled && deployed.inputsDigest) {
        const digest = await inputsDigest(this.inputs, { releaseName: ctx.spec.releaseName, namespace: ctx.spec.targetNamespace, revision: deployed.revision, isUpgrade: deployed.action !== 'install', discovery: ctx.discovery });
        if (digest === deployed.inputsDigest) return { ok: true, desired: { chart: deployed.chart, manifestDigest: deployed.manifestDigest, valuesDigest: deployed.valuesDigest } };
      }
      this.rendered = await this.render(deployed ? deployed.revision : next, deployed !== undefined && deployed.action !== 'install');
      await this.reportValuesWarnings(this.rendered.valuesWarnings);
      return { ok: true, desired: this.rendered.summary };
    } catch (err) {
      const c = classifyError(err, 'Render');
      return { ok: false, terminal: c instanceof StalledError, reason: c.reason, message: c.message };
    }
  }

  /** A Warning event when the values warnings differ from what the ValuesWarnings condition says now. */
  private async reportValuesWarnings(warnings: readonly ValuesWarning[]): Promise<void> {
    if (!warnings.length) return;
    const message = valuesWarningsMessage(warnings);
    if (this.status.conditions?.find((c) => c.type === VALUES_WARNINGS)?.message === truncateMessage(message)) return;
    await this.opts.events.record(this.cr, 'Warning', VALUES_WARNINGS, message);
  }

  /** `slot` keeps a second render per release cached: the next revision's, which a plan awaiting approval must not re-render. */
  private async render(revision: number, isUpgrade: boolean, slot = ''): Promise<RenderedRelease> {
    const ctx = this.context();
    const started = performance.now();
    const rendered = await renderRelease(this.inputs!, {
      releaseName: ctx.spec.releaseName,
      namespace: ctx.spec.targetNamespace,
      revision,
      isUpgrade,
      discovery: ctx.discovery,
      lookupClient: ctx.applyClient,
      cache: { store: this.renders, key: this.key + slot },
    });
    this.opts.metrics?.renderDuration.observe((performance.now() - started) / 1000);
    return rendered;
  }

  // ---- act

  private async act(state: ReleaseState, action: NextAction): Promise<ReconcileResult> {
    const objectPath = chartReleasePath(this.cr.metadata.namespace, this.cr.metadata.name);
    switch (action.kind) {
      case 'addFinalizer':
        this.withFinalizer = await patchFinalizers<ChartRelease>(this.opts.client, objectPath, addFinalizerPatch(this.cr.metadata.finalizers));
        return { result: 'success', requeueAfterMs: 0, state: state.kind };
      case 'forget':
        return { result: 'gone' };
      case 'uninstall':
        return this.uninstall(objectPath);
      case 'suspend':
        return this.finish(state, { kind: 'suspended', message: action.message });
      case 'stall':
        return this.finish(state, new StalledError(action.reason, action.message));
      case 'retryRender':
        return this.finish(state, new RetryableError(action.reason, action.message));
      case 'deploy': {
        const ctx = this.context();
        // The comparison render used the deployed revision's number; the new revision renders with its own.
        const rendered = action.action === 'upgrade' ? await this.render(action.revision, true, '#next') : this.rendered!;
        const { chart } = rendered.summary;
        const previous = await this.whole(liveRevision(this.stored ?? []));
        const subject: PlanSubject = { action: action.action, revision: action.revision, chart: { name: chart.name, version: chart.version }, manifestDigest: rendered.summary.manifestDigest, valuesDigest: rendered.summary.valuesDigest };
        const gate = await this.approvalGate(state, subject, () => dryRunPlanObjects(ctx, rendered.manifest, rendered.crds, previous), previous?.release.config, rendered.config);
        if ('result' in gate) return gate.result;
        this.release.counters = withAttempt(this.release.counters, action.revision, this.rendered!.summary);
        const shape = { action: action.action, hookEvents: rendered.hooks.map((h) => h.events), tests: ctx.spec.test.enabled, crds: rendered.crds.length, waits: ctx.spec.wait.enabled };
        if (announcesDeploy(shape)) {
          await this.progress(`${action.action === 'install' ? 'installing' : 'upgrading to'} revision ${action.revision} (chart ${chart.name}-${chart.version})`);
        }
        const deployedFirst = recordsDeployedFirst({ ...shape, records: this.stored?.length ?? 0, manualApproval: ctx.spec.approval.mode === 'manual' });
        await this.abandonPending(action.revision);
        let report: DeployReport;
        try {
          report = await deployRendered(ctx, rendered, action.action, action.revision, previous, this.firstDeployed(), deployedFirst);
        } catch (err) {
          return this.failed(state, action.action, action.revision, err);
        }
        this.plan = gate.approved ?? this.deployedPlan(subject, report, previous?.release.config, rendered.config);
        return this.deployed(state, report);
      }
      case 'rollback': {
        const previous = await this.whole(liveRevision(this.stored ?? []));
        const target = await this.store.get(action.target.revision, this.signal);
        const { name, version } = action.target.chart;
        const subject: PlanSubject = { action: 'rollback', revision: action.revision, rollbackTo: action.target.revision, chart: { name, version }, manifestDigest: action.target.manifestDigest, valuesDigest: action.target.valuesDigest };
        const gate = target ? await this.approvalGate(state, subject, () => dryRunPlanObjects(this.context(), target.release.manifest ?? '', [], previous), previous?.release.config, target.release.config) : {};
        if ('result' in gate) return gate.result;
        await this.progress(`rolling back to revision ${action.target.revision} as revision ${action.revision}`);
        await this.abandonPending(action.revision);
        let report: DeployReport;
        try {
          report = await deployRollback(this.context(), action.target.revision, action.revision, previous, this.firstDeployed());
        } catch (err) {
          return this.failed(state, 'rollback', action.revision, err);
        }
        this.plan = gate.approved ?? this.deployedPlan(subject, report, previous?.release.config, target?.release.config);
        const differs = this.rendered !== undefined && !sameContent(this.rendered.summary, action.target);
        return this.deployed(state, report, differs ? action.target.revision : undefined);
      }
      case 'resume': {
        const previous = liveRevision((this.stored ?? []).filter((r) => r.release.version !== action.record.revision));
        if (action.record.action !== 'rollback' && this.rendered) this.release.counters = withAttempt(this.release.counters, action.record.revision, this.rendered.summary);
        this.log.info({ release: this.key, revision: action.record.revision, status: action.record.status }, 'resuming an unfinished revision');
        await this.progress(`resuming revision ${action.record.revision} (left ${action.record.status})`);
        let report: DeployReport;
        try {
          report = await resumeRecord(this.context(), action.record.revision, await this.whole(previous));
        } catch (err) {
          return this.failed(state, action.record.action, action.record.revision, err);
        }
        return this.deployed(state, report);
      }
      case 'remediate':
        return this.remediate(state, action.step, action.revision);
      case 'verify':
        return this.verify(state, action.deployed, action.pinnedWithChanges);
    }
  }

  /**
   * A pending record that is not what is wanted any more (the spec changed while it was interrupted)
   * will never be finished: mark it failed, so neither we nor Helm take it for a release in progress.
   */
  private async abandonPending(newRevision: number): Promise<void> {
    for (const r of this.stored ?? []) {
      if (!isPending(r.release.info.status)) continue;
      await this.store.setStatus(r.release.version, 'failed', `abandoned unfinished: revision ${newRevision} deploys what is wanted now`, this.signal);
      this.recordsChanged = true;
    }
  }

  private observeApply(changes: readonly Change[], pruned: number, seconds: number): void {
    const count = (action: string) => changes.filter((c) => c.action === action).length;
    this.opts.metrics?.observeApply(seconds, { created: count('created'), configured: count('configured'), unchanged: count('unchanged') }, pruned);
  }

  private firstDeployed(): string | undefined {
    const oldest = [...(this.stored ?? [])].sort((a, b) => a.release.version - b.release.version)[0];
    return oldest?.release.info.first_deployed;
  }

  /** A record with its whole manifest (split records are reassembled). */
  private async whole(record: StoredRecord | undefined): Promise<StoredRecord | undefined> {
    if (!record) return undefined;
    if (record.parts === 0) return record;
    return (await this.store.get(record.release.version, this.signal)) ?? undefined;
  }

  private async deployed(state: ReleaseState, report: DeployReport, pinnedWithChanges?: number): Promise<ReconcileResult> {
    // The records as the deploy left them: status needs no second list.
    this.stored = report.records;
    this.recordsChanged = false;
    // Deployed from a render whose inputs digest the record now carries: the next reconcile compares
    // digests and does not render, so the render need not stay in memory (about 20 KiB per podinfo
    // release). A pinned release renders at every reconcile and keeps it.
    if (this.rendered?.inputsDigest && this.spec?.revision === undefined) {
      this.renders.delete(this.key);
      this.renders.delete(`${this.key}#next`);
    }
    this.observeApply(report.changes, report.pruned.filter((c) => c.action === 'deleted').length, report.seconds);
    const { cr } = this;
    const events = this.opts.events;
    const verb = report.action === 'install' ? 'Installed' : report.action === 'upgrade' ? 'Upgraded' : 'RolledBack';
    this.release.conditions.Released = { status: 'True', reason: `${report.action === 'install' ? 'Install' : report.action === 'upgrade' ? 'Upgrade' : 'Rollback'}Succeeded`, message: readyMessage(report.revision, report.rollbackTo) };
    if (report.action !== 'rollback') this.release.conditions.Remediated = null;
    if (report.tests) this.tested(report.revision, report.tests);
    const chart = this.rendered?.summary.chart;
    const what = report.action === 'rollback' ? `to the manifest of revision ${report.rollbackTo}` : chart ? `chart ${chart.name}-${chart.version}` : '';
    await events.record(cr, 'Normal', verb, `revision ${report.revision} ${what}: ${summarizeChanges(report.changes)}${report.hooks.length ? `; ${report.hooks.length} hooks ran` : ''}`);
    if (report.pruned.length) await events.record(cr, 'Normal', 'Pruned', `revision ${report.revision} removed what it no longer renders: ${changeLines(report.pruned)}`);
    return this.finish(state, { kind: 'ready', reason: 'Deployed', message: readyMessage(report.revision, report.rollbackTo) + pinnedNote(pinnedWithChanges) });
  }

  private async verify(state: ReleaseState, deployedSummary: RecordSummary, pinnedWithChanges: number | undefined): Promise<ReconcileResult> {
    const ctx = this.context();
    const stored = this.stored ?? [];
    const deployed = await this.whole(stored.find((r) => r.release.version === deployedSummary.revision));
    if (!deployed) throw new RetryableError('RecordGone', `revision ${deployedSummary.revision} disappeared while verifying it`);
    const started = performance.now();
    let report = await verifyDeployed(ctx, deployed, { dryRun: ctx.spec.approval.mode === 'manual' });
    if (ctx.spec.approval.mode === 'manual') {
      // Drift is corrected only by an approved plan; with none, the dry run found nothing to write.
      if (report.drift.length) {
        const { name, version } = deployedSummary.chart;
        const subject: PlanSubject = { action: 'driftCorrection', revision: deployedSummary.revision, chart: { name, version }, manifestDigest: deployedSummary.manifestDigest, valuesDigest: deployedSummary.valuesDigest };
        const drift = report.drift;
        const gate = await this.approvalGate(state, subject, async () => planObjectsFromChanges(drift), deployed.release.config, deployed.release.config);
        if ('result' in gate) return gate.result;
        report = await verifyDeployed(ctx, deployed);
        this.plan = gate.approved;
      } else if (this.status.plan && this.status.plan.phase !== 'Deployed') this.plan = null;
    }
    this.observeApply(report.changes, 0, (performance.now() - started) / 1000);
    if (report.drift.length) {
      await this.opts.events.record(this.cr, 'Warning', 'DriftCorrected', `objects of revision ${deployedSummary.revision} differed from it and were applied again: ${changeLines(report.drift)}`);
      this.log.warn({ release: this.key, drift: describeChanges(report.drift) }, 'drift corrected');
    }
    // Bookkeeping an interrupted run may have left: a second deployed record, history beyond the limit.
    if (versionsToSupersede(stored, deployedSummary.revision).length) {
      await this.store.markDeployed(deployedSummary.revision, this.signal);
      this.recordsChanged = true;
    }
    if (versionsToPrune(stored, ctx.spec.historyLimit).length) {
      await this.store.prune(ctx.spec.historyLimit, this.signal);
      this.recordsChanged = true;
    }
    const message = readyMessage(deployedSummary.revision, deployedSummary.action === 'rollback' ? deployedSummary.rollbackTo : undefined) + pinnedNote(pinnedWithChanges);
    if (report.notReady.length) {
      return this.finish(state, { kind: 'progressing', reason: 'WaitingForReadiness', message: `${message}; waiting for ${report.notReady.join('; ')}` }, this.opts.readinessPollMs ?? 5000);
    }
    return this.finish(state, { kind: 'ready', reason: 'Deployed', message });
  }

  /**
   * spec.approval.mode manual: the plan for `subject` (objects from a dry run, values key paths that
   * change). Approved (spec.approval.approvedPlan is its digest): go on, and it becomes status.plan
   * once deployed. Otherwise status.plan shows it and the release waits (AwaitingApproval, or
   * ApprovalStale when another plan was approved). An approval already used for a deploy is not stale, only spent.
   */
  private async approvalGate(state: ReleaseState, subject: PlanSubject, objects: () => Promise<PlanObject[]>, before: unknown, after: unknown): Promise<{ result: ReconcileResult } | { approved?: PlanStatus }> {
    const { approval } = this.spec!;
    if (approval.mode !== 'manual') return {};
    const previous = this.status.plan;
    const spent = previous?.phase === 'Deployed' && approval.approvedPlan === previous.digest;
    const approvedPlan = spent ? undefined : approval.approvedPlan;
    const plan = buildPlan(subject, await objects(), valuesChanged(before, after), this.now(), 'AwaitingApproval');
    const verdict = approvalOf(approvedPlan, plan.digest);
    if (verdict === 'approved') return { approved: { ...plan, phase: 'Deployed' } };
    plan.phase = verdict === 'stale' ? 'Stale' : 'AwaitingApproval';
    if (previous?.digest === plan.digest) plan.createdAt = previous.createdAt;
    this.plan = plan;
    const { reason, message } = awaitingApproval(plan, approvedPlan);
    if (previous?.digest !== plan.digest || previous.phase !== plan.phase) await this.opts.events.record(this.cr, 'Normal', reason, message);
    return { result: await this.finish(state, { kind: 'awaitingApproval', reason, message }) };
  }

  /** Auto mode: status.plan says what the deploy changed. */
  private deployedPlan(subject: PlanSubject, report: DeployReport, before: unknown, after: unknown): PlanStatus {
    return buildPlan(subject, planObjectsFromChanges([...report.changes, ...report.pruned]), valuesChanged(before, after), this.now(), 'Deployed');
  }

  private async uninstall(objectPath: string): Promise<ReconcileResult> {
    const { cr } = this;
    // A spec that became invalid still names its release: uninstall with only the fields that find and reach it.
    this.spec ??= this.uninstallSpec();
    const spec = this.spec;
    if (!spec) {
      // Not even a valid release name: nothing was ever installed under it.
      await patchFinalizers(this.opts.client, objectPath, removeFinalizerPatch(cr.metadata.finalizers));
      return { result: 'gone' };
    }
    const stored = await this.store.list(this.signal);
    const owner = ownerOfRecords(stored);
    if (!mayUninstall(ownerFor(cr), stored.length, owner)) {
      // Not ours: another ChartRelease owns the release (or none ever took it over); leave objects and records alone.
      const whose = owner ? `is owned by ${describeOwner(owner)}` : 'was never taken over by this ChartRelease';
      await this.opts.events.record(cr, 'Normal', 'UninstallSkipped', `release ${spec.releaseName} in namespace ${spec.targetNamespace} ${whose}: its objects and records are left as they are`);
      await patchFinalizers(this.opts.client, objectPath, removeFinalizerPatch(cr.metadata.finalizers));
      return { result: 'gone' };
    }
    try {
      const report = await uninstallRelease(this.context());
      await this.opts.events.record(cr, 'Normal', 'Uninstalled', `release ${spec.releaseName}${report.revision ? ` (revision ${report.revision})` : ''} uninstalled: ${summarizeChanges(report.changes)}`);
    } catch (err) {
      if (!(isForbidden(err) || isForbidden((err as { cause?: unknown }).cause)) || !(await this.namespaceTerminating())) throw err;
      // The namespace is going away with everything in it, and the release's ServiceAccount may be gone already.
      await this.opts.events.record(cr, 'Warning', 'UninstallSkipped', `namespace ${cr.metadata.namespace} is being deleted and uninstall was refused (${(err as Error).message}); its objects go with the namespace, cluster-scoped ones may remain`);
    }
    await patchFinalizers(this.opts.client, objectPath, removeFinalizerPatch(cr.metadata.finalizers));
    return { result: 'gone' };
  }

  private uninstallSpec(): ResolvedSpec | undefined {
    const { releaseName, targetNamespace, serviceAccountName } = this.cr.spec ?? {};
    try {
      return resolveSpec({ metadata: this.cr.metadata, spec: { chart: { path: '-' }, releaseName, targetNamespace, serviceAccountName } });
    } catch (err) {
      if (err instanceof InvalidSpecError) return undefined;
      throw err;
    }
  }

  private async namespaceTerminating(): Promise<boolean> {
    const ns = await this.opts.client.get<{ status?: { phase?: string } }>(`/api/v1/namespaces/${encodeURIComponent(this.cr.metadata.namespace)}`);
    return ns.status?.phase === 'Terminating';
  }

  /** spec.dependsOn: nothing installs or upgrades until every dependency is Ready at its generation. */
  private async waitForDependencies(state: ReleaseState): Promise<ReconcileResult | undefined> {
    const deps = this.spec!.dependsOn;
    const verdict = dependencyVerdict({ namespace: this.cr.metadata.namespace, name: this.cr.metadata.name }, deps, await gatherDependencies(this.opts.client, deps, this.signal));
    if (verdict.kind === 'ready') return undefined;
    if (verdict.kind === 'cycle') return this.finish(state, new StalledError('DependencyCycle', verdict.message));
    return this.finish(state, { kind: 'progressing', reason: verdict.reason, message: verdict.message }, this.opts.dependencyPollMs ?? 15_000);
  }

  // ---- when releases fail (the rules are src/remediation's)

  /** The remediation rules' action, when they override decide() (controller/remediate.ts). */
  private remediation(state: ReleaseState): NextAction | undefined {
    if (!this.spec) return undefined;
    const forceAt = this.cr.metadata.annotations?.[FORCE_REQUEST_ANNOTATION];
    const records = (this.stored ?? []).map(recordSummary);
    const d = decideRemediation({ state, spec: this.spec, desired: this.rendered?.summary, records, counters: this.release.counters, forceAt, forceHandledAt: this.release.handled.forceAt });
    if (d.forceHandled !== undefined) this.release.handled.forceAt = d.forceHandled;
    return d.action;
  }

  /**
   * A release action failed (its record is marked failed). Counted; without remediation for the action
   * the error goes on as before (retried with backoff); with it, the strategy runs now.
   */
  private async failed(state: ReleaseState, action: AttemptAction | 'rollback', revision: number, err: unknown): Promise<ReconcileResult> {
    const failure = classifyError(err, action === 'install' ? 'Install' : action === 'upgrade' ? 'Upgrade' : 'Rollback');
    this.release.counters = withFailure(this.release.counters, action);
    if (err instanceof TestFailedError) this.tested(revision, err.report);
    this.release.conditions.Released = { status: 'False', reason: `${action === 'install' ? 'Install' : action === 'upgrade' ? 'Upgrade' : 'Rollback'}Failed`, message: `revision ${revision}: ${failure.message}` };
    const policy = this.spec!.remediation;
    if (action === 'rollback' || !policy[action]) throw failure;
    this.stored = await this.store.list(this.signal);
    this.recordsChanged = false;
    const records = this.stored.map(recordSummary);
    const step = remediationStep({ policy, counters: this.release.counters, failed: { revision, action }, deployed: deployedRecord(records)?.revision, force: false });
    const next = (newestFirst(records)[0]?.revision ?? 0) + 1;
    if (step.kind === 'rollback' || step.kind === 'uninstall') return this.remediate(state, step, next, failure.message);
    return this.afterFailure(state, `revision ${revision} failed: ${failure.message}`, failure.reason);
  }

  /** Runs a remediation step: `rollback` deploys the deployed revision again as `revision`; `uninstall` removes the release's objects. */
  private async remediate(state: ReleaseState, step: Extract<RemediationStep, { kind: 'rollback' | 'uninstall' }>, revision: number, why?: string): Promise<ReconcileResult> {
    const stored = this.stored ?? [];
    const failedRecord = stored.find((r) => r.release.version === step.failed);
    const failure = `revision ${step.failed} failed: ${why ?? failedRecord?.release.info.description ?? 'unknown reason'}`;
    let done: string;
    try {
      if (step.kind === 'rollback') {
        await this.progress(`remediating: rolling back to revision ${step.target} as revision ${revision} after revision ${step.failed} failed`);
        // Prune against the failed revision: what only it created goes, as `helm rollback` does.
        await deployRollback(this.context(), step.target, revision, await this.whole(failedRecord), this.firstDeployed());
        done = `rolled back to revision ${step.target} as revision ${revision}`;
      } else {
        await this.progress(`remediating: uninstalling revision${step.revisions.length > 1 ? 's' : ''} ${step.revisions.join(' and ')} after revision ${step.failed} failed`);
        await uninstallRevisions(this.context(), step.revisions);
        done = `uninstalled revision${step.revisions.length > 1 ? 's' : ''} ${step.revisions.join(' and ')}`;
      }
    } catch (err) {
      const c = classifyError(err, 'Remediation');
      this.recordsChanged = true;
      this.release.conditions.Remediated = { status: 'False', reason: step.kind === 'rollback' ? 'RollbackFailed' : 'UninstallFailed', message: `${failure}; remediation failed: ${c.message}` };
      return this.finish(state, new RetryableError(c.reason, `${failure}; remediation failed: ${c.message}`, { cause: err }));
    }
    this.recordsChanged = true;
    this.release.conditions.Remediated = { status: 'True', reason: step.kind === 'rollback' ? 'RollbackSucceeded' : 'UninstallSucceeded', message: `${done} after revision ${step.failed} failed` };
    await this.opts.events.record(this.cr, 'Warning', 'Remediated', `${failure}; ${done}`);
    return this.afterFailure(state, `${failure}; ${done}`, step.kind === 'rollback' ? 'RolledBackAfterFailure' : 'UninstalledAfterFailure');
  }

  /** spec.test: TestSuccess and the revision's status.history tests. */
  private tested(revision: number, report: TestReport): void {
    this.release.tests = { revision, lines: report.lines };
    this.release.conditions.TestSuccess = testSuccess(revision, report, this.spec!.test.ignoreFailures);
  }

  /** After a failure (and its remediation): retried with backoff, or stalled once the retries are used up. */
  private afterFailure(state: ReleaseState, message: string, reason: string): Promise<ReconcileResult> {
    const policy = this.spec!.remediation;
    const exhausted = exhaustedAction(policy, this.release.counters);
    if (exhausted) return this.finish(state, new StalledError('RetriesExhausted', `${message}; ${exhaustedMessage(exhausted, policy[exhausted]!, this.release.counters)}`));
    return this.finish(state, new RetryableError(reason, `${message}; trying again with backoff`));
  }

  // ---- status

  /** Writes status (if it changed) for the outcome and maps it to the queue's next step. */
  private async finish(state: ReleaseState | 'unobserved', result: Outcome | StalledError | RetryableError, requeueAfterMs?: number): Promise<ReconcileResult> {
    const interval = this.spec?.intervalMs ?? 600_000;
    let outcome: Outcome;
    let reconcileResult: ReconcileResult;
    const stateKind = state === 'unobserved' ? state : state.kind;
    if (result instanceof StalledError) {
      outcome = { kind: 'stalled', reason: result.reason, message: result.message };
      reconcileResult = { result: 'stalled', error: result, requeueAfterMs: interval, state: stateKind };
      await this.opts.events.record(this.cr, 'Warning', result.reason, result.message);
    } else if (result instanceof RetryableError) {
      outcome = { kind: 'retrying', reason: result.reason, message: result.message };
      reconcileResult = { result: 'retry', error: result, state: stateKind };
      await this.opts.events.record(this.cr, 'Warning', result.reason, result.message);
    } else {
      outcome = result;
      reconcileResult = { result: 'success', requeueAfterMs: result.kind === 'suspended' ? undefined : (requeueAfterMs ?? interval), state: stateKind };
    }
    return (await this.writeOutcome(outcome)) ? reconcileResult : { result: 'gone' };
  }

  /** While a revision is being deployed: Reconciling=True with what is under way (one write, before the work). */
  private async progress(message: string): Promise<void> {
    await this.writeOutcome({ kind: 'progressing', reason: 'Progressing', message });
  }

  /** Writes the status for `outcome` unless it equals the last one read or written; false when the object is gone. */
  private async writeOutcome(outcome: Outcome): Promise<boolean> {
    if (this.recordsChanged) {
      this.stored = await this.store.list(this.signal);
      this.recordsChanged = false;
    }
    const generation = this.cr.metadata.generation ?? 0;
    const requested = this.cr.metadata.annotations?.[RECONCILE_REQUEST_ANNOTATION];
    if (requested !== undefined) this.release.handled.reconcileAt = requested;
    const computed = nextStatus({ previous: this.status, generation, outcome, now: this.now(), records: this.stored, historyLimit: this.spec?.historyLimit ?? 10, valuesWarnings: this.rendered?.valuesWarnings, plan: this.plan });
    const status = applyReleaseStatus(computed, this.status, this.release, generation, this.now());
    this.opts.metrics?.setReleaseConditions(this.cr.metadata.namespace, this.cr.metadata.name, status.conditions ?? []);
    if (!statusChanged(this.status, status)) return true;
    try {
      await writeStatus(this.opts.client, this.cr, status);
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
    this.status = status;
    return true;
  }
}

function stepName(action: NextAction): string {
  switch (action.kind) {
    case 'deploy':
      return action.action === 'install' ? 'Install' : 'Upgrade';
    case 'rollback':
      return 'Rollback';
    case 'resume':
      return 'Resume';
    case 'verify':
      return 'Verify';
    case 'uninstall':
      return 'Uninstall';
    case 'remediate':
      return 'Remediation';
    default:
      return 'Reconcile';
  }
}

