// `chartrelease values [NAME] CHART [flags]`: the values a release gets, as helm computes them
// (chart defaults, subcharts, each -f in order, --set), and with --explain where each leaf came
// from. Warnings about overlay keys nothing reads and nulls that delete nothing go to stderr.
import type { Warn } from '../chart/index.js';
import { marshalYaml } from '../goyaml/index.js';
import { annotatedYaml, explainValues, warningLines } from '../provenance/index.js';
import { flagHelp, parseFlags, type FlagSpec } from './flags.js';
import type { Command } from './index.js';
import { TEMPLATE_FLAGS } from './template-flags.js';
import { locateChart } from './template-run.js';
import { CHART_SOURCE_FLAG_NAMES, valuesInput, VALUES_FLAGS } from './values-input.js';

const FLAGS: FlagSpec[] = [
  ...VALUES_FLAGS,
  ...TEMPLATE_FLAGS.filter((f) => CHART_SOURCE_FLAG_NAMES.has(f.name)),
  { name: 'explain', kind: 'bool', usage: 'annotate every value with the file and line (or --set) that set it' },
  { name: 'strict', kind: 'bool', usage: 'exit with code 1 when there are warnings (unused overlay keys, nulls that delete nothing)' },
  { name: 'help', short: 'h', kind: 'bool', usage: 'help for values' },
];

const HELP = `Print the values a release of the chart gets, computed as helm computes them: the chart's
values.yaml and its subcharts', each -f file in order, then --set. With --explain every value is
annotated with its source (values.yaml:12, values.production.yaml:4, --set).

Warnings (stderr): keys in an overlay that the chart's values.yaml does not have and no template
reads (with the nearest existing key), and nulls that delete nothing.

Usage:
  chartrelease values [NAME] CHART [flags]

Flags:
${flagHelp(FLAGS)}
`;

export const valuesCommand: Command = {
  name: 'values',
  summary: 'print the computed values of a chart and overlays, --explain shows where each came from',
  async run(args, io) {
    try {
      const { flags, positional } = parseFlags(args, FLAGS);
      if (flags.help) {
        io.stdout(HELP);
        return 0;
      }
      if (positional.length === 0 || positional.length > 2) {
        throw new Error(`"chartrelease values" requires at least 1 and at most 2 arguments\n\nUsage:  chartrelease values [NAME] CHART [flags]`);
      }
      const warn: Warn = (message) => io.stderr(`${message}\n`);
      const { userValues, layers } = valuesInput(flags, io);
      const chart = await locateChart(positional[positional.length - 1]!, flags, io, warn);
      const explained = explainValues(chart, userValues, layers, warn);
      io.stdout(flags.explain ? annotatedYaml(explained.values, explained.leaves) : marshalYaml(explained.values));
      io.stderr(warningLines(explained.warnings));
      return flags.strict && explained.warnings.length ? 1 : 0;
    } catch (err) {
      io.stderr(`Error: ${(err as Error).message}\n`);
      return 1;
    }
  },
};
