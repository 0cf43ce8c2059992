// From rendered files to manifests and hooks, as Helm's SortManifests does it
// (pkg/release/v1/util/manifest_sorter.go): files in path order, each split into documents, every
// document's head parsed (a parse error names the template), documents with a `helm.sh/hook`
// annotation become hooks (or vanish when a hook type is unknown), then a stable sort by kind.
import { parseManifestHead, splitManifests } from '../goyaml/index.js';
import type { Warn } from '../chart/index.js';
import { sortByInstallOrder } from './install-order.js';

export interface ManifestHead {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
}

export interface Manifest {
  /** Template path, e.g. `mychart/templates/deployment.yaml` (what `# Source:` shows). */
  path: string;
  /** The document's text, trimmed. */
  content: string;
  head: ManifestHead;
}

export type HookEvent =
  | 'pre-install' | 'post-install' | 'pre-delete' | 'post-delete' | 'pre-upgrade' | 'post-upgrade'
  | 'pre-rollback' | 'post-rollback' | 'test';

export interface Hook extends Manifest {
  events: HookEvent[];
  /** `helm.sh/hook-weight` (0 when absent or not an integer). */
  weight: number;
  deletePolicies: string[];
  outputLogPolicies: string[];
}

export class ManifestParseError extends Error {
  override name = 'ManifestParseError';
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`YAML parse error on ${path}: ${detail}`);
  }
}

const HOOK_EVENTS: Record<string, HookEvent> = {
  'pre-install': 'pre-install',
  'post-install': 'post-install',
  'pre-delete': 'pre-delete',
  'post-delete': 'post-delete',
  'pre-upgrade': 'pre-upgrade',
  'post-upgrade': 'post-upgrade',
  'pre-rollback': 'pre-rollback',
  'post-rollback': 'post-rollback',
  test: 'test',
  'test-success': 'test',
};

/** Go's strconv.Atoi for the hook weight. */
function atoi(s: string | undefined): number {
  if (s === undefined || !/^[+-]?\d+$/.test(s)) return 0;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : 0;
}

function splitList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value.split(',').map((v) => v.trim()).filter((v) => v !== '');
}

/** Go's sort.Strings order (bytes). */
function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * Splits rendered files (path → text, partials and NOTES already removed) into manifests and hooks,
 * both sorted by install order. Throws ManifestParseError for a document that is not a YAML object.
 * `readHead` reads a document's head (a ManifestHeadCache's `read` spares re-reading documents).
 */
export function sortManifests(
  files: ReadonlyMap<string, string>,
  warn: Warn = () => {},
  readHead: (doc: string) => ReturnType<typeof parseManifestHead> = parseManifestHead,
): { manifests: Manifest[]; hooks: Hook[] } {
  const manifests: Manifest[] = [];
  const hooks: Hook[] = [];
  for (const path of [...files.keys()].sort(byteCompare)) {
    const base = path.slice(path.lastIndexOf('/') + 1);
    const text = files.get(path)!;
    if (base.startsWith('_') || text.trim() === '') continue;
    for (const content of splitManifests(text)) {
      let head;
      try {
        head = readHead(content);
      } catch (err) {
        throw new ManifestParseError(path, (err as Error).message);
      }
      const annotations = head.annotations ?? {};
      const manifestHead: ManifestHead = { apiVersion: head.apiVersion, kind: head.kind, name: head.name, namespace: head.namespace };
      const hookTypes = annotations['helm.sh/hook'];
      if (hookTypes === undefined) {
        manifests.push({ path, content, head: manifestHead });
        continue;
      }
      const events: HookEvent[] = [];
      let unknown = false;
      for (const raw of hookTypes.split(',')) {
        const event = HOOK_EVENTS[raw.trim().toLowerCase()];
        if (!event) {
          unknown = true;
          break;
        }
        events.push(event);
      }
      if (unknown) {
        warn('skipping unknown hooks', 'INFO', { hookTypes });
        continue;
      }
      hooks.push({
        path,
        content,
        head: manifestHead,
        events,
        weight: atoi(annotations['helm.sh/hook-weight']),
        deletePolicies: splitList(annotations['helm.sh/hook-delete-policy']),
        outputLogPolicies: splitList(annotations['helm.sh/hook-output-log-policy']),
      });
    }
  }
  const kind = (m: Manifest) => m.head.kind;
  return { manifests: sortByInstallOrder(manifests, kind), hooks: sortByInstallOrder(hooks, kind) };
}
