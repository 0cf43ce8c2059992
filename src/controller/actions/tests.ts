// Chart tests (spec.test): the `helm.sh/hook: test` hooks of a revision, run after it is applied and
// its post hooks succeeded, as `helm test` runs them: by weight then name, each waited for (at most
// spec.test.timeout), delete policies applied, stopping at the first failure.
import type { ReleaseHook } from '../../release/index.js';
import { StalledError } from '../errors.js';
import type { ReleaseContext } from './context.js';
import { hooksFor, runHook } from './hooks.js';

export interface TestReport {
  /** One line per test run: "<name>: succeeded" or "<name>: failed: <why>". */
  lines: string[];
  /** Why the first failed test failed. */
  failure?: string;
}

/** A failed test, failing the revision (spec.test.ignoreFailures false). */
export class TestFailedError extends StalledError {
  constructor(
    readonly report: TestReport,
    message: string,
  ) {
    super('TestFailed', message);
  }
}

export async function runTests(ctx: ReleaseContext, hooks: readonly ReleaseHook[] | null | undefined): Promise<TestReport> {
  const lines: string[] = [];
  for (const hook of hooksFor(hooks, 'test')) {
    const why = await runHook(ctx, hook, 'test', ctx.spec.test.timeoutMs);
    lines.push(why ? `${hook.name}: failed: ${why}` : `${hook.name}: succeeded`);
    if (why) return { lines, failure: why };
  }
  return { lines };
}
