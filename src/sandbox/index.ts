// Bounded renders: a pool of worker threads with a deadline, a heap ceiling, a large stack and an
// output ceiling (see docs/reliability.md), and the transport of Go values across it.
export { RenderPool, RenderLimitError, reviveError, type JobRequest, type RenderPoolOptions } from './pool.js';
export { DEFAULT_RENDER_LIMITS, RENDER_LIMIT_FLAGS, RenderLimitFlagError, renderLimitsFromFlags, MiB, type RenderLimits } from './limits.js';
export { flattenValue, unflattenValue, type FlatValue } from './codec.js';
export type { ChartInput } from './charts.js';
export { sharedRenderPool, configureSharedRenderPool } from './shared.js';
