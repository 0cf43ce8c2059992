// Go's text/template as a standalone library: parse templates once, execute them many times over Go
// values (see value.ts), with Go's semantics, output and error messages.
import { builtins } from './builtins.js';
import { GoError, type FuncMap, type GoValue } from './value.js';
import { ExecState, GO_MAX_TEMPLATE_DEPTH } from './exec.js';
import { TemplateDepthError, TemplateOutputTooLargeError, isStackOverflow, isStringTooLong } from './errors.js';
import { isEmptyTree } from './nodes.js';
import { parseTemplates, type Tree } from './parser.js';

export * from './value.js';
export { sprint, sprintf, sprintln } from './fmt.js';
export {
  TemplateParseError, TemplateExecError, TemplateDepthError, TemplateOutputTooLargeError, TemplateOutputLimitError, formatSize, type ExecFrame,
} from './errors.js';

export interface TemplateSetOptions {
  /** The set's own name, used in `no template "x" associated with template "NAME"` (Helm: `gotpl`). */
  name?: string;
  /**
   * Nesting limit for `{{template}}` calls, reported with Go's message `exceeded maximum template
   * depth (100000)`. Default: Go's 100000; a recursion that exhausts the JavaScript stack first
   * is reported with the same message (bench/template-depth.ts: about 2000 plain levels, 1000
   * inside `if` and `with`, on Node's default stack).
   */
  maxTemplateDepth?: number;
}

/** A template as one `parse` call produced it, to execute that very tree (see `TemplateSet.parse`). */
export interface ParsedTemplate {
  readonly name: string;
  readonly tree: Tree;
}

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
  private readonly env: { templates: Map<string, Tree>; funcs: FuncMap; maxTemplateDepth: number; maxOutput: number };

  constructor(funcs: FuncMap = {}, options: TemplateSetOptions = {}) {
    this.funcs = { ...funcs };
    this.templates = new Map();
    this.name = options.name ?? '';
    this.maxTemplateDepth = options.maxTemplateDepth ?? GO_MAX_TEMPLATE_DEPTH;
    this.env = { templates: this.templates, funcs: this.funcs, maxTemplateDepth: this.maxTemplateDepth, maxOutput: Infinity };
  }

  /**
   * Longest output, in characters, that one execution may produce (a runaway `range` or recursion
   * then ends in TemplateOutputLimitError instead of exhausting memory). Default: unlimited.
   */
  setOutputLimit(chars: number): void {
    this.env.maxOutput = chars;
  }

  /** Adds or replaces functions; a name shared with a builtin overrides the builtin. */
  addFuncs(funcs: FuncMap): void {
    Object.assign(this.funcs, funcs);
  }

  /**
   * Parses `text` as the template `name`, adding it and its `define`/`block` templates to the set.
   * A later definition replaces an earlier one, except that an empty (white-space only) body never
   * replaces an existing template. Throws TemplateParseError.
   *
   * Returns the template parsed for `name` itself, as Go's `t.New(name).Parse(text)` returns `t`
   * with its tree set even when an empty body was not associated: executing it runs this text, not
   * the set's older template of that name (Helm's `tpl` on an empty string inside a `tpl`).
   */
  parse(name: string, text: string): ParsedTemplate {
    const trees = parseTemplates(name, text, (fn) => Object.prototype.hasOwnProperty.call(this.funcs, fn) || Object.prototype.hasOwnProperty.call(builtins, fn));
    for (const [treeName, tree] of trees) {
      const existing = this.templates.get(treeName);
      if (existing !== undefined && isEmptyTree(tree.root)) continue;
      this.templates.set(treeName, tree);
    }
    return { name, tree: trees.get(name)! };
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
   * Executes the template `name` (or one `parse` returned) with `data` as dot and `$`. Missing map keys yield the zero value
   * (`missingkey=zero`) and print `<no value>`. Re-entrant: functions may call `execute` again
   * (each nesting level costs four small stack frames: bench/template-depth.ts measures the depth).
   * Throws TemplateExecError, GoError when no template has that name, TemplateDepthError when
   * nested executions exhaust the stack and TemplateOutputTooLargeError when the output would exceed
   * JavaScript's longest string.
   */
  execute(template: string | ParsedTemplate, data: GoValue): string {
    const name = typeof template === 'string' ? template : template.name;
    const tree = typeof template === 'string' ? this.templates.get(name) : template.tree;
    if (tree === undefined) {
      throw new GoError(`template: no template ${JSON.stringify(name)} associated with template ${JSON.stringify(this.name)}`);
    }
    this.active++;
    try {
      const state = new ExecState(this.env, tree, data);
      state.walk(data, tree.root);
      return state.out;
    } catch (e) {
      if (isStackOverflow(e)) throw new TemplateDepthError(name, this.active);
      if (isStringTooLong(e)) throw new TemplateOutputTooLargeError(name);
      throw e;
    } finally {
      this.active--;
    }
  }

  /** A copy with the same templates and functions; parsing into the copy leaves this set unchanged. */
  clone(): TemplateSet {
    const copy = new TemplateSet(this.funcs, { name: this.name, maxTemplateDepth: this.maxTemplateDepth });
    copy.setOutputLimit(this.env.maxOutput);
    for (const [k, v] of this.templates) copy.templates.set(k, v);
    return copy;
  }
}
