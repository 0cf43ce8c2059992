// The executor of Go's text/template (text/template/exec.go) with Helm's option missingkey=zero:
// walks a parsed tree over Go values, evaluating pipelines, fields, functions and control
// structures with Go's rules and error messages.
import { builtins, callFunctionValue } from './builtins.js';
import { ExecFrame, TemplateExecError, TemplateOutputLimitError, TemplateParseError, isStackOverflow } from './errors.js';
import { sprint, sprintf } from './fmt.js';
import {
  ArgNode, BranchNode, ChainNode, CommandNode, FieldNode, IdentifierNode, ListNode, Node, NumberNode, PipeNode, TemplateNode,
  VariableNode, lineAndColumn, nodeString,
} from './nodes.js';
import type { Tree } from './parser.js';
import { Val, assignable, canBeNil, elementType, mapTypeInfo, typeKind, zeroValue } from './types.js';
import {
  FuncMap, GO_TYPE, GoComplex, GoError, GoFunc, GoInt, GoStruct, GoValue, compareBytes, formatFloat, int, isMap, mapGet,
  methodOf, truth, typeName,
} from './value.js';

/** Go's own limit on nested `{{template}}` calls, named in its error message. */
export const GO_MAX_TEMPLATE_DEPTH = 100000;

const MISSING: unique symbol = Symbol('missing final argument');
type Final = Val | typeof MISSING;

const NORMAL = 0;
const BREAK = 1;
const CONTINUE = 2;
type Flow = typeof NORMAL | typeof BREAK | typeof CONTINUE;

interface Variable {
  name: string;
  value: Val;
  /** Whether the variable's static Go type is `interface {}` (a range element of []interface {}). */
  iface: boolean;
}

export interface ExecEnv {
  readonly templates: ReadonlyMap<string, Tree>;
  readonly funcs: FuncMap;
  /** Nesting limit for `{{template}}`; reaching it raises Go's "exceeded maximum template depth". */
  readonly maxTemplateDepth: number;
  /** Longest output (in characters) one execution may produce; Infinity when unlimited. */
  maxOutput: number;
}

/** Errors a Go function returns (rather than bugs in a JavaScript implementation). */
function isGoError(e: unknown): e is Error {
  return e instanceof GoError || e instanceof TemplateExecError || e instanceof TemplateParseError;
}

function isHexInt(s: string): boolean {
  return s.length > 2 && s[0] === '0' && (s[1] === 'x' || s[1] === 'X') && !/[pP]/.test(s);
}

function unwrapInterface(v: Val): GoValue {
  return v === undefined ? null : v;
}

/**
 * The state of one execution: `new ExecState(env, tree, data)`, then `walk(data, tree.root)`; the
 * rendered text is in `out`.
 */
export class ExecState {
  out = '';
  private node: Node | null = null;
  private vars: Variable[];
  private dotIface = false;
  private depth = 0;
  /** Whether the value last returned by evalField / evalCall has static type `interface {}`. */
  private lastIface = false;

  constructor(private readonly env: ExecEnv, private tree: Tree, data: GoValue) {
    this.vars = [{ name: '$', value: data, iface: false }];
  }

  // --- errors -----------------------------------------------------------------------------

  private errorf(message: string, inner: Error | null = null): never {
    const n = this.node;
    let frame: ExecFrame | null = null;
    if (n !== null) {
      const { line, col } = lineAndColumn(this.tree.source.text, n.pos);
      frame = { file: this.tree.source.name, line, col, templateName: this.tree.name, nodeText: nodeString(n) };
    }
    throw new TemplateExecError(frame, message, inner, this.tree.name);
  }

  // --- walking ----------------------------------------------------------------------------

  /**
   * Walks a list (a template body or branch). Text, actions, if and with are handled here so that
   * nested executions (include inside if) cost few stack frames per level.
   */
  walk(dot: Val, list: ListNode): Flow {
    const nodes = list.nodes;
    for (let i = 0; i < nodes.length; i++) {
      if (this.out.length > this.env.maxOutput) throw new TemplateOutputLimitError(this.tree.name, this.env.maxOutput);
      const n = nodes[i]!;
      if (n.kind === 'text') this.out += n.text;
      else if (n.kind === 'action') {
        const pipe = n.pipe;
        if (pipe.decl.length === 0 && pipe.cmds.length === 1) {
          // evalPipeline of a single command, without its frames
          this.node = pipe;
          const cmd = pipe.cmds[0]!;
          const first = cmd.args[0]!;
          const v = first.kind === 'identifier' ? this.callFunction(dot, cmd, first, MISSING) : this.evalOperandCommand(dot, cmd, first, MISSING);
          this.printValue(n, v);
        } else {
          const v = this.evalPipeline(dot, pipe);
          if (pipe.decl.length === 0) this.printValue(n, v);
        }
      } else if (n.kind === 'if' || n.kind === 'with') {
        // Inline as well: a recursion through include inside if/with is a common chart shape.
        const mark = this.vars.length;
        const val = this.evalPipeline(dot, n.pipe);
        let flow: Flow = NORMAL;
        if (truth(unwrapInterface(val))) {
          if (n.kind === 'with') {
            const saved = this.dotIface;
            this.dotIface = false;
            flow = this.walk(val, n.list);
            this.dotIface = saved;
          } else flow = this.walk(dot, n.list);
        } else if (n.elseList !== null) flow = this.walk(dot, n.elseList);
        this.vars.length = mark;
        if (flow !== NORMAL) return flow;
      } else {
        const flow = this.walkNode(dot, n);
        if (flow !== NORMAL) return flow;
      }
    }
    if (this.out.length > this.env.maxOutput) throw new TemplateOutputLimitError(this.tree.name, this.env.maxOutput);
    return NORMAL;
  }

  /** The nodes of a list that walk() does not handle inline. */
  private walkNode(dot: Val, node: Node): Flow {
    switch (node.kind) {
      case 'range':
        return this.walkRange(dot, node);
      case 'template':
        this.walkTemplate(dot, node);
        return NORMAL;
      case 'break':
        return BREAK;
      case 'continue':
        return CONTINUE;
      default:
        this.node = node;
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private printValue(node: Node, v: Val): void {
    this.node = node;
    if (v === null || v === undefined) this.out += '<no value>';
    else if (typeof v === 'string') this.out += v;
    else if (typeof v === 'number') this.out += formatFloat(v);
    else if (v instanceof GoInt && (v.type === 'int' || v.type === 'int64')) this.out += v.toString();
    else this.out += sprint([v]); // also named integer types with a String method (time.Month)
  }

  private walkRange(dot: Val, r: BranchNode): Flow {
    this.node = r;
    const mark = this.vars.length;
    const val = unwrapInterface(this.evalPipeline(dot, r.pipe));
    const savedIface = this.dotIface;
    let ran = false;
    if (Array.isArray(val)) {
      const iface = val[GO_TYPE as never] === undefined || typeKind(elementType(typeName(val))) === 'interface';
      const n = val.length; // a slice's length is fixed when the range starts
      for (let i = 0; i < n; i++) {
        ran = true;
        const e = val[i]!;
        if (this.iteration(r, int(i), iface && e === null ? undefined : e, iface) === BREAK) break;
      }
    } else if (val instanceof Uint8Array) {
      for (let i = 0; i < val.length; i++) {
        ran = true;
        if (this.iteration(r, int(i), new GoInt(val[i]!, 'uint8'), false) === BREAK) break;
      }
    } else if (isMap(val)) {
      const t = typeName(val);
      const iface = typeKind(elementType(t)) === 'interface';
      // Go sorts a snapshot of the entries (fmtsort) before the first iteration.
      const keys = Object.keys(val).sort(compareBytes);
      const values = keys.map((k) => val[k]!);
      for (let i = 0; i < keys.length; i++) {
        ran = true;
        const k = keys[i]!;
        const e = values[i]!;
        if (this.iteration(r, k, iface && e === null ? undefined : e, iface) === BREAK) break;
      }
    } else if (val instanceof GoInt) {
      if (r.pipe.decl.length > 1) this.errorf(`can't use ${sprintf('%v', [val])} to iterate over more than one variable`);
      for (let i = 0; i < val.value; i++) {
        ran = true;
        const v = val.type === 'int' ? int(i) : new GoInt(i, val.type);
        if (this.iteration(r, v, v, false) === BREAK) break;
      }
    } else if (val !== null) {
      this.errorf(`range can't iterate over ${sprintf('%v', [val])}`);
    }
    this.dotIface = savedIface;
    let flow: Flow = NORMAL;
    // In Go a {{continue}} in the else branch goes on to the enclosing range, while a {{break}}
    // there is consumed by this range (its recover catches walkBreak).
    if (!ran && r.elseList !== null && this.walk(dot, r.elseList) === CONTINUE) flow = CONTINUE;
    this.vars.length = mark;
    return flow;
  }

  private iteration(r: BranchNode, index: Val, elem: Val, elemIface: boolean): Flow {
    const decl = r.pipe.decl;
    const mark = this.vars.length;
    if (decl.length > 0) {
      if (r.pipe.isAssign) {
        if (decl.length > 1) this.setVar(decl[0]!.ident[0]!, index, false);
        else this.setVar(decl[0]!.ident[0]!, elem, elemIface);
      } else {
        const top = this.vars[mark - 1]!;
        top.value = elem;
        top.iface = elemIface;
      }
    }
    if (decl.length > 1) {
      if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem, elemIface);
      else {
        const second = this.vars[mark - 2]!;
        second.value = index;
        second.iface = false;
      }
    }
    this.dotIface = elemIface;
    const flow = this.walk(elem, r.list);
    this.vars.length = mark;
    return flow;
  }

  private walkTemplate(dot: Val, t: TemplateNode): void {
    this.node = t;
    const tmpl = this.env.templates.get(t.name);
    if (tmpl === undefined) this.errorf(`template ${JSON.stringify(t.name)} not defined`);
    if (this.depth >= this.env.maxTemplateDepth) this.errorf(`exceeded maximum template depth (${GO_MAX_TEMPLATE_DEPTH})`);
    const newDot = t.pipe === null ? null : this.evalPipeline(dot, t.pipe);
    const saved = { tree: this.tree, vars: this.vars, dotIface: this.dotIface };
    this.tree = tmpl;
    this.vars = [{ name: '$', value: newDot, iface: false }];
    this.dotIface = false;
    this.depth++;
    try {
      this.walk(newDot, tmpl.root);
    } catch (e) {
      if (!isStackOverflow(e)) throw e;
      // Deeper than the JavaScript stack allows: report it as Go reports its own depth limit.
      this.tree = saved.tree;
      this.node = t;
      this.errorf(`exceeded maximum template depth (${GO_MAX_TEMPLATE_DEPTH})`);
    }
    this.depth--;
    this.tree = saved.tree;
    this.vars = saved.vars;
    this.dotIface = saved.dotIface;
  }

  // --- variables --------------------------------------------------------------------------

  private setVar(name: string, value: Val, iface: boolean): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i]!;
      if (v.name === name) {
        v.value = value;
        v.iface = iface;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private varValue(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) return this.vars[i]!;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // --- pipelines and commands ---------------------------------------------------------------

  private evalPipeline(dot: Val, pipe: PipeNode): Val {
    this.node = pipe;
    let value: Final = MISSING;
    const cmds = pipe.cmds;
    for (let i = 0; i < cmds.length; i++) {
      value = this.evalCommand(dot, cmds[i]!, value);
      if (value === undefined) value = null; // an interface's content, here nil
    }
    if (pipe.decl.length > 0) this.declare(pipe, value as Val);
    return value as Val;
  }

  /** Declares (`:=`) or assigns (`=`) the pipeline's variables. */
  private declare(pipe: PipeNode, v: Val): void {
    for (const d of pipe.decl) {
      if (pipe.isAssign) this.setVar(d.ident[0]!, v, false);
      else this.vars.push({ name: d.ident[0]!, value: v, iface: false });
    }
  }

  private notAFunction(args: readonly ArgNode[] | null, final: Final): void {
    if ((args !== null && args.length > 1) || final !== MISSING) {
      this.errorf(`can't give argument to non-function ${nodeString(args![0]!)}`);
    }
  }

  private evalCommand(dot: Val, cmd: CommandNode, final: Final): Val {
    const first = cmd.args[0]!;
    if (first.kind === 'identifier') return this.callFunction(dot, cmd, first, final);
    return this.evalOperandCommand(dot, cmd, first, final);
  }

  /** A command calling a function: `name arg...` (the common recursive path, kept lean). */
  private callFunction(dot: Val, cmd: CommandNode, ident: IdentifierNode, final: Final): Val {
    this.node = ident;
    const fn = this.lookupFunction(ident.name);
    if (fn === builtins.and || fn === builtins.or || fn === builtins.call) {
      return this.evalCall(dot, fn, true, cmd, ident.name, cmd.args, final, undefined);
    }
    const argv = this.evalArgs(dot, fn, ident.name, cmd.args, final, undefined);
    let result: Val;
    try {
      result = fn.fn.apply(null, argv) as Val;
    } catch (e) {
      this.callFailed(e, cmd, ident.name);
    }
    return this.callResult(fn, result);
  }

  /** A command that is not a function call: a field, chain, variable, pipeline or constant. */
  private evalOperandCommand(dot: Val, cmd: CommandNode, first: ArgNode, final: Final): Val {
    switch (first.kind) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.node = first;
    this.notAFunction(cmd.args, final);
    switch (first.kind) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        this.errorf('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
      default:
        this.errorf(`can't evaluate command ${JSON.stringify(nodeString(first))}`);
    }
  }

  /** A number constant without a context type: complex, float (if written as one) or int. */
  private idealConstant(n: NumberNode): GoValue {
    this.node = n;
    if (n.isComplex) return new GoComplex(n.re, n.im);
    if (n.isFloat && !isHexInt(n.text) && n.text[0] !== "'" && /[.eEpP]/.test(n.text)) return n.float;
    if (n.isInt) return n.exactInt === undefined ? int(n.int) : new GoInt(n.int, 'int', n.exactInt);
    if (n.isUint) this.errorf(`${n.text} overflows int`);
    return null;
  }

  // --- fields -------------------------------------------------------------------------------

  private evalFieldNode(dot: Val, field: FieldNode, args: readonly ArgNode[] | null, final: Final): Val {
    this.node = field;
    return this.evalFieldChain(dot, dot, this.dotIface, field, field.ident, 0, args, final);
  }

  private evalChainNode(dot: Val, chain: ChainNode, args: readonly ArgNode[] | null, final: Final): Val {
    this.node = chain;
    if (chain.node.kind === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const receiver = this.evalArg(dot, null, chain.node);
    // A parenthesized pipeline's value is concrete; a function's may be an interface.
    const iface = chain.node.kind === 'identifier' && this.lastIface;
    return this.evalFieldChain(dot, receiver, iface, chain, chain.fields, 0, args, final);
  }

  private evalVariableNode(dot: Val, v: VariableNode, args: readonly ArgNode[] | null, final: Final): Val {
    this.node = v;
    const variable = this.varValue(v.ident[0]!);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      this.lastIface = variable.iface;
      return variable.value;
    }
    return this.evalFieldChain(dot, variable.value, variable.iface, v, v.ident, 1, args, final);
  }

  private evalFieldChain(
    dot: Val, receiver: Val, iface: boolean, node: Node, ident: readonly string[], start: number,
    args: readonly ArgNode[] | null, final: Final,
  ): Val {
    const n = ident.length;
    for (let i = start; i < n - 1; i++) {
      receiver = this.evalField(dot, ident[i]!, node, null, MISSING, receiver, iface);
      iface = this.lastIface;
    }
    return this.evalField(dot, ident[n - 1]!, node, args, final, receiver, iface);
  }

  private evalField(
    dot: Val, fieldName: string, node: Node, args: readonly ArgNode[] | null, final: Final, receiver: Val, iface: boolean,
  ): Val {
    if (receiver === null) {
      this.lastIface = false;
      return null;
    }
    if (receiver === undefined) this.errorf(`nil pointer evaluating interface {}.${fieldName}`);
    // Plain map[string]interface {}: the common case, without type-registry lookups.
    if (isMap(receiver) && (receiver as { [GO_TYPE]?: string })[GO_TYPE] === undefined) {
      if ((args !== null && args.length > 1) || final !== MISSING) this.errorf(`${fieldName} is not a method but has arguments`);
      const v = mapGet(receiver, fieldName);
      this.lastIface = true;
      return v === null ? undefined : v;
    }
    const method = methodOf(receiver, fieldName);
    if (method !== undefined) return this.evalCall(dot, method, false, node, fieldName, args, final, receiver);
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
    if (receiver instanceof GoStruct) {
      if (Object.prototype.hasOwnProperty.call(receiver.fields, fieldName)) {
        if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
        this.lastIface = false;
        return receiver.fields[fieldName]!;
      }
    } else if (isMap(receiver)) {
      const info = mapTypeInfo(typeName(receiver));
      if (info.stringKeys) {
        if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
        const v = mapGet(receiver, fieldName);
        this.lastIface = info.elemIface;
        if (info.elemIface) return v === null ? undefined : v;
        return v === undefined ? zeroValue(info.elemType) : v;
      }
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${iface ? 'interface {}' : typeName(receiver)}`);
  }

  // --- functions ----------------------------------------------------------------------------

  /** A function by name: the set's own functions first, then the builtins. */
  private lookupFunction(name: string): GoFunc {
    const own = Object.prototype.hasOwnProperty.call(this.env.funcs, name) ? this.env.funcs[name] : undefined;
    const fn = own ?? (Object.prototype.hasOwnProperty.call(builtins, name) ? builtins[name] : undefined);
    if (fn === undefined) this.errorf(`${JSON.stringify(name)} is not a defined function`);
    return fn;
  }

  private evalFunction(dot: Val, node: IdentifierNode, cmd: Node, args: readonly ArgNode[] | null, final: Final): Val {
    this.node = node;
    const fn = this.lookupFunction(node.name);
    return this.evalCall(dot, fn, fn === builtins[node.name], cmd, node.name, args, final, undefined);
  }

  /**
   * Calls a function or method: checks the argument count, evaluates and type-checks the arguments
   * against the Go signature, calls, and reports a returned error as `error calling NAME: ...`.
   * `args` are the command's operands with the function itself first (null: no arguments).
   */
  private evalCall(
    dot: Val, fn: GoFunc, isBuiltin: boolean, node: Node, name: string, args: readonly ArgNode[] | null, final: Final,
    receiver: Val,
  ): Val {
    if (isBuiltin && (name === 'and' || name === 'or')) return this.evalAndOr(dot, fn, name, args, final);
    const argv = this.evalArgs(dot, fn, name, args, final, receiver);
    let result: Val;
    try {
      if (isBuiltin && name === 'call') result = callFunctionValue(args !== null && args.length > 1 ? nodeString(args[1]!) : '', argv[0]);
      else result = fn.fn.apply(null, argv) as Val;
    } catch (e) {
      this.callFailed(e, node, name);
    }
    return this.callResult(fn, result);
  }

  /** Checks the argument count as Go does (before evaluating any argument). */
  private checkArgCount(fn: GoFunc, name: string, nArgs: number, final: Final): number {
    const numIn = nArgs + (final !== MISSING ? 1 : 0);
    if (fn.variadic !== undefined) {
      if (numIn < fn.params.length) this.errorf(`wrong number of args for ${name}: want at least ${fn.params.length} got ${nArgs}`);
    } else if (numIn !== fn.params.length) {
      this.errorf(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`);
    }
    return numIn;
  }

  /** The builtins `and` and `or`: evaluate arguments left to right and stop at the deciding one. */
  private evalAndOr(dot: Val, fn: GoFunc, name: string, args: readonly ArgNode[] | null, final: Final): Val {
    const nArgs = args === null ? 0 : args.length - 1;
    this.checkArgCount(fn, name, nArgs, final);
    let v: Val = null;
    for (let i = 1; i <= nArgs; i++) {
      v = this.evalArg(dot, 'reflect.Value', args![i]!);
      if (truth(unwrapInterface(v)) === (name === 'or')) return v;
    }
    if (final !== MISSING) v = this.validateType(final, 'reflect.Value');
    return v;
  }

  /** Evaluates and type-checks the arguments (receiver first for methods, pipeline value last). */
  private evalArgs(dot: Val, fn: GoFunc, name: string, args: readonly ArgNode[] | null, final: Final, receiver: Val): Val[] {
    const nArgs = args === null ? 0 : args.length - 1;
    const numIn = this.checkArgCount(fn, name, nArgs, final);
    const params = fn.params;
    const numFixed = fn.variadic !== undefined ? params.length : nArgs;
    const argv: Val[] = [];
    if (receiver !== undefined) argv.push(receiver);
    let i = 0;
    for (; i < numFixed && i < nArgs; i++) argv.push(this.evalArg(dot, params[i]!, args![i + 1]!));
    if (fn.variadic !== undefined) for (; i < nArgs; i++) argv.push(this.evalArg(dot, fn.variadic, args![i + 1]!));
    if (final !== MISSING) {
      let t = params[params.length - 1]!;
      if (fn.variadic !== undefined) t = numIn - 1 < numFixed ? params[numIn - 1]! : fn.variadic;
      argv.push(this.validateType(final, t));
    }
    return argv;
  }

  /** A function's error (or Go panic) becomes `error calling NAME: ...` at the call's node. */
  private callFailed(e: unknown, node: Node, name: string): never {
    if (!isGoError(e)) throw e;
    this.node = node;
    this.errorf(`error calling ${name}: ${e.message}`, e);
  }

  /** A function's result; nil from a function returning interface {} is a nil interface. */
  private callResult(fn: GoFunc, result: Val): Val {
    const resultType = fn.result ?? 'interface {}';
    this.lastIface = resultType !== 'reflect.Value' && typeKind(resultType) === 'interface';
    if (result === undefined) return this.lastIface ? undefined : null;
    if (result === null && this.lastIface) return undefined;
    return result;
  }

  /** text/template's validateType: a value's fitness for a parameter of Go type `t` (null: no type). */
  private validateType(value: Val, t: string | null): Val {
    if (value === null) {
      if (t === null || canBeNil(t)) return null;
      this.errorf(`invalid value; expected ${t}`);
    }
    if (t === null || t === 'reflect.Value') return value;
    if (value === undefined) {
      if (typeKind(t) === 'interface') return null;
      this.errorf(`wrong type for value; expected ${t}; got interface {}`);
    }
    if (!assignable(value, t)) this.errorf(`wrong type for value; expected ${t}; got ${typeName(value)}`);
    return value;
  }

  /** Evaluates an argument for a parameter of Go type `t` (null for a chain's head). */
  private evalArg(dot: Val, t: string | null, n: ArgNode): Val {
    this.node = n;
    switch (n.kind) {
      case 'dot':
        return this.validateType(dot, t);
      case 'nil':
        if (t !== null && canBeNil(t)) return null;
        this.errorf(`cannot assign nil to ${t}`);
      case 'field':
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), t);
      case 'variable':
        return this.validateType(this.evalVariableNode(dot, n, null, MISSING), t);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), t);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n, n, null, MISSING), t);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, null, MISSING), t);
    }
    const kind = typeKind(t!);
    switch (kind) {
      case 'bool':
        if (n.kind === 'bool') return n.value;
        this.errorf(`expected bool; found ${nodeString(n)}`);
      case 'complex':
        if (n.kind === 'number' && n.isComplex) return new GoComplex(n.re, n.im);
        this.errorf(`expected complex; found ${nodeString(n)}`);
      case 'float':
        if (n.kind === 'number' && n.isFloat) return n.float;
        this.errorf(`expected float; found ${nodeString(n)}`);
      case 'int':
        if (n.kind === 'number' && n.isInt) return t === 'int' && n.exactInt === undefined ? int(n.int) : new GoInt(n.int, t as 'int', n.exactInt);
        this.errorf(`expected integer; found ${nodeString(n)}`);
      case 'uint':
        if (n.kind === 'number' && n.isUint) return new GoInt(n.int || n.float, t as 'uint');
        this.errorf(`expected unsigned integer; found ${nodeString(n)}`);
      case 'string':
        if (n.kind === 'string') return n.text;
        this.errorf(`expected string; found ${nodeString(n)}`);
      case 'interface':
      case 'reflectValue':
        this.node = n;
        if (n.kind === 'bool') return n.value;
        if (n.kind === 'number') return this.idealConstant(n);
        return n.text;
    }
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${t}`);
  }
}
