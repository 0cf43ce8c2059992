// Renders a Sprig snippet with our engine as helm would: values from JSON (numbers float64), --set
// scalars as helm's strvals types them, the template executed as NOTES.txt with sprigFuncs().
import { parseSetValues } from '../../src/chart/index.js';
import { formatHelmError } from '../../src/render/helm-errors.js';
import { TemplateSet, defineNamedType, int, withGoType, type GoMap, type GoValue } from '../../src/template/index.js';
import { sprigFuncs, systemDateEnvironment } from '../../src/template/funcs/index.js';
import { NOTES_PATH, type Snippet } from '../support/helm-snippets.js';

defineNamedType('common.Values', 'map[string]interface {}');

// The recordings ran helm with the machine's zone, UTC; the clock is the real one (only shapes of
// `now` are compared).
export const snippetFuncs = sprigFuncs({ dates: { ...systemDateEnvironment(), localZone: 'UTC' } });

export function renderSprigSnippet(s: Snippet): { output: string | null; error: string | null } {
  const set = new TemplateSet(snippetFuncs, { name: 'gotpl' });
  const values: GoMap = s.values ? (JSON.parse(s.values) as GoMap) : {};
  for (const kv of s.set ?? []) parseSetValues(kv, values); // --set as helm's strvals reads it
  const root = withGoType({
    Values: withGoType(values, 'common.Values'),
    Release: { Name: 'rel', Namespace: 'default', IsInstall: true, IsUpgrade: false, Revision: int(1), Service: 'Helm' },
    Template: withGoType({ Name: NOTES_PATH, BasePath: 'c/templates' }, 'common.Values'),
  } as GoMap, 'common.Values') as GoValue;
  try {
    set.parse(NOTES_PATH, s.template);
    const out = set.execute(NOTES_PATH, root).replaceAll('<no value>', '');
    // helm's JSON release output replaces each byte that is not UTF-8 with U+FFFD (our strings keep
    // such bytes as lone surrogates U+DC80-U+DCFF, see value.ts); do the same.
    return { output: out.replace(/(?<![\ud800-\udbff])[\udc80-\udcff]/g, '\ufffd'), error: null };
  } catch (e) {
    return { output: null, error: formatHelmError(e) };
  }
}
