// Go's time package as templates observe it: time.Time (an instant, a location and optionally a
// monotonic reading), locations through the platform's time-zone database (Intl), layouts
// (Format and Parse with Go's reference time and error texts), and time.Duration.
import { GoError, GoStruct, goStringToBytes } from '../value.js';
import { tzdataAbbreviation } from './tzif.js';

// ---------------------------------------------------------------------------------------------
// Locations.

export interface ZoneInfo {
  /** Seconds east of UTC. */
  offset: number;
  /** Abbreviation as Go's tzdata names it (`UTC`, `EST`, `CET`, `+03`). */
  abbrev: string;
}

/** A time zone: `UTC`, a fixed offset, or an IANA zone read through Intl. */
export class GoLocation {
  private fmt?: Intl.DateTimeFormat;
  private fixed?: ZoneInfo;
  private zoneName?: string;
  private pending?: () => string;

  /**
   * `name` is what Location.String() prints (`Local` for the local zone); `zone` the IANA name, or
   * a function that names it when the location is first used (the process's zone: asking ICU for it
   * costs tens of milliseconds, which a render that prints no date should not pay).
   */
  constructor(readonly name: string, zone: string | ZoneInfo | (() => string)) {
    if (typeof zone === 'function') this.pending = zone;
    else this.setZone(typeof zone === 'string' ? zone : name, zone);
  }

  private setZone(name: string, zone: string | ZoneInfo): void {
    if (typeof zone !== 'string') this.fixed = zone;
    else if (zone === 'UTC') this.fixed = { offset: 0, abbrev: 'UTC' };
    else this.fmt = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset', year: 'numeric' });
    this.zoneName = name;
  }

  get zone(): string {
    if (this.pending) {
      const zone = this.pending();
      this.pending = undefined;
      this.setZone(zone, zone);
    }
    return this.zoneName!;
  }

  lookup(unixSec: number): ZoneInfo {
    const zone = this.zone;
    if (this.fixed) return this.fixed;
    const ms = Math.min(Math.max(unixSec * 1000, -8.64e15), 8.64e15);
    const part = this.fmt!.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d\d):(\d\d)(?::(\d\d))?/.exec(part);
    const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0)) : 0;
    return { offset, abbrev: tzdataAbbreviation(zone, unixSec, offset) ?? zoneAbbreviation(zone, ms, offset) };
  }
}

const abbrevFormats = new Map<string, Intl.DateTimeFormat>();
const abbrevCache = new Map<string, string>();
/** English locales whose short zone names are tzdata's abbreviations for their region. */
const abbrevLocales = ['en-US', 'en-GB', 'en-IN', 'en-AU', 'en-NZ', 'en-ZA', 'en-IE', 'en-CA', 'en-SG', 'en-HK', 'en-PK', 'en-NG', 'en-KE', 'en-PH'];

/** The tzdata abbreviation: English names where Intl has one (EST, CET, IST), else Go's `+03` / `-0330` form. */
function zoneAbbreviation(zone: string, ms: number, offset: number): string {
  const key = `${zone} ${offset}`;
  const cached = abbrevCache.get(key);
  if (cached !== undefined) return cached;
  let found: string | undefined;
  for (const locale of abbrevLocales) {
    const fkey = `${locale} ${zone}`;
    let f = abbrevFormats.get(fkey);
    if (!f) abbrevFormats.set(fkey, (f = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' })));
    const name = f.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? '';
    if (/^[A-Z]{3,5}$/.test(name) && name !== 'GMT' && name !== 'UTC') {
      found = name;
      break;
    }
  }
  if (found === undefined && offset === 0) found = zone === 'UTC' || zone === 'Etc/UTC' ? 'UTC' : 'GMT';
  if (found === undefined) {
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    const mm = Math.floor((abs % 3600) / 60);
    found = `${sign}${String(Math.floor(abs / 3600)).padStart(2, '0')}${mm ? String(mm).padStart(2, '0') : ''}`;
  }
  abbrevCache.set(key, found);
  return found;
}

export const UTC = new GoLocation('UTC', 'UTC');

/** time.LoadLocation: `""`/`UTC` is UTC, `Local` the given local location, else an IANA name. */
export function loadLocation(name: string, local: GoLocation): GoLocation | undefined {
  if (name === '' || name === 'UTC') return UTC;
  if (name === 'Local') return local;
  if (name.includes('..') || name.startsWith('/')) return undefined;
  try {
    return new GoLocation(name, name);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// time.Time.

const NS = 1_000_000_000n;

/** A Go time.Time: Unix seconds, nanoseconds, location, and the monotonic reading of time.Now. */
export class GoTime extends GoStruct {
  constructor(
    readonly sec: number,
    readonly nsec: number,
    readonly loc: GoLocation,
    /** Nanoseconds on the monotonic clock (only for values derived from time.Now). */
    readonly mono?: bigint,
  ) {
    super('time.Time');
  }

  static fromUnixNano(ns: bigint, loc: GoLocation, mono?: bigint): GoTime {
    let sec = ns / NS;
    let nsec = ns % NS;
    if (nsec < 0n) {
      nsec += NS;
      sec -= 1n;
    }
    return new GoTime(Number(sec), Number(nsec), loc, mono);
  }

  get unixNano(): bigint {
    return BigInt(this.sec) * NS + BigInt(this.nsec);
  }

  zone(): ZoneInfo {
    return this.loc.lookup(this.sec);
  }

  /** Calendar fields in the time's location. */
  calendar(): Calendar {
    return calendar(this.sec + this.zone().offset);
  }

  in(loc: GoLocation): GoTime {
    return new GoTime(this.sec, this.nsec, loc);
  }

  add(d: bigint): GoTime {
    return GoTime.fromUnixNano(this.unixNano + d, this.loc, this.mono === undefined ? undefined : this.mono + d);
  }

  equalTo(o: GoStruct): boolean {
    return o instanceof GoTime && o.sec === this.sec && o.nsec === this.nsec && o.loc === this.loc && o.mono === this.mono;
  }
}

export interface Calendar {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number; // 0 = Sunday
  yday: number; // 1-366
}

function calendar(localSec: number): Calendar {
  const d = new Date(localSec * 1000);
  const year = d.getUTCFullYear();
  const start = new Date(0);
  start.setUTCFullYear(year, 0, 1);
  return {
    year,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
    yday: Math.floor((d.getTime() - start.getTime()) / 86400000) + 1,
  };
}

/** Seconds since the epoch of a wall-clock date in UTC (fields may overflow, as Go normalizes them). */
function unixOfFields(year: number, month: number, day: number, hour: number, min: number, sec: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, min, sec, 0);
  return Math.floor(d.getTime() / 1000);
}

/** time.Date: a wall-clock time in a location (DST gaps resolved as Go does: the offset before). */
export function timeDate(year: number, month: number, day: number, hour: number, min: number, sec: number, nsec: number, loc: GoLocation): GoTime {
  const extraSec = Math.floor(nsec / 1e9);
  nsec -= extraSec * 1e9;
  const wall = unixOfFields(year, month, day, hour, min, sec + extraSec);
  const first = loc.lookup(wall).offset;
  let unix = wall - first;
  const second = loc.lookup(unix).offset;
  if (second !== first) unix = wall - second;
  return new GoTime(unix, nsec, loc);
}

export const zeroTime = new GoTime(-62135596800, 0, UTC);

export const longMonthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const longDayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

// ---------------------------------------------------------------------------------------------
// Layouts.

type Std =
  | 'Jan' | 'January' | '1' | '01' | 'Mon' | 'Monday' | '2' | '_2' | '02' | '__2' | '002'
  | '15' | '3' | '03' | '4' | '04' | '5' | '05' | '2006' | '06' | 'PM' | 'pm' | 'MST'
  | 'Z0700' | 'Z070000' | 'Z07' | 'Z07:00' | 'Z07:00:00' | '-0700' | '-070000' | '-07' | '-07:00' | '-07:00:00'
  | 'frac0' | 'frac9';

interface Chunk {
  prefix: string;
  std?: Std;
  /** The layout text of the element, for error messages. */
  text: string;
  fracDigits?: number;
  fracSep?: string;
}

const isDigitAt = (s: string, i: number) => i < s.length && s[i]! >= '0' && s[i]! <= '9';

/** Splits a layout into literal prefixes and standard elements (Go's nextStdChunk). */
function chunks(layout: string): Chunk[] {
  const out: Chunk[] = [];
  let prefix = '';
  let i = 0;
  const emit = (std: Std, len: number, extra: Partial<Chunk> = {}) => {
    out.push({ prefix, std, text: layout.slice(i, i + len), ...extra });
    prefix = '';
    i += len;
  };
  const at = (s: string) => layout.startsWith(s, i);
  while (i < layout.length) {
    const c = layout[i]!;
    if (c === 'J' && at('Jan')) { emit(at('January') ? 'January' : 'Jan', at('January') ? 7 : 3); continue; }
    if (c === 'M' && at('Mon')) { emit(at('Monday') ? 'Monday' : 'Mon', at('Monday') ? 6 : 3); continue; }
    if (c === 'M' && at('MST')) { emit('MST', 3); continue; }
    if (c === '0' && /[1-6]/.test(layout[i + 1] ?? '')) { emit(`0${layout[i + 1]}` as Std, 2); continue; }
    if (c === '0' && at('002')) { emit('002', 3); continue; }
    if (c === '1') { if (at('15')) emit('15', 2); else emit('1', 1); continue; }
    if (c === '2') { if (at('2006')) emit('2006', 4); else emit('2', 1); continue; }
    if (c === '_' && at('_2')) {
      if (at('_2006')) { prefix += '_'; i++; emit('2006', 4); continue; }
      emit('_2', 2);
      continue;
    }
    if (c === '_' && at('__2')) { emit('__2', 3); continue; }
    if (c === '3' || c === '4' || c === '5') { emit(c as Std, 1); continue; }
    if (c === 'P' && at('PM')) { emit('PM', 2); continue; }
    if (c === 'p' && at('pm')) { emit('pm', 2); continue; }
    if (c === '-' || c === 'Z') {
      const forms = c === '-' ? ['-070000', '-07:00:00', '-0700', '-07:00', '-07'] : ['Z070000', 'Z07:00:00', 'Z0700', 'Z07:00', 'Z07'];
      const f = forms.find(at);
      if (f) { emit(f as Std, f.length); continue; }
    }
    if ((c === '.' || c === ',') && (layout[i + 1] === '0' || layout[i + 1] === '9')) {
      const ch = layout[i + 1]!;
      let j = i + 1;
      while (j < layout.length && layout[j] === ch) j++;
      if (!isDigitAt(layout, j)) {
        emit(ch === '0' ? 'frac0' : 'frac9', j - i, { fracDigits: j - i - 1, fracSep: c });
        continue;
      }
    }
    prefix += c;
    i++;
  }
  if (prefix) out.push({ prefix, text: '' });
  return out;
}

const pad = (n: number, width: number) => {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? '-' + s : s;
};

function formatOffset(std: Std, offset: number): string {
  if (std.startsWith('Z') && offset === 0) return 'Z';
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = pad(Math.floor(abs / 3600), 2);
  const mm = pad(Math.floor(abs / 60) % 60, 2);
  const ss = pad(abs % 60, 2);
  const body = std.slice(1);
  switch (body) {
    case '07': return sign + hh;
    case '0700': return sign + hh + mm;
    case '07:00': return `${sign}${hh}:${mm}`;
    case '070000': return sign + hh + mm + ss;
    default: return `${sign}${hh}:${mm}:${ss}`;
  }
}

/** Time.Format. */
export function formatTime(t: GoTime, layout: string): string {
  const f = t.calendar();
  const zone = t.zone();
  let out = '';
  for (const ch of chunks(layout)) {
    out += ch.prefix;
    if (!ch.std) continue;
    switch (ch.std) {
      case '06': out += pad(((f.year % 100) + 100) % 100, 2); break;
      case '2006': out += pad(f.year, 4); break;
      case 'Jan': out += longMonthNames[f.month - 1]!.slice(0, 3); break;
      case 'January': out += longMonthNames[f.month - 1]; break;
      case '1': out += f.month; break;
      case '01': out += pad(f.month, 2); break;
      case 'Mon': out += longDayNames[f.weekday]!.slice(0, 3); break;
      case 'Monday': out += longDayNames[f.weekday]; break;
      case '2': out += f.day; break;
      case '_2': out += String(f.day).padStart(2, ' '); break;
      case '02': out += pad(f.day, 2); break;
      case '__2': out += String(f.yday).padStart(3, ' '); break;
      case '002': out += pad(f.yday, 3); break;
      case '15': out += pad(f.hour, 2); break;
      case '3': out += f.hour % 12 === 0 ? 12 : f.hour % 12; break;
      case '03': out += pad(f.hour % 12 === 0 ? 12 : f.hour % 12, 2); break;
      case '4': out += f.minute; break;
      case '04': out += pad(f.minute, 2); break;
      case '5': out += f.second; break;
      case '05': out += pad(f.second, 2); break;
      case 'PM': out += f.hour >= 12 ? 'PM' : 'AM'; break;
      case 'pm': out += f.hour >= 12 ? 'pm' : 'am'; break;
      case 'MST': out += zone.abbrev !== '' ? zone.abbrev : formatOffset('-0700', zone.offset); break;
      case 'frac0':
        out += ch.fracSep + pad(t.nsec, 9).slice(0, ch.fracDigits);
        break;
      case 'frac9': {
        const digits = pad(t.nsec, 9).slice(0, ch.fracDigits).replace(/0+$/, '');
        if (digits) out += ch.fracSep + digits;
        break;
      }
      default:
        out += formatOffset(ch.std, zone.offset);
    }
  }
  return out;
}

/** Time.String(): `2006-01-02 15:04:05.999999999 -0700 MST`, plus ` m=+0.001` for time.Now values. */
export function timeString(t: GoTime): string {
  let s = formatTime(t, '2006-01-02 15:04:05.999999999 -0700 MST');
  if (t.mono !== undefined) {
    const sign = t.mono < 0n ? '-' : '+';
    const m = t.mono < 0n ? -t.mono : t.mono;
    s += ` m=${sign}${m / NS}.${pad(Number(m % NS), 9)}`;
  }
  return s;
}

/** The time package's quote: `"` and `\\` escaped, control and non-ASCII bytes as `\xNN`. */
function timeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || c >= 0x80) out += Array.from(goStringToBytes(ch), (b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
    else out += ch === '"' || ch === '\\' ? '\\' + ch : ch;
  }
  return out + '"';
}

/** time.ParseError's text. */
function parseError(layout: string, value: string, layoutElem: string, valueElem: string, message = ''): GoError {
  const q = timeQuote;
  if (message) return new GoError(`parsing time ${q(value)}${message}`);
  return new GoError(`parsing time ${q(value)} as ${q(layout)}: cannot parse ${q(valueElem)} as ${q(layoutElem)}`);
}

function lookupName(names: string[], value: string): [number, string] | undefined {
  for (let i = 0; i < names.length; i++) {
    const n = names[i]!;
    if (value.length >= n.length && value.slice(0, n.length).toLowerCase() === n.toLowerCase()) return [i, value.slice(n.length)];
  }
  return undefined;
}

const daysIn = (month: number, year: number) => new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 1 : 0);

/**
 * Go's skip: the layout's literal text must match, except that a space matches a run of spaces
 * (and at least one, unless the value has ended). On a mismatch, what is left of the value.
 */
function skipLiteral(value: string, prefix: string): { value: string; bad: boolean } {
  const cutSpace = (s: string) => s.replace(/^ +/, '');
  while (prefix.length > 0) {
    if (prefix[0] === ' ') {
      if (value.length > 0 && value[0] !== ' ') return { value, bad: true };
      prefix = cutSpace(prefix);
      value = cutSpace(value);
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[0]) return { value, bad: true };
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return { value, bad: false };
}

/** Go's parseSignedOffset: `+3`, `-07` (hours up to 24); the length consumed or 0. */
function signedOffsetLength(value: string): number {
  const m = /^[+-](\d+)/.exec(value);
  if (!m || Number(m[1]) > 24) return 0;
  return m[0].length;
}

/** Go's parseTimeZone: how much of value is a zone abbreviation (`EST`, `CEST`, `+03`, `GMT+3`), or 0. */
function timeZoneLength(value: string): number {
  if (value.length < 3) return 0;
  if (value.startsWith('ChST') || value.startsWith('MeST')) return 4;
  if (value.startsWith('GMT')) return 3 + signedOffsetLength(value.slice(3));
  if (value[0] === '+' || value[0] === '-') return signedOffsetLength(value);
  let upper = 0;
  while (upper < 6 && upper < value.length && value[upper]! >= 'A' && value[upper]! <= 'Z') upper++;
  switch (upper) {
    case 3:
      return 3;
    case 4:
      return value[3] === 'T' || value.startsWith('WITA') ? 4 : 0;
    case 5:
      return value[4] === 'T' ? 5 : 0;
    default:
      return 0;
  }
}

/** time.ParseInLocation(layout, value, loc) with Go's errors. */
export function parseTime(layout: string, value: string, loc: GoLocation): GoTime {
  const original = value;
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let pmSet = false;
  let amSet = false;
  let zoneOffset: number | undefined;
  let zoneName: string | undefined;
  const num = (fixed: boolean): number | undefined => {
    if (!isDigitAt(value, 0)) return undefined;
    if (!isDigitAt(value, 1)) {
      if (fixed) return undefined;
      const n = Number(value[0]);
      value = value.slice(1);
      return n;
    }
    const n = Number(value.slice(0, 2));
    value = value.slice(2);
    return n;
  };
  const layoutChunks = chunks(layout);
  for (const [index, ch] of layoutChunks.entries()) {
    const rest = skipLiteral(value, ch.prefix);
    if (rest.bad) throw parseError(layout, original, ch.prefix, rest.value);
    value = rest.value;
    if (!ch.std) continue;
    const hold = value;
    let bad = false;
    let range = '';
    switch (ch.std) {
      case '06': {
        const m = /^\d\d/.exec(value);
        if (!m) { bad = true; break; }
        year = Number(m[0]);
        year += year >= 69 ? 1900 : 2000;
        value = value.slice(2);
        break;
      }
      case '2006': {
        if (value.length < 4 || !isDigitAt(value, 0)) { bad = true; break; }
        const m = /^\d{4}/.exec(value);
        if (!m) { bad = true; break; }
        year = Number(m[0]);
        value = value.slice(4);
        break;
      }
      case 'Jan':
      case 'January': {
        const names = ch.std === 'Jan' ? longMonthNames.map((n) => n.slice(0, 3)) : longMonthNames;
        const r = lookupName(names, value);
        if (!r) { bad = true; break; }
        month = r[0] + 1;
        value = r[1];
        break;
      }
      case '1':
      case '01': {
        const n = num(ch.std === '01');
        if (n === undefined) bad = true;
        else if (n <= 0 || n > 12) range = 'month';
        else month = n;
        break;
      }
      case 'Mon':
      case 'Monday': {
        const names = ch.std === 'Mon' ? longDayNames.map((n) => n.slice(0, 3)) : longDayNames;
        const r = lookupName(names, value);
        if (!r) bad = true;
        else value = r[1];
        break;
      }
      case '2':
      case '_2':
      case '02': {
        if (ch.std === '_2' && value.startsWith(' ')) value = value.slice(1);
        const n = num(ch.std === '02');
        if (n === undefined) bad = true;
        else day = n;
        break;
      }
      case '__2':
      case '002': {
        const m = ch.std === '002' ? /^\d{3}/.exec(value) : /^ {0,2}\d{1,3}/.exec(value);
        if (!m) { bad = true; break; }
        yday = Number(m[0].trim());
        value = value.slice(m[0].length);
        if (yday < 1 || yday > 366) range = 'day-of-year';
        break;
      }
      case '15': {
        const n = num(false);
        if (n === undefined) bad = true;
        else if (n > 23) range = 'hour';
        else hour = n;
        break;
      }
      case '3':
      case '03': {
        const n = num(ch.std === '03');
        if (n === undefined) bad = true;
        else if (n > 12) range = 'hour';
        else hour = n;
        break;
      }
      case '4':
      case '04':
      case '5':
      case '05': {
        const n = num(ch.std.length === 2);
        if (n === undefined) bad = true;
        else if (n > 59) range = ch.std.endsWith('4') ? 'minute' : 'second';
        else if (ch.std.endsWith('4')) min = n;
        else {
          sec = n;
          // Fractional seconds in the value are accepted after seconds unless the layout's next
          // element is a fraction itself.
          const frac = /^[.,](\d+)/.exec(value);
          const nextStd = layoutChunks[index + 1]?.std;
          if (frac && nextStd !== 'frac0' && nextStd !== 'frac9') {
            nsec = Number(frac[1]!.slice(0, 9).padEnd(9, '0'));
            value = value.slice(frac[0].length);
          }
        }
        break;
      }
      case 'PM':
      case 'pm': {
        const p = value.slice(0, 2);
        const want = ch.std === 'PM' ? ['PM', 'AM'] : ['pm', 'am'];
        if (p === want[0]) pmSet = true;
        else if (p === want[1]) amSet = true;
        else { bad = true; break; }
        value = value.slice(2);
        break;
      }
      case 'MST': {
        if (value.startsWith('UTC')) {
          zoneName = 'UTC';
          value = value.slice(3);
          break;
        }
        const n = timeZoneLength(value);
        if (n === 0) { bad = true; break; }
        zoneName = value.slice(0, n);
        value = value.slice(n);
        break;
      }
      case 'frac0':
      case 'frac9': {
        const m = ch.std === 'frac0' ? new RegExp(`^[.,](\\d{${ch.fracDigits}})`).exec(value) : /^[.,](\d+)/.exec(value);
        if (!m) {
          if (ch.std === 'frac9') break;
          bad = true;
          break;
        }
        nsec = Number(m[1]!.slice(0, 9).padEnd(9, '0'));
        value = value.slice(m[0].length);
        break;
      }
      default: {
        if (ch.std.startsWith('Z') && value.startsWith('Z')) {
          value = value.slice(1);
          zoneOffset = 0;
          zoneName = 'UTC';
          break;
        }
        const body = ch.std.slice(1);
        const shapes: Record<string, RegExp> = {
          '07': /^([+-])(\d\d)/, '0700': /^([+-])(\d\d)(\d\d)/, '07:00': /^([+-])(\d\d):(\d\d)/,
          '070000': /^([+-])(\d\d)(\d\d)(\d\d)/, '07:00:00': /^([+-])(\d\d):(\d\d):(\d\d)/,
        };
        const m = shapes[body]!.exec(value);
        if (!m) { bad = true; break; }
        zoneOffset = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0));
        value = value.slice(m[0].length);
      }
    }
    if (range) throw parseError(layout, original, ch.text, hold, `: ${range} out of range`);
    if (bad) throw parseError(layout, original, ch.text, hold);
  }
  if (value.length > 0) throw parseError(layout, original, '', value, `: extra text: ${timeQuote(value)}`);
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;
  if (yday >= 0) {
    const d = new Date(Date.UTC(2000, 0, 1));
    d.setUTCFullYear(year, 0, yday);
    month = d.getUTCMonth() + 1;
    day = d.getUTCDate();
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) throw parseError(layout, original, '', value, ': day out of range');
  if (zoneOffset !== undefined) {
    const t = timeDate(year, month, day, hour, min, sec, nsec, UTC);
    const unix = t.sec - zoneOffset;
    if (loc.lookup(unix).offset === zoneOffset && (zoneName === undefined || zoneName !== 'UTC' || zoneOffset !== 0)) return new GoTime(unix, nsec, loc);
    if (zoneOffset === 0 && zoneName === 'UTC') return new GoTime(unix, nsec, UTC);
    return new GoTime(unix, nsec, new GoLocation('', { offset: zoneOffset, abbrev: '' }));
  }
  if (zoneName !== undefined) {
    const t = timeDate(year, month, day, hour, min, sec, nsec, UTC);
    const local = loc.lookup(t.sec);
    if (local.abbrev === zoneName) return new GoTime(t.sec - local.offset, nsec, loc);
    if (zoneName === 'UTC') return new GoTime(t.sec, nsec, UTC);
    // An unknown abbreviation gets a made-up zone: offset 0, or the hours of `GMT+3`; the instant is not moved.
    const gmtHours = zoneName.length > 3 && zoneName.startsWith('GMT') ? Number(zoneName.slice(3)) : 0;
    return new GoTime(t.sec, nsec, new GoLocation(zoneName, { offset: gmtHours * 3600, abbrev: zoneName }));
  }
  return timeDate(year, month, day, hour, min, sec, nsec, loc);
}

// ---------------------------------------------------------------------------------------------
// time.Duration (int64 nanoseconds).

const units: Record<string, bigint> = { ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1_000_000n, s: NS, m: 60n * NS, h: 3600n * NS };

/** time.ParseDuration. */
export function parseDuration(s: string): bigint {
  const orig = s;
  const quoted = timeQuote(orig);
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw new GoError(`time: invalid duration ${quoted}`);
  let total = 0n;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    if (m[0] === '' || m[0] === '.' || (m[1] === '' && (m[2] ?? '') === '')) throw new GoError(`time: invalid duration ${quoted}`);
    s = s.slice(m[0].length);
    const u = /^[^\d.]*/.exec(s)![0];
    if (u === '') throw new GoError(`time: missing unit in duration ${quoted}`);
    const unit = units[u];
    if (unit === undefined) throw new GoError(`time: unknown unit ${timeQuote(u)} in duration ${quoted}`);
    s = s.slice(u.length);
    const whole = BigInt(m[1] || '0');
    const frac = m[2] ?? '';
    let v = whole * unit;
    if (frac) v += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    total += v;
    if (total > 9223372036854775807n) throw new GoError(`time: invalid duration ${quoted}`);
  }
  return neg ? -total : total;
}

/** Duration.String(): `1h1m40s`, `1.5s`, `100ms`, `0s`. */
export function durationString(d: bigint): string {
  if (d === 0n) return '0s';
  const neg = d < 0n;
  let u = neg ? -d : d;
  let out: string;
  const frac = (v: bigint, prec: number): [string, bigint] => {
    let digits = '';
    let print = false;
    for (let i = 0; i < prec; i++) {
      const digit = v % 10n;
      print ||= digit !== 0n;
      if (print) digits = String(digit) + digits;
      v /= 10n;
    }
    return [print ? '.' + digits : '', v];
  };
  if (u < NS) {
    const [unit, prec] = u < 1000n ? ['ns', 0] : u < 1_000_000n ? ['µs', 3] : ['ms', 6];
    const [f, whole] = frac(u, prec as number);
    out = `${whole}${f}${unit}`;
  } else {
    const [f, secs] = frac(u, 9);
    u = secs;
    out = `${u % 60n}${f}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m` + out;
      u /= 60n;
      if (u > 0n) out = `${u}h` + out;
    }
  }
  return neg ? '-' + out : out;
}

/** Duration.Round(m) for positive m: half away from zero. */
export function roundDuration(d: bigint, m: bigint): bigint {
  if (m <= 0n) return d;
  let r = d % m;
  if (d < 0n) {
    r = -r;
    if (r + r < m) return d + r;
    return d - m + r;
  }
  if (r + r < m) return d - r;
  return d + m - r;
}
