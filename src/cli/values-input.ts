// The values flags `template`, `values` and `diff` share (helm's -f and --set family) and how they
// become user values: each -f file read and merged in order, then --set-json, --set, --set-string,
// --set-file and --set-literal applied on top.
import { composeUserValues, mergeMaps, readValuesFile } from '../chart/index.js';
import type { ValuesLayer } from '../provenance/index.js';
import type { GoMap } from '../template/value.js';
import type { FlagValues } from './flags.js';
import type { CliIO } from './index.js';

export { CHART_SOURCE_FLAG_NAMES, VALUES_FLAGS } from './values-flags.js';

/** A file's text; errors worded as Go's os.ReadFile words them (`open x: no such file or directory`). */
export function readText(io: CliIO, path: string): string {
  try {
    return io.readFile(path).toString('utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`open ${path}: no such file or directory`);
    if (code === 'EISDIR') throw new Error(`read ${path}: is a directory`);
    if (code === 'EACCES') throw new Error(`open ${path}: permission denied`);
    throw err;
  }
}

const SET_KINDS = ['set-json', 'set', 'set-string', 'set-file', 'set-literal'] as const;

function setValues(flags: FlagValues, io: CliIO, fileValues: GoMap): GoMap {
  return composeUserValues({
    fileValues,
    setJson: flags['set-json'] as string[] | undefined,
    set: flags.set as string[] | undefined,
    setString: flags['set-string'] as string[] | undefined,
    setFile: flags['set-file'] as string[] | undefined,
    setLiteral: flags['set-literal'] as string[] | undefined,
    readFile: (p) => readText(io, p),
  });
}

function fileLayers(flags: FlagValues, io: CliIO): ValuesLayer[] {
  return ((flags.values as string[] | undefined) ?? []).map((file) => {
    const text = readText(io, file);
    return { name: file, values: readValuesFile(text, file), text };
  });
}

const merged = (layers: readonly ValuesLayer[]) => layers.reduce<GoMap>((out, layer) => mergeMaps(out, layer.values), {});

/** The user values of the flags, as helm computes them. */
export function userValuesOf(flags: FlagValues, io: CliIO): GoMap {
  return setValues(flags, io, merged(fileLayers(flags, io)));
}

/** userValuesOf, and the overlays they come from in merge order: each -f file, then the --set family as one layer. */
export function valuesInput(flags: FlagValues, io: CliIO): { userValues: GoMap; layers: ValuesLayer[] } {
  const layers = fileLayers(flags, io);
  const userValues = setValues(flags, io, merged(layers));
  const sets = SET_KINDS.filter((k) => ((flags[k] as string[] | undefined) ?? []).length > 0);
  if (sets.length) layers.push({ name: sets.map((k) => `--${k}`).join(', '), values: setValues(flags, io, {}) });
  return { userValues, layers };
}
