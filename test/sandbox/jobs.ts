// Jobs for the render pool's tests: each misbehaves in one way a hostile template can.
export function echo(input: unknown): unknown {
  return input;
}

export function spin(): never {
  for (;;) {
    /* a template stuck in a loop */
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
