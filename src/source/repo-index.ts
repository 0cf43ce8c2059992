// Reading a Helm repository's index.yaml while it streams in, keeping only the entries of the charts
// asked for. Big indexes are normal (bitnami's was 26 MB; parsed whole into objects that is several
// hundred MB of heap): this reader looks at the text line by line and hands the YAML parser only the
// blocks of the wanted charts, so memory follows the size of those entries, not of the index.
// The block layout is what every index generator writes (`helm repo index`, chart-releaser, ...):
//   entries:
//     NAME:
//     - version: ...
// An index written differently (JSON, flow style, anchors) is parsed whole instead, within the size
// limit the download enforces. Pure (no I/O): feed it chunks, then ask for the entries.
import { StringDecoder } from 'node:string_decoder';
import { parse } from 'yaml';
import { parseVersion } from './versions.js';

/** One chart version in an index (the fields chartrelease uses; Helm's ChartVersion has more). */
export interface IndexEntry {
  name: string;
  version: string;
  urls: string[];
  /** The archive's sha256 as hex, when the index gives one. */
  digest?: string;
  appVersion?: string;
  deprecated?: boolean;
  created?: string;
}

export class IndexParseError extends Error {
  override name = 'IndexParseError';
}

const KEY_LINE = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s:#'"{[\-?][^:#]*?|-[^\s:#][^:#]*?))\s*:(?:\s|$)/;
const COMMENT_OR_BLANK = /^\s*(#.*)?$/;
/** A node that starts with an anchor (`&a`) or is an alias (`*a`): `- &a`, `key: *a`. */
const ANCHOR_OR_ALIAS = /^\s*(?:-\s+)*(?:[^\s#&*][^#]*?:\s+)?[&*][^\s,\]}]/;

type Mode = 'start' | 'block' | 'whole';

export class IndexScanner {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';
  private mode: Mode = 'start';
  private inEntries = false;
  private sawEntries = false;
  private childIndent: number | undefined;
  private current: { name: string; lines: string[] } | undefined;
  private readonly blocks = new Map<string, string[]>();
  private whole: string[] = [];

  /** `whole`: skip the line reader and parse the whole document (an index not in the block layout). */
  constructor(
    private readonly wanted: ReadonlySet<string>,
    whole = false,
  ) {
    if (whole) this.mode = 'whole';
  }

  push(chunk: Buffer | string): void {
    const text = this.rest + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
      this.line(text.slice(start, nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl));
      start = nl + 1;
    }
    this.rest = text.slice(start);
  }

  private line(line: string): void {
    if (this.mode === 'whole') {
      this.whole.push(line);
      return;
    }
    if (this.mode === 'start') {
      if (COMMENT_OR_BLANK.test(line) || line === '---') return;
      if (/^\s*[{[]/.test(line) || /^%/.test(line)) {
        this.mode = 'whole';
        this.whole.push(line);
        return;
      }
      this.mode = 'block';
    }
    const indent = line.length - line.trimStart().length;
    if (indent === 0 && !COMMENT_OR_BLANK.test(line)) {
      // A top-level key (or a document marker) ends the entries mapping.
      this.flush();
      this.inEntries = false;
      if (/^entries\s*:/.test(line)) {
        const after = line.replace(/^entries\s*:/, '');
        if (!COMMENT_OR_BLANK.test(after)) {
          // `entries: {...}` or an anchor/tag: not the block layout; read the whole index.
          throw new NeedsWholeParse();
        }
        this.inEntries = true;
        this.sawEntries = true;
      }
      return;
    }
    if (!this.inEntries) return;
    if (COMMENT_OR_BLANK.test(line)) {
      this.current?.lines.push(line);
      return;
    }
    this.childIndent ??= indent;
    if (indent === this.childIndent && line[indent] !== '-') {
      this.flush();
      const m = KEY_LINE.exec(line.slice(indent));
      if (!m) {
        throw new NeedsWholeParse();
      }
      const name = m[1] !== undefined ? JSON.parse(`"${m[1]}"`) as string : m[2] !== undefined ? m[2].replace(/''/g, "'") : m[3]!.trimEnd();
      if (this.wanted.has(name)) this.current = { name, lines: [line] };
      return;
    }
    if (this.current && ANCHOR_OR_ALIAS.test(line)) {
      // Anchors and aliases can point across charts: only the whole document resolves them.
      throw new NeedsWholeParse();
    }
    this.current?.lines.push(line);
  }

  private flush(): void {
    if (this.current) this.blocks.set(this.current.name, this.current.lines);
    this.current = undefined;
  }

  /** The wanted charts' entries (a chart the index lacks is absent from the map). */
  end(): Map<string, IndexEntry[]> {
    const tail = this.rest + this.decoder.end();
    if (tail !== '') this.line(tail.endsWith('\r') ? tail.slice(0, -1) : tail);
    this.rest = '';
    this.flush();
    const out = new Map<string, IndexEntry[]>();
    if (this.mode === 'whole') {
      const doc = parseYaml(this.whole.join('\n')) as { entries?: unknown } | null;
      if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new IndexParseError('the index is not a YAML map (no apiVersion/entries)');
      const entries = doc.entries ?? {};
      if (typeof entries !== 'object' || Array.isArray(entries)) throw new IndexParseError('entries is not a map of chart names');
      for (const name of this.wanted) {
        const list = (entries as Record<string, unknown>)[name];
        if (list !== undefined) out.set(name, toEntries(name, list));
      }
      return out;
    }
    if (!this.sawEntries) throw new IndexParseError('no "entries:" map: this is not a Helm repository index');
    for (const [name, lines] of this.blocks) {
      const doc = parseYaml(`entries:\n${lines.join('\n')}\n`) as { entries?: Record<string, unknown> } | null;
      out.set(name, toEntries(name, doc?.entries?.[name]));
    }
    return out;
  }
}

/**
 * Thrown by push/end when the index turns out not to be in the block layout: what was read so far was
 * not kept, so the caller reads the index again with `new IndexScanner(wanted, true)`.
 */
export class NeedsWholeParse extends Error {
  override name = 'NeedsWholeParse';
}

function parseYaml(text: string): unknown {
  try {
    // The failsafe schema keeps every scalar a string, as Helm's typed structs read them (`version: 1.10`
    // is "1.10", not the number 1.1).
    return parse(text, { schema: 'failsafe', uniqueKeys: false, maxAliasCount: 1000, prettyErrors: false });
  } catch (err) {
    throw new IndexParseError(`not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);

/** The usable entries of one chart: a version Masterminds can parse and at least one URL (Helm skips the rest). */
function toEntries(name: string, list: unknown): IndexEntry[] {
  if (!Array.isArray(list)) return [];
  const out: IndexEntry[] = [];
  for (const raw of list) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) continue;
    const r = raw as Record<string, unknown>;
    const version = str(r.version);
    const urls = Array.isArray(r.urls) ? r.urls.map(str).filter((u): u is string => !!u) : [];
    if (!version || !parseVersion(version) || urls.length === 0) continue;
    const digest = str(r.digest)?.replace(/^sha256:/, '').toLowerCase();
    out.push({
      name: str(r.name) ?? name,
      version,
      urls,
      ...(digest && /^[0-9a-f]{64}$/.test(digest) ? { digest } : {}),
      ...(str(r.appVersion) ? { appVersion: str(r.appVersion) } : {}),
      ...(str(r.deprecated) === 'true' ? { deprecated: true } : {}),
      ...(str(r.created) ? { created: str(r.created) } : {}),
    });
  }
  return out;
}

/** Parses a whole index held in memory (tests, benches). */
export function parseIndexText(text: string, wanted: ReadonlySet<string>): Map<string, IndexEntry[]> {
  try {
    const scanner = new IndexScanner(wanted);
    scanner.push(text);
    return scanner.end();
  } catch (err) {
    if (!(err instanceof NeedsWholeParse)) throw err;
    const whole = new IndexScanner(wanted, true);
    whole.push(text);
    return whole.end();
  }
}
