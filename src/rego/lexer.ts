/**
 * The Rego tokenizer. Whitespace and comments are not tokens, but every token records
 * whether whitespace preceded it, because Rego is whitespace sensitive in one place:
 * a reference continues (`.x`, `[i]`, `(args)`) only when nothing separates it from
 * what precedes it (`p [x]` is not `p[x]`). Comments are kept for `# METADATA` blocks.
 */
import { RegoError, RegoErrors } from './errors.js'
import type { Location } from './ast.js'

export type TokenKind =
  | 'ident'
  | 'keyword'
  | 'number'
  | 'string'
  | 'template'
  | 'op'
  | 'eof'

/** A piece of a template string: literal text, or the source of an embedded expression. */
export type TemplatePart = string | { source: string; loc: Location; offset: number }

export interface Token {
  kind: TokenKind
  /** The identifier, keyword or operator as written; the number literal; the string's value. */
  text: string
  loc: Location
  offset: number
  end: number
  /** Whitespace or a comment came right before this token. */
  ws: boolean
  /** A line break came before this token (after the previous one). */
  nl: boolean
  /** Strings: written with backticks. */
  raw?: boolean
  /** Template strings: the parts. */
  parts?: TemplatePart[]
}

export interface Comment {
  /** The text after `#`. */
  text: string
  loc: Location
}

export const KEYWORDS = new Set([
  'package',
  'import',
  'as',
  'default',
  'else',
  'not',
  'some',
  'with',
  'if',
  'contains',
  'in',
  'every',
  'true',
  'false',
  'null'
])

// Two-character operators are tried first so that `:=` wins over `:`.
const TWO_CHAR_OPERATORS = new Set([':=', '==', '!=', '<=', '>='])
const ONE_CHAR_OPERATORS = new Set(['<', '>', '=', '+', '-', '*', '/', '%', '&', '|', '.', ',', ';', ':', '(', ')', '[', ']', '{', '}'])

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_'
}
function isIdentPart(c: string): boolean {
  return isIdentStart(c) || isDigit(c)
}
function isDigit(c: string): boolean {
  return c >= '0' && c <= '9'
}

export interface LexResult {
  tokens: Token[]
  comments: Comment[]
}

/**
 * Tokenizes `source`. `start` places the text inside a larger file (template string
 * expressions are lexed separately but report positions in their file).
 */
export function tokenize(file: string, source: string, start?: { row: number; col: number; offset: number }): LexResult {
  const tokens: Token[] = []
  const comments: Comment[] = []
  let pos = 0
  let row = start?.row ?? 1
  let col = start?.col ?? 1
  const base = start?.offset ?? 0

  function loc(): Location {
    return { file, row, col }
  }
  function fail(message: string, where: Location = loc()): never {
    throw new RegoErrors([new RegoError('rego_parse_error', message, where)])
  }
  function advance(n = 1): void {
    for (let i = 0; i < n; i++) {
      if (source.charCodeAt(pos) === 10) {
        row++
        col = 1
      } else {
        col++
      }
      pos++
    }
  }

  // A byte-order mark some editors write at the start of a file is not text.
  if (source.charCodeAt(0) === 0xfeff && !start) pos = 1
  let ws = false
  let nl = false
  let at: Location = loc()
  let offset = 0
  // One function for every token (not a closure per token: this loop is the lexer's hot path).
  function push(kind: TokenKind, text: string, extra?: Partial<Token>): void {
    const t: Token = { kind, text, loc: at, offset: base + offset, end: base + pos, ws, nl }
    tokens.push(extra ? Object.assign(t, extra) : t)
    ws = false
    nl = false
  }
  while (true) {
    // Skip whitespace and comments.
    while (pos < source.length) {
      const c = source[pos]
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
        if (c === '\n') nl = true
        ws = true
        advance()
      } else if (c === '#') {
        const where = loc()
        let end = source.indexOf('\n', pos)
        if (end < 0) end = source.length
        comments.push({ text: source.slice(pos + 1, end).replace(/\r$/, ''), loc: where })
        ws = true
        advance(end - pos)
      } else {
        break
      }
    }
    at = loc()
    offset = pos
    if (pos >= source.length) {
      push('eof', '')
      break
    }
    const c = source[pos]
    if (isIdentStart(c)) {
      let end = pos + 1
      while (end < source.length && isIdentPart(source[end])) end++
      const word = source.slice(pos, end)
      advance(end - pos)
      // Keywords are plain names inside references (`input.in`, `else.foo := 1`, `data.foo.not`):
      // right after a `.`, or right before one.
      const prev = tokens[tokens.length - 1]
      const afterDot = prev !== undefined && prev.kind === 'op' && prev.text === '.' && !ws
      // (OPA's rule: a keyword right before `.` or `[` starts a reference.)
      const beforeDot = (source[pos] === '.' && isIdentStart(source[pos + 1] ?? '')) || source[pos] === '['
      push(KEYWORDS.has(word) && !afterDot && !beforeDot ? 'keyword' : 'ident', word)
      continue
    }
    if (isDigit(c)) {
      let end = pos
      while (end < source.length && isDigit(source[end])) end++
      if (source[end] === '.' && isDigit(source[end + 1] ?? '')) {
        end++
        while (end < source.length && isDigit(source[end])) end++
      }
      if (source[end] === 'e' || source[end] === 'E') {
        let e = end + 1
        if (source[e] === '+' || source[e] === '-') e++
        if (isDigit(source[e] ?? '')) {
          while (e < source.length && isDigit(source[e])) e++
          end = e
        }
      }
      if (end < source.length && isIdentStart(source[end])) {
        advance(end - pos)
        fail(`unexpected ${source[end]} after number: expected a number or an operator`)
      }
      const text = source.slice(pos, end)
      advance(end - pos)
      push('number', text)
      continue
    }
    if (c === '"') {
      const value = readQuoted()
      push('string', value)
      continue
    }
    if (c === '`') {
      const end = source.indexOf('`', pos + 1)
      if (end < 0) fail('non-terminated raw string')
      const value = source.slice(pos + 1, end)
      advance(end + 1 - pos)
      push('string', value, { raw: true })
      continue
    }
    if (c === '$' && (source[pos + 1] === '"' || source[pos + 1] === '`')) {
      const raw = source[pos + 1] === '`'
      advance()
      const parts = readTemplate(raw)
      push('template', source.slice(offset, pos), { parts, raw })
      continue
    }
    const two = source.slice(pos, pos + 2)
    const op = TWO_CHAR_OPERATORS.has(two) ? two : ONE_CHAR_OPERATORS.has(c) ? c : undefined
    if (op === undefined) {
      fail(`illegal token: ${JSON.stringify(c)}`)
    } else {
      advance(op.length)
      push('op', op)
    }
  }
  return { tokens, comments }

  /** A double-quoted string with JSON escapes, starting at `pos`; returns its value. */
  function readQuoted(): string {
    const at = loc()
    advance() // opening quote
    let out = ''
    while (true) {
      if (pos >= source.length || source[pos] === '\n') fail('non-terminated string', at)
      const ch = source[pos]
      if (ch === '"') {
        advance()
        return out
      }
      if (ch === '\\') {
        out += readEscape(false)
        continue
      }
      out += ch
      advance()
    }
  }

  /** An escape sequence at `pos` (on the backslash). Templates also allow `\{`. */
  function readEscape(template: boolean): string {
    const at = loc()
    const e = source[pos + 1]
    const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }
    if (e !== undefined && e in simple) {
      advance(2)
      return simple[e]
    }
    if (template && e === '{') {
      advance(2)
      return '{'
    }
    if (e === 'u') {
      const hex = source.slice(pos + 2, pos + 6)
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid escape sequence in string: \\u must be followed by four hex digits', at)
      advance(6)
      let code = parseInt(hex, 16)
      // A surrogate pair written as two escapes becomes one character, as in JSON.
      if (code >= 0xd800 && code < 0xdc00 && source[pos] === '\\' && source[pos + 1] === 'u') {
        const low = source.slice(pos + 2, pos + 6)
        if (/^[0-9a-fA-F]{4}$/.test(low)) {
          const lc = parseInt(low, 16)
          if (lc >= 0xdc00 && lc < 0xe000) {
            advance(6)
            code = 0x10000 + ((code - 0xd800) << 10) + (lc - 0xdc00)
          }
        }
      }
      return String.fromCodePoint(code)
    }
    return fail(`invalid escape sequence in string: \\${e ?? ''}`, at)
  }

  /**
   * A template string after `$`: literal text and `{expr}` parts. The expression's source is
   * found by matching braces, skipping over strings inside it.
   */
  function readTemplate(raw: boolean): TemplatePart[] {
    const at = loc()
    const close = raw ? '`' : '"'
    advance() // opening quote
    const parts: TemplatePart[] = []
    let text = ''
    while (true) {
      if (pos >= source.length || (!raw && source[pos] === '\n')) fail('non-terminated template string', at)
      const ch = source[pos]
      if (ch === close) {
        advance()
        if (text !== '') parts.push(text)
        return parts
      }
      if (ch === '\\' && source[pos + 1] === '{') {
        text += '{'
        advance(2)
        continue
      }
      if (ch === '\\' && !raw) {
        text += readEscape(true)
        continue
      }
      if (ch === '{') {
        if (text !== '') parts.push(text)
        text = ''
        advance()
        const exprAt = loc()
        const exprOffset = pos
        let depth = 1
        while (true) {
          if (pos >= source.length) fail('non-terminated template expression', exprAt)
          const d = source[pos]
          if (d === '"') {
            readQuoted()
            continue
          }
          if (d === '`') {
            const end = source.indexOf('`', pos + 1)
            if (end < 0) fail('non-terminated raw string')
            advance(end + 1 - pos)
            continue
          }
          if (d === '{') depth++
          if (d === '}') {
            depth--
            if (depth === 0) break
          }
          advance()
        }
        parts.push({ source: source.slice(exprOffset, pos), loc: exprAt, offset: base + exprOffset })
        advance() // closing brace
        continue
      }
      text += ch
      advance()
    }
  }
}
