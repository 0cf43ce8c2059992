// Reading YAML as Helm does: sigs.k8s.io/yaml's Unmarshal, which decodes with go-yaml v2 into generic
// Go values, converts them to JSON-compatible values (non-string keys become strings) and decodes the
// JSON again (every number becomes a float64). The `yaml` package does the syntax; typing, merge keys,
// aliases and the Go error texts are ours.
import { Alias, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Document, Node as YamlNode, YAMLError as LibError } from 'yaml';
import { GoInt, isMap as isGoMap, type GoMap, type GoValue } from '../template/value.js';
import { YamlError } from './errors.js';
import { formatFloat32 } from './numbers.js';
import { BINARY_TAG, INT_TAG, MERGE_TAG, resolveScalar, STR_TAG } from './resolve.js';
import { readSimpleYaml, scalarValue, setOwn } from './simple.js';

const parseOptions = {
  version: '1.1',
  schema: 'failsafe',
  merge: false,
  uniqueKeys: false,
  keepSourceTokens: false,
  prettyErrors: false,
} as const;

/**
 * sigs.k8s.io/yaml `Unmarshal` into `interface{}`: the first document of `text` as a Go value
 * (maps, `[]interface {}`, float64, bool, string, nil). Throws a YamlError whose message is Go's
 * (`error converting YAML to JSON: yaml: line 3: mapping values are not allowed in this context`).
 */
export function parseYaml(text: string, source?: string): GoValue {
  return decodeYaml(text, source, true);
}

/**
 * The first document as go-yaml decodes it, then made JSON-compatible. With `jsonNumbers` integers
 * become float64 as after sigs yaml's JSON step; without it they stay int64 (GoInt), which is what
 * its conversion for struct fields of type string sees.
 */
export function decodeYaml(text: string, source: string | undefined, jsonNumbers: boolean): GoValue {
  return readSimpleYaml(text, jsonNumbers) ?? decodeWithPackage(text, source, jsonNumbers);
}

/** decodeYaml through the `yaml` package alone (simple.ts's differential test compares the two). */
export function decodeWithPackage(text: string, source: string | undefined, jsonNumbers: boolean): GoValue {
  const first = firstDocument(text, source);
  if (!first) return null;
  return new Decoder(first.doc, first.text, source, jsonNumbers).toGo(first.doc.contents);
}

/**
 * The documents of a multi-document file as Helm's values loader reads them: split into documents
 * the way apimachinery's YAMLReader does (a line starting with `---`), each one read with
 * `parseYaml`. Errors carry the loader's words (`error reading yaml document: ...`,
 * `cannot unmarshal yaml document: ...`); line numbers in the Go text count from the document's
 * start, as Go's do, while `YamlError.line` is the line in the whole file.
 */
export function parseYamlDocuments(text: string, source?: string): GoValue[] {
  const out: GoValue[] = [];
  for (const doc of splitYamlDocuments(text, source)) {
    try {
      out.push(parseYaml(doc.text, source));
    } catch (e) {
      const err = e as YamlError;
      throw new YamlError(`cannot unmarshal yaml document: ${err.message}`, source, err.line === undefined ? undefined : err.line + doc.firstLine - 1);
    }
  }
  return out;
}

/**
 * A values file as Helm 4 loads it: every document must be a map (or empty); later documents are
 * merged over earlier ones (maps deeply, anything else replaced). Errors read as Helm's after its
 * `cannot load values.yaml: ` prefix.
 */
export function parseValuesYaml(text: string, source?: string): GoMap {
  let values: GoMap = {};
  for (const doc of parseYamlDocuments(text, source)) {
    if (doc === null) continue;
    if (!isGoMap(doc)) throw new YamlError(`cannot unmarshal yaml document: ${jsonTypeError(doc, 'map[string]interface {}').message}`, source);
    values = mergeDocuments(values, doc);
  }
  return values;
}

function mergeDocuments(base: GoMap, overlay: GoMap): GoMap {
  const out: GoMap = { ...base };
  for (const [k, v] of Object.entries(overlay)) {
    const prev = out[k];
    setOwn(out, k, isGoMap(v) && prev !== undefined && isGoMap(prev) ? mergeDocuments(prev, v) : v);
  }
  return out;
}

/** apimachinery's YAMLReader: documents are separated by lines starting with `---` (only a comment may follow). */
function splitYamlDocuments(text: string, source?: string): { text: string; firstLine: number }[] {
  const docs: { text: string; firstLine: number }[] = [];
  let buffer = '';
  let firstLine = 1;
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  lines.forEach((line, i) => {
    if (line.startsWith('---')) {
      const rest = line.slice(3).trim();
      if (rest !== '' && !rest.startsWith('#')) {
        throw new YamlError(`error reading yaml document: invalid Yaml document separator: ${rest}`, source, i + 1);
      }
      if (buffer !== '') docs.push({ text: buffer, firstLine });
      buffer = '';
      firstLine = i + 2;
      return;
    }
    buffer += line;
  });
  if (buffer !== '') docs.push({ text: buffer, firstLine });
  return docs;
}

/** sigs yaml `Unmarshal` into `map[string]interface {}` (what `fromYaml` and values loading use); null gives an empty map. */
export function parseYamlMap(text: string, source?: string): GoMap {
  const v = parseYaml(text, source);
  if (v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw jsonTypeError(v, 'map[string]interface {}', source);
  return v as GoMap;
}

/** sigs yaml `Unmarshal` into `[]interface {}` (what `fromYamlArray` uses); null gives an empty list. */
export function parseYamlList(text: string, source?: string): GoValue[] {
  const v = parseYaml(text, source);
  if (v === null) return [];
  if (!Array.isArray(v)) throw jsonTypeError(v, '[]interface {}', source);
  return v;
}

function jsonTypeError(v: GoValue, target: string, source?: string): YamlError {
  return new YamlError(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(v)} into Go value of type ${target}`, source);
}

/** The JSON kind encoding/json names in its type errors. */
export function jsonKind(v: GoValue): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number' || v instanceof GoInt) return 'number';
  if (typeof v === 'boolean') return 'bool';
  return Array.isArray(v) ? 'array' : 'object';
}

/** Characters go-yaml's reader accepts in its input. */
const unacceptable = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

/** The first document, parsed from `text` as go-yaml would see it (see firstDocumentText and leniently quoted). */
function firstDocument(text: string, source?: string): { doc: Document.Parsed; text: string } | undefined {
  if (unacceptable.test(text)) throw new YamlError('error converting YAML to JSON: yaml: control characters are not allowed', source);
  // A stream starting with a document end marker has an implicit document without content.
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  if (first >= 0 && /^\.\.\.(\s|$)/.test(lines[first]!)) {
    throw new YamlError(`error converting YAML to JSON: yaml: ${goLine(first)}did not find expected node content`, source, first + 1);
  }
  let parsed = firstDocumentText(text, lines);
  /** The error of the text as written, when a flow re-indent is tried: reported if the re-read fails too. */
  let flowOriginal: { error: Document.Parsed['errors'][number]; text: string } | undefined;
  for (let attempt = 0; ; attempt++) {
    const docs = parseAllDocuments(parsed, parseOptions);
    if (!Array.isArray(docs)) return undefined; // an empty stream
    const doc = docs[0];
    if (!doc) return undefined;
    const error = doc.errors[0];
    if (!error) {
      const anchorLine = badAnchorLine(doc, parsed);
      if (anchorLine !== undefined) {
        throw new YamlError(`error converting YAML to JSON: yaml: ${goLine(anchorLine === 1 ? 0 : anchorLine)}did not find expected alphabetic or numeric character`, source, anchorLine);
      }
      return { doc, text: parsed };
    }
    const quoteError = error.code === 'MISSING_CHAR' && /quote/i.test(error.message) && attempt < 10;
    const flowError = error.code === 'BAD_INDENT' && /^Flow (sequence|map) in block collection must be sufficiently indented/.test(error.message) && attempt < 10;
    const lenient = quoteError ? indentQuotedLines(parsed, error.pos[0]) : flowError ? indentFlowLine(parsed, error.pos[0]) : undefined;
    if (lenient === undefined) {
      if (flowOriginal) throw syntaxError(flowOriginal.error, flowOriginal.text, source);
      throw syntaxError(error, parsed, source);
    }
    if (flowError) flowOriginal ??= { error, text: parsed };
    parsed = lenient;
  }
}

/**
 * go-yaml's scanner reads an anchor or alias name as letters, digits, `_` and `-`, and then wants a
 * blank or one of ``?:,]}%@` ``; the yaml package takes any character up to a blank or a flow
 * indicator (`&a1e400"` is an anchor there, an error for go-yaml; found by the fuzz suite's helm
 * comparison). The 1-based line of the first name go-yaml refuses, if any.
 */
function badAnchorLine(doc: Document.Parsed, text: string): number | undefined {
  let bad: string | undefined;
  const check = (indicator: '&' | '*', name: string | undefined) => {
    if (bad !== undefined || name === undefined) return;
    const at = name.search(/[^A-Za-z0-9_-]/);
    if (at === 0 || (at > 0 && !'?:,]}%@`'.includes(name[at]!))) bad = indicator + name;
  };
  if (!/[&*]/.test(text)) return undefined;
  eachNode(doc, (node) => {
    check('&', node.anchor);
    if (isAlias(node)) check('*', node.source);
  });
  if (bad === undefined) return undefined;
  const at = text.indexOf(bad);
  return at < 0 ? undefined : lineAt(text, at);
}

/**
 * Every node of a document in document order (a pair's key before its value), without recursion:
 * the yaml package's `visit` copies the path to each node, which is quadratic in the nesting depth
 * (a flow sequence nested 10,001 deep, which go-yaml refuses for its depth, ran the render worker
 * out of its 1 GiB heap before the depth was checked).
 */
function eachNode(doc: Document.Parsed, fn: (node: YamlNode) => void): void {
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const n = stack.pop();
    if (n === null || n === undefined) continue;
    if (isPair(n)) {
      stack.push(n.value, n.key);
      continue;
    }
    fn(n as YamlNode);
    if (isMap(n) || isSeq(n)) for (let i = n.items.length - 1; i >= 0; i--) stack.push(n.items[i]);
  }
}

/**
 * go-yaml reads a flow collection (`[...]`, `{...}`) over lines indented no deeper than its key,
 * where the yaml package reports "must be sufficiently indented" (found by the fuzz suite's helm
 * comparison: `list: [1,` then `2]` at column 0 is `[1, 2]` for helm). The line at `errorAt` gets
 * the indentation of the line that opened the collection plus one, which reads as go-yaml reads the
 * original (continuation blanks fold away); line numbers stay. Undefined where go-yaml would not go
 * on either: a document marker at the line's start.
 */
function indentFlowLine(text: string, errorAt: number): string | undefined {
  const lineStart = text.lastIndexOf('\n', errorAt - 1) + 1;
  const line = text.slice(lineStart, text.indexOf('\n', lineStart) < 0 ? text.length : text.indexOf('\n', lineStart));
  if (/^(---|\.\.\.)(\s|$)/.test(line)) return undefined;
  const opener = openFlowLine(text, lineStart);
  if (opener === undefined) return undefined;
  const want = indentOf(opener) + 1;
  const have = indentOf(line);
  if (have >= want) return undefined;
  return text.slice(0, lineStart) + ' '.repeat(want - have) + text.slice(lineStart);
}

/** The line where the outermost flow collection still open at `end` began (quotes and comments skipped), if any. */
function openFlowLine(text: string, end: number): string | undefined {
  let depth = 0;
  let openedAt = -1;
  for (let i = 0; i < end; i++) {
    const c = text[i]!;
    const prev = i === 0 ? '\n' : text[i - 1]!;
    if (c === '#' && /\s/.test(prev)) {
      const nl = text.indexOf('\n', i);
      if (nl < 0 || nl >= end) break;
      i = nl;
    } else if ((c === '"' || c === "'") && (depth > 0 || /[\s:[{,]/.test(prev))) {
      for (i++; i < end; i++) {
        if (c === '"' && text[i] === '\\') i++;
        else if (c === "'" && text[i] === "'" && text[i + 1] === "'") i++;
        else if (text[i] === c) break;
      }
    } else if ((c === '[' || c === '{') && (depth > 0 || /[\s:-]/.test(prev))) {
      if (depth++ === 0) openedAt = i;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  if (depth === 0 || openedAt < 0) return undefined;
  const start = text.lastIndexOf('\n', openedAt - 1) + 1;
  const nl = text.indexOf('\n', start);
  return text.slice(start, nl < 0 ? text.length : nl);
}

/**
 * go-yaml lets a quoted scalar continue on lines indented no deeper than its key, where the yaml
 * package reports a missing closing quote. When the quote does close later, the same text with those
 * lines indented past the key reads as go-yaml reads the original (leading blanks of continuation
 * lines are folded away); lines keep their numbers. Undefined when the quote never closes.
 */
function indentQuotedLines(text: string, errorAt: number): string | undefined {
  // The yaml package points at or after the scalar's start: its quote is the last one before that
  // place, after a blank or an indicator.
  const opening = /(?:^|[\s:[{,-])(["'])[^"']*$/.exec(text.slice(0, Math.max(errorAt, 0) + 1));
  if (!opening) return undefined;
  const quoteAt = opening.index + opening[0].indexOf(opening[1]!);
  const lineStart = text.lastIndexOf('\n', quoteAt) + 1;
  const quote = text[quoteAt];
  let end = -1;
  for (let i = quoteAt + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (quote === "'" && text[i] === "'" && text[i + 1] === "'") i++;
    else if (text[i] === quote) {
      end = i;
      break;
    }
  }
  if (end < 0) return undefined;
  const pad = ' '.repeat(indentOf(text.slice(lineStart, quoteAt)) + 1);
  const inner = text.slice(quoteAt, end).replace(/\n(?=[^\n])/g, `\n${pad}`);
  return text.slice(0, quoteAt) + inner + text.slice(end);
}

/**
 * go-yaml ends the first document where a line is less indented than the document's root node
 * (the rest starts another document, which Unmarshal never reads): ` a: 1` then `b: 2` is `{a: 1}`.
 */
function firstDocumentText(text: string, lines: string[]): string {
  const isContent = (l: string) => l.trim() !== '' && !l.trimStart().startsWith('#');
  const first = lines.findIndex(isContent);
  const rootIndent = first < 0 ? 0 : indentOf(lines[first]!);
  // Only a block collection ends there; a plain scalar would just continue on the next line.
  if (rootIndent === 0 || !/^(-(\s|$)|[^#]*[^\s]:(\s|$))/.test(lines[first]!.trimStart())) return text;
  const end = lines.findIndex((l, i) => i > first && isContent(l) && indentOf(l) < rootIndent);
  return end < 0 ? text : lines.slice(0, end).join('\n');
}

/** Go's `json: unsupported value: ...` text for a float64 JSON cannot hold. */
function unsupportedFloat(x: number): string {
  return `json: unsupported value: ${Number.isNaN(x) ? 'NaN' : x > 0 ? '+Inf' : '-Inf'}`;
}

/** A value go-yaml decoded, before the JSON step: keys may still be non-strings. */
type YamlKey = string | number | boolean | null | bigint;

/**
 * go-yaml's alias budget (decode.go, v2 and v3 alike): once more than 100 aliased nodes and 1000
 * nodes were decoded, the share of nodes decoded through aliases may not pass 99% up to 400,000
 * nodes, falling linearly to 10% at 4,000,000: a small "billion laughs" document is refused early.
 */
export function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= 400_000) return 0.99;
  if (decodeCount >= 4_000_000) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - 400_000) / 3_600_000);
}

/** go-yaml's parser nests at most this deep (`exceeded max depth of 10000`); encoding/json's limit is one level more. */
export const MAX_YAML_DEPTH = 10_000;

class Decoder {
  /** Nodes decoded, nodes decoded inside an alias expansion, and how many expansions are open (go-yaml's counters). */
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;
  /** Collections open around the node being decoded, and the first collection that JSON's depth limit refuses. */
  private depth = 0;
  private jsonDepthError: string | undefined;
  /** The first error of sigs yaml's JSON conversion (found after decoding, so it loses to decode errors). */
  private convertError: string | undefined;
  private marshalError: string | undefined;
  private readonly expanding = new Set<YamlNode>();
  /** Each alias's node: the last node with its anchor before it (the yaml package's rule), found in one pass. */
  private aliasTargets: Map<Alias, YamlNode | undefined> | undefined;
  /** Whether the input holds the rare characters that need a second look at a scalar's source. */
  private readonly hasNel: boolean;
  private readonly hasSlashEscape: boolean;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly text: string,
    private readonly source: string | undefined,
    private readonly jsonNumbers: boolean,
  ) {
    this.hasNel = text.includes('\u0085');
    this.hasSlashEscape = text.includes('\\/');
  }

  toGo(node: unknown): GoValue {
    this.count(node); // the document node
    const v = this.value(node);
    if (this.jsonDepthError !== undefined) throw new YamlError(`error unmarshaling JSON: while decoding JSON: ${this.jsonDepthError}`, this.source);
    const error = this.convertError ?? this.marshalError;
    if (error !== undefined) throw new YamlError(`error converting YAML to JSON: ${error}`, this.source);
    return v;
  }

  private fail(message: string, node?: unknown): never {
    const line = this.lineOf(node);
    throw new YamlError(`error converting YAML to JSON: yaml: ${message}`, this.source, line);
  }

  /** The 1-based line where a node starts. */
  private lineOf(node: unknown): number | undefined {
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    return range ? lineAt(this.text, range[0]) : undefined;
  }

  /**
   * The node an alias refers to. The yaml package's Alias.resolve searches the whole document for
   * every alias, which makes many aliases quadratic (5,000 took seconds); one pass over the
   * document answers them all.
   */
  private target(alias: Alias): YamlNode | undefined {
    if (!this.aliasTargets) {
      const targets = new Map<Alias, YamlNode | undefined>();
      const anchors = new Map<string, YamlNode>();
      eachNode(this.doc, (node) => {
        if (isAlias(node)) targets.set(node, anchors.get(node.source));
        else if (node.anchor) anchors.set(node.anchor, node);
      });
      this.aliasTargets = targets;
    }
    return this.aliasTargets.get(alias);
  }

  /** go-yaml's unmarshal bookkeeping for one node: the alias budget. */
  private count(node: unknown): void {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
      this.fail('document contains excessive aliasing', node);
    }
  }

  private value(node: unknown): GoValue {
    if (node === null || node === undefined) return null;
    this.count(node);
    if (isAlias(node)) return this.alias(node);
    if (isScalar(node)) return this.scalar(node);
    if (isMap(node) || isSeq(node)) {
      if (++this.depth > MAX_YAML_DEPTH + 1) this.fail(`exceeded max depth of ${MAX_YAML_DEPTH}`, node);
      if (this.depth === MAX_YAML_DEPTH + 1) this.jsonDepthError ??= `invalid character '${isMap(node) ? '{' : '['}' exceeded max depth`;
      try {
        if (isSeq(node)) return node.items.map((item) => this.value(item));
        const out: GoMap = {};
        this.fillMap(node, out);
        return out;
      } finally {
        this.depth--;
      }
    }
    this.fail('unsupported YAML node');
  }

  private alias(node: Alias): GoValue {
    const target = this.target(node);
    if (!target) this.fail(`unknown anchor '${node.source}' referenced`, node);
    if (this.expanding.has(target)) this.fail(`anchor '${node.source}' value contains itself`, node);
    this.expanding.add(target);
    this.aliasDepth++;
    try {
      return this.value(target);
    } finally {
      this.aliasDepth--;
      this.expanding.delete(target);
    }
  }

  /** The Go value of a scalar, after JSON: integers and floats are float64. */
  private scalar(node: Scalar): GoValue {
    const r = this.resolve(node);
    const v = scalarValue(r, this.jsonNumbers);
    if (v !== undefined) return v;
    this.marshalError ??= unsupportedFloat(r.value as number);
    return r.value as number;
  }

  private resolve(node: Scalar): ReturnType<typeof resolveScalar> {
    let text = String(node.source ?? node.value ?? '');
    if (this.hasNel && node.range && this.text.slice(node.range[0], node.range[1]).includes('\u0085')) text = nelAsLineBreak(text, node.type);
    if (this.hasSlashEscape && node.type === Scalar.QUOTE_DOUBLE) this.checkEscapes(node);
    // A block scalar that ends the input without a line break gets none from go-yaml.
    const block = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED;
    if (block && node.range && node.range[1] >= this.text.length && !/[\n\r]$/.test(this.text) && text.endsWith('\n')) {
      text = text.slice(0, -1);
    }
    const tag = node.tag ?? '';
    if (tag === BINARY_TAG) return { tag: STR_TAG, value: decodeBinary(text, (m) => this.fail(m, node)) };
    const plain = node.type === Scalar.PLAIN || node.type === undefined;
    if (!plain && tag === '') return { tag: STR_TAG, value: text };
    try {
      return resolveScalar(text, tag);
    } catch (e) {
      this.fail((e as Error).message, node);
    }
  }

  /** go-yaml knows the YAML 1.1 escapes only: `\/` (new in YAML 1.2) is an error. */
  private checkEscapes(node: Scalar): void {
    const [start, end] = node.range ?? [0, 0];
    const raw = this.text.slice(start, end);
    const bad = /\\(.)/gs;
    for (let m = bad.exec(raw); m; m = bad.exec(raw)) {
      if (m[1] !== '/') continue;
      const line = lineAt(this.text, start + m.index);
      throw new YamlError(`error converting YAML to JSON: yaml: ${line > 1 ? `line ${line}: ` : ''}found unknown escape character`, this.source, line);
    }
  }

  /** A map key as go-yaml decodes it (typed), then as sigs yaml turns it into a JSON key. */
  private key(node: unknown, valueNode: unknown): string {
    this.count(node);
    let key: YamlKey;
    const target = isAlias(node) ? this.target(node) : node;
    if (target === null || target === undefined) key = null;
    else if (isScalar(target)) {
      const r = this.resolve(target);
      key = r.tag === INT_TAG ? (r.value as bigint) : (r.value as string | number | boolean | null);
    } else this.fail(`invalid map key: ${goSyntax(this.valueQuietly(target), true)}`, node);
    switch (typeof key) {
      case 'string':
        return key;
      case 'boolean':
        return key ? 'true' : 'false';
      case 'bigint':
        if (key > 2n ** 63n - 1n) break;
        return key.toString();
      case 'number':
        return formatFloat32(key);
    }
    this.convertError ??= `unsupported map key of type: ${key === null ? '%!s(<nil>)' : 'uint64'}, key: ${
      key === null ? '<nil>' : `0x${(key as bigint).toString(16)}`
    }, value: ${goSyntax(this.valueQuietly(valueNode))}`;
    return '';
  }

  private valueQuietly(node: unknown): GoValue {
    const saved = [this.convertError, this.marshalError] as const;
    const v = this.value(node);
    [this.convertError, this.marshalError] = saved;
    return v;
  }

  /** go-yaml v2 mapping decoding: keys in order, later ones win; `<<` merges maps in place. */
  private fillMap(node: YAMLMap, out: GoMap): void {
    for (const pair of node.items) {
      if (this.isMergeKey(pair.key)) {
        this.merge(pair.value, out);
        continue;
      }
      const key = this.key(pair.key, pair.value);
      setOwn(out, key, this.value(pair.value));
    }
  }

  private isMergeKey(node: unknown): boolean {
    if (!isScalar(node) || String(node.source ?? node.value) !== '<<') return false;
    const plain = node.type === Scalar.PLAIN || node.type === undefined;
    return (plain && !node.tag) || node.tag === MERGE_TAG;
  }

  private merge(node: unknown, out: GoMap): void {
    this.count(node);
    if (!isAlias(node)) return this.mergeTarget(node, out);
    this.aliasDepth++;
    try {
      return this.mergeTarget(node, out);
    } finally {
      this.aliasDepth--;
    }
  }

  private mergeTarget(node: unknown, out: GoMap): void {
    const wantMap = (): never => this.fail('map merge requires map or sequence of maps as the value', node);
    const target = isAlias(node) ? this.target(node) : node;
    if (isAlias(node) && !target) this.fail(`unknown anchor '${node.source}' referenced`, node);
    if (isMap(target)) return this.fillMap(target, out);
    if (isAlias(node) || !isSeq(target)) return wantMap();
    // Earlier maps take precedence, so apply them last.
    const items = (target as YAMLSeq).items;
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i];
      const map = isAlias(item) ? this.target(item) : item;
      if (!isMap(map)) wantMap();
      this.fillMap(map as YAMLMap, out);
    }
  }
}

/**
 * go-yaml reads a raw NEL (U+0085) as a line break, as YAML 1.1 says: kept as a line feed in block
 * scalars, folded like any line break elsewhere (one break becomes a space, n breaks n-1 line feeds).
 */
function nelAsLineBreak(text: string, type: Scalar.Type | undefined): string {
  if (type === Scalar.BLOCK_LITERAL || type === Scalar.BLOCK_FOLDED) return text.replaceAll('\u0085', '\n');
  return foldNel(text);
}

/** Folds raw NEL line breaks inside a flow scalar: one becomes a space, n become n-1 line feeds, blanks around them go. */
export function foldNel(text: string): string {
  if (!text.includes('\u0085')) return text;
  return text.replace(/[ \t]*(\u0085+)[ \t]*/g, (_, breaks: string) => (breaks.length === 1 ? ' ' : '\n'.repeat(breaks.length - 1)));
}

function decodeBinary(text: string, fail: (message: string) => never): string {
  const compact = text.replace(/[\s]/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) fail('!!binary value contains invalid base64 data');
  return Buffer.from(compact, 'base64').toString('utf8');
}

/** Go's `%#v` of a decoded value (go-yaml's maps are `map[interface {}]interface {}` inside a document). */
function goSyntax(v: GoValue, nested = false): string {
  if (v === null) return nested ? 'interface {}(nil)' : '<nil>';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map((x) => goSyntax(x, true)).join(', ')}}`;
  const entries = Object.entries(v as GoMap).map(([k, x]) => `${JSON.stringify(k)}:${goSyntax(x, true)}`);
  return `map[interface {}]interface {}{${entries.join(', ')}}`;
}

// ---------------------------------------------------------------------------------------------
// Syntax errors in go-yaml's words.

/** go-yaml prints the 0-based line of the problem for parser errors and the 1-based one for scanner errors, and no line when the number is 0. */
function goLine(n: number): string {
  return n > 0 ? `line ${n}: ` : '';
}

function syntaxError(error: LibError, text: string, source?: string): YamlError {
  const line = lineAt(text, error.pos[0]); // 1-based
  const atEnd = error.pos[0] >= text.replace(/\s+$/, '').length;
  const newlines = (text.match(/\n/g) ?? []).length;
  // At the end of the input the scanner has forced a final line break.
  const endLine0 = text.endsWith('\n') || text === '' ? newlines : newlines + 1;
  const lines = text.split('\n');
  let problem: string;
  let reported: number;
  const scanner = (p: string, line1: number) => {
    problem = p;
    reported = line1 - 1 === 0 ? 0 : line1;
  };
  const parser = (p: string, line0: number) => {
    problem = p;
    reported = line0;
  };
  // The ':' go-yaml stops at when a key turns out not to be a simple key.
  const colonAfter = (pos: number): number | undefined => {
    const colon = /:(\s|$)/g;
    colon.lastIndex = pos;
    const at = colon.exec(text);
    return at ? lineAt(text, at.index) : undefined;
  };
  // go-yaml's parser stops at the next token, so comment lines the yaml package points at are skipped.
  const missingKeyOrDash = () => {
    const at = line - 1 + lines.slice(line - 1).findIndex((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
    const tokenLine = at >= line - 1 ? at + 1 : line;
    parser(enclosingIsSequence(lines, tokenLine) ? "did not find expected '-' indicator" : 'did not find expected key', tokenLine - 1);
  };
  // A plain scalar on a line of its own where a key must be: go-yaml's scanner gives up on the key
  // when the next token comes; with a ':' further on the line it is the parser missing a key.
  const keyWithoutColon = () => {
    if (/[^\s]:(\s|$)/.test(lines[line - 1] ?? '')) parser('did not find expected key', line - 1);
    else scanner("could not find expected ':'", nextNonBlankLine(lines, line) ?? endLine0 + 1);
  };
  switch (error.code) {
    case 'BLOCK_AS_IMPLICIT_KEY':
      if (error.message.startsWith('A block sequence')) missingKeyOrDash();
      else scanner('mapping values are not allowed in this context', colonAfter(error.pos[0]) ?? line);
      break;
    case 'MULTILINE_IMPLICIT_KEY': {
      // A plain scalar running over lines into a ':': where a key of an open mapping must be, the
      // scanner misses its ':' when the line ends; elsewhere the ':' is "mapping values".
      const colonLine = colonAfter(error.pos[0]);
      if (colonLine !== undefined && colonLine <= (nextNonBlankLine(lines, line) ?? line + 1)) {
        if (hasEarlierSiblingKey(lines, line)) scanner("could not find expected ':'", nextNonBlankLine(lines, line) ?? endLine0 + 1);
        else scanner('mapping values are not allowed in this context', colonLine);
      } else missingKeyOrDash();
      break;
    }
    case 'TAB_AS_INDENT':
      // After a plain scalar the scanner is still reading it (it may continue on the next line).
      if (/(:\s+|^\s*-\s+)[^\s#'"|>&*!\[{]/.test(previousContentLine(lines, line) ?? '')) scanner('found a tab character that violates indentation', line);
      else scanner('found character that cannot start any token', line);
      break;
    case 'BAD_SCALAR_START':
      scanner('found character that cannot start any token', line);
      break;
    case 'BAD_DQ_ESCAPE':
      scanner('found unknown escape character', line);
      break;
    case 'MISSING_CHAR':
      if (/quote/i.test(error.message)) scanner('found unexpected end of stream', newlines + 1);
      else if (/^Flow (sequence|map) must end/.test(error.message)) parser(`did not find expected ',' or '${error.message.startsWith('Flow sequence') ? ']' : '}'}'`, endLine0);
      else if (error.message.startsWith('Sequence item without')) parser("did not find expected '-' indicator", line - 1);
      else keyWithoutColon();
      break;
    case 'BAD_INDENT':
      if (error.message.startsWith('Block scalar lines') && (lines[line - 1] ?? '').startsWith('\t')) {
        scanner('found a tab character where an indentation space is expected', line);
      } else if (/^Flow (sequence|map)/.test(error.message)) {
        const closer = error.message.startsWith('Flow sequence') ? ']' : '}';
        const after = text.slice(text.lastIndexOf(closer === ']' ? '[' : '{') + 1).trim();
        if (atEnd && after === '') parser('did not find expected node content', endLine0);
        else parser(`did not find expected ',' or '${closer}'`, atEnd ? endLine0 : line - 1);
      } else missingKeyOrDash();
      break;
    case 'UNEXPECTED_TOKEN':
      // A closing bracket where a value should be is missing node content; after a value, a missing key.
      if (/flow-(seq|map)-end/.test(error.message) && /:\s*$/.test(text.slice(0, error.pos[0]))) parser('did not find expected node content', line - 1);
      else if (error.message.startsWith('Unexpected scalar at node end') && !/[^\s]:(\s|$)/.test(lines[line - 1] ?? '')) keyWithoutColon();
      else missingKeyOrDash();
      break;
    default:
      parser(error.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').replace(/^./, (c) => c.toLowerCase()), line - 1);
  }
  return new YamlError(`error converting YAML to JSON: yaml: ${goLine(reported!)}${problem!}`, source, line);
}

/** The 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** Whether the collection around 1-based line `n` is a block sequence (the nearest earlier line at most as indented is a `- ` item). */
function enclosingIsSequence(lines: string[], n: number): boolean {
  const here = lines[n - 1] ?? '';
  const indent = indentOf(here);
  for (let i = n - 2; i >= 0; i--) {
    const l = lines[i]!;
    if (l.trim() === '' || l.trimStart().startsWith('#')) continue;
    if (indentOf(l) <= indent) return /^-(\s|$)/.test(l.trimStart()) && indentOf(l) === indent;
  }
  return false;
}

/** Whether 1-based line `n` sits where a mapping opened by an earlier key at the same indentation expects its next key. */
function hasEarlierSiblingKey(lines: string[], n: number): boolean {
  const indent = indentOf(lines[n - 1] ?? '');
  for (let i = n - 2; i >= 0; i--) {
    const l = lines[i]!;
    if (l.trim() === '' || l.trimStart().startsWith('#')) continue;
    if (indentOf(l) < indent) return false;
    if (indentOf(l) === indent) return /^[^\s#-][^#]*:(\s|$)/.test(l.trimStart());
  }
  return false;
}

/** The last line before 1-based line `n` holding content, if any. */
function previousContentLine(lines: string[], n: number): string | undefined {
  for (let i = n - 2; i >= 0; i--) if (lines[i]!.trim() !== '' && !lines[i]!.trimStart().startsWith('#')) return lines[i];
  return undefined;
}

/** The 1-based number of the first non-blank line after `n` (where a plain scalar's scanning stops), if any. */
function nextNonBlankLine(lines: string[], n: number): number | undefined {
  for (let i = n; i < lines.length; i++) if (lines[i]!.trim() !== '') return i + 1;
  return undefined;
}
