// Where each key of a values file is written: the line of every key path, for `values --explain`
// (`values.production.yaml:4`). The `yaml` package reads the syntax; documents after `---` are
// later documents of the same file (they override earlier ones, so their lines win).
import { isMap as isYamlMap, isScalar, LineCounter, parseAllDocuments, type Node as YamlNode } from 'yaml';
import { pathKey } from './paths.js';

/** Key path (see pathKey) → 1-based line of its key. Unreadable text gives an empty map. */
export function keyLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const counter = new LineCounter();
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter: counter, version: '1.1', uniqueKeys: false });
  } catch {
    return lines;
  }
  const walk = (node: YamlNode | null | undefined, path: string[]) => {
    if (!isYamlMap(node)) return;
    for (const pair of node.items) {
      const key = pair.key;
      if (!isScalar(key) || key.range === undefined || key.range === null) continue;
      const segment = String(key.value);
      const next = [...path, segment];
      lines.set(pathKey(next), counter.linePos(key.range[0]).line);
      walk(pair.value as YamlNode | null, next);
    }
  };
  for (const doc of Array.isArray(docs) ? docs : [docs]) walk(doc.contents as YamlNode | null, []);
  return lines;
}
