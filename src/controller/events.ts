// Kubernetes Events on a ChartRelease (core/v1, what `kubectl describe` and `kubectl events` show):
// one per revision, rollback, prune, drift correction and failure. The same event repeated within
// the dedupe window is sent once, so a failing release retried with backoff does not flood etcd.
import { hostname } from 'node:os';
import { API_VERSION, KIND, type ChartRelease } from '../api/index.js';
import type { KubeClient } from '../kube/index.js';
import { redact } from '../redact/index.js';

export type EventType = 'Normal' | 'Warning';

/** Events are 1 KiB of message at most on the server side. */
const MAX_EVENT_MESSAGE = 1024;

export class EventRecorder {
  private readonly recent = new Map<string, number>();

  constructor(
    private readonly client: KubeClient,
    private readonly opts: { now?: () => Date; dedupeWindowMs?: number; component?: string; onError?: (err: unknown) => void } = {},
  ) {}

  async record(cr: ChartRelease, type: EventType, reason: string, message: string): Promise<void> {
    const now = (this.opts.now ?? (() => new Date()))();
    const redacted = redact(message);
    const text = redacted.length > MAX_EVENT_MESSAGE ? redacted.slice(0, MAX_EVENT_MESSAGE - 3) + '...' : redacted;
    const key = `${cr.metadata.uid}|${type}|${reason}|${text}`;
    const last = this.recent.get(key);
    if (last !== undefined && now.getTime() - last < (this.opts.dedupeWindowMs ?? 600_000)) return;
    this.recent.set(key, now.getTime());
    if (this.recent.size > 10_000) this.recent.delete(this.recent.keys().next().value!);
    const ts = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const component = this.opts.component ?? 'chartrelease';
    try {
      await this.client.create(`/api/v1/namespaces/${encodeURIComponent(cr.metadata.namespace)}/events`, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { generateName: `${cr.metadata.name}.`, namespace: cr.metadata.namespace },
        involvedObject: { apiVersion: API_VERSION, kind: KIND, name: cr.metadata.name, namespace: cr.metadata.namespace, uid: cr.metadata.uid, resourceVersion: cr.metadata.resourceVersion },
        type,
        reason,
        message: text,
        source: { component },
        reportingComponent: component,
        reportingInstance: hostname(),
        firstTimestamp: ts,
        lastTimestamp: ts,
        count: 1,
      }, { metadataOnly: true });
    } catch (err) {
      // An event that cannot be written must not fail the reconcile.
      this.opts.onError?.(err);
    }
  }
}
