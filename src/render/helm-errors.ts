// Helm's rewording of template errors (pkg/engine: cleanupParseError, reformatExecErrorMsg), so our
// errors read exactly like `helm template` / `helm install` print them after `Error: `.
import { GoError, TemplateExecError, TemplateParseError } from '../template/index.js';

// Helm matches HELM_ERR_START((?s).*)HELM_ERR_END: the message may span lines.
const HELM_ERR = /HELM_ERR_START(.*)HELM_ERR_END/s;

/** One frame of Helm's multi-line form. */
interface TraceFrame {
  location: string;
  executing: string;
  message: string;
  /** The Go error string of this link of the chain. */
  full: string;
}

/**
 * The message Helm prints for an error from parsing or executing templates:
 * - parse errors: `parse error at (FILE:LINE): MSG`, MSG being the text after the last `": "`;
 * - `required` / `fail` (messages wrapped in HELM_ERR_START/END): `execution error at (FILE:LINE:COL): MSG`
 *   at the outermost frame;
 * - execution errors whose whole chain consists of template errors (nested `include`s): one block
 *   per frame, `FILE:LINE:COL\n  executing "NAME" at <NODE>:\n    MSG`;
 * - anything else (a function's own error such as `eq`'s type mismatch): Go's single-line message.
 */
export function formatHelmError(err: unknown): string {
  if (err instanceof TemplateParseError) {
    const tokens = err.message.split(': ');
    return `parse error at (${tokens[1]}): ${tokens[tokens.length - 1]}`;
  }
  if (!(err instanceof TemplateExecError)) return err instanceof Error ? err.message : String(err);

  const tokens = splitN(err.message, ': ', 3);
  const warning = HELM_ERR.exec(tokens[2] ?? '');
  if (warning) return `execution error at (${tokens[1]}): ${warning[1]}`;

  const frames: TraceFrame[] = [];
  let current: Error | null = err;
  while (current !== null) {
    if (current instanceof TemplateExecError && current.frame !== null) {
      const f = current.frame;
      frames.push({
        location: `${f.file}:${f.line}:${f.col}`,
        executing: `executing ${JSON.stringify(f.templateName)} at <${f.nodeText}>:`,
        message: current.cause,
        full: current.message,
      });
      current = current.inner;
    } else if (current instanceof GoError && current.message.startsWith('template: no template ')) {
      frames.push({ location: '', executing: '', message: current.message, full: current.message });
      current = null;
    } else {
      return err.message;
    }
  }
  for (let i = 0; i < frames.length - 1; i++) {
    const next = frames[i + 1]!.full;
    const f = frames[i]!;
    if (f.message.endsWith(next)) f.message = f.message.slice(0, f.message.length - next.length).trim();
  }
  let out = '';
  for (const f of frames) {
    if (f.location) out += `${f.location}\n  `;
    if (f.executing) out += `${f.executing}\n    `;
    out += `${f.message}\n`;
  }
  return out.trim();
}

function splitN(s: string, sep: string, n: number): string[] {
  const parts: string[] = [];
  let rest = s;
  while (parts.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    parts.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  parts.push(rest);
  return parts;
}
