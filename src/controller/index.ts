// The controller: watches (src/kube's watcher), work queue, reconcile (observe, decide, act), status conditions, events and
// the finalizer. `Operator` wires them; everything below it is usable (and tested) on its own.
export { Operator, RECONCILE_REQUEST_ANNOTATION, CONTROLLER_NAME, type OperatorOptions } from './operator.js';
export { Reconciler, recordSummary, type ReconcileResult, type ReconcilerOptions, type ObservedState } from './reconciler.js';
export { WorkQueue, type QueueObserver, type WorkQueueOptions } from './queue.js';
export { conditionsFor, type Outcome } from './conditions.js';
export { classify, type Observation, type ReleaseState, type RecordSummary } from './state.js';
export { decide, type NextAction } from './decide.js';
export { StalledError, RetryableError, classifyError } from './errors.js';
export { EventRecorder } from './events.js';
export { ReferenceIndex, referencesOf } from './references.js';
export { chartReleasePath, chartReleasesPath } from '../api/index.js';
export type { ActionLogger } from './actions/index.js';
