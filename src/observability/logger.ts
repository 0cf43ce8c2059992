// The operator's logger: pino, JSON lines by default, a human-readable console format on request.
// Nothing from values or Secrets may reach a log line: fields that can carry them are censored here,
// as a second line of defence behind callers that log names and digests only.
import { randomUUID } from 'node:crypto';
import { pino, stdSerializers, stdTimeFunctions, type Logger } from 'pino';
import { redact } from '../redact/index.js';
import { formatConsoleLine } from './console-format.js';

export type { Logger } from 'pino';

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const LOG_FORMATS = ['json', 'console'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Where log lines go: anything with write(line). Default: standard output. */
export interface LogDestination {
  write(line: string): unknown;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  destination?: LogDestination;
}

/** The censor text that replaces a redacted field. */
export const REDACTED = '[REDACTED]';

/**
 * Field paths whose values are never written: chart values (ours and Helm's `config`), Secret and
 * ConfigMap payloads, rendered manifests (they embed values), credentials. One and two levels deep,
 * so `{release: {values}}` is caught as well as `{values}`.
 */
const SENSITIVE_FIELDS = ['values', 'config', 'data', 'stringData', 'binaryData', 'manifest', 'password', 'token', 'authorization'];
const REDACTED_PATHS = SENSITIVE_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);

export function parseLogLevel(text: string): LogLevel {
  const level = text.toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel;
  throw new Error(`invalid log level "${text}": use one of ${LOG_LEVELS.join(', ')}`);
}

export function parseLogFormat(text: string): LogFormat {
  if ((LOG_FORMATS as readonly string[]).includes(text)) return text as LogFormat;
  throw new Error(`invalid log format "${text}": use json or console`);
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const format = options.format ?? 'json';
  const out: LogDestination = options.destination ?? pino.destination({ dest: 1, sync: true });
  // Every line is redacted on its way out (src/redact/): secret strings in any message or field, JSON-escaped or not.
  const stream = format === 'console' ? { write: (line: string) => out.write(formatConsoleLine(redact(line))) } : { write: (line: string) => out.write(redact(line)) };
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      messageKey: 'msg',
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: stdSerializers.err, error: stdSerializers.err },
      redact: { paths: REDACTED_PATHS, censor: REDACTED },
    },
    stream,
  );
}

/** What identifies one reconcile in its log lines. */
export interface ReconcileLogFields {
  namespace: string;
  name: string;
  /** The revision the reconcile works on: the deployed one at first, the new one once decided; null before the first. */
  revision: number | null;
  /** Keep the same id when re-deriving the logger for a new revision; a fresh UUID when omitted. */
  reconcileID?: string;
}

/** A child logger whose every line carries namespace, name, revision (once known: never `revision=null`) and reconcileID. */
export function reconcileLogger(base: Logger, fields: ReconcileLogFields): Logger {
  const { namespace, name, revision } = fields;
  return base.child({ namespace, name, ...(revision !== null ? { revision } : {}), reconcileID: fields.reconcileID ?? randomUUID() });
}
