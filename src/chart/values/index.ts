// Values: files and overlays, `--set` parsing, coalescing with chart defaults, dependency processing
// (conditions, tags, aliases, import-values) and values.schema.json validation, as Helm does them.
export { mergeMaps, mergeValueFiles, readValuesFile, ValuesFileError, type ValuesSource } from './files.js';
export { coalesceValues, deepCopyValues, CoalesceError, type Warn } from './coalesce.js';
export { processDependencies, isCompatibleRange, valuesTable } from './dependencies.js';
export { parseSetValues, composeUserValues, SetValuesError, type SetKind, type UserValueOptions } from './strvals.js';
export { validateValues, SchemaValidationError } from './schema.js';
