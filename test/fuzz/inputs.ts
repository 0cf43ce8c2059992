// Random and mutated inputs for the fuzz suite: templates, values YAML, --set strings, schema
// documents and chart archives, from a seeded generator so every finding can be replayed.
import { gzipSync } from 'node:zlib';
import { tar } from '../sandbox/tgz.js';

export { rng } from '../support/random.js';

export type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;

/** Flips, inserts, deletes and duplicates characters: the shape of a typo or a hostile edit. */
export function mutate(r: Rand, text: string, alphabet: readonly string[]): string {
  let s = text;
  for (let n = 1 + int(r, 4); n > 0; n--) {
    const at = int(r, s.length + 1);
    switch (int(r, 5)) {
      case 0:
        s = s.slice(0, at) + pick(r, alphabet) + s.slice(at);
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at + 1 + int(r, 3));
        break;
      case 2:
        s = s.slice(0, at) + s.slice(at, at + 1 + int(r, 8)).repeat(1 + int(r, 4)) + s.slice(at);
        break;
      case 3:
        s = s.slice(0, at) + String.fromCharCode(int(r, 0x3000)) + s.slice(at + 1);
        break;
      default:
        s = s.slice(0, at) + pick(r, alphabet) + pick(r, alphabet) + s.slice(at);
    }
  }
  return s;
}

const TEMPLATE_TOKENS = ['{{', '}}', '{{-', '-}}', '(', ')', '|', '.', '$', '"', '`', 'end', 'if', 'range', 'with', 'else', 'define', 'include', 'tpl', ':=', '=', ' ', '\n', '/*', '*/'];

function expr(r: Rand, depth: number, name: string, wellFormed = false): string {
  // Well formed: a nested call in parentheses (it keeps its own arguments), a string function's
  // argument through toString, fields reached from $ (dot changes inside range and with).
  const arg = () => {
    if (!wellFormed) return expr(r, depth + 1, name);
    return parens(expr(r, depth + 1, name, true));
  };
  const str = () => (wellFormed ? `(toString ${arg()})` : arg());
  // (`$` alone becomes `$.Values`: helm prints the root context with pointer addresses.)
  const leaf = (x: string) => (wellFormed ? (x === '$' ? '$.Values' : x.replace(/(^|\s)\.(?=[A-Z])/g, '$1$$.')) : x);
  if (depth > 3) return leaf(pick(r, ['.Values.a', '.Values.list', '"s"', '1', '2.5', 'true', 'nil', '$', '.Release.Name', '.Chart.Name']));
  switch (int(r, 9)) {
    case 0:
      return `(${arg()})`;
    case 1:
      return `${arg()} | ${wellFormed ? 'toString | ' : ''}${pick(r, ['quote', 'upper', 'toYaml', 'toJson', 'len', 'b64enc', 'trim', 'default "d"', 'indent 2', 'nindent 4', 'toString', 'kindOf', 'typeOf'])}`;
    case 2:
    {
      const f = pick(r, ['eq', 'ne', 'lt', 'and', 'or', 'add', 'mul', 'max', 'list', 'dict "k"', 'printf "%v-%v"', 'default', 'ternary "a" "b"', 'coalesce']);
      const [a, b] = [arg(), arg()];
      return wellFormed && f.startsWith('ternary') ? `${f} (empty ${a})` : `${f} ${a} ${b}`;
    }
    case 3:
    {
      const f = pick(r, ['until', 'seq', 'repeat 3', 'splitList ","', 'fromYaml', 'fromJson', 'toYaml', 'regexMatch "a+"', 'sha256sum', 'semverCompare ">1"']);
      if (!wellFormed || f === 'toYaml') return `${f} ${arg()}`;
      return ['until', 'seq'].includes(f) ? `${f} (int ${arg()})` : `${f} ${str()}`;
    }
    case 4:
      if (!wellFormed) return `include "${name}" ${arg()}`;
      // The helper itself gets no name (it would include itself for ever): a call of no consequence.
      return name ? `include "${name}" ${(arg(), '$')}` : `len ${str()}`;
    case 5:
      return `tpl "{{ .Values.a }}" $`;
    default:
      return leaf(pick(r, ['.Values.a', '.Values.list', '.Values.m.k', '"str"', '3', '-1', '1e3', '.Capabilities.KubeVersion.Version', '.Template.Name', 'index .Values.list 0']));
  }
}

const parens = (e: string) => (e.includes(' ') ? `(${e})` : e);

function body(r: Rand, depth: number, name: string, wellFormed = false): string {
  let out = '';
  for (let n = 1 + int(r, 4); n > 0; n--) {
    switch (depth > 3 ? 0 : int(r, 7)) {
      case 0:
        out += pick(r, ['a: ', 'x', '\n', '- ', 'k: v\n', '  ']);
        break;
      case 1:
        out += `{{ ${expr(r, 0, name, wellFormed)} }}`;
        break;
      case 2:
        out += `{{ if ${expr(r, 0, name, wellFormed)} }}${body(r, depth + 1, name, wellFormed)}{{ else }}${body(r, depth + 1, name, wellFormed)}{{ end }}`;
        break;
      case 3:
        out += `{{ range $i, $v := ${wellFormed ? `list ${parens(expr(r, 0, name, true))} 2` : expr(r, 0, name)} }}${body(r, depth + 1, name, wellFormed)}{{ end }}`;
        break;
      case 4:
        out += `{{ with ${expr(r, 0, name, wellFormed)} }}${body(r, depth + 1, name, wellFormed)}{{ end }}`;
        break;
      case 5:
        out += `{{ $x := ${expr(r, 0, name, wellFormed)} }}{{ $x }}`;
        break;
      default:
        out += `{{- /* c */ -}}`;
    }
  }
  return out;
}

/**
 * A template (sometimes mutated) and a helper file defining `name` (default "h"; the helm comparison
 * gives each input its own name so that many inputs share one chart). The name takes no randomness:
 * a seed gives the same inputs whatever the name. `wellFormed` puts every function argument in
 * parentheses (same randomness): far more of the texts render, which the helm comparison needs.
 */
export function randomTemplate(r: Rand, name = 'h', wellFormed = false): { template: string; helper: string } {
  let template = body(r, 0, name, wellFormed);
  let helper = `{{ define "${name}" }}${body(r, 1, wellFormed ? '' : name, wellFormed)}{{ end }}`;
  if (r() < 0.5) template = mutate(r, template, TEMPLATE_TOKENS);
  if (r() < 0.2) helper = mutate(r, helper, TEMPLATE_TOKENS);
  return { template, helper };
}

const YAML_TOKENS = ['&a ', '*a', '<<: ', '- ', ': ', '{', '}', '[', ']', ',', '\n', '  ', '"', "'", '|', '>', '!!binary ', '!!str ', '#', '---\n', '? ', '~', '0x1F', '1e400', '.inf', 'yes', '\t'];

function yamlValue(r: Rand, depth: number, indent: string): string {
  if (depth > 4) return pick(r, ['1', '2.5', 'true', 'null', 's', '"q"', "'q'", '0o17', '9223372036854775808', '*a']);
  switch (int(r, 6)) {
    case 0:
      return `\n${Array.from({ length: 1 + int(r, 3) }, (_, i) => `${indent}  k${i}: ${yamlValue(r, depth + 1, `${indent}  `)}`).join('\n')}`;
    case 1:
      return `\n${Array.from({ length: 1 + int(r, 3) }, () => `${indent}  - ${yamlValue(r, depth + 1, `${indent}    `)}`).join('\n')}`;
    case 2:
      return `[${Array.from({ length: int(r, 4) }, () => yamlValue(r, 5, '')).join(', ')}]`;
    case 3:
      return `{a: ${yamlValue(r, 5, '')}, b: ${yamlValue(r, 5, '')}}`;
    case 4:
      return `&a ${yamlValue(r, 5, '')}`;
    default:
      return pick(r, ['1', 'x', '"a: b"', '|\n' + indent + '  text', '>-\n' + indent + '  folded', '~', '2001-12-14', 'on']);
  }
}

/** A values document: maps, lists, anchors, aliases, merge keys, odd scalars; often mutated. */
export function randomYaml(r: Rand): string {
  let text = `a: ${yamlValue(r, 0, '')}\nlist: [1, 2, 3]\nm: {k: v}\n`;
  if (r() < 0.3) text += `base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n`;
  if (r() < 0.6) text = mutate(r, text, YAML_TOKENS);
  return text;
}

const SET_TOKENS = ['=', ',', '.', '[', ']', '\\', '{', '}', '"', '0', '-1', '99999', 'null', 'true', 'a', 'b.c', '[0]', '[65537]'];

export function randomSet(r: Rand): string {
  const base = Array.from({ length: 1 + int(r, 3) }, () => `${pick(r, ['a', 'b.c', 'list[0]', 'm.k[2].x', 'name\\.dot'])}=${pick(r, ['1', 'x', '{a,b}', '"q"', 'null', ''])}`).join(',');
  return r() < 0.7 ? mutate(r, base, SET_TOKENS) : base;
}

const JSON_TOKENS = ['{', '}', '"', ':', ',', '[', ']', '\\', 'null', '1e400', '-0', '9007199254740993', '.'];

/** A `--set-json` string: `key=JSON` pairs (paths as --set has them) or one JSON object, often mutated. */
export function randomSetJson(r: Rand): string {
  const json = (depth: number): string => {
    if (depth > 2) return pick(r, ['1', '-2.5', '"s"', 'true', 'null', '9007199254740993', '1e400', '""', '"a,b"']);
    switch (int(r, 4)) {
      case 0:
        return `[${Array.from({ length: int(r, 3) }, () => json(depth + 1)).join(',')}]`;
      case 1:
        return `{${Array.from({ length: int(r, 3) }, (_, i) => `"${pick(r, ['k', 'x', 'a.b', ''])}${i}":${json(depth + 1)}`).join(',')}}`;
      default:
        return json(3);
    }
  };
  const base = r() < 0.2
    ? `{"a":${json(0)},"m":{"k":${json(1)}}}`
    : Array.from({ length: 1 + int(r, 2) }, () => `${pick(r, ['a', 'b.c', 'list[0]', 'm.k', 'list[1].x'])}=${json(0)}`).join(',');
  return r() < 0.5 ? mutate(r, base, JSON_TOKENS) : base;
}

/** A values.schema.json: types, patterns, $defs and $ref (cycles included), sometimes mutated. */
export function randomSchema(r: Rand): string {
  const node = (depth: number): unknown => {
    if (depth > 3) return { type: pick(r, ['string', 'integer', 'number', 'boolean', 'object', 'array', 'null']) };
    switch (int(r, 6)) {
      case 0:
        return { type: 'object', properties: { a: node(depth + 1), list: node(depth + 1) }, required: r() < 0.3 ? ['a'] : [] };
      case 1:
        return { $ref: pick(r, ['#/$defs/x', '#/$defs/y', '#', '#/properties/a', 'http://127.0.0.1:1/s.json', 'file:///etc/passwd']) };
      case 2:
        return { anyOf: [node(depth + 1), node(depth + 1)] };
      case 3:
        return { type: 'string', pattern: pick(r, ['^a+$', '(a|b)*c', '[', '^(a+)+$', '\\d{2,}']) };
      case 4:
        return { type: 'array', items: node(depth + 1), maxItems: int(r, 5) };
      default:
        return { type: pick(r, ['string', 'integer', 'object']) };
    }
  };
  const schema = { $schema: 'https://json-schema.org/draft-07/schema#', ...(node(0) as object), $defs: { x: { $ref: '#/$defs/y' }, y: r() < 0.5 ? { $ref: '#/$defs/x' } : node(1) } };
  const text = JSON.stringify(schema);
  return r() < 0.3 ? mutate(r, text, ['{', '}', '"', ':', ',', '[', ']', '$ref', '#']) : text;
}

/** A packaged chart, often with flipped bytes in the tar or the gzip stream, or hostile names. */
export function randomArchive(r: Rand): Buffer {
  const names = ['c/Chart.yaml', 'c/values.yaml', 'c/templates/t.yaml', pick(r, ['c/../x', '/abs', 'c/charts/s.tgz', 'c/a\\b', 'x/Chart.yaml', 'c/C:/w', 'c/.helmignore', 'c/crds/c.yaml'])];
  const data = ['apiVersion: v2\nname: c\nversion: 0.1.0\n', randomYaml(r), 'a: {{ .Values.a }}\n', randomYaml(r)];
  let raw = tar(names.map((name, i) => ({ name, data: data[i]!, ...(r() < 0.1 ? { type: pick(r, ['1', '2', '5', 'x', 'L', 'g']) } : {}) })));
  if (r() < 0.4) {
    raw = Buffer.from(raw);
    for (let n = 1 + int(r, 4); n > 0; n--) raw[int(r, raw.length)] = int(r, 256);
  }
  let gz = gzipSync(raw);
  if (r() < 0.2) {
    gz = Buffer.from(gz);
    gz[10 + int(r, gz.length - 10)] = int(r, 256);
  }
  return gz;
}
