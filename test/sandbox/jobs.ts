// Jobs for the render pool's tests: each misbehaves in one way a hostile template can.
export function echo(input: unknown): unknown {
  return input;
}

export function spin(): never {
  for (;;) {
    /* a template stuck in a loop */
  }
}

export function named(names: string[], progress: (what: string) => void): number {
  for (const name of names) progress(name);
  return names.length;
}

export function spinNamed(names: string[], progress: (what: string) => void): never {
  for (const name of names) progress(name);
  for (;;) {
    /* stuck in the last template named */
  }
}

export function hog(_: unknown, progress: (what: string) => void): never {
  progress('hog/templates/big.yaml');
  const keep: unknown[] = [];
  for (;;) keep.push(new Array(10_000).fill({ x: keep.length }));
}

export class CustomError extends Error {
  override name = 'CustomError';
  extra = 'kept';
}

export function fail(): never {
  throw new CustomError('bad input at line 3');
}

export function deep(n: number): number {
  const step = (i: number): number => (i === 0 ? 0 : 1 + step(i - 1));
  return step(n);
}

/** The worker thread the job ran on. */
export async function thread(): Promise<number> {
  return (await import('node:worker_threads')).threadId;
}
