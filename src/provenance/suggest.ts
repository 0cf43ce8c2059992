// The nearest existing key for a misspelt one (`replicas` → `replicaCount`, `imgae` → `image`):
// edit distance with adjacent transpositions, case-insensitive, and a shared stem counts.

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * The candidate closest to `key`, or undefined when none is close: within a third of the longer
 * name's length in edits (at least 2), or sharing a stem of at least 5 characters that covers most of
 * the shorter name (`replicas`/`replicaCount`).
 */
export function nearestKey(key: string, candidates: Iterable<string>): string | undefined {
  const k = key.toLowerCase();
  let best: { name: string; score: number } | undefined;
  for (const name of new Set(candidates)) {
    if (name === key) continue;
    const c = name.toLowerCase();
    const distance = editDistance(k, c);
    const stem = commonPrefix(k, c);
    const shorter = Math.min(k.length, c.length);
    const close = distance <= Math.max(2, Math.floor(Math.max(k.length, c.length) / 3)) || (stem >= 5 && stem >= shorter - 1);
    if (!close) continue;
    const score = distance - stem / 10;
    if (!best || score < best.score || (score === best.score && name < best.name)) best = { name, score };
  }
  return best?.name;
}
