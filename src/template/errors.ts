// The two error kinds of the engine, with `.message` exactly as Go's text/template words them.

/** A parse (or lexical) error: `template: NAME:LINE: message`. */
export class TemplateParseError extends Error {
  override name = 'TemplateParseError';
  constructor(
    /** The parse name: the file (template) being parsed, also for errors inside its `define`s. */
    readonly templateName: string,
    readonly line: number,
    /** The message after the location, e.g. `function "foo" not defined`. */
    readonly detail: string,
  ) {
    super(`template: ${templateName}:${line}: ${detail}`);
  }

  /** Go's full error string. */
  get goMessage(): string {
    return this.message;
  }
}

/** One `executing "NAME" at <NODE>` frame of an execution error. */
export interface ExecFrame {
  /** The file the failing node was parsed from. */
  readonly file: string;
  readonly line: number;
  /** 0-based byte column, as Go prints it. */
  readonly col: number;
  /** The template being executed (a file or a `define`d name). */
  readonly templateName: string;
  /** The node's text as Go prints it between `<` and `>`. */
  readonly nodeText: string;
}

/**
 * An execution error: `template: FILE:LINE:COL: executing "NAME" at <NODE>: cause`. When a function
 * (such as Helm's `include`) failed with an error of its own, `inner` is that error and `cause`
 * starts with `error calling NAME: `; `frames` lists this frame and those of nested execution errors,
 * outermost first.
 */
export class TemplateExecError extends Error {
  override name = 'TemplateExecError';
  readonly frames: readonly ExecFrame[];
  constructor(
    readonly frame: ExecFrame | null,
    /** The message after the frame (Go's error text, e.g. `error calling eq: incompatible types ...`). */
    override readonly cause: string,
    /** The error returned by a function, wrapped as Go wraps it with %w; null for the executor's own errors. */
    readonly inner: Error | null = null,
    /** Template name for an error without a node (`no such template`). */
    templateNameWithoutNode = '',
  ) {
    super(
      frame
        ? `template: ${frame.file}:${frame.line}:${frame.col}: executing ${goQuoted(frame.templateName)} at <${frame.nodeText}>: ${cause}`
        : `template: ${templateNameWithoutNode}: ${cause}`,
    );
    const nested = inner instanceof TemplateExecError ? inner.frames : [];
    this.frames = frame ? [frame, ...nested] : nested;
  }

  get templateName(): string {
    return this.frame?.templateName ?? '';
  }
  get line(): number {
    return this.frame?.line ?? 0;
  }
  get col(): number {
    return this.frame?.col ?? 0;
  }
  get nodeText(): string {
    return this.frame?.nodeText ?? '';
  }
}

function goQuoted(s: string): string {
  return JSON.stringify(s);
}

/**
 * Nested executions (a function such as Helm's `include` calling back into the engine) went deeper
 * than the JavaScript stack allows. Not a Go error: it is not wrapped by each level it passes.
 */
export class TemplateDepthError extends Error {
  override name = 'TemplateDepthError';
  constructor(readonly templateName: string, readonly depth: number) {
    super(`template: ${templateName}: nested template executions exhausted the stack at depth ${depth} (runaway include recursion?)`);
  }
}

/** The rendered text outgrew the longest string JavaScript can hold. */
export class TemplateOutputTooLargeError extends Error {
  override name = 'TemplateOutputTooLargeError';
  constructor(readonly templateName: string) {
    super(`template: ${templateName}: output exceeds the longest string JavaScript can hold (runaway range?)`);
  }
}

/** A template's output passed the set's output limit (TemplateSet.setOutputLimit). */
export class TemplateOutputLimitError extends Error {
  override name = 'TemplateOutputLimitError';
  constructor(readonly templateName: string, readonly limit: number) {
    super(`template: ${templateName}: rendered output exceeds ${formatSize(limit)}`);
  }
}

/** A size as a user would write it: `100 MiB`, `512 KiB`, `100 bytes`. */
export function formatSize(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** V8's error when a string would exceed its maximum length. */
export function isStringTooLong(e: unknown): boolean {
  return e instanceof RangeError && e.message.includes('Invalid string length');
}

/** A JavaScript stack overflow (as opposed to other RangeErrors). */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && e.message.includes('call stack');
}
