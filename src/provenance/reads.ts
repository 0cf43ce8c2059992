// Which values keys a chart's templates read, found in the template text: `.Values.a.b` chains
// (also `$.Values`, `$root.Values`), `index .Values "a" "b"`, and every field name accessed as
// `.name` (reads through `with`, `range` or a variable). Static and conservative: a key counts as read
// when a chain reaches it or one of its parents is used whole (`toYaml .Values.resources`), or when
// its name is accessed anywhere in the scope. Library charts read their includer's values, so their
// reads count for every chart above them.
import { goStringFromBytes } from '../template/index.js';
import type { Chart } from '../chart/index.js';
import type { KeyPath } from './paths.js';

export interface TemplateReads {
  /** `.Values` chains, maximal (`.Values.image.tag` gives image.tag only). */
  chains: string[][];
  /** Names accessed as fields anywhere (`.tag`), and string keys given to `index`. */
  fields: Set<string>;
}

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
const CHAIN = new RegExp(`\\.Values((?:\\.${IDENT})*)`, 'g');
const INDEX_CHAIN = new RegExp(`\\bindex\\s+\\(?\\s*\\$?(?:${IDENT})?\\.Values((?:\\.${IDENT})*)\\s+((?:"(?:[^"\\\\]|\\\\.)*"\\s*)+)`, 'g');
const INDEX_ARGS = /\bindex\s+[^}|)]*/g;
const QUOTED = /"((?:[^"\\]|\\.)*)"/g;
const FIELD = new RegExp(`\\.(${IDENT})`, 'g');

function unquote(s: string): string {
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
}

/** Template actions (`{{ ... }}`): the only place a template reads values; most of a template is literal text. */
const ACTION = /\{\{[\s\S]*?\}\}/g;

/** The reads of template texts. Pure. */
export function readsOfTexts(texts: readonly string[]): TemplateReads {
  const chains: string[][] = [];
  const fields = new Set<string>();
  for (const template of texts) {
    const text = template.match(ACTION)?.join('\n') ?? '';
    for (const m of text.matchAll(CHAIN)) chains.push(m[1] ? m[1].slice(1).split('.') : []);
    for (const m of text.matchAll(INDEX_CHAIN)) {
      const base = m[1] ? m[1].slice(1).split('.') : [];
      chains.push([...base, ...[...m[2]!.matchAll(QUOTED)].map((q) => unquote(q[1]!))]);
    }
    for (const m of text.matchAll(INDEX_ARGS)) for (const q of m[0].matchAll(QUOTED)) fields.add(unquote(q[1]!));
    // Names outside .Values chains: what `with`, `range` and variables reach.
    for (const m of text.replace(CHAIN, ' ').matchAll(FIELD)) fields.add(m[1]!);
  }
  return { chains, fields };
}

const readsCache = new WeakMap<Chart, TemplateReads>();

/** The reads of one chart's own templates (kept per loaded chart; callers must not modify them). */
export function chartReads(chart: Chart): TemplateReads {
  let reads = readsCache.get(chart);
  if (!reads) readsCache.set(chart, (reads = readsOfTexts(chart.templates.map((t) => goStringFromBytes(t.data)))));
  return reads;
}

export type ReadStatus = 'whole' | 'partial' | 'none';

const isPrefix = (prefix: KeyPath, path: KeyPath) => prefix.length <= path.length && prefix.every((s, i) => path[i] === s);

/**
 * How `path` (relative to the chart's .Values) is read: `whole` when a chain reaches it or a parent
 * of it, or its last name is accessed as a field; `partial` when only keys below it are read; `none`.
 */
export function readStatus(reads: TemplateReads, path: KeyPath): ReadStatus {
  if (path.length === 0) return 'partial';
  if (reads.fields.has(path[path.length - 1]!)) return 'whole';
  let partial = false;
  for (const chain of reads.chains) {
    if (chain.length > 0 && isPrefix(chain, path)) return 'whole';
    if (chain.length > path.length && isPrefix(path, chain)) partial = true;
  }
  return partial ? 'partial' : 'none';
}

/** Keys directly under `parent` that some chain reads (suggestions for a misspelt key). */
export function readKeysUnder(reads: TemplateReads, parent: KeyPath): string[] {
  const out = new Set<string>();
  for (const chain of reads.chains) if (chain.length > parent.length && isPrefix(parent, chain)) out.add(chain[parent.length]!);
  return [...out];
}
