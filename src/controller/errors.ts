// Typed errors carry the control flow of a reconcile: a StalledError needs a change from the user
// (the release stalls and is not retried until the spec or a referenced object changes), a
// RetryableError is retried with per-key backoff. classifyError() sorts any error from the other
// modules into one of the two, keeping the API server's own message (RBAC's, SSA's conflict list).
import { ApplyConflictError, ApplyError, CrdNotEstablishedError, ManifestError } from '../apply/index.js';
import { ChartLoadError, CoalesceError, SchemaValidationError, ValuesFileError } from '../chart/index.js';
import { isForbidden, isRetryable, KubeApiError, NoKindMatchError } from '../kube/index.js';
import { RecordTooLargeError, RevisionExistsError } from '../release/index.js';
import { RenderError } from '../render/index.js';
import { RenderLimitError } from '../sandbox/index.js';
import { InvalidSpecError } from '../api/index.js';
import { ChartSourceError } from '../source/index.js';

/** The user must change something before anything can happen. */
export class StalledError extends Error {
  override readonly name = 'StalledError';
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** Retried with backoff; the reason names the step that failed. */
export class RetryableError extends Error {
  override readonly name = 'RetryableError';
  constructor(
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Sorts an error into stalled or retryable, with a reason (CamelCase) and a message a user can act on. */
export function classifyError(err: unknown, step: string): StalledError | RetryableError {
  if (err instanceof StalledError || err instanceof RetryableError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof InvalidSpecError) return new StalledError('InvalidSpec', message);
  if (err instanceof SchemaValidationError) return new StalledError('ValuesSchemaInvalid', message);
  if (err instanceof ValuesFileError || err instanceof CoalesceError) return new StalledError('ValuesInvalid', message);
  if (err instanceof ChartLoadError) return new StalledError('ChartLoadFailed', message);
  if (err instanceof ChartSourceError) return err.retryable ? new RetryableError(err.reason, message, { cause: err }) : new StalledError(err.reason, message);
  if (err instanceof RenderError) return new StalledError('TemplateError', message);
  if (err instanceof RenderLimitError) return new StalledError('RenderLimitExceeded', message);
  if (err instanceof ManifestError) return new StalledError('ManifestInvalid', message);
  if (err instanceof RecordTooLargeError) return new StalledError('RecordTooLarge', message);
  if (err instanceof ApplyConflictError) return new StalledError('FieldManagerConflict', `${message}. Set spec.forceConflicts: true to take them over.`);
  if (err instanceof CrdNotEstablishedError || err instanceof RevisionExistsError) return new RetryableError(`${step}Failed`, message);
  if (err instanceof ApplyError) {
    const cause = err.cause;
    if (isForbidden(cause)) return new StalledError('Forbidden', message);
    if (err.retryable || cause instanceof NoKindMatchError) return new RetryableError(`${step}Failed`, message, { cause: err });
    return new StalledError(`${step}Failed`, message);
  }
  if (isForbidden(err)) return new StalledError('Forbidden', message);
  if (err instanceof KubeApiError && !isRetryable(err)) {
    // 4xx from the API server about something we send: the release cannot go on as it is.
    if (err.statusCode === 422 || err.statusCode === 400) return new StalledError(`${step}Failed`, message);
  }
  return new RetryableError(`${step}Failed`, message, { cause: err });
}
