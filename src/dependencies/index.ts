// spec.dependsOn: which ChartReleases must be Ready first, cycles, and reading them.
export { dependenciesOf, dependencyVerdict, notReadyBecause, refKey, type DependencyRef, type DependencyVerdict } from './graph.js';
export { gatherDependencies, MAX_DEPENDENCY_READS } from './read.js';
