// The process's render pool: the operator configures it from its flags at start; anything that
// renders without a pool of its own (tests, the CLI's operator) gets one with the default limits.
import { RenderPool, type RenderPoolOptions } from './pool.js';

let shared: RenderPool | undefined;

export function sharedRenderPool(): RenderPool {
  shared ??= new RenderPool();
  return shared;
}

/** Replaces the shared pool (the old one is closed once its renders finish). */
export function configureSharedRenderPool(options: RenderPoolOptions): RenderPool {
  const old = shared;
  shared = new RenderPool(options);
  void old?.close();
  return shared;
}
