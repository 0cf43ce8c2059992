// The order in which go-yaml (v2 and v3) writes map keys: a "natural" order in which digit runs
// compare as numbers and non-letters sort before letters, unlike Go's byte order used by toJson
// and range.

const letter = /\p{L}/u;
const digit = /\p{Nd}/u;

function digitValue(c: string): bigint {
  // Go computes rune - '0', which is only meaningful for ASCII digits but is what it sorts by.
  return BigInt(c.codePointAt(0)! - 48);
}

/** go-yaml's keyList.Less for two string keys, as a comparator. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return keyLess(a, b) ? -1 : 1;
}

function keyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const x = ar[i]!;
    const y = br[i]!;
    if (x === y) continue;
    const xl = letter.test(x);
    const yl = letter.test(y);
    if (xl && yl) return x.codePointAt(0)! < y.codePointAt(0)!;
    if (xl || yl) return yl;
    let an = 0n;
    let bn = 0n;
    if (x === '0' || y === '0') {
      for (let j = i - 1; j >= 0 && digit.test(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && digit.test(ar[ai]!); ai++) an = BigInt.asIntN(64, an * 10n + digitValue(ar[ai]!));
    let bi = i;
    for (; bi < br.length && digit.test(br[bi]!); bi++) bn = BigInt.asIntN(64, bn * 10n + digitValue(br[bi]!));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return x.codePointAt(0)! < y.codePointAt(0)!;
  }
  return ar.length < br.length;
}

/** The keys of a map in go-yaml's order. */
export function sortedKeys(keys: Iterable<string>): string[] {
  return [...keys].sort(compareKeys);
}
