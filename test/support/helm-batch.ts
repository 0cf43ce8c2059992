// Comparing many inputs with the real helm at the cost of few helm runs (a helm process costs about
// 150 ms of CPU before it renders anything). Used by the randomized differential runs
// (test/differential/random-programs.ts, random-regex.ts) and the fuzz suite's helm comparison
// (test/fuzz/differential.ts).
//
// The inputs our engine renders go to helm as one chart per batch: the chart's NOTES.txt prints each
// input's part followed by a marker line (`<<<i>>>`), so one `helm install --dry-run=client` gives
// every part. A batch helm refuses is halved until each refusal is an input of its own; a part that
// differs from our output is run again alone (its own chart), so a verdict never rests on inputs
// sharing a chart. Inputs our engine refuses get helm's verdict from `helm lint` over one chart per
// input (lintSnippets), many charts per process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintSnippets, recordSnippet, type Snippet, type SnippetExpectation } from './helm-snippets.js';

/** What one engine did with a chart: NOTES text, or an error message. */
export interface Outcome {
  output: string | null;
  error: string | null;
}

export const marker = (i: number): string => `\n<<<${i}>>>\n`;

/** The part of each of `count` inputs in a batch's output (null when the markers are not all there in order). */
export function splitBatch(output: string, count: number): string[] | null {
  const out: string[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const end = output.indexOf(marker(i), at);
    if (end < 0) return null;
    out.push(output.slice(at, end));
    at = end + marker(i).length;
  }
  return at === output.length ? out : null;
}

/** The real helm, with a count of its runs and a scratch directory. */
export class HelmRunner {
  runs = 0;
  private readonly work = mkdtempSync(join(tmpdir(), 'helm-batch-'));
  private next = 0;
  constructor(readonly helm: string) {}

  /** `helm install --dry-run=client` of one chart. */
  async install(s: Snippet): Promise<SnippetExpectation> {
    this.runs++;
    return recordSnippet(this.helm, { ...s, id: `${this.next++}` }, this.work);
  }

  /** helm lint's verdict on each chart (null: no error), `perRun` charts per helm process. */
  async lint(snippets: readonly Snippet[], perRun = 400): Promise<(string | null)[]> {
    const out: (string | null)[] = [];
    for (let at = 0; at < snippets.length; at += perRun) out.push(...(await this.lintSome(snippets.slice(at, at + perRun))));
    return out;
  }

  /** One lint run; one killed at the deadline is halved until the chart that ran away is alone. */
  private async lintSome(snippets: readonly Snippet[]): Promise<(string | null)[]> {
    this.runs++;
    try {
      return await lintSnippets(this.helm, snippets, this.work);
    } catch (err) {
      const message = (err as Error).message;
      if (!/helm killed after/.test(message)) throw err;
      if (snippets.length === 1) return [message.slice(message.indexOf('helm killed after'))];
      const half = Math.ceil(snippets.length / 2);
      return [...(await this.lintSome(snippets.slice(0, half))), ...(await this.lintSome(snippets.slice(half)))];
    }
  }

  close(): void {
    rmSync(this.work, { recursive: true, force: true });
  }
}

export interface BatchPlan<C> {
  /** One chart holding every case: its NOTES print case i's part, then marker(i). */
  batch(cases: readonly C[]): Snippet;
  /** The chart of one case alone (the reproducible form of a verdict). */
  single(c: C): Snippet;
  /** The case's part of the single chart's output (default: all of it). */
  part?(output: string): string;
  /** Our engine's output for the case (every case given to compareInBatches rendered). */
  ours(c: C): string;
  /** A case's part of a batch equals our output. */
  same(c: C): void;
  /** Helm's verdict on the case alone: its part of a batch differed, or helm refused a batch of it alone. */
  judge(c: C, helm: SnippetExpectation): void;
}

/**
 * Compares cases our engine rendered with helm, `batchSize` per helm run: a batch helm refuses (or
 * whose output lacks a marker) is halved; a case whose part differs is run alone.
 */
export async function compareInBatches<C>(runner: HelmRunner, cases: readonly C[], batchSize: number, plan: BatchPlan<C>): Promise<void> {
  const alone = async (c: C): Promise<void> => {
    const want = await runner.install(plan.single(c));
    if (want.output !== null && plan.part) want.output = plan.part(want.output);
    if (want.output !== null && want.output === plan.ours(c)) plan.same(c);
    else plan.judge(c, want);
  };
  const group = async (cs: readonly C[]): Promise<void> => {
    if (cs.length === 0) return;
    if (cs.length === 1) {
      // Alone, the case's own chart is the verdict (no marker to find).
      await alone(cs[0]!);
      return;
    }
    const want = await runner.install(plan.batch(cs));
    const parts = want.output === null ? null : splitBatch(want.output, cs.length);
    if (parts === null) {
      const half = Math.ceil(cs.length / 2);
      await group(cs.slice(0, half));
      await group(cs.slice(half));
      return;
    }
    for (let i = 0; i < cs.length; i++) {
      if (parts[i] === plan.ours(cs[i]!)) plan.same(cs[i]!);
      else await alone(cs[i]!);
    }
  };
  for (let at = 0; at < cases.length; at += batchSize) await group(cases.slice(at, at + batchSize));
}
