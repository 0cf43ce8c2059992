// The ChartRelease API: types, defaults and validation, durations, and the CRD derived from them.
export * from './types.js';
export { parseDuration, formatDuration, DURATION_PATTERN, InvalidDurationError } from './duration.js';
export {
  resolveSpec,
  chartSourceKind,
  InvalidSpecError,
  DEFAULT_INTERVAL,
  DEFAULT_HISTORY_LIMIT,
  DEFAULT_WAIT_TIMEOUT,
  DEFAULT_VALUES_KEY,
  DEFAULT_CHART_CONFIGMAP_KEY,
  type ResolvedSpec,
  type ResolvedRemediation,
  type ResolvedValuesReference,
} from './defaults.js';
export { chartReleaseCRD, type SchemaProps } from './crd.js';
export { chartReleasePath, chartReleasesPath, MAX_CONDITION_MESSAGE, truncateMessage } from './paths.js';
