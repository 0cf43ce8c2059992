// Renders a differential snippet with our engine the way helm renders it: values from JSON (every
// number a float64), `--set` scalars, the chart's template files parsed in helm's order, and
// NOTES.txt executed with a minimal root context; errors worded by formatHelmError.
import { formatHelmError } from '../../src/render/helm-errors.js';
import {
  GoError, TemplateSet, defineNamedType, goIntFromBigInt, int, int64, kindName, sprintf, truth, withGoType, type FuncMap, type GoMap, type GoValue,
} from '../../src/template/index.js';
import { helmParseOrder, NOTES_PATH, type Snippet } from '../support/helm-snippets.js';

defineNamedType('common.Values', 'map[string]interface {}');

const INCLUDE_MAX_DEPTH = 1000;
const warnWrap = (msg: string): string => `HELM_ERR_START${msg}HELM_ERR_END`;

/** The few Helm and Sprig functions the language snippets use, with their Go signatures. */
function snippetFuncs(set: TemplateSet): FuncMap {
  const depth = new Map<string, number>();
  const toInt64 = (v: GoValue): number => (typeof v === 'number' ? Math.trunc(v) : typeof v === 'object' && v !== null && 'value' in v ? (v.value as number) : 0);
  return {
    include: {
      params: ['string', 'interface {}'], result: 'string',
      fn: (name: string, data: GoValue) => {
        const n = depth.get(name) ?? 0;
        if (n > INCLUDE_MAX_DEPTH) throw new GoError(`rendering template has a nested reference name: ${name}: unable to execute template`);
        depth.set(name, n + 1);
        try {
          return set.execute(name, data);
        } finally {
          depth.set(name, n);
        }
      },
    },
    required: {
      params: ['string', 'interface {}'],
      fn: (msg: string, v: GoValue) => {
        if (v === null || v === '') throw new GoError(warnWrap(msg));
        return v;
      },
    },
    fail: { params: ['string'], result: 'string', fn: (msg: string) => { throw new GoError(warnWrap(msg)); } },
    typeOf: { params: ['interface {}'], result: 'string', fn: (v: GoValue) => sprintf('%T', [v]) },
    kindOf: { params: ['interface {}'], result: 'string', fn: (v: GoValue) => kindName(v) },
    kindIs: { params: ['string', 'interface {}'], result: 'bool', fn: (k: string, v: GoValue) => kindName(v) === k },
    list: { params: [], variadic: 'interface {}', result: '[]interface {}', fn: (...v: GoValue[]) => v },
    dict: {
      params: [], variadic: 'interface {}', result: 'map[string]interface {}',
      fn: (...v: GoValue[]) => {
        const m: GoMap = {};
        for (let i = 0; i < v.length; i += 2) m[String(v[i])] = i + 1 < v.length ? v[i + 1]! : '';
        return m;
      },
    },
    set: {
      params: ['map[string]interface {}', 'string', 'interface {}'], result: 'map[string]interface {}',
      fn: (m: GoMap, k: string, v: GoValue) => {
        m[k] = v;
        return m;
      },
    },
    upper: { params: ['string'], result: 'string', fn: (s: string) => s.toUpperCase() },
    sub: { params: ['interface {}', 'interface {}'], result: 'int64', fn: (a: GoValue, b: GoValue) => int64(toInt64(a) - toInt64(b)) },
    default: {
      params: ['interface {}'], variadic: 'interface {}',
      fn: (d: GoValue, ...given: GoValue[]) => (given.length === 0 || empty(given[0]!) ? d : given[0]!),
    },
    hasKey: { params: ['map[string]interface {}', 'string'], result: 'bool', fn: (m: GoMap | null, k: string) => m !== null && Object.hasOwn(m, k) },
    ternary: { params: ['interface {}', 'interface {}', 'bool'], fn: (t: GoValue, f: GoValue, v: boolean) => (v ? t : f) },
    indent: {
      params: ['int', 'string'], result: 'string',
      fn: (n: { value: number }, v: string) => ' '.repeat(n.value) + v.replaceAll('\n', '\n' + ' '.repeat(n.value)),
    },
  };
}

/** Sprig's empty: nil, false, 0, and empty strings and collections. */
function empty(v: GoValue): boolean {
  return !truth(v);
}

/** `--set k=v` for scalars, typed as helm's strvals types them. */
function applySet(values: GoMap, set: readonly string[]): void {
  for (const kv of set) {
    const [k, v] = kv.split('=') as [string, string];
    let value: GoValue = v;
    if (/^(true|false)$/i.test(v)) value = v.toLowerCase() === 'true';
    else if (v === '0' || /^[1-9][0-9]*$/.test(v)) value = goIntFromBigInt(BigInt(v));
    values[k] = value;
  }
}

export function renderSnippet(s: Snippet): { output: string | null; error: string | null } {
  const set = new TemplateSet({}, { name: 'gotpl' });
  set.addFuncs(snippetFuncs(set));
  const values: GoMap = s.values ? (JSON.parse(s.values) as GoMap) : {};
  applySet(values, s.set ?? []);
  const root = withGoType({
    Values: withGoType(values, 'common.Values'),
    Release: { Name: 'rel', Namespace: 'default', IsInstall: true, IsUpgrade: false, Revision: int(1), Service: 'Helm' },
    Chart: { Name: 'c', Version: '0.1.0', AppVersion: '1.2.3' },
    Template: withGoType({ Name: NOTES_PATH, BasePath: 'c/templates' }, 'common.Values'),
  } as GoMap, 'common.Values');
  const files = new Map<string, string>([[NOTES_PATH, s.template]]);
  for (const [path, text] of Object.entries(s.files ?? {})) if (path.startsWith('templates/')) files.set(`c/${path}`, text);
  try {
    for (const path of helmParseOrder([...files.keys()])) set.parse(path, files.get(path)!);
    return { output: set.execute(NOTES_PATH, root).replaceAll('<no value>', ''), error: null };
  } catch (e) {
    return { output: null, error: formatHelmError(e) };
  }
}

