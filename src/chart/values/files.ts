// Values files (values.yaml, -f overlays, valuesFrom entries): every YAML document of a file is read
// into a map and the documents are merged in order; overlays are merged in order on top of each
// other. Maps merge deeply, everything else (lists included) is replaced by the later value.
import { parseValuesYaml } from '../../goyaml/index.js';
import { isMap, mapGet, type GoMap } from '../../template/value.js';
import { setOwnKey } from './own-key.js';

export class ValuesFileError extends Error {
  override name = 'ValuesFileError';
}

/** Deep merge of two values maps into a new map: `overlay` wins, maps are merged key by key. */
export function mergeMaps(base: GoMap, overlay: GoMap): GoMap {
  const out: GoMap = { ...base };
  for (const [k, v] of Object.entries(overlay)) {
    const prev = mapGet(out, k);
    setOwnKey(out, k, isMap(v) && isMap(prev) ? mergeMaps(prev, v) : v);
  }
  return out;
}

/** A user's values file (`-f`, a valuesFrom entry): its documents merged; errors name the file. */
export function readValuesFile(text: string, name: string): GoMap {
  try {
    return parseValuesYaml(text, name);
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
