// Values provenance: where every computed value came from, and the overlay keys and nulls that do nothing.
export { explainValues, valuesWarnings, type ExplainedValues, type LeafSource, type ValuesLayer, type ValuesWarning } from './explain.js';
export { annotatedYaml, warningLines } from './format.js';
export { formatPath, type KeyPath } from './paths.js';
export { nearestKey } from './suggest.js';
