// Sprig's date functions (date.go) and the time.Time / time.Duration / time.Month methods a
// template can call. The clock and the local zone are passed in, so rendering stays pure.
import { GoInt, GoStruct, defineNamedType, goStringToBytes, type FuncMap, type GoValue } from '../value.js';
import { intArg } from './cast.js';
import {
  GoLocation, GoTime, UTC, durationString, formatTime, loadLocation, longDayNames, longMonthNames, parseDuration,
  parseTime, roundDuration, timeDate, timeString, zeroTime,
} from './gotime.js';
import { goFunc } from './signature.js';

export interface DateEnvironment {
  /** The current time as Unix nanoseconds (time.Now). */
  now: () => bigint;
  /** Nanoseconds on a monotonic clock since the process started (the `m=+…` of a printed time.Now). */
  monotonic: () => bigint;
  /** IANA name of the local zone (Go's time.Local; `UTC` when TZ is empty). */
  localZone: string;
}

const SECOND = 1_000_000_000n;

/** A time.Duration value: an int64 of nanoseconds with Duration's methods. */
const duration = (ns: bigint) => new GoInt(Number(ns), 'time.Duration');
const durationNs = (v: GoValue) => BigInt(intArg(v));

defineNamedType('time.Duration', 'int64', {
  String: goFunc('() string', (d: GoValue) => durationString(durationNs(d))),
  Hours: goFunc('() float64', (d: GoValue) => intArg(d) / 3.6e12),
  Minutes: goFunc('() float64', (d: GoValue) => intArg(d) / 6e10),
  Seconds: goFunc('() float64', (d: GoValue) => intArg(d) / 1e9),
  Milliseconds: goFunc('() int64', (d: GoValue) => new GoInt(Math.trunc(intArg(d) / 1e6), 'int64')),
  Round: goFunc('(m time.Duration) time.Duration', (d: GoValue, m: GoValue) => duration(roundDuration(durationNs(d), durationNs(m)))),
});
defineNamedType('time.Month', 'int', { String: goFunc('() string', (m: GoValue) => longMonthNames[intArg(m) - 1] ?? `%!Month(${intArg(m)})`) });
defineNamedType('time.Weekday', 'int', { String: goFunc('() string', (d: GoValue) => longDayNames[intArg(d)] ?? `%!Weekday(${intArg(d)})`) });
defineNamedType('*time.Location', 'struct', { String: goFunc('() string', (l: LocationValue) => l.loc.name) });

class LocationValue extends GoStruct {
  constructor(readonly loc: GoLocation) {
    super('*time.Location');
  }
}

function timeMethods(local: GoLocation) {
  const t = (v: GoValue) => v as GoTime;
  const int = (n: number) => new GoInt(n, 'int');
  return {
    String: goFunc('() string', (v: GoValue) => timeString(t(v))),
    Format: goFunc('(layout string) string', (v: GoValue, layout: string) => formatTime(t(v), layout)),
    Unix: goFunc('() int64', (v: GoValue) => new GoInt(t(v).sec, 'int64')),
    UnixMilli: goFunc('() int64', (v: GoValue) => new GoInt(Number(t(v).unixNano / 1_000_000n), 'int64')),
    UnixMicro: goFunc('() int64', (v: GoValue) => new GoInt(Number(t(v).unixNano / 1000n), 'int64')),
    UnixNano: goFunc('() int64', (v: GoValue) => new GoInt(Number(t(v).unixNano), 'int64')),
    Year: goFunc('() int', (v: GoValue) => int(t(v).calendar().year)),
    Month: goFunc('() time.Month', (v: GoValue) => new GoInt(t(v).calendar().month, 'time.Month')),
    Day: goFunc('() int', (v: GoValue) => int(t(v).calendar().day)),
    Hour: goFunc('() int', (v: GoValue) => int(t(v).calendar().hour)),
    Minute: goFunc('() int', (v: GoValue) => int(t(v).calendar().minute)),
    Second: goFunc('() int', (v: GoValue) => int(t(v).calendar().second)),
    Nanosecond: goFunc('() int', (v: GoValue) => int(t(v).nsec)),
    YearDay: goFunc('() int', (v: GoValue) => int(t(v).calendar().yday)),
    Weekday: goFunc('() time.Weekday', (v: GoValue) => new GoInt(t(v).calendar().weekday, 'time.Weekday')),
    IsZero: goFunc('() bool', (v: GoValue) => t(v).sec === zeroTime.sec && t(v).nsec === 0),
    UTC: goFunc('() time.Time', (v: GoValue) => t(v).in(UTC)),
    Local: goFunc('() time.Time', (v: GoValue) => t(v).in(local)),
    Location: goFunc('() *time.Location', (v: GoValue) => new LocationValue(t(v).loc)),
    Add: goFunc('(d time.Duration) time.Time', (v: GoValue, d: GoValue) => t(v).add(durationNs(d))),
    AddDate: goFunc('(years int, months int, days int) time.Time', (v: GoValue, y: GoValue, m: GoValue, d: GoValue) => {
      const c = t(v).calendar();
      return timeDate(c.year + intArg(y), c.month + intArg(m), c.day + intArg(d), c.hour, c.minute, c.second, t(v).nsec, t(v).loc);
    }),
    Sub: goFunc('(u time.Time) time.Duration', (v: GoValue, u: GoValue) => duration(t(v).unixNano - t(u).unixNano)),
    Before: goFunc('(u time.Time) bool', (v: GoValue, u: GoValue) => t(v).unixNano < t(u).unixNano),
    After: goFunc('(u time.Time) bool', (v: GoValue, u: GoValue) => t(v).unixNano > t(u).unixNano),
    Equal: goFunc('(u time.Time) bool', (v: GoValue, u: GoValue) => t(v).unixNano === t(u).unixNano),
    MarshalJSON: goFunc('() ([]byte, error)', (v: GoValue) => goStringToBytes(JSON.stringify(formatTime(t(v), '2006-01-02T15:04:05.999999999Z07:00')))),
  };
}

/** Unix seconds as Sprig's date functions accept them: time.Time, int64, int, int32; anything else means now. */
function asTime(v: GoValue, now: () => GoTime, local: GoLocation, ints: string[]): GoTime {
  if (v instanceof GoTime) return v;
  if (v instanceof GoInt && ints.includes(v.type)) return new GoTime(v.value, 0, local);
  return now();
}

/** The date functions for a clock and a local zone. */
export function dateFuncs(env: DateEnvironment): FuncMap {
  const local = new GoLocation('Local', () => env.localZone);
  defineNamedType('time.Time', 'struct', timeMethods(local));
  const now = () => GoTime.fromUnixNano(env.now(), local, env.monotonic());
  const inZone = (layout: string, date: GoValue, zone: string) =>
    formatTime(asTime(date, now, local, ['int64', 'int', 'int32']).in(loadLocation(zone, local) ?? UTC), layout);
  const modify = (spec: string, date: GoValue) => (date as GoTime).add(parseDuration(spec));
  const dateInZone = goFunc('(fmt string, date interface{}, zone string) string', inZone);
  const dateModify = goFunc('(fmt string, date time.Time) time.Time', (spec: string, date: GoValue) => {
    try {
      return modify(spec, date);
    } catch {
      return date;
    }
  });
  const mustDateModify = goFunc('(fmt string, date time.Time) (time.Time, error)', modify);
  return {
    now: goFunc('() time.Time', now),
    date: goFunc('(fmt string, date interface{}) string', (layout: string, date: GoValue) => inZone(layout, date, 'Local')),
    dateInZone,
    date_in_zone: dateInZone,
    htmlDate: goFunc('(date interface{}) string', (date: GoValue) => inZone('2006-01-02', date, 'Local')),
    htmlDateInZone: goFunc('(date interface{}, zone string) string', (date: GoValue, zone: string) => inZone('2006-01-02', date, zone)),
    dateModify,
    date_modify: dateModify,
    mustDateModify,
    must_date_modify: mustDateModify,
    ago: goFunc('(date interface{}) string', (date: GoValue) => {
      const t = asTime(date, now, local, ['int64', 'int']);
      return durationString(roundDuration(env.now() - t.unixNano, SECOND));
    }),
    duration: goFunc('(sec interface{}) string', (sec: GoValue) => {
      let n = 0n;
      if (typeof sec === 'string') n = /^[+-]?\d+$/.test(sec) && BigInt(sec) <= 9223372036854775807n && BigInt(sec) >= -9223372036854775808n ? BigInt(sec) : 0n;
      else if (sec instanceof GoInt && sec.type === 'int64') n = BigInt(sec.value);
      return durationString(BigInt.asIntN(64, n * SECOND));
    }),
    durationRound: goFunc('(duration interface{}) string', (d: GoValue) => {
      let ns = 0n;
      if (typeof d === 'string') {
        try {
          ns = parseDuration(d);
        } catch {
          ns = 0n;
        }
      } else if (d instanceof GoInt && d.type === 'int64') ns = BigInt(d.value);
      else if (d instanceof GoTime) ns = env.now() - d.unixNano;
      const u = ns < 0n ? -ns : ns;
      const hour = 3600n * SECOND;
      const steps: [bigint, string][] = [[hour * 24n * 365n, 'y'], [hour * 24n * 30n, 'mo'], [hour * 24n, 'd'], [hour, 'h'], [60n * SECOND, 'm'], [SECOND, 's']];
      for (const [size, unit] of steps) if (u > size) return `${u / size}${unit}`;
      return '0s';
    }),
    toDate: goFunc('(fmt, str string) time.Time', (layout: string, s: string) => {
      try {
        return parseTime(layout, s, local);
      } catch {
        return zeroTime;
      }
    }),
    mustToDate: goFunc('(fmt, str string) (time.Time, error)', (layout: string, s: string) => parseTime(layout, s, local)),
    unixEpoch: goFunc('(date time.Time) string', (date: GoValue) => String((date as GoTime).sec)),
  };
}

/** The process's clock and zone, for rendering outside tests. */
export function systemDateEnvironment(): DateEnvironment {
  const start = process.hrtime.bigint();
  const tz = process.env.TZ;
  let zone: string | undefined;
  return {
    now: () => BigInt(Date.now()) * 1_000_000n,
    monotonic: () => process.hrtime.bigint() - start,
    // Read when a template first uses the local zone (ICU's start-up costs tens of milliseconds).
    get localZone() {
      return (zone ??= localZoneName(tz));
    },
  };
}

/**
 * Go's reading of TZ: unset means the system zone, empty means UTC, `:Zone` and zoneinfo paths name
 * a zone, and a zone that cannot be loaded means UTC.
 */
function localZoneName(tz: string | undefined): string {
  const system = () => Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
  if (tz === undefined) return system();
  if (tz === '') return 'UTC';
  const name = tz.replace(/^:/, '').replace(/^.*\/zoneinfo\//, '');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name;
  } catch {
    return 'UTC';
  }
}

