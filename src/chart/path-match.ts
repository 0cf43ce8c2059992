// Go's path.Match / filepath.Match (on '/'-separated paths): `*` matches any run of non-'/'
// characters, `?` one non-'/' character, `[...]` a character class (`^` negates, ranges `a-z`),
// `\` escapes. A malformed pattern is an error (Go's ErrBadPattern), reported even when an earlier
// part already failed to match, as Go does.

export class BadPatternError extends Error {
  override name = 'BadPatternError';
  constructor(readonly pattern: string) {
    super('syntax error in pattern');
  }
}

/** Whether `name` matches the shell pattern `pattern`; throws BadPatternError for a malformed pattern. */
export function pathMatch(pattern: string, name: string): boolean {
  const p = Array.from(pattern);
  const n = Array.from(name);
  let pi = 0;
  let ni = 0;
  pattern: while (pi < p.length) {
    let star = false;
    while (pi < p.length && p[pi] === '*') {
      pi++;
      star = true;
    }
    const chunkStart = pi;
    pi = scanChunkEnd(p, pi);
    const chunk = p.slice(chunkStart, pi);
    if (star && chunk.length === 0) {
      // Trailing * matches the rest unless it contains a separator.
      return !n.slice(ni).includes('/');
    }
    const rest = matchChunk(chunk, n, ni, pattern);
    if (rest !== null && (pi < p.length || rest === n.length)) {
      ni = rest;
      continue;
    }
    if (star) {
      // Try to match the chunk at later positions; * never crosses '/'.
      for (let i = ni; i < n.length && n[i] !== '/'; i++) {
        const r = matchChunk(chunk, n, i + 1, pattern);
        if (r !== null) {
          if (pi === p.length && r !== n.length) continue;
          ni = r;
          continue pattern;
        }
      }
    }
    // No match: still report a malformed remainder of the pattern.
    while (pi < p.length) {
      while (pi < p.length && p[pi] === '*') pi++;
      const s = pi;
      pi = scanChunkEnd(p, pi);
      matchChunk(p.slice(s, pi), [], 0, pattern);
    }
    return false;
  }
  return ni === n.length;
}

/** End index of the chunk starting at `i` (up to the next unescaped `*` outside a class). */
function scanChunkEnd(p: string[], i: number): number {
  let inRange = false;
  for (; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      if (i + 1 < p.length) i++;
    } else if (c === '[') inRange = true;
    else if (c === ']') inRange = false;
    else if (c === '*' && !inRange) break;
  }
  return i;
}

/**
 * Matches `chunk` (no top-level `*`) against `n` from `ni`; returns the index after the match, or
 * null. With an empty `n` it only validates the chunk's syntax.
 */
function matchChunk(chunk: string[], n: string[], ni: number, pattern: string): number | null {
  let failed = false;
  let ci = 0;
  while (ci < chunk.length) {
    if (!failed && ni >= n.length) failed = true;
    const c = chunk[ci]!;
    switch (c) {
      case '[': {
        const ch = failed ? '' : n[ni]!;
        if (!failed) ni++;
        ci++;
        let negated = false;
        if (chunk[ci] === '^') {
          negated = true;
          ci++;
        }
        let matched = false;
        let count = 0;
        for (;;) {
          if (ci < chunk.length && chunk[ci] === ']' && count > 0) {
            ci++;
            break;
          }
          const lo = classChar(chunk, ci, pattern);
          ci = lo.next;
          let hi = lo.ch;
          if (chunk[ci] === '-') {
            const h = classChar(chunk, ci + 1, pattern);
            ci = h.next;
            hi = h.ch;
          }
          if (lo.ch <= ch && ch <= hi) matched = true;
          count++;
        }
        if (matched === negated) failed = true;
        break;
      }
      case '?':
        if (!failed) {
          if (n[ni] === '/') failed = true;
          ni++;
        }
        ci++;
        break;
      default: {
        // A literal character; `\\` escapes the next one.
        if (c === '\\') {
          ci++;
          if (ci >= chunk.length) throw new BadPatternError(pattern);
        }
        if (!failed) {
          if (chunk[ci] !== n[ni]) failed = true;
          ni++;
        }
        ci++;
      }
    }
  }
  return failed ? null : ni;
}

function classChar(chunk: string[], ci: number, pattern: string): { ch: string; next: number } {
  let c = chunk[ci];
  if (c === undefined || c === '-' || c === ']') throw new BadPatternError(pattern);
  if (c === '\\') {
    ci++;
    c = chunk[ci];
    if (c === undefined) throw new BadPatternError(pattern);
  }
  // A class must go on after each character (at least its closing ']').
  if (ci + 1 >= chunk.length) throw new BadPatternError(pattern);
  return { ch: c, next: ci + 1 };
}
