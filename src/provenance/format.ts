// `values --explain` output: the same YAML as `values` prints (sigs.k8s.io/yaml: keys sorted, block
// style), with `# source` after the first line of every leaf; and the warnings as lines.
import { marshalYaml } from '../goyaml/index.js';
import { sortedKeys } from '../goyaml/key-order.js';
import { isMap, type GoMap } from '../template/value.js';
import type { LeafSource, ValuesWarning } from './explain.js';
import { pathKey } from './paths.js';

/** The values as YAML with every leaf's source as a trailing comment; parses to the same values. */
export function annotatedYaml(values: GoMap, sources: readonly LeafSource[]): string {
  const byPath = new Map(sources.map((s) => [pathKey(s.path), s.source]));
  const lines: string[] = [];
  const walk = (map: GoMap, path: string[], indent: string) => {
    for (const key of sortedKeys(Object.keys(map))) {
      const value = map[key]!;
      const here = [...path, key];
      // The key (quoted as the marshaller quotes it) and the value, marshalled on their own.
      const text = marshalYaml({ [key]: value } as GoMap).replace(/\n$/, '').split('\n');
      if (isMap(value) && Object.keys(value).length > 0) {
        lines.push(indent + text[0]!);
        walk(value, here, `${indent}  `);
        continue;
      }
      const source = byPath.get(pathKey(here));
      // The comment goes where the YAML allows it: after `key:` (a list follows) or a block scalar's
      // header, else after the scalar's last line (a long plain or quoted scalar folds over lines).
      const blockStart = (Array.isArray(value) && value.length > 0) || /: [|>][-+0-9]*$/.test(text[0]!);
      const at = text.length === 1 || blockStart ? 0 : text.length - 1;
      text.forEach((line, i) => lines.push(indent + line + (i === at && source ? `  # ${source}` : '')));
    }
  };
  walk(values, [], '');
  return lines.length ? `${lines.join('\n')}\n` : '{}\n';
}

/** One warning per line, as the CLI prints them on stderr. */
export function warningLines(warnings: readonly ValuesWarning[]): string {
  return warnings.map((w) => `warning: ${w.message}\n`).join('');
}
