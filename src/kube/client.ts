// KubeClient: raw JSON requests to the API server. Authentication and TLS come from ./kubeconfig.ts
// (kubeconfig file, context, in-cluster service account; exec/auth-provider plugins through
// client-node, loaded only for them); the requests themselves are ours, so server-side apply sends
// the object exactly as written and no field is dropped by a typed model.
import { jsonStringify } from '../json/index.js';
import http from 'node:http';
import https from 'node:https';
import { KubeApiError, KubeTransportError, type ApiStatus } from './errors.js';
import { loadCredentials, type Credentials } from './kubeconfig.js';
import { queryString, type QueryValue } from './paths.js';

export interface Impersonation {
  /** Impersonate-User, e.g. serviceAccountUser(ns, name). */
  user: string;
  groups?: string[];
  uid?: string;
}

export interface KubeClientOptions {
  /** Path of a kubeconfig file; without it and without inCluster, the default loading rules apply ($KUBECONFIG, ~/.kube/config, in-cluster). */
  kubeconfigPath?: string;
  /** Context to use instead of the kubeconfig's current-context. */
  context?: string;
  /** Use the pod's service account (KUBERNETES_SERVICE_HOST, /var/run/secrets/kubernetes.io/serviceaccount). */
  inCluster?: boolean;
  /** Timeout of ordinary (non-watch) requests; default 60 s. */
  requestTimeoutMs?: number;
  userAgent?: string;
}

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** An object is sent as JSON; a string is sent as is (YAML for server-side apply). */
  body?: unknown;
  contentType?: string;
  /** Default application/json. */
  accept?: string;
  signal?: AbortSignal;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  /**
   * Ask for the answer as PartialObjectMetadata (metadata only, METADATA_ONLY): for callers that use
   * no more than the written object's metadata (its resourceVersion). The API server then encodes,
   * and we parse, a fraction of the object.
   */
  metadataOnly?: boolean;
  signal?: AbortSignal;
}

export interface ApplyOptions {
  fieldManager: string;
  /** Take over fields owned by other managers instead of failing with a conflict. */
  force?: boolean;
  dryRun?: boolean;
  /** The answer as PartialObjectMetadata (see WriteOptions.metadataOnly). */
  metadataOnly?: boolean;
  signal?: AbortSignal;
}

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy;
  dryRun?: boolean;
  /** Delete only if the object still has this uid / resourceVersion. */
  preconditions?: { uid?: string; resourceVersion?: string };
  signal?: AbortSignal;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; every page is fetched. Default 500. */
  limit?: number;
  signal?: AbortSignal;
}

export interface ObjectList<T> {
  items: T[];
  /** The list's resourceVersion, where a watch can start. */
  resourceVersion: string;
}

/** Accept header asking for objects' metadata only (lists come as PartialObjectMetadataList). */
export const METADATA_ONLY = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
export const METADATA_LIST_ONLY = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

export interface WatchParams {
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  labelSelector?: string;
  fieldSelector?: string;
  sendInitialEvents?: boolean;
  /** Accept header, e.g. METADATA_ONLY to stream PartialObjectMetadata instead of whole objects. */
  accept?: string;
  resourceVersionMatch?: string;
}

export interface WatchEvent<T = KubeObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  /** For ERROR, a metav1.Status (410 Gone when the resourceVersion is too old). */
  object: T;
}

/** Any Kubernetes object as JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    managedFields?: unknown[];
    deletionTimestamp?: string;
    finalizers?: string[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** The HTTP transport: TLS material and credentials from the kubeconfig, one keep-alive agent. */
class Transport {
  private agent: http.Agent | undefined;
  private agentKey = '';
  /** The TLS values the agent's key was last computed from (credentials hand out the same ones until they change). */
  private agentTls: readonly unknown[] = [];
  readonly server: URL;

  constructor(
    readonly credentials: Credentials,
    readonly requestTimeoutMs: number,
    readonly userAgent: string,
  ) {
    this.server = credentials.server;
  }

  /** Request options with fresh credentials (token files are read again when they change). */
  async options(method: string, headers: Record<string, string>): Promise<https.RequestOptions> {
    const opts: https.RequestOptions = { method, headers: { ...headers } };
    await this.credentials.apply(opts);
    if (this.credentials.poolable) {
      // One agent per TLS identity, so connections are reused (a new certificate from a plugin makes a new one).
      // The key is computed (base64 of the PEMs) only when the credentials hand out other values.
      const material = [opts.ca, opts.cert, opts.key, opts.rejectUnauthorized, opts.servername];
      const same = this.agent !== undefined && material.every((v, i) => v === this.agentTls[i]);
      const key = same ? this.agentKey : material.map((v) => (Buffer.isBuffer(v) ? v.toString('base64') : String(v))).join('|');
      this.agentTls = material;
      if (!this.agent || key !== this.agentKey) {
        this.agent?.destroy();
        const tls = { ca: opts.ca, cert: opts.cert, key: opts.key, rejectUnauthorized: opts.rejectUnauthorized, servername: opts.servername };
        this.agent = this.server.protocol === 'http:' ? new http.Agent({ keepAlive: true }) : new https.Agent({ keepAlive: true, maxSockets: 16, ...tls });
        this.agentKey = key;
      }
      opts.agent = this.agent;
    }
    (opts.headers as Record<string, string>)['user-agent'] = this.userAgent;
    return opts;
  }

  send(path: string, opts: https.RequestOptions, onResponse: (res: http.IncomingMessage) => void, onError: (err: Error) => void): http.ClientRequest {
    const url = new URL(path, this.server);
    // Keep a base path of the server URL (e.g. https://host/k8s/clusters/x).
    if (this.server.pathname !== '/' && !path.startsWith(this.server.pathname)) url.pathname = this.server.pathname.replace(/\/$/, '') + url.pathname;
    const lib = url.protocol === 'http:' ? http : https;
    const req = lib.request(url, opts, onResponse);
    req.on('error', onError);
    return req;
  }

  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

/**
 * Raw requests to one API server as one identity. `impersonate()` derives a client that acts as
 * another user over the same connections.
 */
export class KubeClient {
  private constructor(
    private readonly transport: Transport,
    readonly impersonation: Impersonation | undefined,
  ) {}

  static fromCredentials(credentials: Credentials, opts: Pick<KubeClientOptions, 'requestTimeoutMs' | 'userAgent'> = {}): KubeClient {
    return new KubeClient(new Transport(credentials, opts.requestTimeoutMs ?? 60_000, opts.userAgent ?? 'chartrelease'), undefined);
  }

  static load(opts: KubeClientOptions = {}): KubeClient {
    return KubeClient.fromCredentials(loadCredentials(opts), opts);
  }

  /** The API server's URL. */
  get server(): string {
    return this.transport.server.toString();
  }

  /** A client that sends Impersonate-* headers: the API server authorizes every request as that user. */
  impersonate(impersonation: Impersonation): KubeClient {
    return new KubeClient(this.transport, impersonation);
  }

  /** Closes idle keep-alive connections (of every client derived from this one). */
  close(): void {
    this.transport.close();
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    const h: Record<string, string> = { accept: 'application/json', ...extra };
    if (this.impersonation) {
      h['impersonate-user'] = this.impersonation.user;
      if (this.impersonation.uid) h['impersonate-uid'] = this.impersonation.uid;
    }
    return h;
  }

  private async requestOptions(method: string, contentType: string | undefined, accept?: string): Promise<https.RequestOptions> {
    const opts = await this.transport.options(method, this.headers({ ...(contentType ? { 'content-type': contentType } : {}), ...(accept ? { accept } : {}) }));
    // Impersonate-Group is repeatable: Node sends an array header as repeated lines.
    if (this.impersonation?.groups?.length) (opts.headers as Record<string, string | string[]>)['impersonate-group'] = this.impersonation.groups;
    return opts;
  }

  /** One request; resolves with the parsed JSON body of a 2xx answer, rejects with KubeApiError / KubeTransportError. */
  async request<T = KubeObject>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const fullPath = path + queryString(opts.query);
    const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : jsonStringify(opts.body);
    const httpOpts = await this.requestOptions(method, payload === undefined ? undefined : (opts.contentType ?? 'application/json'), opts.accept);
    // Always a length: Node sends a DELETE body neither chunked nor with a length, and the server then
    // reads it as the next request on the kept-alive connection.
    if (payload !== undefined) (httpOpts.headers as Record<string, string>)['content-length'] = String(Buffer.byteLength(payload));
    httpOpts.timeout = this.transport.requestTimeoutMs;
    const signal = opts.signal;
    if (signal?.aborted) throw new KubeTransportError(method, fullPath, abortError(signal));
    return new Promise<T>((resolve, reject) => {
      const fail = (err: Error) => {
        signal?.removeEventListener('abort', onAbort);
        reject(err instanceof KubeApiError || err instanceof KubeTransportError ? err : new KubeTransportError(method, fullPath, err));
      };
      const req = this.transport.send(
        fullPath,
        httpOpts,
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('error', fail);
          res.on('end', () => {
            signal?.removeEventListener('abort', onAbort);
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            let body: unknown = undefined;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              body = undefined;
            }
            if (status >= 200 && status < 300) {
              if (text && body === undefined) fail(new Error(`answer is not JSON: ${text.slice(0, 200)}`));
              else resolve(body as T);
            } else {
              const apiStatus = body && typeof body === 'object' && (body as ApiStatus).kind === 'Status' ? (body as ApiStatus) : undefined;
              reject(new KubeApiError({ method, path: fullPath, statusCode: status, status: apiStatus, body: text }));
            }
          });
        },
        fail,
      );
      const onAbort = () => req.destroy(abortError(signal!));
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.transport.requestTimeoutMs} ms`)));
      req.end(payload);
    });
  }

  get<T = KubeObject>(path: string, opts: { query?: Record<string, QueryValue>; accept?: string; signal?: AbortSignal } = {}): Promise<T> {
    return this.request<T>('GET', path, opts);
  }

  /** Lists a collection, following `continue` tokens until the last page. A 410 mid-way is thrown (start again). */
  async list<T = KubeObject>(path: string, opts: ListOptions = {}): Promise<ObjectList<T>> {
    const items: T[] = [];
    let token: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.request<{ items?: T[]; metadata?: { continue?: string; resourceVersion?: string } }>('GET', path, {
        query: { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, limit: opts.limit ?? 500, continue: token },
        signal: opts.signal,
      });
      items.push(...(page.items ?? []));
      token = page.metadata?.continue || undefined;
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
    } while (token);
    return { items, resourceVersion };
  }

  /** POST to a collection path. */
  create<T = KubeObject>(collectionPath: string, body: unknown, opts: WriteOptions = {}): Promise<T> {
    return this.request<T>('POST', collectionPath, { body, query: writeQuery(opts), accept: writeAccept(opts), signal: opts.signal });
  }

  /** PUT: replaces the object; carries metadata.resourceVersion for optimistic concurrency. */
  replace<T = KubeObject>(path: string, body: unknown, opts: WriteOptions = {}): Promise<T> {
    return this.request<T>('PUT', path, { body, query: writeQuery(opts), accept: writeAccept(opts), signal: opts.signal });
  }

  /** PATCH with a merge, JSON or strategic patch. A JSON patch whose first op is `test` fails when another writer got there first. */
  patch<T = KubeObject>(path: string, type: Exclude<PatchType, 'apply'>, patch: unknown, opts: WriteOptions = {}): Promise<T> {
    return this.request<T>('PATCH', path, { body: patch, contentType: PATCH_CONTENT_TYPE[type], query: writeQuery(opts), accept: writeAccept(opts), signal: opts.signal });
  }

  /**
   * Server-side apply: PATCH application/apply-patch+yaml to the object's path. `object` is sent as
   * given (YAML or JSON text, or an object serialized as JSON, which is YAML too).
   */
  apply<T = KubeObject>(path: string, object: string | KubeObject, opts: ApplyOptions): Promise<T> {
    return this.request<T>('PATCH', path, {
      body: typeof object === 'string' ? object : jsonStringify(object),
      contentType: PATCH_CONTENT_TYPE.apply,
      query: { fieldManager: opts.fieldManager, force: opts.force ? true : undefined, dryRun: opts.dryRun ? 'All' : undefined },
      accept: writeAccept(opts),
      signal: opts.signal,
    });
  }

  /** DELETE; resolves with the server's answer (the object while finalizers hold it, or a Status). */
  delete<T = KubeObject>(path: string, opts: DeleteOptions = {}): Promise<T> {
    const body =
      opts.propagationPolicy || opts.preconditions
        ? { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: opts.propagationPolicy, preconditions: opts.preconditions }
        : undefined;
    return this.request<T>('DELETE', path, { body, query: { dryRun: opts.dryRun ? 'All' : undefined }, signal: opts.signal });
  }

  /**
   * A watch as an async stream of events. Ends when the server closes the stream (timeoutSeconds) or
   * `signal` aborts; a non-200 answer (410 Gone for a too old resourceVersion) is thrown as
   * KubeApiError. ERROR events (a Status inside the stream) are yielded for the caller to handle.
   */
  async *watchStream<T = KubeObject>(path: string, params: WatchParams = {}, signal?: AbortSignal): AsyncGenerator<WatchEvent<T>> {
    const fullPath =
      path +
      queryString({
        watch: 1,
        resourceVersion: params.resourceVersion,
        resourceVersionMatch: params.resourceVersionMatch,
        allowWatchBookmarks: params.allowWatchBookmarks,
        sendInitialEvents: params.sendInitialEvents,
        timeoutSeconds: params.timeoutSeconds,
        labelSelector: params.labelSelector,
        fieldSelector: params.fieldSelector,
      });
    if (signal?.aborted) return;
    const httpOpts = await this.requestOptions('GET', undefined, params.accept);
    const queue: (WatchEvent<T> | Error | null)[] = [];
    let wake: (() => void) | undefined;
    const push = (item: WatchEvent<T> | Error | null) => {
      queue.push(item);
      wake?.();
      wake = undefined;
    };
    let res: http.IncomingMessage | undefined;
    const req = this.transport.send(
      fullPath,
      httpOpts,
      (response) => {
        res = response;
        if (response.statusCode !== 200) {
          const chunks: Buffer[] = [];
          response.on('data', (d: Buffer) => chunks.push(d));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let status: ApiStatus | undefined;
            try {
              status = JSON.parse(text) as ApiStatus;
            } catch {
              status = undefined;
            }
            push(new KubeApiError({ method: 'GET', path: fullPath, statusCode: response.statusCode ?? 0, status, body: text }));
          });
          return;
        }
        let buffered = '';
        response.setEncoding('utf8');
        response.on('data', (d: string) => {
          buffered += d;
          let nl: number;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl).trim();
            buffered = buffered.slice(nl + 1);
            if (!line) continue;
            try {
              push(JSON.parse(line) as WatchEvent<T>);
            } catch (err) {
              push(new KubeTransportError('GET', fullPath, new Error(`bad watch event: ${(err as Error).message}`)));
            }
          }
        });
        response.on('end', () => push(null));
        response.on('error', (err) => push(signal?.aborted ? null : new KubeTransportError('GET', fullPath, err)));
        // A connection cut mid-stream may close the response without 'end' or 'error': the stream is over.
        response.on('close', () => push(response.complete || signal?.aborted ? null : new KubeTransportError('GET', fullPath, new Error('watch connection closed'))));
      },
      (err) => push(signal?.aborted ? null : new KubeTransportError('GET', fullPath, err)),
    );
    const onAbort = () => {
      push(null);
      req.destroy();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    req.end();
    try {
      for (;;) {
        if (queue.length === 0) await new Promise<void>((r) => (wake = r));
        const item = queue.shift()!;
        if (item === null) return;
        if (item instanceof Error) throw item;
        yield item;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      res?.destroy();
      req.destroy();
    }
  }
}

/** A server that cannot give metadata only (an aggregated API built otherwise) answers with the whole object. */
const METADATA_OR_OBJECT = `${METADATA_ONLY},application/json`;

function writeAccept(opts: { metadataOnly?: boolean }): string | undefined {
  return opts.metadataOnly ? METADATA_OR_OBJECT : undefined;
}

function writeQuery(opts: WriteOptions): Record<string, QueryValue> {
  return { dryRun: opts.dryRun ? 'All' : undefined, fieldManager: opts.fieldManager };
}
