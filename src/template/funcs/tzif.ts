// Zone abbreviations from the system's time-zone database (TZif files under /usr/share/zoneinfo,
// which Go's time package reads too): `EST`, `BST`, `JST`, `LMT` before standard time, `+03`.
// Offsets come from Intl (gotime.ts); this only names them. Without the files, Intl's names are used.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ZoneData {
  /** Transition instants (Unix seconds), ascending. */
  when: number[];
  /** Index into `kinds` for each transition. */
  kindIndex: number[];
  kinds: { offset: number; abbrev: string }[];
  /** Abbreviations of the POSIX TZ footer by offset, for instants after the last transition. */
  footer: Map<number, string>;
}

const cache = new Map<string, ZoneData | null>();
const ZONEINFO_DIR = '/usr/share/zoneinfo';

function parseTzif(b: Buffer): ZoneData | null {
  if (b.toString('latin1', 0, 4) !== 'TZif') return null;
  const counts = (at: number) => [0, 1, 2, 3, 4, 5].map((i) => b.readUInt32BE(at + 20 + i * 4)) as [number, number, number, number, number, number];
  let [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(0);
  let at = 44;
  let timeSize = 4;
  if (b[4]! >= 0x32) {
    // Skip the 32-bit block; use the 64-bit one that follows.
    at += timecnt * 4 + timecnt + typecnt * 6 + charcnt + leap * 8 + isstd + isut;
    [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(at);
    at += 44;
    timeSize = 8;
  }
  const when: number[] = [];
  for (let i = 0; i < timecnt; i++) when.push(timeSize === 8 ? Number(b.readBigInt64BE(at + i * 8)) : b.readInt32BE(at + i * 4));
  at += timecnt * timeSize;
  const kindIndex = Array.from(b.subarray(at, at + timecnt));
  at += timecnt;
  const raw = Array.from({ length: typecnt }, (_, i) => ({ offset: b.readInt32BE(at + i * 6), abbrIndex: b[at + i * 6 + 5]! }));
  at += typecnt * 6;
  const chars = b.subarray(at, at + charcnt);
  const kinds = raw.map((k) => ({ offset: k.offset, abbrev: chars.toString('latin1', k.abbrIndex, chars.indexOf(0, k.abbrIndex)) }));
  at += charcnt + leap * (timeSize + 4) + isstd + isut;
  return { when, kindIndex, kinds, footer: parseFooter(b.toString('latin1', at).trim()) };
}

/** The names of a POSIX TZ string (`EST5EDT,M3.2.0,M11.1.0`, `<+0545>-5:45`) by their offsets. */
function parseFooter(tz: string): Map<number, string> {
  const out = new Map<number, string>();
  const m = /^(<[^>]*>|[A-Za-z]+)([+-]?\d+(?::\d+){0,2})(?:(<[^>]*>|[A-Za-z]+)([+-]?\d+(?::\d+){0,2})?)?/.exec(tz);
  if (!m) return out;
  const seconds = (s: string) => {
    const [h, mm = '0', ss = '0'] = s.replace(/^[+-]/, '').split(':');
    return (s.startsWith('-') ? -1 : 1) * (Number(h) * 3600 + Number(mm) * 60 + Number(ss));
  };
  const name = (s: string) => s.replace(/^<|>$/g, '');
  const std = -seconds(m[2]!); // POSIX offsets are west of UTC
  out.set(std, name(m[1]!));
  if (m[3]) out.set(m[4] ? -seconds(m[4]) : std + 3600, name(m[3]));
  return out;
}

function zoneData(zone: string): ZoneData | null {
  let z = cache.get(zone);
  if (z === undefined) {
    try {
      z = /^[A-Za-z0-9_+\-/]+$/.test(zone) && !zone.includes('..') ? parseTzif(readFileSync(join(ZONEINFO_DIR, zone))) : null;
    } catch {
      z = null;
    }
    cache.set(zone, z);
  }
  return z;
}

/** The abbreviation tzdata gives `zone` at `unixSec` (whose offset is `offset`), if the data is there. */
export function tzdataAbbreviation(zone: string, unixSec: number, offset: number): string | undefined {
  const z = zoneData(zone);
  if (!z || z.kinds.length === 0) return undefined;
  if (z.when.length === 0 || unixSec < z.when[0]!) return z.kinds[0]!.abbrev;
  let lo = 0;
  let hi = z.when.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (z.when[mid]! <= unixSec) lo = mid;
    else hi = mid - 1;
  }
  const kind = z.kinds[z.kindIndex[lo]!]!;
  if (lo === z.when.length - 1 && z.footer.size > 0) return z.footer.get(offset) ?? kind.abbrev;
  return kind.abbrev;
}
