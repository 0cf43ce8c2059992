// The go-yaml emitter (libyaml's, as ported to Go in go-yaml v2 and v3) for the block-style
// documents Helm writes: indentation, the choice between plain, single-quoted, double-quoted and
// literal scalars, and folding of long scalars at the line width. Written from the emitter's
// documented behaviour; the two flavours differ where v2 and v3 differ.

/** A node to write. `style` is the style the encoder asks for; the emitter may still pick another. */
export type EmitNode =
  | { kind: 'scalar'; value: string; style: 'plain' | 'double' | 'literal' }
  | { kind: 'seq'; items: EmitNode[] }
  | { kind: 'map'; entries: [EmitNode, EmitNode][] };

interface EmitterOptions {
  /**
   * `v2`: sequences are not indented under a mapping key, tabs force double quotes.
   * `v3`: sequences are indented, tabs are allowed in literal blocks.
   */
  flavor: 'v2' | 'v3';
  /** The line width for folding scalars (go-yaml v2: 80; v3 as Helm uses it: no folding). */
  width: number;
}

const BEST_INDENT = 2;

/** Code points of line breaks in YAML: CR, LF, NEL, LS, PS. */
function isBreak(c: number | undefined): boolean {
  return c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
}
function isSpace(c: number | undefined): boolean {
  return c === 0x20;
}
function isBlank(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09;
}
function isBlankOrEnd(c: number | undefined): boolean {
  return c === undefined || c === 0 || isBlank(c) || isBreak(c);
}

/** libyaml's printable set (which leaves out everything above U+FFFF). */
function isPrintable(c: number): boolean {
  return c === 0x0a || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);
}

interface ScalarAnalysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

function analyzeScalar(cps: number[], flavor: 'v2' | 'v3'): ScalarAnalysis {
  if (cps.length === 0) {
    return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  }
  let blockIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let tabCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  // Only block context occurs in what Helm writes, so only the block indicators matter.
  const start = String.fromCodePoint(...cps.slice(0, 3));
  if (start === '---' || start === '...') blockIndicators = true;
  let precededByWhitespace = true;
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    const next = cps[i + 1];
    const followedByWhitespace = flavor === 'v2' ? isBlankOrEnd(next) : next === undefined || isBlank(next);
    const ch = String.fromCodePoint(c);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      else if ((ch === '?' || ch === ':' || ch === '-') && followedByWhitespace) blockIndicators = true;
    } else if (ch === ':' && followedByWhitespace) blockIndicators = true;
    else if (ch === '#' && precededByWhitespace) blockIndicators = true;
    if (flavor === 'v3' && c === 0x09) tabCharacters = true;
    else if (!isPrintable(c)) specialCharacters = true;
    if (isSpace(c)) {
      if (i === 0) leadingSpace = true;
      if (i === cps.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === cps.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankOrEnd(c);
  }
  const a: ScalarAnalysis = { multiline: lineBreaks, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.blockPlainAllowed = false;
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) a.blockPlainAllowed = a.singleQuotedAllowed = false;
  if (spaceBreak || tabCharacters || specialCharacters) a.blockPlainAllowed = a.singleQuotedAllowed = false;
  if (spaceBreak || specialCharacters) a.blockAllowed = false;
  if (lineBreaks) a.blockPlainAllowed = false;
  if (blockIndicators) a.blockPlainAllowed = false;
  return a;
}

/** Where a node is written: as a mapping key or value, and as a simple (`key:`) key. */
interface NodeContext {
  mapping: boolean;
  simpleKey: boolean;
}

/** Writes one document holding `node`, ending with a line break, as go-yaml's Marshal does. */
export function emitYaml(node: EmitNode, options: EmitterOptions): string {
  const e = new Emitter(options);
  e.node(node, { mapping: false, simpleKey: false });
  e.writeIndent();
  return e.output();
}

class Emitter {
  private readonly parts: string[] = [];
  private column = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private whitespace = true;
  private indention = true;
  private readonly flavor: 'v2' | 'v3';
  private readonly width: number;

  constructor(options: EmitterOptions) {
    this.flavor = options.flavor;
    this.width = options.width;
  }

  output(): string {
    return this.parts.join('');
  }

  // --- low-level writing -------------------------------------------------------------------

  private put(s: string): void {
    this.parts.push(s);
    this.column += s.length;
  }

  private putBreak(): void {
    this.parts.push('\n');
    this.column = 0;
    this.indention = true;
  }

  /** Copies one character of a scalar (one column whatever its width). */
  private write(c: number): void {
    this.parts.push(String.fromCodePoint(c));
    this.column++;
  }

  /**
   * Copies the characters of `cps` from `i` while `ordinary` holds (at least one), as repeated
   * `write`s would, and returns the index after them.
   */
  private writeRun(cps: number[], i: number, ordinary: (c: number) => boolean): number {
    let j = i + 1;
    while (j < cps.length && ordinary(cps[j]!)) j++;
    for (let k = i; k < j; k += 4096) this.parts.push(String.fromCodePoint(...cps.slice(k, Math.min(j, k + 4096))));
    this.column += j - i;
    return j;
  }

  /** Copies a line break of a scalar: LF as the output line break, others verbatim. */
  private writeBreak(c: number): void {
    if (c === 0x0a) this.putBreak();
    else {
      this.parts.push(String.fromCodePoint(c));
      this.column = 0;
      this.indention = true;
    }
  }

  writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.put(indicator);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  // --- nodes -------------------------------------------------------------------------------

  node(node: EmitNode, ctx: NodeContext): void {
    switch (node.kind) {
      case 'scalar':
        return this.scalar(node.value, node.style, ctx);
      case 'seq':
        return node.items.length === 0 ? this.emptyCollection('[', ']') : this.blockSequence(node.items, ctx);
      case 'map':
        return node.entries.length === 0 ? this.emptyCollection('{', '}') : this.blockMapping(node.entries);
    }
  }

  /** Empty collections are the only flow collections go-yaml writes here: `[]` and `{}`. */
  private emptyCollection(open: string, close: string): void {
    this.writeIndicator(open, true, true, false);
    this.writeIndicator(close, false, false, false);
  }

  private blockSequence(items: EmitNode[], ctx: NodeContext): void {
    if (this.flavor === 'v2') this.increaseIndent(false, ctx.mapping && !this.indention);
    else {
      const original = this.indent;
      this.increaseIndent(false, false);
      if (this.indent > original + 2) this.indent -= 2;
    }
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.node(item, { mapping: false, simpleKey: false });
    }
    this.popIndent();
  }

  private blockMapping(entries: [EmitNode, EmitNode][]): void {
    this.increaseIndent(false, false);
    for (const [key, value] of entries) {
      this.writeIndent();
      if (this.isSimpleKey(key)) {
        this.node(key, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.node(key, { mapping: true, simpleKey: false });
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.node(value, { mapping: true, simpleKey: false });
    }
    this.popIndent();
  }

  /** Keys up to 128 bytes that fit on one line are written as `key: value`, others as `? key`. */
  private isSimpleKey(key: EmitNode): boolean {
    if (key.kind === 'scalar') {
      if (analyzeScalar(Array.from(key.value, (c) => c.codePointAt(0)!), this.flavor).multiline) return false;
      return Buffer.byteLength(key.value) <= 128;
    }
    return key.kind === 'seq' ? key.items.length === 0 : key.entries.length === 0;
  }

  private scalar(value: string, requested: 'plain' | 'double' | 'literal', ctx: NodeContext): void {
    const cps = Array.from(value, (c) => c.codePointAt(0)!);
    const a = analyzeScalar(cps, this.flavor);
    let style: 'plain' | 'single' | 'double' | 'literal' = requested;
    if (ctx.simpleKey && a.multiline) style = 'double';
    if (style === 'plain') {
      if (!a.blockPlainAllowed) style = 'single';
      if (cps.length === 0 && ctx.simpleKey) style = 'single';
    }
    if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
    if (style === 'literal' && (!a.blockAllowed || ctx.simpleKey)) style = 'double';

    this.increaseIndent(true, false);
    const allowBreaks = !ctx.simpleKey;
    switch (style) {
      case 'plain':
        this.plain(cps, allowBreaks);
        break;
      case 'single':
        this.singleQuoted(cps, allowBreaks);
        break;
      case 'double':
        this.doubleQuoted(cps, allowBreaks);
        break;
      case 'literal':
        this.literal(cps);
        break;
    }
    this.popIndent();
  }

  private plain(cps: number[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    this.foldableText(cps, allowBreaks, false);
    this.whitespace = false;
    this.indention = false;
  }

  private singleQuoted(cps: number[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    this.foldableText(cps, allowBreaks, true);
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  /**
   * The body of a plain or single-quoted scalar: a single space past the line width becomes a line
   * break (inside the quotes only between characters), line breaks are doubled as YAML folding
   * requires, and `'` is doubled inside single quotes.
   */
  private foldableText(cps: number[], allowBreaks: boolean, singleQuoted: boolean): void {
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i]!;
      if (isSpace(c)) {
        const inside = !singleQuoted || (i > 0 && i < cps.length - 1);
        if (allowBreaks && !spaces && this.column > this.width && inside && !isSpace(cps[i + 1])) this.writeIndent();
        else this.write(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreak(c);
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (singleQuoted && c === 0x27) {
          this.put("'");
          this.write(c);
        } else i = this.writeRun(cps, i, (x) => !isSpace(x) && !isBreak(x) && !(singleQuoted && x === 0x27)) - 1;
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
  }

  private doubleQuoted(cps: number[], allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    let spaces = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i]!;
      if (this.needsEscape(c)) {
        this.put(`\\${escapeOf(c)}`);
        spaces = false;
      } else if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > this.width && i > 0 && i < cps.length - 1) {
          this.writeIndent();
          if (isSpace(cps[i + 1])) this.put('\\');
        } else this.write(c);
        spaces = true;
      } else {
        i = this.writeRun(cps, i, (x) => !isSpace(x) && !this.needsEscape(x)) - 1;
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private needsEscape(c: number): boolean {
    return !isPrintable(c) || c === 0xfeff || isBreak(c) || c === 0x22 || c === 0x5c;
  }

  private literal(cps: number[]): void {
    this.writeIndicator('|', true, false, false);
    if (isSpace(cps[0]) || isBreak(cps[0])) this.writeIndicator(String(BEST_INDENT), false, false, false);
    const chomp = chompIndicator(cps);
    if (chomp) this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.whitespace = true;
    let breaks = true;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i]!;
      if (isBreak(c)) {
        this.writeBreak(c);
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        i = this.writeRun(cps, i, (x) => !isBreak(x)) - 1;
        this.indention = false;
        breaks = false;
      }
    }
  }
}

/** `-` when there is no final line break, `+` when there are several, nothing for exactly one. */
function chompIndicator(cps: number[]): string {
  const n = cps.length;
  if (n === 0 || !isBreak(cps[n - 1])) return '-';
  if (n === 1 || isBreak(cps[n - 2])) return '+';
  return '';
}

const namedEscapes = new Map<number, string>([
  [0x00, '0'],
  [0x07, 'a'],
  [0x08, 'b'],
  [0x09, 't'],
  [0x0a, 'n'],
  [0x0b, 'v'],
  [0x0c, 'f'],
  [0x0d, 'r'],
  [0x1b, 'e'],
  [0x22, '"'],
  [0x5c, '\\'],
  [0x85, 'N'],
  [0xa0, '_'],
  [0x2028, 'L'],
  [0x2029, 'P'],
]);

function escapeOf(c: number): string {
  const named = namedEscapes.get(c);
  if (named) return named;
  const hex = c.toString(16).toUpperCase();
  if (c <= 0xff) return `x${hex.padStart(2, '0')}`;
  if (c <= 0xffff) return `u${hex.padStart(4, '0')}`;
  return `U${hex.padStart(8, '0')}`;
}
