// Redaction: no string that came from a Secret leaves the process. Values read from Secret overlays
// (spec.valuesFrom kind Secret) are remembered here, per ChartRelease, in every form a message may
// carry them (as is, JSON/Go-quoted, base64, each line of a multi-line value); redact() replaces them
// with `[redacted]`. It is applied where messages leave the process (status writer, event recorder,
// log stream, record descriptions), so messages from anywhere (API-server errors, schema validation,
// template `fail`/`required`, type errors that print a value) are covered without each call site.

export const REDACTED = '[redacted]';

/** Shorter values are not redacted: replacing every "on" or "1" would garble messages, and they are not secrets worth the name. */
export const MIN_SECRET_LENGTH = 4;
/** Lines of a multi-line value are redacted on their own from this length (a PEM key quoted in part). */
const MIN_LINE_LENGTH = 8;

/** The leaves of a values tree that are redacted: strings and numbers (as text), at least MIN_SECRET_LENGTH long. */
export function secretLeaves(values: unknown, out: string[] = []): string[] {
  if (typeof values === 'string') {
    if (values.length >= MIN_SECRET_LENGTH) out.push(values);
  } else if (typeof values === 'number' || typeof values === 'bigint') {
    const text = String(values);
    if (text.length >= MIN_SECRET_LENGTH) out.push(text);
  } else if (Array.isArray(values)) {
    for (const v of values) secretLeaves(v, out);
  } else if (values && typeof values === 'object') {
    for (const v of Object.values(values)) secretLeaves(v, out);
  }
  return out;
}

/** Every form of one secret string a message may carry. */
export function secretForms(value: string): string[] {
  const forms = new Set<string>([value, JSON.stringify(value).slice(1, -1), Buffer.from(value, 'utf8').toString('base64')]);
  // Base64 without its padding, as it may appear cut off or inside a longer encoding's start.
  forms.add(Buffer.from(value, 'utf8').toString('base64').replace(/=+$/, ''));
  for (const line of value.split(/\r?\n/)) if (line.trim().length >= MIN_LINE_LENGTH) forms.add(line.trim());
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The secret strings the process knows, per owner (a ChartRelease's namespace/name). */
export class SecretStrings {
  private readonly byOwner = new Map<string, Set<string>>();
  private pattern: RegExp | null | undefined;

  /** Replaces what is known for `owner` with the forms of `leaves`. */
  set(owner: string, leaves: readonly string[]): void {
    const forms = new Set(leaves.flatMap(secretForms));
    const before = this.byOwner.get(owner);
    if (before && before.size === forms.size && [...forms].every((f) => before.has(f))) return;
    if (forms.size) this.byOwner.set(owner, forms);
    else this.byOwner.delete(owner);
    this.pattern = undefined;
  }

  forget(owner: string): void {
    if (this.byOwner.delete(owner)) this.pattern = undefined;
  }

  /** `text` with every known secret string replaced by [redacted] (longest first). */
  redact(text: string): string {
    if (this.pattern === undefined) {
      const all = [...new Set([...this.byOwner.values()].flatMap((s) => [...s]))].sort((a, b) => b.length - a.length);
      this.pattern = all.length ? new RegExp(all.map(escapeRegExp).join('|'), 'g') : null;
    }
    return this.pattern && text ? text.replace(this.pattern, REDACTED) : text;
  }
}

/** The process's secret strings: filled where Secret overlays are read, used by redact(). */
export const secretStrings = new SecretStrings();

/** The one redaction function: `text` without any string of a Secret overlay the process has read. */
export function redact(text: string): string {
  return secretStrings.redact(text);
}
