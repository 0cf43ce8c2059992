// A small pool of worker threads that run renders under limits: a heap ceiling and a large stack
// (worker resourceLimits), a deadline (the worker is terminated and replaced) and whatever output
// ceiling the job itself enforces. A render that passes a limit ends in a RenderLimitError naming
// the chart, the template running at that moment and the limit; the operator's event loop, its
// other releases, leader lease and probes never wait on a render.
//
// A job is a function exported by a module: the worker imports the module (once) and calls
// `fn(input, progress)`; what it returns or throws comes back. Errors come back by class name and
// message and are revived as instances of the classes the caller lists.
import { Worker } from 'node:worker_threads';
import { DEFAULT_RENDER_LIMITS, describeTimeout, type RenderLimits } from './limits.js';
import { newProgressBuffer, readProgress } from './progress.js';

/** A render stopped at a limit: deadline, memory, output (or the worker died). */
export class RenderLimitError extends Error {
  override name = 'RenderLimitError';
  constructor(message: string, readonly limit: 'timeout' | 'memory' | 'output' | 'crash') {
    super(message);
  }
}

export interface WireError {
  name: string;
  message: string;
  /** Own enumerable fields of the error that survive cloning (RenderError.renderedFiles, ...). */
  fields?: Record<string, unknown>;
}

export interface JobRequest<I> {
  /** file: URL of the module (import.meta.url-relative) that exports `fn`. */
  module: string;
  fn: string;
  input: I;
  /** Names what is rendered in limit errors: `chart "nginx"`. */
  label: string;
  /** Error classes thrown by the job that the caller tells apart (matched by `name`). */
  errors?: readonly (abstract new (...args: never[]) => Error)[];
}

interface Pending {
  request: JobRequest<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

interface Slot {
  worker: Worker;
  /** Where the worker records the template it executes (progress.ts). */
  progress: SharedArrayBuffer;
  /** `posted`: the last name too long for `progress`, which came as a message. */
  job: (Pending & { id: number; timer: NodeJS.Timeout | undefined; posted: string }) | null;
  /** Stops the worker once it has had no job for the pool's idleStopMs. */
  idle?: NodeJS.Timeout;
}

/** What the pool gives a new worker (worker.ts reads it). */
export interface WorkerData {
  progress: SharedArrayBuffer;
  /** A job module the worker loads as soon as it starts, before its first job arrives. */
  preload?: string;
}

export interface RenderPoolOptions {
  limits?: RenderLimits;
  /** Workers started at most (they start on demand). Default 1: each costs about 90 MiB of RSS once it has rendered a large chart. */
  size?: number;
  /**
   * The workers' young generation, in MiB (default: V8's, up to 32 MiB of nursery per worker). A
   * long-running operator sets it small: renders make short-lived garbage at a high rate, and a
   * nursery V8 lets grow stays resident (8 MiB: about 20 MiB less RSS at 300 podinfo releases).
   */
  youngGenerationMiB?: number;
  /**
   * The workers' entry script (default: worker.js). `chartrelease template` names the CommonJS
   * bundle of worker.ts the build makes next to its job bundle (bin/bundle-cli.js): a worker
   * that starts from a CommonJS script does not set up the ES module loader.
   */
  workerScript?: URL;
  /**
   * Stop a worker that has had no job for this long, in ms (default: keep it). The next job starts
   * a new one. The operator sets it: a release renders when its inputs change, not at its periodic
   * resyncs, so an idle operator need not keep a worker's isolate and heap (15 MiB of RSS after 1,000
   * podinfo installs: bench/scale.js, docs/performance.md).
   */
  idleStopMs?: number;
}

const WORKER_URL = new URL('./worker.js', import.meta.url);

export function reviveError(wire: WireError, classes: readonly (abstract new (...args: never[]) => Error)[] = []): Error {
  const cls = classes.find((c) => c.name === wire.name || (c.prototype as Error).name === wire.name);
  const err: Error = cls ? Object.create(cls.prototype as object) : new Error();
  Object.defineProperty(err, 'message', { value: wire.message, writable: true, configurable: true, enumerable: false });
  if (!cls && wire.name !== 'Error') Object.defineProperty(err, 'name', { value: wire.name, writable: true, configurable: true, enumerable: false });
  Object.defineProperty(err, 'stack', { value: `${wire.name}: ${wire.message}\n    (in a render worker)`, writable: true, configurable: true, enumerable: false });
  if (wire.fields) Object.assign(err, wire.fields);
  return err;
}

export class RenderPool {
  readonly limits: RenderLimits;
  private readonly size: number;
  private readonly youngGenerationMiB: number | undefined;
  private readonly workerScript: URL;
  private readonly idleStopMs: number | undefined;
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: RenderPoolOptions = {}) {
    this.limits = options.limits ?? DEFAULT_RENDER_LIMITS;
    this.size = Math.max(1, options.size ?? 1);
    this.youngGenerationMiB = options.youngGenerationMiB;
    this.workerScript = options.workerScript ?? WORKER_URL;
    this.idleStopMs = options.idleStopMs;
  }

  /** Runs a job in a worker; resolves with what `fn` returned. */
  run<I, O>(request: JobRequest<I>): Promise<O> {
    if (this.closed) return Promise.reject(new Error('the render pool is closed'));
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ request, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  /**
   * Starts a worker now, if the pool has room for one, and has it load `module` while the caller
   * goes on (`chartrelease template` starts its worker before it reads the rest of its input).
   */
  prestart(module?: string): void {
    if (this.closed || this.slots.length >= this.size) return;
    this.spawn(module);
  }

  /** Workers alive now (for tests and metrics). */
  get workerCount(): number {
    return this.slots.length;
  }

  /** Stops every worker; jobs still queued or running are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('the render pool is closed'));
    await Promise.all(this.slots.splice(0).map((slot) => {
      clearTimeout(slot.idle);
      if (slot.job) {
        clearTimeout(slot.job.timer);
        slot.job.reject(new Error('the render pool is closed'));
      }
      return slot.worker.terminate();
    }));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      this.start(slot, this.queue.shift()!);
    }
  }

  private spawn(preload?: string): Slot {
    const { maxHeapMiB, stackMiB } = this.limits;
    const workerData: WorkerData = { progress: newProgressBuffer(), ...(preload ? { preload } : {}) };
    const worker = new Worker(this.workerScript, {
      workerData,
      resourceLimits: { maxOldGenerationSizeMb: maxHeapMiB, stackSizeMb: stackMiB, ...(this.youngGenerationMiB ? { maxYoungGenerationSizeMb: this.youngGenerationMiB } : {}) },
      stdout: false,
      stderr: false,
    });
    const slot: Slot = { worker, progress: workerData.progress, job: null };
    worker.on('message', (msg: { id: number; started?: boolean; progress?: string; ok?: unknown; error?: WireError }) => {
      const job = slot.job;
      if (!job || job.id !== msg.id) return;
      if (msg.started) {
        // The deadline counts from the moment the worker takes the job (a new worker's start-up is not the render's).
        job.timer = setTimeout(() => this.timeout(slot, job.id), this.limits.timeoutMs);
        return;
      }
      if (msg.progress !== undefined) {
        job.posted = msg.progress;
        return;
      }
      this.finish(slot);
      if (msg.error) job.reject(reviveError(msg.error, job.request.errors));
      else job.resolve(msg.ok);
    });
    worker.on('error', (err: Error & { code?: string }) => {
      // resourceLimits reached (ERR_WORKER_OUT_OF_MEMORY) or an uncaught error: the worker is gone.
      const job = slot.job;
      this.remove(slot);
      if (!job) return;
      clearTimeout(job.timer);
      const where = this.where(slot, job);
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        job.reject(new RenderLimitError(`rendering ${job.request.label} exceeded the memory limit of ${this.limits.maxHeapMiB} MiB${where}`, 'memory'));
      } else {
        job.reject(new RenderLimitError(`rendering ${job.request.label} failed${where}: the render worker stopped: ${err.message}`, 'crash'));
      }
      this.dispatch();
    });
    worker.on('exit', () => {
      const job = slot.job;
      this.remove(slot);
      if (job) {
        clearTimeout(job.timer);
        job.reject(new RenderLimitError(`rendering ${job.request.label} failed: the render worker exited`, 'crash'));
      }
      this.dispatch();
    });
    // After the listeners: adding a 'message' listener refs the worker's port again. An idle worker
    // (a started one that has no job yet) does not keep the process alive.
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private start(slot: Slot, pending: Pending): void {
    const id = this.nextId++;
    clearTimeout(slot.idle);
    slot.job = { ...pending, id, timer: undefined, posted: '' };
    slot.worker.ref();
    const { module, fn, input } = pending.request;
    slot.worker.postMessage({ id, module, fn, input });
  }

  private finish(slot: Slot): void {
    if (slot.job) clearTimeout(slot.job.timer);
    slot.job = null;
    slot.worker.unref();
    this.dispatch();
    if (slot.job === null && this.idleStopMs !== undefined) {
      slot.idle = setTimeout(() => {
        if (slot.job !== null) return;
        this.remove(slot);
        void slot.worker.terminate();
      }, this.idleStopMs);
      slot.idle.unref();
    }
  }

  private timeout(slot: Slot, id: number): void {
    const job = slot.job;
    if (!job || job.id !== id) return;
    const where = this.where(slot, job);
    this.remove(slot);
    void slot.worker.terminate();
    job.reject(new RenderLimitError(`rendering ${job.request.label} exceeded ${describeTimeout(this.limits.timeoutMs)}${where}`, 'timeout'));
    this.dispatch();
  }

  /** ` while executing TEMPLATE` for a limit error, from what the worker recorded for the job. */
  private where(slot: Slot, job: NonNullable<Slot['job']>): string {
    const progress = readProgress(slot.progress, job.id, job.posted);
    return progress ? ` while executing ${progress}` : '';
  }

  private remove(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    clearTimeout(slot.idle);
    slot.job = null;
    slot.worker.removeAllListeners('exit');
  }
}
