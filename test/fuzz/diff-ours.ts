// Our side of the fuzz suite's helm comparison, run inside a render worker (src/sandbox/) as the
// CLI and the operator render: each chart is packed as an archive and loaded by the chart loader,
// its -f overlays and --set family become user values through the CLI's own values code
// (cli/values-input.ts), and renderChart renders it as `helm install --dry-run=client` does
// (release "rel" in "default", revision 1). What is compared is the chart's NOTES.txt.
import { loadChart } from '../../src/chart/index.js';
import { userValuesOf } from '../../src/cli/values-input.js';
import type { CliIO } from '../../src/cli/index.js';
import { renderChart } from '../../src/render/index.js';
import { DEFAULT_CHART_YAML, overlayName, type Snippet } from '../support/helm-snippets.js';
import { tgz } from '../sandbox/tgz.js';

export interface OursOutcome {
  output: string | null;
  error: string | null;
  /** The class of the error thrown (RangeError, RenderError, ...): tells internal failures apart. */
  errorName?: string;
}

export interface OursJob {
  charts: Snippet[];
  maxOutputBytes: number;
}

/** The files of a snippet's chart, by path inside the chart (as writeSnippetChart writes them). */
export function snippetFiles(s: Snippet): Record<string, string> {
  return { 'Chart.yaml': s.chartYaml ?? DEFAULT_CHART_YAML, 'values.yaml': s.values ?? '', 'templates/NOTES.txt': s.template, ...s.files };
}

export function renderOne(s: Snippet, maxOutputBytes: number): OursOutcome {
  try {
    const archive = tgz(Object.entries(snippetFiles(s)).map(([path, data]) => ({ name: `c/${path}`, data })));
    const overlays = new Map((s.valueFiles ?? []).map((text, i) => [overlayName(i), text]));
    const io: CliIO = {
      stdout: () => {},
      stderr: () => {},
      readFile: (p) => Buffer.from(overlays.get(p) ?? ''),
      env: {},
    };
    const values = userValuesOf({ values: [...overlays.keys()], 'set-json': s.setJson ?? [], set: s.set ?? [], 'set-string': s.setString ?? [] }, io);
    const chart = loadChart(archive);
    return { output: renderChart(chart, { values, releaseName: 'rel', namespace: 'default', maxOutputBytes }).notes, error: null };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { output: null, error: e.message, errorName: e.name };
  }
}

/** The render worker's job: every chart of the list, each on its own. */
export function renderCharts(job: OursJob): OursOutcome[] {
  return job.charts.map((s) => renderOne(s, job.maxOutputBytes));
}
