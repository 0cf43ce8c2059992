// Our own list/watch, as an explicit state machine (the model is kube-rs' watcher):
//
//   empty ──list page──▶ listing(continue, items so far) ──last page──▶ watching(resourceVersion)
//     ▲                        │ 410 Gone                                  │ event: moves resourceVersion
//     └────────────────────────┴───────────── 410 Gone / ERROR 410 ◀───────┘ bookmark: moves resourceVersion only
//                                                                           stream end / inactivity: watch again at RV
//
// `step` is pure: it takes the state and what the last request returned and gives the next state and
// the events to emit. `runWatcher` is the thin driver: it performs the request the state asks for
// through a WatchSource (the API server through `apiWatchSource` in production, a script in tests), aborts a watch that stays
// silent longer than the inactivity timeout, and backs off (with jitter, capped at about a second)
// after errors; any answer from the server (a list page, a watch event) starts the backoff over, so
// a watcher sees the apiserver again within a second or two of its return, however long it was gone.
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { METADATA_LIST_ONLY, METADATA_ONLY, type KubeClient } from './client.js';

export interface Meta {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; [k: string]: unknown };
}

export type WatcherState = { kind: 'empty' } | { kind: 'listing'; continueToken: string; items: Meta[] } | { kind: 'watching'; resourceVersion: string };

/** What a consumer sees: a complete listing (replace everything you know), or one change. */
export type WatcherEvent<T> = { type: 'relisted'; objects: T[] } | { type: 'applied'; object: T } | { type: 'deleted'; object: T };

export interface ListPage<T> {
  items: T[];
  continueToken?: string;
  resourceVersion: string;
}

export interface RawWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: any;
}

/** The result of one request, as `step` consumes it. */
export type StepInput =
  | { kind: 'page'; page: ListPage<Meta> }
  | { kind: 'event'; event: RawWatchEvent }
  /** The watch stream ended without error (server-side timeout, or our inactivity abort). */
  | { kind: 'watchEnded' }
  /** The resourceVersion or continue token is too old (HTTP 410 or an ERROR event with code 410). */
  | { kind: 'gone' };

export function step<T extends Meta>(state: WatcherState, input: StepInput): { state: WatcherState; events: WatcherEvent<T>[] } {
  switch (input.kind) {
    case 'gone':
      return { state: { kind: 'empty' }, events: [] };
    case 'page': {
      const items = [...(state.kind === 'listing' ? state.items : []), ...input.page.items];
      if (input.page.continueToken) return { state: { kind: 'listing', continueToken: input.page.continueToken, items }, events: [] };
      return { state: { kind: 'watching', resourceVersion: input.page.resourceVersion }, events: [{ type: 'relisted', objects: items as T[] }] };
    }
    case 'watchEnded':
      return { state, events: [] };
    case 'event': {
      if (state.kind !== 'watching') return { state, events: [] };
      const { type, object } = input.event;
      if (type === 'ERROR') {
        const code = (object as { code?: number } | undefined)?.code;
        return code === 410 ? { state: { kind: 'empty' }, events: [] } : { state, events: [] };
      }
      const rv = (object as Meta)?.metadata?.resourceVersion;
      const next: WatcherState = rv ? { kind: 'watching', resourceVersion: rv } : state;
      if (type === 'BOOKMARK') return { state: next, events: [] };
      return { state: next, events: [type === 'DELETED' ? { type: 'deleted', object: object as T } : { type: 'applied', object: object as T }] };
    }
  }
}

/** The API calls a watcher needs; errors with statusCode 410 (or reason Gone/Expired) mean "too old". */
export interface WatchSource {
  listPage(continueToken: string | undefined, signal: AbortSignal): Promise<ListPage<Meta>>;
  watch(resourceVersion: string, signal: AbortSignal): AsyncIterable<RawWatchEvent>;
}

export interface WatcherOptions {
  /** A watch that delivers nothing (not even a bookmark) this long is abandoned and opened again. Default 5 min. */
  inactivityTimeoutMs?: number;
  backoff?: Partial<BackoffOptions>;
  random?: () => number;
  /** Called for every error before the backoff (for logs and metrics). */
  onError?: (err: unknown, state: WatcherState) => void;
}

function isGoneError(err: unknown): boolean {
  const e = err as { statusCode?: number; reason?: string } | undefined;
  return e?.statusCode === 410 || e?.reason === 'Gone' || e?.reason === 'Expired';
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** Runs the state machine until `signal` aborts, calling `emit` for every event (awaited, in order). */
export async function runWatcher<T extends Meta>(source: WatchSource, emit: (e: WatcherEvent<T>) => void | Promise<void>, signal: AbortSignal, opts: WatcherOptions = {}): Promise<void> {
  const inactivityMs = opts.inactivityTimeoutMs ?? 300_000;
  // The cap stays short: a watcher waiting out a long backoff would miss the apiserver's return by as
  // long, and a retry against a server that is down costs one refused connection.
  const backoff: BackoffOptions = { baseMs: 200, maxMs: 1_000, jitter: 0.2, ...opts.backoff };
  const random = opts.random ?? Math.random;
  let state = { kind: 'empty' } as WatcherState;
  let failures = 0;
  const advance = async (input: StepInput) => {
    const r = step<T>(state, input);
    state = r.state;
    for (const e of r.events) await emit(e);
  };
  while (!signal.aborted) {
    try {
      if (state.kind !== 'watching') {
        const page = await source.listPage(state.kind === 'listing' ? state.continueToken : undefined, signal);
        failures = 0;
        await advance({ kind: 'page', page });
      } else {
        const watchAbort = new AbortController();
        const stopWatch = () => watchAbort.abort();
        signal.addEventListener('abort', stopWatch, { once: true });
        let timer = setTimeout(stopWatch, inactivityMs);
        try {
          for await (const event of source.watch(state.resourceVersion, watchAbort.signal)) {
            failures = 0; // the server answers: a cut after this starts the backoff over
            clearTimeout(timer);
            timer = setTimeout(stopWatch, inactivityMs);
            await advance({ kind: 'event', event });
            if (state.kind !== 'watching') break; // 410 inside the stream: relist
          }
        } finally {
          clearTimeout(timer);
          signal.removeEventListener('abort', stopWatch);
          watchAbort.abort();
        }
        if (state.kind === 'watching') await advance({ kind: 'watchEnded' });
      }
      failures = 0;
    } catch (err) {
      if (signal.aborted) return;
      if (isGoneError(err)) {
        await advance({ kind: 'gone' });
        continue;
      }
      opts.onError?.(err, state);
      failures += 1;
      await sleep(backoffDelay(failures, backoff, random()), signal);
    }
  }
}

/** A WatchSource over the API server: paged lists and watch streams of one collection. */
export function apiWatchSource(
  client: KubeClient,
  collectionPath: string,
  opts: { pageSize?: number; labelSelector?: string; metadataOnly?: boolean } = {},
): WatchSource {
  return {
    async listPage(continueToken, signal) {
      const page = await client.get<{ items?: Meta[]; metadata?: { continue?: string; resourceVersion?: string } }>(collectionPath, {
        query: { limit: opts.pageSize ?? 500, continue: continueToken, labelSelector: opts.labelSelector },
        accept: opts.metadataOnly ? METADATA_LIST_ONLY : undefined,
        signal,
      });
      const result: ListPage<Meta> = { items: page.items ?? [], resourceVersion: page.metadata?.resourceVersion ?? '' };
      if (page.metadata?.continue) result.continueToken = page.metadata.continue;
      return result;
    },
    watch(resourceVersion, signal) {
      // Spread server-side timeouts so the watches of many operators do not reconnect together.
      const timeoutSeconds = 240 + Math.floor(Math.random() * 120);
      return client.watchStream(collectionPath, { resourceVersion, allowWatchBookmarks: true, timeoutSeconds, labelSelector: opts.labelSelector, accept: opts.metadataOnly ? METADATA_ONLY : undefined }, signal) as AsyncIterable<RawWatchEvent>;
    },
  };
}
