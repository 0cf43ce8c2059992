// A release manifest (Helm's `---\n# Source: ...` documents) as objects to apply. Each document stays
// a YAML document: what is sent to the API server is the chart's own text with only the namespace and
// Helm's ownership metadata added, so the server parses every scalar the way kubectl and helm do.
import { Document, isMap, isSeq, parseAllDocuments } from 'yaml';
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
    for (const document of parseAllDocuments(text, YAML_OPTIONS)) {
      if (document.errors.length) throw new ManifestError(`YAML parse error: ${document.errors[0]!.message}`, source);
      if (document.contents === null) continue;
      objects.push(...manifestObjects(document, source));
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

/** The YAML text to server-side apply: the document with its resolved namespace and Helm's ownership metadata. */
export function applyBody(object: ManifestObject, namespace: string | undefined, ownership?: Ownership): string {
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
