// `.Files` (Helm's engine.files, a named map[string][]byte): the chart's non-template files, with the
// methods Get, GetBytes, Glob (gobwas/glob with '/' as separator), Lines, AsConfig and AsSecrets.
import type { ChartFile } from '../chart/index.js';
import { toYaml } from '../goyaml/index.js';
import { defineNamedType, goStringFromBytes, withGoType, type GoMap, type GoValue } from '../template/value.js';

const FILES_TYPE = 'engine.files';

type FilesMap = Record<string, Uint8Array>;

/** gobwas/glob with '/' as separator, as a RegExp; null for a malformed pattern. */
export function globToRegExp(pattern: string): RegExp | null {
  let i = 0;
  const chars = Array.from(pattern);
  function parse(inAlternative: boolean): string | null {
    let out = '';
    while (i < chars.length) {
      const c = chars[i]!;
      if (inAlternative && (c === ',' || c === '}')) return out;
      i++;
      switch (c) {
        case '*':
          if (chars[i] === '*') {
            while (chars[i] === '*') i++;
            out += '.*';
          } else out += '[^/]*';
          break;
        case '?':
          out += '[^/]';
          break;
        case '[': {
          let negate = false;
          if (chars[i] === '!') {
            negate = true;
            i++;
          }
          let body = '';
          let closed = false;
          while (i < chars.length) {
            const d = chars[i++]!;
            if (d === ']') {
              closed = true;
              break;
            }
            if (d === '\\' && i < chars.length) body += `\\${chars[i++]}`;
            else if (d === '-' && body !== '') body += '-';
            else body += d.replace(/[\\\]^]/g, '\\$&');
          }
          if (!closed || body === '') return null;
          out += `[${negate ? '^' : ''}${body}]`;
          break;
        }
        case '{': {
          // Alternatives; a `{` left open is closed by the end of the pattern (as gobwas does).
          const alternatives: string[] = [];
          for (;;) {
            const alt = parse(true);
            if (alt === null) return null;
            alternatives.push(alt);
            if (i >= chars.length || chars[i++] === '}') break;
          }
          out += `(?:${alternatives.join('|')})`;
          break;
        }
        case '\\':
          // A trailing backslash stands for itself.
          out += i >= chars.length ? '\\\\' : chars[i++]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
          break;
        default:
          out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      }
    }
    return out;
  }
  const body = parse(false);
  return body === null ? null : new RegExp(`^${body}$`, 's');
}

function newFiles(entries: FilesMap): GoMap {
  return withGoType(entries as unknown as GoMap, FILES_TYPE);
}

function sortedNames(files: FilesMap): string[] {
  return Object.keys(files).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

defineNamedType(FILES_TYPE, 'map[string][]uint8', {
  GetBytes: {
    params: ['string'],
    result: '[]uint8',
    fn: (f: FilesMap, name: string) => (Object.hasOwn(f, name) ? f[name]! : new Uint8Array(0)),
  },
  Get: {
    params: ['string'],
    result: 'string',
    fn: (f: FilesMap, name: string) => (Object.hasOwn(f, name) ? goStringFromBytes(f[name]!) : ''),
  },
  Glob: {
    params: ['string'],
    result: FILES_TYPE,
    fn: (f: FilesMap, pattern: string) => {
      const re = globToRegExp(pattern) ?? /^.*$/s;
      const out: FilesMap = {};
      for (const name of Object.keys(f)) if (re.test(name)) out[name] = f[name]!;
      return newFiles(out);
    },
  },
  Lines: {
    params: ['string'],
    result: '[]string',
    fn: (f: FilesMap, name: string) => {
      const data = Object.hasOwn(f, name) ? f[name]! : undefined;
      if (!data || data.length === 0) return withGoType([], '[]string');
      let s = goStringFromBytes(data);
      if (s.endsWith('\n')) s = s.slice(0, -1);
      return withGoType(s.split('\n'), '[]string');
    },
  },
  AsConfig: {
    params: [],
    result: 'string',
    fn: (f: FilesMap) => {
      const m: GoMap = {};
      for (const name of sortedNames(f)) m[baseName(name)] = goStringFromBytes(f[name]!);
      return toYaml(withGoType(m, 'map[string]string'));
    },
  },
  AsSecrets: {
    params: [],
    result: 'string',
    fn: (f: FilesMap) => {
      const m: GoMap = {};
      for (const name of sortedNames(f)) m[baseName(name)] = Buffer.from(f[name]!).toString('base64');
      return toYaml(withGoType(m, 'map[string]string'));
    },
  },
});

/** `.Files` for a chart: every file that is not a template, values.yaml, Chart.yaml or under charts/. */
export function filesObject(files: readonly ChartFile[]): GoValue {
  const m: FilesMap = {};
  for (const f of files) m[f.name] = f.data;
  return newFiles(m);
}
