// Values files (values.yaml, -f overlays, valuesFrom entries): every YAML document of a file is read
// into a map and the documents are merged in order; overlays are merged in order on top of each
// other. Maps merge deeply, everything else (lists included) is replaced by the later value.
import { parseYamlDocuments } from '../../goyaml/index.js';
import { isMap, type GoMap } from '../../template/value.js';

export class ValuesFileError extends Error {
  override name = 'ValuesFileError';
}

/** Deep merge of two values maps into a new map: `overlay` wins, maps are merged key by key. */
export function mergeMaps(base: GoMap, overlay: GoMap): GoMap {
  const out: GoMap = { ...base };
  for (const [k, v] of Object.entries(overlay)) {
    const prev = out[k];
    out[k] = isMap(v) && isMap(prev) ? mergeMaps(prev, v) : v;
  }
  return out;
}

/**
 * Reads one values file: all its documents merged; an empty file is an empty map. Errors are Go's
 * text (`cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 3: ...`).
 */
export function readValuesDocuments(text: string, name: string): GoMap {
  let values: GoMap = {};
  for (const doc of parseYamlDocuments(text, name)) {
    if (doc === null) continue;
    if (!isMap(doc)) {
      const kind = Array.isArray(doc) ? 'array' : typeof doc === 'string' ? 'string' : typeof doc === 'boolean' ? 'bool' : 'number';
      throw new ValuesFileError(`cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
    }
    values = mergeMaps(values, doc);
  }
  return values;
}

/** A user's values file (`-f`, a valuesFrom entry): like readValuesDocuments, errors name the file. */
export function readValuesFile(text: string, name: string): GoMap {
  try {
    return readValuesDocuments(text, name);
  } catch (err) {
    throw new ValuesFileError(`failed to parse ${name}: ${(err as Error).message}`);
  }
}

export interface ValuesSource {
  /** Shown in errors: a file path, or `ConfigMap ns/name key values.yaml`. */
  name: string;
  text: string;
}

/** `-f a -f b`: each file read as above, merged in order (later files win). */
export function mergeValueFiles(sources: readonly ValuesSource[]): GoMap {
  let values: GoMap = {};
  for (const source of sources) values = mergeMaps(values, readValuesFile(source.text, source.name));
  return values;
}
