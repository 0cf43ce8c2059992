// `helm template`'s standard output (pkg/cmd/template.go): CRDs (with --include-crds) and manifests
// as `---\n# Source: PATH\nCONTENT\n`, the whole trimmed; then hooks in the same form (test hooks
// dropped by --skip-tests); --show-only re-splits that text and keeps the documents whose source
// path matches one of the patterns (Go's filepath.Match).
import { pathMatch } from '../chart/index.js';
import { goTrimSpace, splitManifests } from '../goyaml/index.js';
import type { RenderResult } from './render.js';

export interface TemplateOutputOptions {
  includeCrds?: boolean;
  skipTests?: boolean;
  /** Drop every hook (helm's --no-hooks). */
  noHooks?: boolean;
  /** --show-only patterns, relative to the chart (`templates/deployment.yaml`, `templates/*.yaml`). */
  showOnly?: readonly string[];
}

export class ShowOnlyError extends Error {
  override name = 'ShowOnlyError';
}

const SOURCE = /# Source: [^/]+\/(.+)/;

/** The text `helm template` prints for a render result. */
export function formatTemplateOutput(result: RenderResult, options: TemplateOutputOptions = {}): string {
  let manifest = '';
  if (options.includeCrds) for (const crd of result.crds) manifest += `---\n# Source: ${crd.filename}\n${crd.file.data.toString('utf8')}\n`;
  for (const m of result.manifests) manifest += `---\n# Source: ${m.path}\n${m.content}\n`;
  let out = `${goTrimSpace(manifest)}\n`;
  if (!options.noHooks) {
    for (const h of result.hooks) {
      if (options.skipTests && h.events.includes('test')) continue;
      out += `---\n# Source: ${h.path}\n${h.content}\n`;
    }
  }
  if (!options.showOnly?.length) return out;
  const docs = splitManifests(out);
  let shown = '';
  for (const pattern of options.showOnly) {
    const wanted = pattern.split('\\').join('/');
    let found = false;
    for (const doc of docs) {
      const m = SOURCE.exec(doc);
      if (!m) continue;
      let matched = false;
      try {
        matched = pathMatch(wanted, m[1]!);
      } catch {
        matched = false;
      }
      if (!matched) continue;
      shown += `---\n${doc}\n`;
      found = true;
    }
    if (!found) throw new ShowOnlyError(`could not find template ${wanted} in chart`);
  }
  return shown;
}
