// The executor of Go's text/template (text/template/exec.go) with Helm's option missingkey=zero:
// walks a parsed tree over Go values, evaluating pipelines, fields, functions and control
// structures with Go's rules and error messages.
import { builtins, callFunctionValue } from './builtins.js';
import { ExecFrame, TemplateExecError, TemplateParseError } from './errors.js';
import { sprint, sprintf } from './fmt.js';
import {
  ArgNode, BranchNode, ChainNode, CommandNode, FieldNode, IdentifierNode, Node, NumberNode, PipeNode, TemplateNode,
  VariableNode, lineAndColumn, nodeString,
} from './nodes.js';
import type { Tree } from './parser.js';
import { Val, assignable, canBeNil, elementType, keyType, typeKind, zeroValue } from './types.js';
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

/** Executes one template over `data`; the result is the rendered text. */
export function executeTree(env: ExecEnv, tree: Tree, data: GoValue): string {
  const state = new ExecState(env, tree, data);
  state.walk(data, tree.root);
  return state.out;
}

class ExecState {
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

  walk(dot: Val, node: Node): Flow {
    switch (node.kind) {
      case 'list': {
        const nodes = node.nodes;
        for (let i = 0; i < nodes.length; i++) {
          const n = nodes[i]!;
          if (n.kind === 'text') {
            this.out += n.text;
            continue;
          }
          const flow = this.walk(dot, n);
          if (flow !== NORMAL) return flow;
        }
        return NORMAL;
      }
      case 'text':
        this.out += node.text;
        return NORMAL;
      case 'action': {
        const v = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, v);
        return NORMAL;
      }
      case 'if':
      case 'with':
        return this.walkIfOrWith(dot, node);
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
    else if (v instanceof GoInt) this.out += String(v.value);
    else this.out += sprint([v]);
  }

  private walkIfOrWith(dot: Val, node: BranchNode): Flow {
    const mark = this.vars.length;
    const val = this.evalPipeline(dot, node.pipe);
    let flow: Flow = NORMAL;
    if (truth(unwrapInterface(val))) {
      if (node.kind === 'with') {
        const saved = this.dotIface;
        this.dotIface = false;
        flow = this.walk(val, node.list);
        this.dotIface = saved;
      } else {
        flow = this.walk(dot, node.list);
      }
    } else if (node.elseList !== null) {
      flow = this.walk(dot, node.elseList);
    }
    this.vars.length = mark;
    return flow;
  }

  private walkRange(dot: Val, r: BranchNode): Flow {
    this.node = r;
    const mark = this.vars.length;
    const val = unwrapInterface(this.evalPipeline(dot, r.pipe));
    const savedIface = this.dotIface;
    let ran = false;
    if (Array.isArray(val)) {
      const iface = val[GO_TYPE as never] === undefined || typeKind(elementType(typeName(val))) === 'interface';
      for (let i = 0; i < val.length; i++) {
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
      const keys = Object.keys(val).sort(compareBytes);
      for (const k of keys) {
        ran = true;
        const e = val[k]!;
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
    if (!ran && r.elseList !== null) this.walk(dot, r.elseList);
    this.vars.length = mark;
    return NORMAL;
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
    this.walk(newDot, tmpl.root);
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
    const v = value as Val;
    for (const d of pipe.decl) {
      if (pipe.isAssign) this.setVar(d.ident[0]!, v, false);
      else this.vars.push({ name: d.ident[0]!, value: v, iface: false });
    }
    return v;
  }

  private notAFunction(args: readonly ArgNode[] | null, final: Final): void {
    if ((args !== null && args.length > 1) || final !== MISSING) {
      this.errorf(`can't give argument to non-function ${nodeString(args![0]!)}`);
    }
  }

  private evalCommand(dot: Val, cmd: CommandNode, final: Final): Val {
    const first = cmd.args[0]!;
    switch (first.kind) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
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
    }
  }

  /** A number constant without a context type: complex, float (if written as one) or int. */
  private idealConstant(n: NumberNode): GoValue {
    this.node = n;
    if (n.isComplex) return new GoComplex(n.re, n.im);
    if (n.isFloat && !isHexInt(n.text) && n.text[0] !== "'" && /[.eEpP]/.test(n.text)) return n.float;
    if (n.isInt) return int(n.int);
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
    this.lastIface = false;
    const receiver = this.evalArg(dot, null, chain.node);
    return this.evalFieldChain(dot, receiver, this.lastIface, chain, chain.fields, 0, args, final);
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
      const t = typeName(receiver);
      if (typeKind(keyType(t)) === 'string') {
        if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
        const v = mapGet(receiver, fieldName);
        const et = elementType(t);
        this.lastIface = typeKind(et) === 'interface';
        if (this.lastIface) return v === null ? undefined : v;
        return v === undefined ? zeroValue(et) : v;
      }
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${iface ? 'interface {}' : typeName(receiver)}`);
  }

  // --- functions ----------------------------------------------------------------------------

  private evalFunction(dot: Val, node: IdentifierNode, cmd: Node, args: readonly ArgNode[] | null, final: Final): Val {
    this.node = node;
    const name = node.name;
    const own = Object.prototype.hasOwnProperty.call(this.env.funcs, name) ? this.env.funcs[name] : undefined;
    const fn = own ?? (Object.prototype.hasOwnProperty.call(builtins, name) ? builtins[name] : undefined);
    if (fn === undefined) this.errorf(`${JSON.stringify(name)} is not a defined function`);
    return this.evalCall(dot, fn, own === undefined, cmd, name, args, final, undefined);
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
    const nArgs = args === null ? 0 : args.length - 1;
    const numIn = nArgs + (final !== MISSING ? 1 : 0);
    const params = fn.params;
    let numFixed = nArgs;
    if (fn.variadic !== undefined) {
      numFixed = params.length;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${params.length} got ${nArgs}`);
    } else if (numIn !== params.length) {
      this.errorf(`wrong number of args for ${name}: want ${params.length} got ${numIn}`);
    }

    if (isBuiltin && (name === 'and' || name === 'or')) {
      let v: Val = null;
      for (let i = 1; i <= nArgs; i++) {
        v = this.evalArg(dot, 'reflect.Value', args![i]!);
        if (truth(unwrapInterface(v)) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = this.validateType(final, 'reflect.Value');
      return v;
    }

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

    let result: Val;
    try {
      if (isBuiltin && name === 'call') result = callFunctionValue(nArgs > 0 ? nodeString(args![1]!) : '', argv[0]);
      else result = fn.fn(...argv) as Val;
    } catch (e) {
      if (!isGoError(e)) throw e;
      this.node = node;
      this.errorf(`error calling ${name}: ${e.message}`, e);
    }
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
        if (n.kind === 'number' && n.isInt) return t === 'int' ? int(n.int) : new GoInt(n.int, t as 'int');
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
