// The `chartrelease` command: a small dispatcher over sub-commands. Each command gets its arguments
// and an I/O object, and returns the exit code; nothing here touches process globals except
// `processIO` and the entry in bin/chartrelease.js. Commands are imported when they run, so
// `chartrelease template` in CI does not load the operator's Kubernetes client.
import { readFileSync } from 'node:fs';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads a file (`-` is standard input). */
  readFile(path: string): Buffer;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  run(args: string[], io: CliIO): number | Promise<number>;
}

export interface CommandEntry {
  name: string;
  /** One line for the command list. */
  summary: string;
  load(): Promise<Command>;
}

/** The commands `chartrelease` knows, in the order --help lists them. */
export const commands: CommandEntry[] = [
  { name: 'template', summary: 'locally render templates (same output as helm template)', load: async () => (await import('./template.js')).templateCommand },
  { name: 'values', summary: 'print the computed values of a chart and overlays, --explain shows where each came from', load: async () => (await import('./values.js')).valuesCommand },
  { name: 'diff', summary: 'show what deploying a chart (or a ChartRelease) would change in the cluster', load: async () => (await import('./diff.js')).diffCommand },
  { name: 'operator', summary: 'run the ChartRelease controller against the current cluster', load: async () => (await import('./operator.js')).operatorCommand },
];

export function processIO(): CliIO {
  // `chartrelease template ... | head`: a closed pipe ends the command quietly, as SIGPIPE ends helm.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(141);
  });
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readFile: (p) => readFileSync(p === '-' ? 0 : p),
    env: process.env,
  };
}

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'chartrelease renders Helm charts exactly as Helm does and deploys them as ChartRelease objects.',
    '',
    'Usage:',
    '  chartrelease [command]',
    '',
    'Available Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}   ${c.summary}`),
    '',
    'Use "chartrelease [command] --help" for more information about a command.',
    '',
  ].join('\n');
}

/** Runs `chartrelease ARGS...`; resolves with the exit code. */
export async function main(args: readonly string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`Error: unknown command "${name}" for "chartrelease"\nRun 'chartrelease --help' for usage.\n`);
    return 1;
  }
  return (await entry.load()).run(rest, io);
}
