// `chartrelease template [NAME] CHART [flags]`: what `helm template` prints, with helm's flags, for CI
// checks of what a ChartRelease will deploy. The command runs in a render worker (src/sandbox/) under
// the same limits as the operator's renders (--render-timeout, --render-max-memory,
// --render-max-output); template-run.ts is what runs there.
import { parseFlags } from './flags.js';
import type { CliIO, Command } from './index.js';
import { HELP, TEMPLATE_FLAGS } from './template-flags.js';
import { RenderPool, renderLimitsFromFlags } from '../sandbox/index.js';
import type { TemplateJobInput, TemplateJobOutput } from './template-run.js';

/** For `diff` and `values`, which take template's chart-source flags and locate charts as it does. */
export { TEMPLATE_FLAGS as FLAGS } from './template-flags.js';
export { locateChart, locateChartInput } from './template-run.js';

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
  const input: TemplateJobInput = { args, maxOutputBytes: limits.maxOutputBytes };
  if (args.includes('-')) input.stdin = io.readFile('-');
  const pool = new RenderPool({ limits, size: 1 });
  try {
    const out = await pool.run<TemplateJobInput, TemplateJobOutput>({
      module: new URL('./template-run.js', import.meta.url).href,
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
