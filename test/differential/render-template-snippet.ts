// Renders a differential snippet with our engine the way helm renders it: values from JSON (every
// number a float64), `--set` scalars, the chart's template files parsed in helm's order, and
// NOTES.txt executed with a minimal root context and the real Helm and Sprig functions; errors
// worded by formatHelmError.
import { helmFuncs } from '../../src/render/funcs.js';
import { parseSetValues } from '../../src/chart/index.js';
import { formatHelmError } from '../../src/render/helm-errors.js';
import { TemplateSet, defineNamedType, int, withGoType, type GoMap } from '../../src/template/index.js';
import { helmParseOrder, NOTES_PATH, type Snippet } from '../support/helm-snippets.js';

defineNamedType('common.Values', 'map[string]interface {}');

export function renderSnippet(s: Snippet): { output: string | null; error: string | null } {
  const set = new TemplateSet({}, { name: 'gotpl' });
  set.addFuncs(helmFuncs(set, () => undefined)); // the functions charts get: Sprig's and Helm's, as shipped
  const values: GoMap = s.values ? (JSON.parse(s.values) as GoMap) : {};
  for (const kv of s.set ?? []) parseSetValues(kv, values); // --set as helm's strvals reads it
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

