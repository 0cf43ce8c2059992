// Go-style durations as Flux and Kubernetes users write them in specs: "30s", "10m", "1h30m", "1.5h",
// "250ms". The CRD enforces the same grammar with DURATION_PATTERN at `kubectl apply` time.

/** One or more number+unit pairs; units ms, s, m, h (what a resync period or timeout needs). */
export const DURATION_PATTERN = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)/g;
const WHOLE = new RegExp(DURATION_PATTERN);

export class InvalidDurationError extends Error {
  constructor(readonly text: string) {
    super(`invalid duration ${JSON.stringify(text)}: write it like 30s, 10m, 1h30m or 250ms`);
    this.name = 'InvalidDurationError';
  }
}

/** Milliseconds in a duration such as "1h30m"; throws InvalidDurationError on anything else. */
export function parseDuration(text: string): number {
  if (!WHOLE.test(text)) throw new InvalidDurationError(text);
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) total += Number(amount) * UNIT_MS[unit!]!;
  return Math.round(total);
}

/** The shortest Go-style spelling of a millisecond count: 600000 → "10m", 5400000 → "1h30m". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const unit of ['h', 'm', 's'] as const) {
    const n = Math.floor(rest / UNIT_MS[unit]!);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * UNIT_MS[unit]!;
  }
  if (rest > 0) out += `${rest}ms`;
  return out;
}
