// Go's text/template as a standalone library: parse templates once, execute them many times over Go
// values (see value.ts), with Go's semantics, output and error messages.
import { builtins } from './builtins.js';
import { GoError, type FuncMap, type GoValue } from './value.js';
import { executeTree } from './exec.js';
import { isEmptyTree } from './nodes.js';
import { parseTemplates, type Tree } from './parser.js';

export * from './value.js';
export { sprint, sprintf, sprintln, quote } from './fmt.js';
export { TemplateParseError, TemplateExecError, type ExecFrame } from './errors.js';
export { htmlEscapeString, jsEscapeString, urlQueryEscape } from './builtins.js';
export { GO_MAX_TEMPLATE_DEPTH } from './exec.js';

export interface TemplateSetOptions {
  /** The set's own name, used in `no template "x" associated with template "NAME"` (Helm: `gotpl`). */
  name?: string;
  /**
   * Nesting limit for `{{template}}` calls. Go stops at 100000, deeper than a JavaScript stack
   * allows; at this limit the engine reports Go's `exceeded maximum template depth (100000)`.
   */
  maxTemplateDepth?: number;
}

/** Default `{{template}}` nesting limit, chosen to stay well inside Node's default stack. */
export const DEFAULT_MAX_TEMPLATE_DEPTH = 1500;

/**
 * A set of named templates sharing one function table, like a Go *template.Template and its
 * associated templates. Functions must be added before the templates that use them are parsed.
 */
export class TemplateSet {
  private readonly templates: Map<string, Tree>;
  private readonly funcs: FuncMap;
  readonly name: string;
  readonly maxTemplateDepth: number;
  private active = 0;

  constructor(funcs: FuncMap = {}, options: TemplateSetOptions = {}) {
    this.funcs = { ...funcs };
    this.templates = new Map();
    this.name = options.name ?? '';
    this.maxTemplateDepth = options.maxTemplateDepth ?? DEFAULT_MAX_TEMPLATE_DEPTH;
  }

  /** Adds or replaces functions; a name shared with a builtin overrides the builtin. */
  addFuncs(funcs: FuncMap): void {
    Object.assign(this.funcs, funcs);
  }

  /**
   * Parses `text` as the template `name`, adding it and its `define`/`block` templates to the set.
   * A later definition replaces an earlier one, except that an empty (white-space only) body never
   * replaces an existing template. Throws TemplateParseError.
   */
  parse(name: string, text: string): void {
    const trees = parseTemplates(name, text, (fn) => Object.prototype.hasOwnProperty.call(this.funcs, fn) || Object.prototype.hasOwnProperty.call(builtins, fn));
    for (const [treeName, tree] of trees) {
      const existing = this.templates.get(treeName);
      if (existing !== undefined && isEmptyTree(tree.root)) continue;
      this.templates.set(treeName, tree);
    }
  }

  has(name: string): boolean {
    return this.templates.has(name);
  }

  definedNames(): string[] {
    return [...this.templates.keys()];
  }

  /**
   * How many `execute` calls are running right now; functions that call back into the set (Helm's
   * `include`) use it, or their own per-name counters, to stop runaway recursion.
   */
  get executionDepth(): number {
    return this.active;
  }

  /**
   * Executes the template `name` with `data` as dot and `$`. Missing map keys yield the zero value
   * (`missingkey=zero`) and print `<no value>`. Re-entrant: functions may call `execute` again.
   * Throws TemplateExecError, or GoError when no template has that name.
   */
  execute(name: string, data: GoValue): string {
    const tree = this.templates.get(name);
    if (tree === undefined) {
      throw new GoError(`template: no template ${JSON.stringify(name)} associated with template ${JSON.stringify(this.name)}`);
    }
    this.active++;
    try {
      return executeTree({ templates: this.templates, funcs: this.funcs, maxTemplateDepth: this.maxTemplateDepth }, tree, data);
    } finally {
      this.active--;
    }
  }

  /** A copy with the same templates and functions; parsing into the copy leaves this set unchanged. */
  clone(): TemplateSet {
    const copy = new TemplateSet(this.funcs, { name: this.name, maxTemplateDepth: this.maxTemplateDepth });
    for (const [k, v] of this.templates) copy.templates.set(k, v);
    return copy;
  }
}
