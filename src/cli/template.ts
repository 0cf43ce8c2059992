// `chartrelease template [NAME] CHART [flags]`: what `helm template` prints, with helm's flags, for CI
// checks of what a ChartRelease will deploy. The command runs in a render worker (src/sandbox/) under
// the same limits as the operator's renders (--render-timeout, --render-max-memory,
// --render-max-output); template-run.ts is what runs there. This thread loads only the flags and
// the pool: the worker loads the chart and template code.
import { parseFlags } from './flags.js';
import type { CliIO, Command } from './index.js';
import { HELP, TEMPLATE_FLAGS } from './template-flags.js';
import { fileURLToPath } from 'node:url';
import { freshBundle, useOneShotV8Flags } from '../sandbox/bundle.js';
import { renderLimitsFromFlags } from '../sandbox/limits.js';
import { RenderPool } from '../sandbox/pool.js';
import type { TemplateJobInput, TemplateJobOutput } from './template-run.js';

/**
 * The worker's job module: the bundle `npm run build` made of template-run.js and everything it
 * imports (bin/bundle-cli.js), while it is as new as the compiled modules, with the worker's
 * entry bundled as CommonJS beside it; else the modules (and the pool's own worker entry).
 */
function jobModule(): { module: string; workerScript?: URL } {
  const bundle = freshBundle(fileURLToPath(new URL('./bundle/', import.meta.url)), 'template-run');
  if (bundle === undefined) return { module: new URL('./template-run.js', import.meta.url).href };
  return { module: bundle, workerScript: new URL('./bundle/worker.cjs', import.meta.url) };
}

async function run(args: string[], io: CliIO): Promise<number> {
  let limits;
  let chart = '';
  try {
    const { flags, positional } = parseFlags(args, TEMPLATE_FLAGS);
    chart = positional.at(-1) ?? '';
    if (flags.help) {
      io.stdout(HELP);
      return 0;
    }
    limits = renderLimitsFromFlags(flags);
  } catch (err) {
    io.stderr(`Error: ${(err as Error).message}\n`);
    return 1;
  }
  const { module, workerScript } = jobModule();
  useOneShotV8Flags();
  const pool = new RenderPool({ limits, size: 1, ...(workerScript ? { workerScript } : {}) });
  // The worker starts and loads the job module while this thread reads standard input.
  pool.prestart(module);
  const input: TemplateJobInput = { args, maxOutputBytes: limits.maxOutputBytes };
  if (args.includes('-')) input.stdin = io.readFile('-');
  try {
    const out = await pool.run<TemplateJobInput, TemplateJobOutput>({
      module,
      fn: 'templateJob',
      input,
      label: `chart ${chart}`,
    });
    if (out.stderr) io.stderr(out.stderr);
    if (out.stdout) io.stdout(out.stdout);
    return out.code;
  } catch (err) {
    io.stderr(`Error: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await pool.close();
  }
}

export const templateCommand: Command = {
  name: 'template',
  summary: 'locally render templates (same output as helm template)',
  run,
};
