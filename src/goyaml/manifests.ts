// Helm's handling of a rendered template file: splitting it into YAML documents
// (releaseutil.SplitManifests) and reading each document's head (util.SimpleHead via sigs yaml),
// which is where Helm reports YAML errors in rendered output.
import { GoInt, isMap, type GoMap, type GoValue } from '../template/value.js';
import { YamlError } from './errors.js';
import { formatFloat32 } from './numbers.js';
import { decodeYaml, jsonKind } from './parse.js';

/** Go's unicode.IsSpace (JavaScript's \s without U+FEFF, plus U+0085). */
function isGoSpace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

/** Go's strings.TrimSpace, scanning in from both ends (linear on long documents). */
export function goTrimSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isGoSpace(s.charCodeAt(start))) start++;
  while (end > start && isGoSpace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Helm's document separator: `(?:^|\s*\n)---\s*` with Go's \s (tab, LF, FF, CR, space). */
const separator = /(?:^|[\t\n\f\r ]*\n)---[\t\n\f\r ]*/;

/**
 * releaseutil.SplitManifests: the documents of a rendered file, in order. The file is trimmed, split
 * at separators, empty pieces dropped and each piece trimmed. Separators only match where the
 * previous match did not consume the line break, so `---` twice with blank lines between leaves the
 * second `---` at the start of the next document, as in Helm.
 */
export function splitManifests(renderedFile: string): string[] {
  return goTrimSpace(renderedFile)
    .split(separator)
    .filter((piece) => piece !== '')
    .map(goTrimSpace);
}

/** What Helm reads of a manifest before sorting it: util.SimpleHead, plus the namespace when it is a string. */
export interface ManifestHead {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  annotations: Record<string, string>;
}

const metadataType = 'struct { Name string "json:\\"name\\""; Annotations map[string]string "json:\\"annotations\\"" }';

function typeError(value: GoValue, target: string): YamlError {
  return new YamlError(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(value)} into Go ${target}`);
}

/** A string field as sigs yaml fills it: scalars of other types are converted, collections are errors. */
function stringField(value: GoValue, field: string): string {
  if (value === null) return '';
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return formatFloat32(value);
  }
  if (value instanceof GoInt) return value.toString();
  throw typeError(value, `struct field ${field} of type string`);
}

/** Object keys in the order encoding/json meets them (sigs yaml marshals maps with sorted keys). */
function jsonOrder(m: GoMap): [string, GoValue][] {
  return Object.keys(m)
    .sort()
    .map((k) => [k, m[k]!]);
}

/**
 * Reads a document's head as Helm does (sigs yaml Unmarshal into util.SimpleHead). Numbers and
 * booleans in string fields become strings as sigs yaml converts them (`name: 1.10` is `1.1`); keys
 * match field names case-insensitively as in encoding/json. Throws a YamlError with Go's text, which
 * Helm prints as `YAML parse error on <template>: <text>`.
 */
export function parseManifestHead(doc: string): ManifestHead {
  const v = decodeYaml(doc, undefined, false);
  const head: ManifestHead = { apiVersion: '', kind: '', name: '', namespace: '', annotations: {} };
  if (v === null) return head;
  if (!isMap(v)) throw typeError(v, 'value of type util.SimpleHead');
  for (const [key, value] of jsonOrder(v)) {
    switch (key.toLowerCase()) {
      case 'apiversion':
        head.apiVersion = stringField(value, 'SimpleHead.apiVersion');
        break;
      case 'kind':
        head.kind = stringField(value, 'SimpleHead.kind');
        break;
      case 'metadata':
        if (value === null) break;
        if (!isMap(value)) throw typeError(value, `struct field SimpleHead.metadata of type ${metadataType}`);
        readMetadata(value, head);
        break;
    }
  }
  return head;
}

function readMetadata(metadata: GoMap, head: ManifestHead): void {
  for (const [key, value] of jsonOrder(metadata)) {
    switch (key.toLowerCase()) {
      case 'name':
        head.name = stringField(value, '.metadata.name');
        break;
      case 'annotations':
        if (value === null) break;
        if (!isMap(value)) throw typeError(value, 'struct field .metadata.annotations of type map[string]string');
        for (const [k, x] of jsonOrder(value)) head.annotations[k] = stringField(x, '.metadata.annotations');
        break;
    }
  }
  const namespace = metadata.namespace;
  if (typeof namespace === 'string') head.namespace = namespace;
}

/**
 * parseManifestHead with a memory of recent documents, for callers that render the same chart again
 * and again (the operator re-renders on every reconcile; most documents come out unchanged). The
 * memory holds at most `maxChars` characters of documents, dropping the least recently read first.
 * Errors are remembered too. Each call returns a fresh head, so callers may change it.
 */
export class ManifestHeadCache {
  private readonly entries = new Map<string, ManifestHead | YamlError>();
  private chars = 0;

  constructor(private readonly maxChars = 64 * 1024 * 1024) {}

  read(doc: string): ManifestHead {
    let entry = this.entries.get(doc);
    if (entry === undefined) {
      try {
        entry = parseManifestHead(doc);
      } catch (e) {
        if (!(e instanceof YamlError)) throw e;
        entry = e;
      }
      this.remember(doc, entry);
    } else {
      // Re-insert: Map order is the recency order.
      this.entries.delete(doc);
      this.entries.set(doc, entry);
    }
    if (entry instanceof YamlError) throw entry;
    return { ...entry, annotations: { ...entry.annotations } };
  }

  private remember(doc: string, entry: ManifestHead | YamlError): void {
    if (doc.length > this.maxChars) return;
    this.entries.set(doc, entry);
    this.chars += doc.length;
    for (const oldest of this.entries.keys()) {
      if (this.chars <= this.maxChars) break;
      this.entries.delete(oldest);
      this.chars -= oldest.length;
    }
  }
}
