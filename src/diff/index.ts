// `chartrelease diff` and plans: what applying a manifest would change, object by object, as unified
// diffs of the normalised objects (server-managed fields left out, Secret values redacted).
export { changedPaths, normalizePair, withoutServerFields, REDACTED, REDACTED_AFTER, REDACTED_BEFORE } from './normalize.js';
export { diffLines, unifiedDiff } from './unified.js';
export { formatDiffs, hasChanges, objectDiffs, summarize, summaryLine, type Deletion, type DiffAction, type DiffSummary, type ObjectDiff } from './plan.js';
export { releaseRecords, diffAgainstCluster, type ClusterDiffOptions } from './cluster.js';
