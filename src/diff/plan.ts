// From what a server-side dry-run apply says (each object live and as applying would leave it) and
// what prune would delete, to one entry per object: its action, the field paths that change, and a
// unified diff of the normalised YAML (server-managed fields left out, Secret values redacted).
// Pure: the I/O that gathers the objects is cluster.ts.
import type { Change } from '../apply/index.js';
import { marshalYaml } from '../goyaml/index.js';
import { formatRef, type KubeObject, type ObjectRef } from '../kube/index.js';
import type { GoValue } from '../template/value.js';
import { changedPaths, normalizePair } from './normalize.js';
import { unifiedDiff } from './unified.js';

export type DiffAction = 'create' | 'update' | 'delete' | 'unchanged';

export interface ObjectDiff {
  ref: ObjectRef;
  action: DiffAction;
  /** Paths of the fields that change (`.spec.replicas`, `.data.password`); for create and delete, none. */
  fields: string[];
  /** The unified diff ('' when unchanged). Secret values appear only as [redacted] markers. */
  diff: string;
  /** Why an object is shown as it is (`helm.sh/resource-policy: keep`, `its kind is not served yet`). */
  note?: string;
}

/** An object the deployed revision has and the new one does not. */
export interface Deletion {
  ref: ObjectRef;
  /** The live object (null: already gone). */
  live: KubeObject | null;
  /** Kept by `helm.sh/resource-policy: keep`: prune leaves it. */
  keep: boolean;
}

const yamlOf = (obj: Record<string, unknown> | null) => (obj ? marshalYaml(obj as GoValue) : '');

function diffOf(ref: ObjectRef, live: KubeObject | null, planned: KubeObject | null): { text: string; fields: string[] } {
  const [a, b] = normalizePair(live, planned);
  const name = formatRef(ref);
  const text = unifiedDiff(yamlOf(a), yamlOf(b), a ? `live ${name}` : '/dev/null', b ? `planned ${name}` : '/dev/null');
  return { text, fields: a && b ? changedPaths(a, b) : [] };
}

/**
 * One entry per object of the dry-run (`changes` from applyManifest with dryRun and keepObjects;
 * `manifestBody` gives what was sent for an object the server could not dry-run yet) and per
 * deletion. An object the server would only change in fields the diff leaves out is unchanged.
 */
export function objectDiffs(changes: readonly Change[], deletions: readonly Deletion[], manifestBody: (ref: ObjectRef) => KubeObject | null): ObjectDiff[] {
  const out: ObjectDiff[] = [];
  for (const c of changes) {
    const live = c.objects?.live ?? null;
    const planned = c.objects?.planned ?? manifestBody(c.ref);
    if (c.action === 'unchanged') {
      out.push({ ref: c.ref, action: 'unchanged', fields: [], diff: '' });
      continue;
    }
    const { text, fields } = diffOf(c.ref, live, planned);
    const action: DiffAction = !live ? 'create' : text === '' ? 'unchanged' : 'update';
    out.push({ ref: c.ref, action, fields, diff: text, ...(c.reason ? { note: c.reason } : {}) });
  }
  for (const d of deletions) {
    if (!d.live) continue;
    if (d.keep) {
      out.push({ ref: d.ref, action: 'unchanged', fields: [], diff: '', note: 'no longer rendered, kept by helm.sh/resource-policy: keep' });
      continue;
    }
    out.push({ ref: d.ref, action: 'delete', fields: [], diff: diffOf(d.ref, d.live, null).text });
  }
  return out;
}

export interface DiffSummary {
  create: number;
  update: number;
  delete: number;
  unchanged: number;
}

export function summarize(diffs: readonly ObjectDiff[]): DiffSummary {
  const s: DiffSummary = { create: 0, update: 0, delete: 0, unchanged: 0 };
  for (const d of diffs) s[d.action]++;
  return s;
}

/** `2 to create, 1 to update, 1 to delete (prune), 5 unchanged`. */
export function summaryLine(s: DiffSummary): string {
  return `${s.create} to create, ${s.update} to update, ${s.delete} to delete (prune), ${s.unchanged} unchanged`;
}

export const hasChanges = (s: DiffSummary) => s.create + s.update + s.delete > 0;

/** What `chartrelease diff` prints on stdout: each changed object's diff, in apply order, deletions last. */
export function formatDiffs(diffs: readonly ObjectDiff[]): string {
  return diffs.filter((d) => d.action !== 'unchanged').map((d) => `${d.note ? `# ${formatRef(d.ref)}: ${d.note}\n` : ''}${d.diff}`).join('');
}
