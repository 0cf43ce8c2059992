// Charts: loading (directory, .tgz file or in-memory .tgz), Chart.yaml metadata, .helmignore, and
// the values machinery in ./values.
export type { Chart, ChartFile, ChartMetadata, Dependency, Maintainer, CrdFile } from './types.js';
export { loadChart, crdFiles, ChartLoadError, type LoadLimits, type LoadOptions } from './load.js';
export { ChartValidationError } from './metadata.js';
export { pathMatch, BadPatternError } from './path-match.js';
export * from './values/index.js';
