// What every action works with: the ChartRelease and its resolved spec, the clients (the operator's
// own, and the one objects are applied with: impersonating spec.serviceAccountName), discovery, the
// revision store, events, the clock and a logger.
import type { ChartRelease, ResolvedSpec } from '../../api/index.js';
import type { InventoryWatch } from '../../inventory-watch/index.js';
import type { Discovery, KubeClient } from '../../kube/index.js';
import type { RevisionStore } from '../../release/index.js';
import type { EventRecorder } from '../events.js';

/** The logger calls the controller makes (pino's signature). */
export interface ActionLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface ReleaseContext {
  cr: ChartRelease;
  spec: ResolvedSpec;
  /** The operator's identity: records, status, events. */
  client: KubeClient;
  /** Applies, prunes, hooks and lookups: the release's ServiceAccount when spec.serviceAccountName is set. */
  applyClient: KubeClient;
  discovery: Discovery;
  store: RevisionStore;
  events: EventRecorder;
  now: () => Date;
  log: ActionLogger;
  signal?: AbortSignal;
  /** Shows what a long step waits for (Reconciling's message) while it runs. */
  progress?: (message: string) => Promise<void>;
  /** Which applied objects moved since the release last applied them (src/inventory-watch); without it every object is dry-run. */
  inventory?: InventoryWatch;
  /** Check every object even if the inventory watch vouches for it (a reconcile the user asked for). */
  checkAll?: boolean;
}

/** The key under which the inventory watch remembers a release's objects: the ChartRelease's namespace/name. */
export const releaseKey = (ctx: Pick<ReleaseContext, 'cr'>): string => `${ctx.cr.metadata.namespace}/${ctx.cr.metadata.name}`;
