// The human-readable log format (--log-format console): one pino JSON line in, one text line out.
//   2026-06-12T11:04:17.512Z INFO  reconcile finished  namespace=checkout name=checkout-api revision=4 reconcileID=…
// Pure: no I/O, so it is tested with tables.

/** Fields printed first, in this order, right after the message. */
const LEADING_FIELDS = ['controller', 'namespace', 'name', 'revision', 'reconcileID'];
/** Fields that make up the line's head rather than key=value pairs. */
const HEAD_FIELDS = new Set(['time', 'level', 'msg']);

export function formatConsoleLine(jsonLine: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return jsonLine.endsWith('\n') ? jsonLine : `${jsonLine}\n`;
  }
  const level = String(record.level ?? '').toUpperCase().padEnd(5);
  const head = [record.time ?? '', level, record.msg ?? ''].join(' ');
  const keys = Object.keys(record).filter((k) => !HEAD_FIELDS.has(k) && k !== 'err');
  const ordered = [...LEADING_FIELDS.filter((k) => keys.includes(k)), ...keys.filter((k) => !LEADING_FIELDS.includes(k))];
  const pairs = ordered.map((k) => `${k}=${formatValue(record[k])}`);
  let line = pairs.length ? `${head}  ${pairs.join(' ')}` : head;
  const err = record.err as { message?: string; stack?: string } | undefined;
  if (err) line += `\n  ${(err.stack ?? err.message ?? JSON.stringify(err)).replace(/\n/g, '\n  ')}`;
  return `${line}\n`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}
