// Liveness (/healthz) and readiness (/readyz) as named checks, the way controller-runtime's healthz
// package serves them: `ok` when every check passes, otherwise 500 with one line per check.
// `?verbose` lists the passing checks too; `/readyz/NAME` runs one check.

/** A check passes when it returns true (or resolves to true); false or a throw fails it. */
export type HealthCheck = () => boolean | Promise<boolean>;

export interface CheckResult {
  name: string;
  ok: boolean;
  reason?: string;
}

export interface HealthReport {
  ok: boolean;
  checks: CheckResult[];
}

export type ProbeKind = 'healthz' | 'readyz';

export class HealthChecks {
  private readonly checks: Record<ProbeKind, Map<string, HealthCheck>> = {
    // The process answers: that is what liveness means for the operator.
    healthz: new Map([['ping', () => true]]),
    // Not ready until someone says what ready means: the operator adds its cache-sync and
    // leader-election checks; with none registered, /readyz fails.
    readyz: new Map(),
  };

  /** A liveness check: failing it makes the kubelet restart the container. */
  addHealthCheck(name: string, check: HealthCheck): void {
    this.add('healthz', name, check);
  }

  /** A readiness check: failing it takes the pod out of its Service and holds back rolling updates. */
  addReadyCheck(name: string, check: HealthCheck): void {
    this.add('readyz', name, check);
  }

  async evaluate(kind: ProbeKind, only?: string): Promise<HealthReport | null> {
    const entries = [...this.checks[kind]].filter(([name]) => only === undefined || name === only);
    if (only !== undefined && entries.length === 0) return null;
    if (entries.length === 0) return { ok: false, checks: [{ name: 'registered', ok: false, reason: 'no check registered yet' }] };
    const checks = await Promise.all(entries.map(([name, check]) => runCheck(name, check)));
    return { ok: checks.every((c) => c.ok), checks };
  }

  private add(kind: ProbeKind, name: string, check: HealthCheck): void {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`health check name "${name}": use lowercase letters, digits and dashes`);
    if (this.checks[kind].has(name)) throw new Error(`${kind} check "${name}" is already registered`);
    this.checks[kind].set(name, check);
  }
}

async function runCheck(name: string, check: HealthCheck): Promise<CheckResult> {
  try {
    return (await check()) ? { name, ok: true } : { name, ok: false, reason: 'not yet' };
  } catch (err) {
    return { name, ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

/** The response body for a report: `ok`, or one `[+]`/`[-]` line per check and a verdict. */
export function formatHealthReport(kind: ProbeKind, report: HealthReport, verbose: boolean): string {
  if (report.ok && !verbose) return 'ok';
  const lines = report.checks.map((c) => (c.ok ? `[+]${c.name} ok` : `[-]${c.name} failed: ${c.reason}`));
  lines.push(report.ok ? `${kind} check passed` : `${kind} check failed`);
  return lines.join('\n');
}
