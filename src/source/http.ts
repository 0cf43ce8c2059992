// HTTP(S) GET for chart sources: TLS settings and credentials from a SourceAuth, a deadline for the
// whole request and an idle timeout on every read, a size ceiling on the body, redirects followed
// (credentials dropped when the host changes, as Go's client does), and failures turned into
// ChartSourceErrors that name the URL (never with credentials or query string) and say what to do.
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ChartSourceError, type SourceAuth } from './types.js';

export interface GetOptions {
  auth?: SourceAuth;
  /** Send the credentials (basic or bearer) with the request. TLS settings always apply. */
  sendCredentials?: boolean;
  /** The whole request, headers and body (default 5 minutes). */
  deadlineMs?: number;
  /** Longest wait for the connection, the headers or the next body chunk (default 30 s). */
  idleTimeoutMs?: number;
  /** Largest body accepted. */
  maxBytes: number;
  /** What is being fetched, for messages: "repository index", "chart archive". */
  what: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** POST this form (application/x-www-form-urlencoded) instead of a GET: OAuth2 token endpoints. Redirects are then not followed. */
  form?: Record<string, string>;
  /** Receives the body chunk by chunk instead of collecting it (the result's body is then empty). */
  onChunk?: (chunk: Buffer) => void;
}

export interface GetResult {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** The URL the body came from, after redirects. */
  url: string;
}

const MAX_REDIRECTS = 10;
export const DEFAULT_DEADLINE_MS = 5 * 60_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/** A URL as messages and status show it: no user information, no query string (it may hold a signature). */
export function displayUrl(url: string | URL): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    const hadQuery = u.search !== '';
    u.search = '';
    u.hash = '';
    return u.toString() + (hadQuery ? '?…' : '');
  } catch {
    return '(an invalid URL)';
  }
}

function authorization(auth: SourceAuth | undefined, url: URL): string | undefined {
  if (auth?.token) return `Bearer ${auth.token}`;
  if (auth?.username !== undefined || auth?.password !== undefined) return `Basic ${Buffer.from(`${auth.username ?? ''}:${auth.password ?? ''}`).toString('base64')}`;
  if (url.username || url.password) return `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  return undefined;
}

/** What a network error means for the user. */
function networkError(err: NodeJS.ErrnoException, shown: string, what: string): ChartSourceError {
  const code = err.code ?? '';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|DEPTH_ZERO|HOSTNAME|ALTNAME/.test(code) || /certificate/i.test(err.message)) {
    return new ChartSourceError(
      'SourceUnreachable',
      `${what} ${shown}: TLS verification failed (${err.message}); give the repository's CA as ca.crt in the credentials Secret (--ca-file), or set insecureSkipTLSVerify`,
      false,
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ChartSourceError('SourceUnreachable', `${what} ${shown}: host not found (${code}); check the URL`, true);
  return new ChartSourceError('SourceUnreachable', `${what} ${shown}: ${code ? `${code} ` : ''}${err.message}`.trimEnd(), true);
}

/** One GET (or a form POST), following redirects; resolves for any status (callers decide what a 404 means). */
export async function httpGet(url: string, options: GetOptions): Promise<GetResult> {
  let current = new URL(url);
  const origin = current.host;
  const deadline = Date.now() + (options.deadlineMs ?? DEFAULT_DEADLINE_MS);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    // Credentials go to the host they were given for only (Go drops Authorization on a cross-host redirect).
    const credentials = options.sendCredentials !== false && current.host === origin ? authorization(options.auth, current) : undefined;
    const result = await getOnce(current, options, credentials, deadline);
    const location = result.headers.location;
    if (!options.form && [301, 302, 303, 307, 308].includes(result.status) && location) {
      current = new URL(location, current);
      continue;
    }
    return result;
  }
  throw new ChartSourceError('SourceInvalid', `${options.what} ${displayUrl(url)}: more than ${MAX_REDIRECTS} redirects`, false);
}

function getOnce(url: URL, options: GetOptions, credentials: string | undefined, deadline: number): Promise<GetResult> {
  const shown = displayUrl(url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new ChartSourceError('SourceInvalid', `${options.what} ${shown}: only http:// and https:// URLs are supported here`, false));
  }
  const auth = options.auth;
  const form = options.form ? new URLSearchParams(options.form).toString() : undefined;
  const reqOptions: RequestOptions & Record<string, unknown> = {
    method: form === undefined ? 'GET' : 'POST',
    headers: {
      'user-agent': 'chartrelease',
      accept: '*/*',
      ...(options.headers ?? {}),
      ...(credentials ? { authorization: credentials } : {}),
      ...(form !== undefined ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(form)) } : {}),
    },
    timeout: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
  };
  if (url.protocol === 'https:') {
    if (auth?.caPem) reqOptions.ca = auth.caPem;
    if (auth?.certPem) reqOptions.cert = auth.certPem;
    if (auth?.keyPem) reqOptions.key = auth.keyPem;
    reqOptions.rejectUnauthorized = !auth?.insecureSkipTLSVerify;
  }
  const target = new URL(url);
  target.username = '';
  target.password = '';
  return new Promise<GetResult>((resolve, reject) => {
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      req.destroy();
      reject(err);
    };
    const onAbort = () => fail(new ChartSourceError('SourceUnreachable', `${options.what} ${shown}: cancelled`, true));
    const remaining = deadline - Date.now();
    const timer = setTimeout(() => fail(new ChartSourceError('SourceUnreachable', `${options.what} ${shown}: no complete answer within ${Math.round((options.deadlineMs ?? DEFAULT_DEADLINE_MS) / 1000)}s`, true)), Math.max(remaining, 0));
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(target, reqOptions, (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const declared = Number(res.headers['content-length']);
      if (status === 200 && Number.isFinite(declared) && declared > options.maxBytes) {
        fail(new ChartSourceError('ArchiveInvalid', `${options.what} ${shown} is ${declared} bytes, more than the limit of ${options.maxBytes}`, false));
        return;
      }
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        size += chunk.length;
        // Error bodies are kept short: only their first bytes can end up in a message.
        if (status !== 200 && size > 64 * 1024) return;
        if (size > options.maxBytes) {
          fail(new ChartSourceError('ArchiveInvalid', `${options.what} ${shown} is larger than the limit of ${options.maxBytes} bytes`, false));
          return;
        }
        if (status === 200 && options.onChunk) {
          try {
            options.onChunk(chunk);
          } catch (err) {
            // The consumer's own error (a parse error, a request to start over) goes to the caller as it is.
            fail(err as Error);
          }
        } else chunks.push(chunk);
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        resolve({ status, headers: res.headers, body: Buffer.concat(chunks), url: url.toString() });
      });
      res.on('error', (err) => fail(networkError(err, shown, options.what)));
      res.on('aborted', () => fail(new ChartSourceError('SourceUnreachable', `${options.what} ${shown}: the server closed the connection mid-answer`, true)));
    });
    req.on('timeout', () => fail(new ChartSourceError('SourceUnreachable', `${options.what} ${shown}: no answer for ${Math.round((options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS) / 1000)}s`, true)));
    req.on('error', (err) => fail(networkError(err, shown, options.what)));
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    req.end(form);
  });
}

/** Turns a non-200 answer into the error a user can act on. */
export function statusError(result: GetResult, what: string, requested: string): ChartSourceError {
  const shown = displayUrl(requested);
  const s = result.status;
  if (s === 401 || s === 403) {
    return new ChartSourceError('SourceAuthFailed', `${what} ${shown}: ${s} ${s === 401 ? 'Unauthorized' : 'Forbidden'}; check the username/password or token in the credentials Secret (secretRef) or flags`, false);
  }
  if (s === 404) return new ChartSourceError('SourceInvalid', `${what} ${shown}: 404 Not Found; check the URL`, false);
  if (s === 408 || s === 429 || s >= 500) return new ChartSourceError('SourceUnreachable', `${what} ${shown}: the server answered ${s}; retrying with backoff`, true);
  return new ChartSourceError('SourceInvalid', `${what} ${shown}: the server answered ${s}`, false);
}
