// Command output in the docs is produced by the commands themselves: a ```console block starting
// with `$ chartrelease ...` holds what that command prints (stdout, then stderr), run from the
// repository root. docCommands() finds the blocks; runDocCommand() runs one in-process;
// record-doc-commands.ts rewrites the blocks from the real output.
import { readFileSync } from 'node:fs';
import { main, type CliIO } from '../../src/cli/index.js';

export interface DocCommand {
  /** The command line after `$ chartrelease `. */
  args: string[];
  /** The output written in the doc. */
  output: string;
  /** Offsets of the output in the doc text. */
  start: number;
  end: number;
}

const BLOCK = /```console\n\$ chartrelease ([^\n]*)\n([\s\S]*?)```/g;

export function docCommands(text: string): DocCommand[] {
  return [...text.matchAll(BLOCK)].map((m) => {
    const start = m.index! + m[0].indexOf('\n', m[0].indexOf('$ chartrelease')) + 1;
    return { args: m[1]!.trim().split(/\s+/), output: m[2]!, start, end: start + m[2]!.length };
  });
}

/** Runs `chartrelease ARGS` in this process (cwd: the repository root): stdout then stderr, and the exit code. */
export async function runDocCommand(args: readonly string[]): Promise<{ output: string; rc: number }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readFile: (p) => readFileSync(p), env: process.env };
  const rc = await main(args, io);
  return { output: stdout + stderr, rc };
}
