// Observability for one operator instance: its logger, its metrics registry, its health checks and
// the HTTP endpoints that serve them. The one place where logging and metrics are set up; nothing
// here is a module-level singleton, so two operators in one process (tests) never share series.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HealthChecks } from './health.js';
import { createLogger, reconcileLogger, type LogDestination, type LogFormat, type Logger, type LogLevel, type ReconcileLogFields } from './logger.js';
import { OperatorMetrics } from './metrics.js';
import { close, formatBindAddress, listen, parseBindAddress, routeTable, type BindAddress } from './server.js';

export { HealthChecks, type CheckResult, type HealthCheck, type HealthReport, type ProbeKind } from './health.js';
export {
  REDACTED,
  createLogger,
  parseLogFormat,
  parseLogLevel,
  reconcileLogger,
  type LogDestination,
  type LogFormat,
  type Logger,
  type LogLevel,
  type ReconcileLogFields,
} from './logger.js';
export { OperatorMetrics, type AppliedChange, type ConditionSnapshot, type ReconcileResult } from './metrics.js';
export { WorkQueueMetrics } from './workqueue-metrics.js';
export { parseBindAddress, type BindAddress } from './server.js';

/** controller-runtime's defaults. */
export const DEFAULT_METRICS_BIND_ADDRESS = ':8080';
export const DEFAULT_HEALTH_BIND_ADDRESS = ':9440';

export interface ObservabilityOptions {
  logLevel?: LogLevel;
  logFormat?: LogFormat;
  /** Where /metrics is served (default `:8080`; `0` disables it). */
  metricsBindAddress?: string;
  /** Where /healthz and /readyz are served (default `:9440`; `0` disables them). */
  healthBindAddress?: string;
  /** Log lines go here instead of standard output (tests). */
  logDestination?: LogDestination;
  /** Node's process_* and nodejs_* metrics (default true). */
  processMetrics?: boolean;
}

/** Where the endpoints actually listen (useful with port 0). */
export interface ServingAddresses {
  metrics: string | null;
  health: string | null;
}

export class Observability {
  readonly logger: Logger;
  readonly metrics: OperatorMetrics;
  readonly health = new HealthChecks();
  private readonly metricsAddress: BindAddress | null;
  private readonly healthAddress: BindAddress | null;
  private servers: Server[] = [];

  constructor(options: ObservabilityOptions = {}) {
    // Parse first: a bad flag fails before anything is created.
    this.metricsAddress = parseBindAddress(options.metricsBindAddress ?? DEFAULT_METRICS_BIND_ADDRESS);
    this.healthAddress = parseBindAddress(options.healthBindAddress ?? DEFAULT_HEALTH_BIND_ADDRESS);
    this.logger = createLogger({ level: options.logLevel, format: options.logFormat, destination: options.logDestination });
    this.metrics = new OperatorMetrics({ processMetrics: options.processMetrics });
  }

  /** A child logger for one reconcile: every line carries namespace, name, revision and reconcileID. */
  reconcileLogger(fields: ReconcileLogFields): Logger {
    return reconcileLogger(this.logger, fields);
  }

  /** Starts the metrics and probe servers; resolves with the addresses they listen on. */
  async serve(): Promise<ServingAddresses> {
    if (this.servers.length) throw new Error('observability endpoints are already being served');
    const m = this.metricsAddress;
    const h = this.healthAddress;
    const shared = m && h && m.port !== 0 && m.port === h.port && m.host === h.host;
    try {
      if (shared) {
        const server = await listen(m, routeTable(this.metrics, this.health));
        this.servers.push(server);
        const at = formatBindAddress(server.address() as AddressInfo);
        this.logger.info({ address: at }, 'serving metrics and health probes');
        return { metrics: at, health: at };
      }
      const addresses: ServingAddresses = { metrics: null, health: null };
      if (m) {
        const server = await listen(m, routeTable(this.metrics, null));
        this.servers.push(server);
        addresses.metrics = formatBindAddress(server.address() as AddressInfo);
        this.logger.info({ address: addresses.metrics, path: '/metrics' }, 'serving metrics');
      }
      if (h) {
        const server = await listen(h, routeTable(null, this.health));
        this.servers.push(server);
        addresses.health = formatBindAddress(server.address() as AddressInfo);
        this.logger.info({ address: addresses.health, paths: ['/healthz', '/readyz'] }, 'serving health probes');
      }
      return addresses;
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  /** Stops the servers (open connections are cut). */
  async close(): Promise<void> {
    const servers = this.servers;
    this.servers = [];
    await Promise.all(servers.map(close));
  }
}

export function createObservability(options: ObservabilityOptions = {}): Observability {
  return new Observability(options);
}
