// Errors from the Kubernetes API, typed so callers decide by kind (terminal or retryable) and keep
// the API server's own message (RBAC's "forbidden: User ... cannot ...", SSA's conflict list).

/** A cause from a metav1.Status' details (field paths of conflicts, validation errors). */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** The parts of a metav1.Status we read. */
export interface ApiStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
}

/**
 * Whether a failed request may succeed when retried unchanged: throttling, server-side trouble,
 * timeouts, and optimistic-concurrency conflicts ("the object has been modified": a fresh read and a
 * retry fix those). Everything else (bad request, forbidden, not found, invalid, server-side apply
 * field conflicts) needs a change first.
 */
function isRetryableStatus(statusCode: number, reason: string, causes: StatusCause[] = [], message = ''): boolean {
  // Server-side apply reports an object that does not fit its schema as a 500; retrying cannot help.
  if (statusCode === 500 && /^failed to create typed patch object/.test(message)) return false;
  if (statusCode === 429 || statusCode >= 500) return true;
  if (reason === 'ServerTimeout' || reason === 'Timeout' || reason === 'TooManyRequests') return true;
  return statusCode === 409 && reason === 'Conflict' && !isFieldConflict(statusCode, causes, message);
}

/** A non-2xx answer of the API server. `message` is the server's own message. */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  readonly statusCode: number;
  /** metav1.StatusReason: NotFound, AlreadyExists, Conflict, Forbidden, Invalid, Gone, Expired, ... */
  readonly reason: string;
  readonly retryable: boolean;
  readonly causes: StatusCause[];
  readonly retryAfterSeconds: number | undefined;
  readonly method: string;
  readonly path: string;

  constructor(init: { method: string; path: string; statusCode: number; status?: ApiStatus; body?: string }) {
    const status = init.status ?? {};
    const reason = status.reason ?? reasonForCode(init.statusCode);
    const message = status.message ?? (init.body?.trim() || `${init.statusCode} ${reason}`);
    super(message);
    this.method = init.method;
    this.path = init.path;
    this.statusCode = init.statusCode;
    this.reason = reason;
    this.causes = status.details?.causes ?? [];
    this.retryAfterSeconds = status.details?.retryAfterSeconds;
    this.retryable = isRetryableStatus(init.statusCode, reason, this.causes, message);
  }
}

/** The request never got an HTTP answer (connection refused, reset, TLS failure, aborted). */
export class KubeTransportError extends Error {
  override readonly name = 'KubeTransportError';
  readonly retryable = true;
  readonly method: string;
  readonly path: string;
  constructor(method: string, path: string, cause: Error) {
    super(`${method} ${path}: ${cause.message}`, { cause });
    this.method = method;
    this.path = path;
  }
}

function isFieldConflict(statusCode: number, causes: StatusCause[], message: string): boolean {
  return statusCode === 409 && (causes.some((c) => c.reason === 'FieldManagerConflict') || /^Apply failed with \d+ conflict/.test(message));
}

function reasonForCode(code: number): string {
  switch (code) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 409:
      return 'Conflict';
    case 410:
      return 'Gone';
    case 415:
      return 'UnsupportedMediaType';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    case 504:
      return 'Timeout';
    default:
      return code >= 500 ? 'InternalError' : 'Unknown';
  }
}

export const isNotFound = (err: unknown): err is KubeApiError => err instanceof KubeApiError && err.statusCode === 404;
export const isAlreadyExists = (err: unknown): err is KubeApiError => err instanceof KubeApiError && err.reason === 'AlreadyExists';
export const isForbidden = (err: unknown): err is KubeApiError => err instanceof KubeApiError && err.statusCode === 403;
/** 410 Gone / Expired: a list continue token or watch resourceVersion is too old; start over with a fresh list. */
export const isGone = (err: unknown): err is KubeApiError => err instanceof KubeApiError && (err.statusCode === 410 || err.reason === 'Expired' || err.reason === 'Gone');
/** 409 on a write with a stale resourceVersion ("the object has been modified"). */
export const isStaleWrite = (err: unknown): err is KubeApiError =>
  err instanceof KubeApiError && err.statusCode === 409 && err.reason === 'Conflict' && !isFieldConflict(409, err.causes, err.message);
/** 409 from server-side apply: fields owned by other managers. */
export const isFieldManagerConflict = (err: unknown): err is KubeApiError => err instanceof KubeApiError && isFieldConflict(err.statusCode, err.causes, err.message);
/** Whether any error (ours or not) is worth retrying unchanged. */
export function isRetryable(err: unknown): boolean {
  return (err instanceof KubeApiError || err instanceof KubeTransportError) && err.retryable;
}
