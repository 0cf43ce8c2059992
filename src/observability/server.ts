// The operator's HTTP endpoints: /metrics on the metrics address, /healthz and /readyz on the probe
// address (one server when both addresses are the same). Plain HTTP, GET only, nothing else served.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatHealthReport, type HealthChecks, type ProbeKind } from './health.js';
import type { OperatorMetrics } from './metrics.js';

/** A parsed bind address; null host means every interface. */
export interface BindAddress {
  host: string | null;
  port: number;
}

/**
 * Parses controller-runtime style bind addresses: `:8080`, `127.0.0.1:8080`, `[::1]:8080`,
 * `localhost:0` (any free port). `0` (or an empty string) disables the endpoint: null.
 */
export function parseBindAddress(text: string): BindAddress | null {
  if (text === '0' || text === '') return null;
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new Error(`invalid bind address "${text}": use HOST:PORT or :PORT (0 disables)`);
  const host = m[1] ?? m[2] ?? '';
  return { host: host === '' ? null : host, port };
}

export function formatBindAddress(address: AddressInfo): string {
  return address.family === 'IPv6' ? `[${address.address}]:${address.port}` : `${address.address}:${address.port}`;
}

type Route = (url: URL, res: ServerResponse) => Promise<void>;

function metricsRoute(metrics: OperatorMetrics): Route {
  return async (_url, res) => {
    const { contentType, body } = await metrics.exposition();
    res.writeHead(200, { 'content-type': contentType }).end(body);
  };
}

function probeRoute(health: HealthChecks, kind: ProbeKind, only?: string): Route {
  return async (url, res) => {
    const report = await health.evaluate(kind, only);
    if (!report) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`no ${kind} check named ${only}\n`);
      return;
    }
    const body = formatHealthReport(kind, report, url.searchParams.has('verbose'));
    res.writeHead(report.ok ? 200 : 500, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }).end(body);
  };
}

/** Routes for a set of exact paths, plus `/healthz/NAME` and `/readyz/NAME` when health is served. */
export function routeTable(metrics: OperatorMetrics | null, health: HealthChecks | null): (path: string) => Route | undefined {
  return (path) => {
    if (metrics && path === '/metrics') return metricsRoute(metrics);
    if (!health) return undefined;
    const m = /^\/(healthz|readyz)(?:\/([a-z0-9-]+))?$/.exec(path);
    return m ? probeRoute(health, m[1] as ProbeKind, m[2]) : undefined;
  };
}

/** Starts an HTTP server on address and resolves once it listens. */
export function listen(address: BindAddress, route: (path: string) => Route | undefined): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    const handler = route(url.pathname);
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    handler(url, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    });
  });
  // Probes and scrapes are short requests; idle keep-alive sockets must not hold up shutdown.
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: address.port, ...(address.host ? { host: address.host } : {}) }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
