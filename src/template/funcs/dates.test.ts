import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GoError, formatValue, int, int64, methodOf, typeName, type GoValue } from '../value.js';
import { dateFuncs } from './dates.js';
import { GoLocation, formatTime, parseDuration, durationString, parseTime } from './gotime.js';

const fixedNow = 1_700_000_000_123_456_789n; // 2023-11-14T22:13:20.123456789Z
const funcs = dateFuncs({ now: () => fixedNow, monotonic: () => 5_000_000n, localZone: 'UTC' });
const call = (name: string, ...args: GoValue[]) => funcs[name]!.fn(...args);

test('date functions [dates] [mustdate]', () => {
  assert.equal(call('date', '2006-01-02T15:04:05Z07:00', int(0)), '1970-01-01T00:00:00Z');
  const d = call('toDate', '2006-01-02', '2024-03-05');
  assert.equal(call('date', 'Mon Jan 2 2006', d), 'Tue Mar 5 2024');
  assert.equal(call('dateInZone', '2006-01-02 15:04 MST', int(0), 'America/New_York'), '1969-12-31 19:00 EST');
  assert.equal(call('dateInZone', '15:04', int(0), 'Bad/Zone'), '00:00');
  assert.equal(call('unixEpoch', d), '1709596800');
  assert.equal(call('date', '2006-01-02 15:04', call('dateModify', '-36h', d)), '2024-03-03 12:00');
  assert.equal(call('duration', int(90)), '0s');
  assert.equal(call('duration', '3700'), '1h1m40s');
  assert.equal(call('duration', 90.5), '0s');
  assert.deepEqual(['2h10m', '400h', '-3s'].map((s) => call('durationRound', s)), ['2h', '16d', '3s']);
  assert.equal(call('htmlDate', int(0)), '1970-01-01');
  assert.equal(typeName(call('now')), 'time.Time');
  assert.equal(formatValue(call('toDate', '2006', 'bad')), '0001-01-01 00:00:00 +0000 UTC');
  assert.equal(call('date', '2006', 86400), '2023'); // a float64 means now
  assert.equal(call('date', '2006-01-02', int64(86400)), '1970-01-02');
  assert.equal(formatValue(d), '2024-03-05 00:00:00 +0000 UTC');
  assert.equal(formatValue(call('now')), '2023-11-14 22:13:20.123456789 +0000 UTC m=+0.005000000');
  assert.throws(() => call('mustToDate', '2006-01-02', 'bad'),
    (e: Error) => e instanceof GoError && e.message === 'parsing time "bad" as "2006-01-02": cannot parse "bad" as "2006"');
  const month = methodOf(d as never, 'Month')!.fn(d);
  assert.equal(formatValue(month), 'March');
});

test('Go layouts, parsing and durations', () => {
  const ny = new GoLocation('America/New_York', 'America/New_York');
  const t = parseTime('2006-01-02 15:04:05.000 -0700', '2024-07-04 09:08:07.250 -0400', ny);
  assert.equal(formatTime(t, 'Monday, 02-Jan-06 3:04:05.999 PM MST'), 'Thursday, 04-Jul-24 9:08:07.25 AM EDT');
  assert.equal(formatTime(t, '_2 __2 002 .000000 Z07:00'), ' 4 186 186 .250000 -04:00');
  assert.throws(() => parseTime('2006-01-02', '2024-02-30', ny), { message: 'parsing time "2024-02-30": day out of range' });
  assert.throws(() => parseTime('2006-01-02', '2024-13-01', ny), { message: 'parsing time "2024-13-01": month out of range' });
  assert.throws(() => parseTime('2006-01-02', '2024-01-01x', ny), { message: 'parsing time "2024-01-01x": extra text: "x"' });
  assert.equal(durationString(parseDuration('1h30m')), '1h30m0s');
  assert.equal(durationString(parseDuration('1.5s')), '1.5s');
  assert.equal(durationString(parseDuration('-100ms')), '-100ms');
  assert.equal(durationString(parseDuration('1500us')), '1.5ms');
  assert.throws(() => parseDuration('1d'), { message: 'time: unknown unit "d" in duration "1d"' });
  assert.throws(() => parseDuration('1'), { message: 'time: missing unit in duration "1"' });
  assert.throws(() => parseDuration('x'), { message: 'time: invalid duration "x"' });
});
