// The lexer of Go's text/template (text/template/parse/lex.go): the whole input is scanned once
// into tokens; a lexical error becomes an `error` token where Go's lexer would stop, so the parser
// reports it at the same point as Go does.
import { isPrint, newerThanGo } from './fmt.js';

export type TokenType =
  | 'error' | 'bool' | 'char' | 'charConstant' | 'complex' | 'assign' | 'declare' | 'eof' | 'field'
  | 'identifier' | 'leftDelim' | 'leftParen' | 'number' | 'pipe' | 'rawString' | 'rightDelim'
  | 'rightParen' | 'space' | 'string' | 'text' | 'variable'
  // keywords
  | 'block' | 'break' | 'continue' | 'dot' | 'define' | 'else' | 'end' | 'if' | 'nil' | 'range'
  | 'template' | 'with';

export interface Token {
  type: TokenType;
  /** Offset of the token in the input (UTF-16 index). */
  pos: number;
  /** The token's text; for `error` tokens, the message. */
  val: string;
  /** 1-based line on which the token starts. */
  line: number;
}

const keywords = new Map<string, TokenType>([
  ['block', 'block'], ['break', 'break'], ['continue', 'continue'], ['define', 'define'], ['else', 'else'],
  ['end', 'end'], ['if', 'if'], ['range', 'range'], ['nil', 'nil'], ['template', 'template'], ['with', 'with'],
]);

export function isKeyword(t: TokenType): boolean {
  return t === 'block' || t === 'break' || t === 'continue' || t === 'dot' || t === 'define' || t === 'else'
    || t === 'end' || t === 'if' || t === 'nil' || t === 'range' || t === 'template' || t === 'with';
}

/** Go's item.String(), used in "unexpected X in Y" messages. */
export function tokenString(t: Token): string {
  if (t.type === 'eof') return 'EOF';
  if (t.type === 'error') return t.val;
  if (isKeyword(t.type)) return `<${t.val}>`;
  if ([...t.val].length > 10) return `${goQuote([...t.val].slice(0, 10).join(''))}...`;
  return goQuote(t.val);
}

/** strconv.Quote for messages (ASCII control characters and quotes escaped). */
function goQuote(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-9a-f]{2})/g, '\\x$1').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const LEFT = '{{';
const RIGHT = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

const alphaNumeric = /[\p{L}\p{Nd}_]/u;
function isAlphaNumeric(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  if (code < 128) {
    return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
  }
  return alphaNumeric.test(c) && !newerThanGo.test(c);
}

function hasLeftTrimMarker(s: string, at: number): boolean {
  return s[at] === '-' && isSpace(s[at + 1]);
}

function hasRightTrimMarker(s: string, at: number): boolean {
  return isSpace(s[at]) && s[at + 1] === '-';
}

function leftTrimLength(s: string, at: number): number {
  let i = at;
  while (i < s.length && isSpace(s[i])) i++;
  return i - at;
}

export interface LexOptions {
  /** `break` / `continue` are keywords unless a function of that name exists (as in Go). */
  breakOK: boolean;
  continueOK: boolean;
}

/** Scans a template into tokens, ending with an `eof` or an `error` token. */
export function lex(input: string, options: LexOptions = { breakOK: true, continueOK: true }): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let start = 0;
  let line = 1;
  let startLine = 1;
  let parenDepth = 0;

  const countLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) if (input.charCodeAt(i) === 10) line++;
  };
  const emit = (type: TokenType): void => {
    tokens.push({ type, pos: start, val: input.slice(start, pos), line: startLine });
    countLines(start, pos);
    start = pos;
    startLine = line;
  };
  const ignore = (): void => {
    countLines(start, pos);
    start = pos;
    startLine = line;
  };
  const fail = (message: string): false => {
    tokens.push({ type: 'error', pos: start, val: message, line: startLine });
    return false;
  };
  const atRightDelim = (): { delim: boolean; trim: boolean } => {
    if (hasRightTrimMarker(input, pos) && input.startsWith(RIGHT, pos + 2)) return { delim: true, trim: true };
    if (input.startsWith(RIGHT, pos)) return { delim: true, trim: false };
    return { delim: false, trim: false };
  };
  const atTerminator = (): boolean => {
    const r = input[pos];
    if (r === undefined || isSpace(r)) return true;
    if (r === '.' || r === ',' || r === '|' || r === ':' || r === ')' || r === '(') return true;
    return input.startsWith(RIGHT, pos);
  };
  const runeAt = (i: number): string => String.fromCodePoint(input.codePointAt(i)!);
  const describeRune = (r: string): string => {
    const cp = r.codePointAt(0)!;
    // Go's %#U: the character itself only when strconv.IsPrint says so.
    return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}${isPrint(r) ? ` '${r}'` : ''}`;
  };

  // Lexes text and everything up to the end of the next action; returns false at EOF or on error.
  const lexText = (): boolean => {
    const x = input.indexOf(LEFT, pos);
    if (x < 0) {
      pos = input.length;
      if (pos > start) emit('text');
      tokens.push({ type: 'eof', pos, val: '', line });
      return false;
    }
    if (x > pos) {
      pos = x;
      let trim = 0;
      if (hasLeftTrimMarker(input, pos + LEFT.length)) while (pos - trim > start && isSpace(input[pos - trim - 1])) trim++;
      pos -= trim;
      if (pos > start) emit('text');
      pos += trim;
      ignore();
    }
    return lexLeftDelim();
  };

  const lexLeftDelim = (): boolean => {
    pos += LEFT.length;
    const trim = hasLeftTrimMarker(input, pos);
    const afterMarker = trim ? 2 : 0;
    if (input.startsWith(LEFT_COMMENT, pos + afterMarker)) {
      pos += afterMarker;
      ignore();
      return lexComment();
    }
    emit('leftDelim');
    pos += afterMarker;
    ignore();
    parenDepth = 0;
    return lexInsideAction();
  };

  const lexComment = (): boolean => {
    pos += LEFT_COMMENT.length;
    const x = input.indexOf(RIGHT_COMMENT, pos);
    if (x < 0) return fail('unclosed comment');
    pos = x + RIGHT_COMMENT.length;
    const { delim, trim } = atRightDelim();
    if (!delim) return fail('comment ends before closing delimiter');
    if (trim) pos += 2;
    pos += RIGHT.length;
    if (trim) pos += leftTrimLength(input, pos);
    ignore();
    return true;
  };

  const lexRightDelim = (trim: boolean): boolean => {
    if (trim) {
      pos += 2;
      ignore();
    }
    pos += RIGHT.length;
    emit('rightDelim');
    if (trim) {
      pos += leftTrimLength(input, pos);
      ignore();
    }
    return true;
  };

  const lexInsideAction = (): boolean => {
    for (;;) {
      const { delim, trim } = atRightDelim();
      if (delim) {
        if (parenDepth === 0) return lexRightDelim(trim);
        return fail('unclosed left paren');
      }
      if (pos >= input.length) return fail('unclosed action');
      const r = input[pos]!;
      if (isSpace(r)) {
        lexSpace();
        continue;
      }
      pos++;
      switch (r) {
        case '=':
          emit('assign');
          continue;
        case ':':
          if (input[pos] !== '=') return fail('expected :=');
          pos++;
          emit('declare');
          continue;
        case '|':
          emit('pipe');
          continue;
        case '"':
          if (!lexQuoted('"', 'string', 'unterminated quoted string')) return false;
          continue;
        case '`':
          if (!lexRawQuote()) return false;
          continue;
        case '$':
          if (!lexVariable()) return false;
          continue;
        case "'":
          if (!lexQuoted("'", 'charConstant', 'unterminated character constant')) return false;
          continue;
        case '(':
          parenDepth++;
          emit('leftParen');
          continue;
        case ')':
          parenDepth--;
          if (parenDepth < 0) return fail('unexpected right paren');
          emit('rightParen');
          continue;
      }
      if (r === '.') {
        const n = input[pos];
        if (n === undefined || n < '0' || n > '9') {
          if (!lexFieldOrVariable('field')) return false;
          continue;
        }
      }
      if (r === '.' || r === '+' || r === '-' || (r >= '0' && r <= '9')) {
        pos--;
        if (!lexNumber()) return false;
        continue;
      }
      const rune = runeAt(pos - 1);
      if (isAlphaNumeric(rune)) {
        pos--;
        if (!lexIdentifier()) return false;
        continue;
      }
      pos += rune.length - 1;
      const code = rune.codePointAt(0)!;
      if (code < 128 && code >= 0x20 && code < 0x7f) {
        emit('char');
        continue;
      }
      return fail(`unrecognized character in action: ${describeRune(rune)}`);
    }
  };

  // A run of spaces; a single space before `-}}` belongs to the trim marker and is not emitted.
  const lexSpace = (): void => {
    let numSpaces = 0;
    while (isSpace(input[pos])) {
      pos++;
      numSpaces++;
    }
    if (hasRightTrimMarker(input, pos - 1) && input.startsWith(RIGHT, pos - 1 + 2)) {
      pos--;
      if (numSpaces === 1) return;
    }
    emit('space');
  };

  const lexIdentifier = (): boolean => {
    while (pos < input.length) {
      const r = runeAt(pos);
      if (!isAlphaNumeric(r)) break;
      pos += r.length;
    }
    const word = input.slice(start, pos);
    if (!atTerminator()) return fail(`bad character ${describeRune(runeAt(pos))}`);
    const kw = keywords.get(word);
    if (kw !== undefined) {
      if ((kw === 'break' && !options.breakOK) || (kw === 'continue' && !options.continueOK)) emit('identifier');
      else emit(kw);
    } else if (word === 'true' || word === 'false') emit('bool');
    else emit('identifier');
    return true;
  };

  const lexVariable = (): boolean => {
    if (atTerminator()) {
      emit('variable');
      return true;
    }
    return lexFieldOrVariable('variable');
  };

  const lexFieldOrVariable = (type: 'field' | 'variable'): boolean => {
    if (atTerminator()) {
      emit(type === 'variable' ? 'variable' : 'dot');
      return true;
    }
    while (pos < input.length) {
      const r = runeAt(pos);
      if (!isAlphaNumeric(r)) break;
      pos += r.length;
    }
    if (!atTerminator()) return fail(`bad character ${describeRune(runeAt(pos))}`);
    emit(type);
    return true;
  };

  /** A quoted string or character constant up to `quote`; escapes may not hide a newline. */
  const lexQuoted = (quote: string, type: 'string' | 'charConstant', unterminated: string): boolean => {
    for (;;) {
      const c = input[pos++];
      if (c === '\\') {
        const r = input[pos++];
        if (r !== undefined && r !== '\n') continue;
        return fail(unterminated);
      }
      if (c === undefined || c === '\n') return fail(unterminated);
      if (c === quote) break;
    }
    emit(type);
    return true;
  };

  const lexRawQuote = (): boolean => {
    const end = input.indexOf('`', pos);
    if (end < 0) {
      pos = input.length;
      return fail('unterminated raw quoted string');
    }
    pos = end + 1;
    emit('rawString');
    return true;
  };

  const accept = (valid: string): boolean => {
    if (pos < input.length && valid.includes(input[pos]!)) {
      pos++;
      return true;
    }
    return false;
  };
  const acceptRun = (valid: string): void => {
    while (pos < input.length && valid.includes(input[pos]!)) pos++;
  };
  const scanNumber = (): boolean => {
    accept('+-');
    let digits = '0123456789_';
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (accept('oO')) digits = '01234567_';
      else if (accept('bB')) digits = '01_';
    }
    acceptRun(digits);
    if (accept('.')) acceptRun(digits);
    if (digits.length === 11 && accept('eE')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    if (digits.length === 23 && accept('pP')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    accept('i');
    if (pos < input.length && isAlphaNumeric(runeAt(pos))) {
      pos += runeAt(pos).length;
      return false;
    }
    return true;
  };
  const lexNumber = (): boolean => {
    if (!scanNumber()) return fail(`bad number syntax: ${goQuote(input.slice(start, pos))}`);
    const sign = input[pos];
    if (sign === '+' || sign === '-') {
      if (!scanNumber() || input[pos - 1] !== 'i') return fail(`bad number syntax: ${goQuote(input.slice(start, pos))}`);
      emit('complex');
      return true;
    }
    emit('number');
    return true;
  };

  while (lexText()) {
    // each round lexes one text run and one action or comment
  }
  return tokens;
}
