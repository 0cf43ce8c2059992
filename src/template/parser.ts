// The parser of Go's text/template (text/template/parse/parse.go): tokens to trees, one tree for the
// parsed text and one per `define` / `block`, with Go's error messages.
import { TemplateParseError } from './errors.js';
import { Token, TokenType, lex, tokenString } from './lexer.js';
import type {
  ActionNode, ArgNode, BranchNode, CommandNode, ListNode, Node, NumberNode, PipeNode, Source, TemplateNode,
  VariableNode,
} from './nodes.js';
import { isEmptyTree, nodeString } from './nodes.js';
import { parseNumber, unquoteChar, unquoteString } from './literals.js';

/** Go's maxStackDepth: how deep parenthesized pipelines may nest. */
const MAX_PAREN_DEPTH = 10000;

/** A parsed template: its name, body and the source text its nodes point into. */
export interface Tree {
  readonly name: string;
  readonly root: ListNode;
  readonly source: Source;
}

interface EndNode { kind: 'end'; pos: number }
interface ElseNode { kind: 'else'; pos: number; line: number }
type ItemNode = Node | EndNode | ElseNode;

/**
 * Parses `text` as the template `name`. Returns the trees it defines: the text itself under `name`,
 * then every `define` / `block`, in a map keyed by template name. `hasFunction` tells which function
 * names exist (an unknown function is a parse error).
 */
export function parseTemplates(name: string, text: string, hasFunction: (fn: string) => boolean): Map<string, Tree> {
  const source: Source = { name, text };
  const treeSet = new Map<string, Tree>();
  const tokens = lex(text, { breakOK: !hasFunction('break'), continueOK: !hasFunction('continue') });
  new Parser(source, tokens, hasFunction, treeSet).parseFile(name);
  return treeSet;
}

class Parser {
  private i = 0;
  private furthest = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private actionLine = 0;

  constructor(
    private readonly source: Source,
    private readonly tokens: Token[],
    private readonly hasFunction: (fn: string) => boolean,
    private readonly treeSet: Map<string, Tree>,
  ) {}

  // --- token stream -------------------------------------------------------------------------

  private next(): Token {
    const t = this.tokens[this.i]!;
    if (this.i < this.tokens.length - 1) this.i++;
    else this.i = this.tokens.length; // stay at the final token
    if (this.i - 1 > this.furthest) this.furthest = this.i - 1;
    return t;
  }
  private backup(): void {
    this.i--;
  }
  private peek(): Token {
    const t = this.next();
    this.backup();
    return t;
  }
  private nextNonSpace(): Token {
    let t: Token;
    do t = this.next();
    while (t.type === 'space');
    return t;
  }
  private peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  // --- errors -------------------------------------------------------------------------------

  private parenDepth = 0;

  private errorf(message: string): never {
    const line = this.tokens[Math.min(this.furthest, this.tokens.length - 1)]!.line;
    throw new TemplateParseError(this.source.name, line, message);
  }
  private unexpected(token: Token, context: string): never {
    if (token.type === 'error') {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.source.name}:${this.actionLine}`;
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${token.val}${extra}`);
    }
    this.errorf(`unexpected ${tokenString(token)} in ${context}`);
  }
  private expect(type: TokenType, context: string): Token {
    const t = this.nextNonSpace();
    if (t.type !== type) this.unexpected(t, context);
    return t;
  }

  // --- trees --------------------------------------------------------------------------------

  /** Adds a tree to the set: a redefinition is an error unless one of the two bodies is empty. */
  private add(name: string, root: ListNode): void {
    const existing = this.treeSet.get(name);
    if (existing === undefined || isEmptyTree(existing.root)) {
      this.treeSet.set(name, { name, root, source: this.source });
      return;
    }
    if (!isEmptyTree(root)) this.errorf(`template: multiple definition of template ${JSON.stringify(name)}`);
  }

  parseFile(name: string): void {
    const root: ListNode = { kind: 'list', pos: this.peek().pos, nodes: [] };
    while (this.peek().type !== 'eof') {
      if (this.peek().type === 'leftDelim') {
        const save = this.i;
        this.next();
        if (this.nextNonSpace().type === 'define') {
          this.parseDefinition();
          continue;
        }
        this.i = save;
      }
      const n = this.textOrAction();
      if (n.kind === 'end' || n.kind === 'else') this.errorf(`unexpected ${n.kind === 'end' ? '{{end}}' : '{{else}}'}`);
      root.nodes.push(n);
    }
    this.add(name, root);
  }

  /** Runs `body` with a fresh variable scope (`$` only) and range depth, as Go's new Tree does. */
  private inNewTree<T>(body: () => T): T {
    const vars = this.vars;
    const rangeDepth = this.rangeDepth;
    this.vars = ['$'];
    this.rangeDepth = 0;
    try {
      return body();
    } finally {
      this.vars = vars;
      this.rangeDepth = rangeDepth;
    }
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const token = this.nextNonSpace();
    if (token.type !== 'string' && token.type !== 'rawString') this.unexpected(token, context);
    const name = this.unquote(token);
    this.expect('rightDelim', context);
    this.inNewTree(() => {
      const { list, next } = this.itemList();
      if (next.kind !== 'end') this.errorf(`unexpected ${itemString(next)} in ${context}`);
      this.add(name, list);
    });
  }

  private itemList(): { list: ListNode; next: ItemNode } {
    const list: ListNode = { kind: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().type !== 'eof') {
      const n = this.textOrAction();
      if (n.kind === 'end' || n.kind === 'else') return { list, next: n };
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): ItemNode {
    const token = this.nextNonSpace();
    switch (token.type) {
      case 'text':
        return { kind: 'text', pos: token.pos, text: token.val };
      case 'leftDelim': {
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      default:
        this.unexpected(token, 'input');
    }
  }

  private action(): ItemNode {
    const token = this.nextNonSpace();
    switch (token.type) {
      case 'block':
        return this.blockControl();
      case 'break':
      case 'continue':
        return this.loopControl(token);
      case 'else':
        return this.elseControl();
      case 'end':
        return { kind: 'end', pos: this.expect('rightDelim', 'end').pos };
      case 'if':
      case 'with':
      case 'range':
        return this.branchControl(token.type);
      case 'template':
        return this.templateControl();
    }
    this.backup();
    const start = this.peek();
    const action: ActionNode = { kind: 'action', pos: start.pos, line: start.line, pipe: this.pipeline('command', 'rightDelim') };
    return action;
  }

  private loopControl(token: Token): ItemNode {
    const word = token.type === 'break' ? '{{break}}' : '{{continue}}';
    const t = this.nextNonSpace();
    if (t.type !== 'rightDelim') this.unexpected(t, word);
    if (this.rangeDepth === 0) this.errorf(`${word} outside {{range}}`);
    return { kind: token.type as 'break' | 'continue', pos: token.pos, line: token.line };
  }

  private elseControl(): ItemNode {
    const peek = this.peekNonSpace();
    if (peek.type === 'if' || peek.type === 'with') return { kind: 'else', pos: peek.pos, line: peek.line };
    const token = this.expect('rightDelim', 'else');
    return { kind: 'else', pos: token.pos, line: token.line };
  }

  private branchControl(context: 'if' | 'with' | 'range'): BranchNode {
    const depth = this.vars.length;
    try {
      const pipe = this.pipeline(context, 'rightDelim');
      if (context === 'range') this.rangeDepth++;
      const body = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (body.next.kind === 'else') {
        const next = this.peek();
        if ((context === 'if' && next.type === 'if') || (context === 'with' && next.type === 'with')) {
          this.next();
          elseList = { kind: 'list', pos: body.next.pos, nodes: [this.branchControl(context)] };
        } else {
          const rest = this.itemList();
          if (rest.next.kind !== 'end') this.errorf(`expected end; found ${itemString(rest.next)}`);
          elseList = rest.list;
        }
      }
      return { kind: context, pos: pipe.pos, line: pipe.line, pipe, list: body.list, elseList };
    } finally {
      this.vars.length = depth;
    }
  }

  private templateName(token: Token, context: string): string {
    if (token.type !== 'string' && token.type !== 'rawString') this.unexpected(token, context);
    return this.unquote(token);
  }

  private templateControl(): TemplateNode {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.templateName(token, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().type !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { kind: 'template', pos: token.pos, line: token.line, name, pipe };
  }

  private blockControl(): TemplateNode {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.templateName(token, context);
    const pipe = this.pipeline(context, 'rightDelim');
    this.inNewTree(() => {
      const { list, next } = this.itemList();
      if (next.kind !== 'end') this.errorf(`unexpected ${itemString(next)} in ${context}`);
      this.add(name, list);
    });
    return { kind: 'template', pos: token.pos, line: token.line, name, pipe };
  }

  // --- pipelines ----------------------------------------------------------------------------

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const start = this.peekNonSpace();
    const pipe: PipeNode = { kind: 'pipe', pos: start.pos, line: start.line, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== 'variable') break;
      const save = this.i;
      this.nextNonSpace();
      const next = this.peekNonSpace();
      if (next.type === 'assign' || next.type === 'declare') {
        pipe.isAssign = next.type === 'assign';
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v));
        this.vars.push(v.val);
      } else if (next.type === 'char' && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v));
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const t = this.peekNonSpace().type;
          if (t === 'variable' || t === 'rightDelim' || t === 'rightParen') continue decls;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      } else {
        this.i = save; // `$x` is an operand, not a declaration
      }
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      if (token.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (token.type) {
        case 'bool': case 'charConstant': case 'complex': case 'dot': case 'field': case 'identifier':
        case 'number': case 'nil': case 'rawString': case 'string': case 'variable': case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      const first = pipe.cmds[i]!.args[0]!.kind;
      if (first === 'bool' || first === 'dot' || first === 'nil' || first === 'number' || first === 'string') {
        this.errorf(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  private command(): CommandNode {
    const cmd: CommandNode = { kind: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== null) cmd.args.push(operand);
      const token = this.next();
      if (token.type === 'space') continue;
      if (token.type === 'rightDelim' || token.type === 'rightParen') this.backup();
      else if (token.type !== 'pipe') this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (node === null) return null;
    if (this.peek().type !== 'field') return node;
    const chainPos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === 'field') fields.push(this.next().val.slice(1));
    switch (node.kind) {
      case 'field':
        return { kind: 'field', pos: chainPos, ident: [...node.ident, ...fields] };
      case 'variable':
        return { kind: 'variable', pos: chainPos, ident: [...node.ident, ...fields] };
      case 'bool': case 'string': case 'number': case 'nil': case 'dot':
        this.errorf(`unexpected . after term ${JSON.stringify(nodeString(node))}`);
    }
    return { kind: 'chain', pos: chainPos, node, fields };
  }

  private term(): ArgNode | null {
    const token = this.nextNonSpace();
    switch (token.type) {
      case 'identifier':
        if (!this.hasFunction(token.val)) this.errorf(`function ${JSON.stringify(token.val)} not defined`);
        return { kind: 'identifier', pos: token.pos, name: token.val };
      case 'dot':
        return { kind: 'dot', pos: token.pos };
      case 'nil':
        return { kind: 'nil', pos: token.pos };
      case 'variable':
        return this.useVar(token);
      case 'field':
        return { kind: 'field', pos: token.pos, ident: [token.val.slice(1)] };
      case 'bool':
        return { kind: 'bool', pos: token.pos, value: token.val === 'true' };
      case 'charConstant':
      case 'complex':
      case 'number':
        return this.number(token);
      case 'leftParen': {
        // Go's incrDepth: parenthesized pipelines nest at most maxStackDepth (10000) deep.
        if (++this.parenDepth > MAX_PAREN_DEPTH) this.errorf('max expression depth exceeded');
        try {
          return this.pipeline('parenthesized pipeline', 'rightParen');
        } finally {
          this.parenDepth--;
        }
      }
      case 'string':
      case 'rawString':
        return { kind: 'string', pos: token.pos, quoted: token.val, text: this.unquote(token) };
    }
    this.backup();
    return null;
  }

  private number(token: Token): NumberNode {
    let result: NumberNode | string;
    if (token.type === 'charConstant') {
      const c = unquoteChar(token.val);
      result = typeof c === 'string' ? c : {
        kind: 'number', pos: token.pos, text: token.val, isInt: true, isUint: true, isFloat: true, isComplex: false,
        int: c.value, float: c.value, re: 0, im: 0,
      };
    } else {
      result = parseNumber(token.pos, token.val, token.type === 'complex');
    }
    if (typeof result === 'string') this.errorf(result);
    return result;
  }

  private unquote(token: Token): string {
    const s = token.type === 'rawString' ? token.val.slice(1, -1).replace(/\r/g, '') : unquoteString(token.val);
    if (s === null) this.errorf('invalid syntax');
    return s;
  }

  private newVariable(token: Token): VariableNode {
    return { kind: 'variable', pos: token.pos, ident: token.val.split('.') };
  }

  private useVar(token: Token): VariableNode {
    const v = this.newVariable(token);
    if (!this.vars.includes(v.ident[0]!)) this.errorf(`undefined variable ${JSON.stringify(v.ident[0])}`);
    return v;
  }
}

function itemString(n: ItemNode): string {
  if (n.kind === 'end') return '{{end}}';
  if (n.kind === 'else') return '{{else}}';
  return nodeString(n);
}
