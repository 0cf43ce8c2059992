// Unified diffs of texts (what `diff -u` prints): Myers' O(ND) shortest edit script over lines,
// hunks with three lines of context. Pure.

type Op = { kind: ' ' | '-' | '+'; line: string };

/** The shortest edit script turning `a` into `b` (Myers 1986, forward trace). */
export function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace back from (n, m).
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ kind: ' ', line: a[--x]! }), y--;
    if (d === 0) break;
    if (x === prevX) ops.push({ kind: '+', line: b[--y]! });
    else ops.push({ kind: '-', line: a[--x]! });
  }
  while (x > 0 && y > 0) ops.push({ kind: ' ', line: a[--x]! }), y--;
  return ops.reverse();
}

const splitLines = (text: string): string[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

/** A hunk range as GNU diff writes it: `l` for one line, `l,n`, and `l-1,0` for none (after line l-1). */
const range = (start: number, count: number) => (count === 0 ? `${start - 1},0` : count === 1 ? `${start}` : `${start},${count}`);

/**
 * `diff -u` of two texts under the given names ('' when they are equal): `--- a`, `+++ b`, then
 * hunks `@@ -l,s +l,s @@` with `context` unchanged lines around each change.
 */
export function unifiedDiff(aText: string, bText: string, aName: string, bName: string, context = 3): string {
  const a = splitLines(aText);
  const b = splitLines(bText);
  const ops = diffLines(a, b);
  if (ops.every((o) => o.kind === ' ')) return '';
  let out = `--- ${aName}\n+++ ${bName}\n`;
  // Positions (0-based) in a and b before each op.
  const pos: { ai: number; bi: number }[] = [];
  let ai = 0;
  let bi = 0;
  for (const o of ops) {
    pos.push({ ai, bi });
    if (o.kind !== '+') ai++;
    if (o.kind !== '-') bi++;
  }
  let i = 0;
  while (i < ops.length) {
    if (ops[i]!.kind === ' ') {
      i++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change
    // that is at most 2*context unchanged lines away.
    const start = Math.max(0, i - context);
    let end = i;
    let j = i;
    while (j < ops.length) {
      if (ops[j]!.kind !== ' ') {
        end = j;
        j++;
        continue;
      }
      let run = 0;
      while (j + run < ops.length && ops[j + run]!.kind === ' ') run++;
      if (j + run >= ops.length || run > 2 * context) break;
      j += run;
    }
    const stop = Math.min(ops.length, end + 1 + context);
    const hunk = ops.slice(start, stop);
    const aCount = hunk.filter((o) => o.kind !== '+').length;
    const bCount = hunk.filter((o) => o.kind !== '-').length;
    const aStart = pos[start]!.ai + 1;
    const bStart = pos[start]!.bi + 1;
    out += `@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@\n`;
    for (const o of hunk) out += `${o.kind}${o.line}\n`;
    i = stop;
  }
  return out;
}
