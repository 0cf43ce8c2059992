// A release manifest (Helm's `---\n# Source: ...` documents) as objects to apply. Each document stays
// a YAML document: what is sent to the API server is the chart's own text with only the namespace and
// Helm's ownership metadata added, so the server parses every scalar the way kubectl and helm do.
import { Document, isMap, isScalar, isSeq, parseAllDocuments, type YAMLMap } from 'yaml';
import type { ObjectRef } from '../kube/index.js';

export const RESOURCE_POLICY_ANNOTATION = 'helm.sh/resource-policy';
export const RELEASE_NAME_ANNOTATION = 'meta.helm.sh/release-name';
export const RELEASE_NAMESPACE_ANNOTATION = 'meta.helm.sh/release-namespace';
const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';

/** One object of a manifest. */
export interface ManifestObject {
  /** As written: `namespace` is absent when the template sets none. */
  ref: ObjectRef;
  /** The template it came from (`# Source: chart/templates/x.yaml`), when the manifest says. */
  source?: string;
  /** Annotated `helm.sh/resource-policy: keep`: never deleted by prune or uninstall. */
  keep: boolean;
  /** The parsed YAML document; never mutated. */
  document: Document;
  /**
   * The text `document` was parsed from (its node ranges are offsets into it), when it held that
   * document alone: applyBody edits it in place instead of printing the document again.
   */
  text?: string;
}

/** A manifest that cannot be applied as written: terminal until the chart or values change. */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
  constructor(
    message: string,
    readonly source?: string,
  ) {
    super(source ? `${source}: ${message}` : message);
  }
}

/** Helm's SplitManifests: documents separated by `---` lines, trimmed, empty ones dropped. */
export function splitManifest(manifest: string): string[] {
  return manifest
    .trim()
    .split(/(?:^|\s*\n)---\s*/)
    .map((d) => d.trim())
    .filter((d) => d !== '');
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Whether a `helm.sh/resource-policy` value means keep (Helm trims and lower-cases it). */
export function isKeepPolicy(value: unknown): boolean {
  return typeof value === 'string' && value.trim().toLowerCase() === 'keep';
}

const YAML_OPTIONS = { version: '1.1', intAsBigInt: true, uniqueKeys: false } as const;

/**
 * Parses a manifest into objects; comment-only documents are skipped. A list (`kind: List`,
 * `ConfigMapList`, ...: a kind ending in List with `items`) is flattened into its items, as Helm's
 * client does.
 */
export function parseManifest(manifest: string): ManifestObject[] {
  const objects: ManifestObject[] = [];
  for (const text of splitManifest(manifest)) {
    const source = /^# Source: (.+)$/m.exec(text)?.[1]?.trim();
    const documents = parseAllDocuments(text, YAML_OPTIONS);
    for (const document of documents) {
      if (document.errors.length) throw new ManifestError(`YAML parse error: ${document.errors[0]!.message}`, source);
      if (document.contents === null) continue;
      const found = manifestObjects(document, source);
      // A document alone in its text (not a List's items): applyBody may edit the text.
      if (documents.length === 1 && found.length === 1 && found[0]!.document === document) found[0]!.text = text;
      objects.push(...found);
    }
  }
  return objects;
}

function manifestObjects(document: Document, source: string | undefined): ManifestObject[] {
  if (!isMap(document.contents)) throw new ManifestError('a manifest document must be a mapping', source);
  const apiVersion = str(document.get('apiVersion'));
  const kind = str(document.get('kind'));
  if (!apiVersion || !kind) throw new ManifestError(`object has no apiVersion or kind`, source);
  const items = document.get('items', true);
  if (kind.endsWith('List') && isSeq(items)) {
    return items.items.flatMap((item) => {
      const itemDocument = new Document(null, YAML_OPTIONS);
      itemDocument.contents = itemDocument.createNode(item);
      return manifestObjects(itemDocument, source);
    });
  }
  const name = str(document.getIn(['metadata', 'name']));
  if (!name) throw new ManifestError(`${kind} has no metadata.name`, source);
  const namespace = str(document.getIn(['metadata', 'namespace'])) || undefined;
  const keep = isKeepPolicy(document.getIn(['metadata', 'annotations', RESOURCE_POLICY_ANNOTATION]));
  return [{ ref: { apiVersion, kind, name, ...(namespace ? { namespace } : {}) }, ...(source ? { source } : {}), keep, document }];
}

/**
 * Target-namespace defaulting: a namespaced object without a namespace goes to the target namespace,
 * one with a namespace keeps it, a cluster-scoped object has none.
 */
export function resolveNamespace(ref: ObjectRef, namespaced: boolean, targetNamespace: string): string | undefined {
  if (!namespaced) return undefined;
  return ref.namespace || targetNamespace;
}

/** The release an applied object belongs to, written as Helm does so `helm upgrade` accepts the objects as its own. */
export interface Ownership {
  releaseName: string;
  releaseNamespace: string;
}

function setInMap(doc: Document, path: string[], key: string, value: string): void {
  const parent = doc.getIn(path, true);
  if (isMap(parent)) parent.set(doc.createNode(key), doc.createNode(value));
  else doc.setIn(path, doc.createNode({ [key]: value }));
}

/**
 * The YAML text to server-side apply: the document with its resolved namespace and Helm's ownership
 * metadata. The chart's own text with those few keys inserted or their values replaced, when the
 * document's metadata is written in block style (nearly every chart); otherwise the document printed
 * again with them set. Both give the same object.
 */
export function applyBody(object: ManifestObject, namespace: string | undefined, ownership?: Ownership): string {
  return (object.text !== undefined && editedText(object.text, object.document, namespace, ownership)) || printedBody(object, namespace, ownership);
}

/** applyBody by printing a copy of the document with the keys set (any document). */
export function printedBody(object: ManifestObject, namespace: string | undefined, ownership?: Ownership): string {
  const doc = object.document.clone();
  if (namespace) setInMap(doc, ['metadata'], 'namespace', namespace);
  else if (doc.hasIn(['metadata', 'namespace'])) doc.deleteIn(['metadata', 'namespace']);
  if (ownership) {
    setInMap(doc, ['metadata', 'annotations'], RELEASE_NAME_ANNOTATION, ownership.releaseName);
    setInMap(doc, ['metadata', 'annotations'], RELEASE_NAMESPACE_ANNOTATION, ownership.releaseNamespace);
    setInMap(doc, ['metadata', 'labels'], MANAGED_BY_LABEL, 'Helm');
  }
  return doc.toString({ lineWidth: 0 });
}

/** A text edit: replace text[start, end) with `insert`. */
interface Edit {
  start: number;
  end: number;
  insert: string;
}

/** The one pair of `map` whose key is the plain or quoted scalar `key`; null when there is none; undefined when it cannot be told (duplicates, odd keys). */
function pairOf(map: YAMLMap, key: string): { key: unknown; value: unknown } | null | undefined {
  let found: { key: unknown; value: unknown } | null = null;
  for (const pair of map.items) {
    if (!isScalar(pair.key)) {
      if (isMap(pair.key) || isSeq(pair.key)) return undefined;
      continue;
    }
    if (pair.key.value !== key) continue;
    if (found) return undefined;
    found = pair;
  }
  return found;
}

/** Column of a block map's first key, when that key starts its line after spaces only (else undefined). */
function blockIndent(text: string, map: YAMLMap): { at: number; column: number } | undefined {
  if (map.flow || map.anchor || map.tag || map.items.length === 0) return undefined;
  const first = map.items[0]!.key;
  if (!isScalar(first) || first.anchor || first.tag || !first.range) return undefined;
  const at = first.range[0];
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  if (!/^ *$/.test(text.slice(lineStart, at))) return undefined;
  return { at, column: at - lineStart };
}

/** A scalar value that can be replaced by another in place: plain or quoted, no anchor or tag. */
function replaceable(value: unknown): value is { range: [number, number, number] } {
  return isScalar(value) && !value.anchor && !value.tag && value.range !== undefined && value.range !== null && (value.type === 'PLAIN' || value.type === 'QUOTE_DOUBLE' || value.type === 'QUOTE_SINGLE') && value.value !== null;
}

const quoted = (s: string) => JSON.stringify(s);

/** Edits that set `entries` in the block map `map` (a new key goes first, at the map's indentation); undefined when the map's form is not one these edits handle. */
function setEdits(text: string, map: YAMLMap, entries: [string, string][]): Edit[] | undefined {
  const indent = blockIndent(text, map);
  if (!indent) return undefined;
  const edits: Edit[] = [];
  let inserted = '';
  for (const [key, value] of entries) {
    const pair = pairOf(map, key);
    if (pair === undefined) return undefined;
    if (pair === null) inserted += `${key}: ${quoted(value)}\n${' '.repeat(indent.column)}`;
    else if (replaceable(pair.value)) edits.push({ start: pair.value.range[0], end: pair.value.range[1], insert: quoted(value) });
    else return undefined;
  }
  if (inserted) edits.push({ start: indent.at, end: indent.at, insert: inserted });
  return edits;
}

/** Edits that set `entries` in metadata's map `name` (created when absent). */
function nestedEdits(text: string, metadata: YAMLMap, name: string, entries: [string, string][]): Edit[] | undefined {
  const pair = pairOf(metadata, name);
  if (pair === undefined) return undefined;
  if (pair === null) {
    const indent = blockIndent(text, metadata);
    if (!indent) return undefined;
    const inner = ' '.repeat(indent.column + 2);
    const lines = entries.map(([k, v]) => `${inner}${k}: ${quoted(v)}\n`).join('');
    return [{ start: indent.at, end: indent.at, insert: `${name}:\n${lines}${' '.repeat(indent.column)}` }];
  }
  return isMap(pair.value) ? setEdits(text, pair.value, entries) : undefined;
}

/** The document's own text with namespace and ownership set by edits, or undefined when its form asks for printing. */
function editedText(text: string, doc: Document, namespace: string | undefined, ownership: Ownership | undefined): string | undefined {
  const root = doc.contents;
  if (!isMap(root) || root.flow) return undefined;
  const metaPair = pairOf(root, 'metadata');
  if (!metaPair || !isMap(metaPair.value)) return undefined;
  const metadata = metaPair.value;
  const edits: Edit[] = [];
  const add = (more: Edit[] | undefined) => (more ? (edits.push(...more), true) : false);
  if (namespace) {
    if (!add(setEdits(text, metadata, [['namespace', namespace]]))) return undefined;
  } else if (pairOf(metadata, 'namespace') !== null) return undefined; // a namespace to delete: printed
  if (ownership) {
    const annotations: [string, string][] = [
      [RELEASE_NAME_ANNOTATION, ownership.releaseName],
      [RELEASE_NAMESPACE_ANNOTATION, ownership.releaseNamespace],
    ];
    if (!add(nestedEdits(text, metadata, 'annotations', annotations))) return undefined;
    if (!add(nestedEdits(text, metadata, 'labels', [[MANAGED_BY_LABEL, 'Helm']]))) return undefined;
  }
  // Insertions at one offset keep their order (metadata's own keys before annotations and labels).
  const ordered = edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.start - a.start || b.i - a.i);
  let out = text;
  for (const e of ordered) out = out.slice(0, e.start) + e.insert + out.slice(e.end);
  return out;
}
