/**
 * The Rego v1 parser (OPA 1.x syntax): tokens from `lexer.ts` to the AST of `ast.ts`.
 *
 * It follows OPA's recursive descent closely so that the same texts parse to the same
 * shapes: operator precedence (`in` < comparisons < `|` < `&` < `+ -` < `* / %`),
 * comprehensions preferred over `|` as union, references continuing only when nothing
 * separates them from their head, and `_` turned into a fresh variable per occurrence.
 * Errors are `rego_parse_error`s worded like OPA's ("unexpected } token: expected ...").
 */
import type {
  Body,
  CallTerm,
  Expr,
  Import,
  Location,
  Module,
  RefTerm,
  Rule,
  RuleHead,
  Term,
  TemplateStringTerm,
  VarTerm,
  With
} from './ast.js'
import { RegoError, RegoErrors } from './errors.js'
import { KEYWORDS, tokenize, type Token } from './lexer.js'
import { attachAnnotations, findAnnotationBlocks, type AnnotationBlock } from './annotations.js'

/** Infix operators and the builtins they call. */
const RELATION_OPS: Record<string, string> = { '==': 'equal', '!=': 'neq', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' }
const ARITH_OPS: Record<string, string> = { '+': 'plus', '-': 'minus' }
const FACTOR_OPS: Record<string, string> = { '*': 'mul', '/': 'div', '%': 'rem' }

export const MEMBER_2 = 'internal.member_2'
export const MEMBER_3 = 'internal.member_3'

/** Shared between a parser and the sub-parsers of its template strings. */
interface Counter {
  n: number
}

/**
 * A parse error inside the parser. Not an `Error`: backtracking throws and catches these
 * routinely, and capturing a stack trace each time would dominate parse time. The public
 * functions turn the one that escapes into `RegoErrors`.
 */
class ParseFailure {
  constructor(
    readonly message: string,
    readonly loc: Location
  ) {}
}

function parseError(message: string, loc: Location): ParseFailure {
  return new ParseFailure(message, loc)
}

/** Runs a parse, turning an escaped ParseFailure into the public `RegoErrors`. */
function publicErrors<T>(f: () => T): T {
  try {
    return f()
  } catch (e) {
    if (e instanceof ParseFailure) throw new RegoErrors([new RegoError('rego_parse_error', e.message, e.loc)])
    throw e
  }
}

const MAX_DEPTH = 200

/** What `import future.keywords.<name>` may name (all are keywords in v1 anyway). */
const FUTURE_KEYWORDS = ['contains', 'every', 'if', 'in']

class Parser {
  private i = 0
  private depth = 0
  private readonly termCache = new Map<number, { term?: Term; error?: ParseFailure; end: number; wildcards: number }>()

  constructor(
    private readonly file: string,
    private readonly toks: Token[],
    private readonly wildcards: Counter
  ) {}

  // ---- token helpers ----

  private get tok(): Token {
    return this.toks[this.i]
  }
  private peekAt(n: number): Token {
    return this.toks[Math.min(this.i + n, this.toks.length - 1)]
  }
  private next(): Token {
    const t = this.toks[this.i]
    if (this.i < this.toks.length - 1) this.i++
    return t
  }
  private isOp(text: string, t: Token = this.tok): boolean {
    return t.kind === 'op' && t.text === text
  }
  private isKeyword(text: string, t: Token = this.tok): boolean {
    return t.kind === 'keyword' && t.text === text
  }
  isEnd(): boolean {
    return this.tok.kind === 'eof'
  }

  /** OPA's wording: "unexpected } token", "unexpected if keyword", "unexpected eof token". */
  illegal(note?: string, t: Token = this.tok): ParseFailure {
    const name = t.kind === 'ident' ? 'ident' : t.kind === 'eof' ? 'eof' : t.kind === 'number' ? 'number' : t.kind === 'string' || t.kind === 'template' ? 'string' : t.text
    const type = t.kind === 'keyword' ? 'keyword' : 'token'
    return parseError(`unexpected ${name} ${type}${note ? `: ${note}` : ''}`, t.loc)
  }

  private expectOp(text: string, note?: string): Token {
    if (!this.isOp(text)) throw this.illegal(note ?? `expected ${text}`)
    return this.next()
  }

  /** A position to come back to: the token and the wildcard count, so names stay dense. */
  private mark(): [number, number] {
    return [this.i, this.wildcards.n]
  }
  private reset([i, n]: [number, number]): void {
    this.i = i
    this.wildcards.n = n
  }

  /** Runs `f` tentatively: on a parse error, rewinds and returns undefined. */
  private attempt<T>(f: () => T): T | undefined {
    const save = this.mark()
    try {
      return f()
    } catch (e) {
      if (e instanceof ParseFailure) {
        this.reset(save)
        return undefined
      }
      throw e
    }
  }

  // ---- module level ----

  parseModule(blocks: AnnotationBlock[]): Module {
    if (!this.isKeyword('package')) throw this.illegal('expected package (a Rego file starts with `package <name>`)')
    const pkgTok = this.next()
    const pkgTerm = this.parseTerm()
    const pkg = refToPath(pkgTerm)
    if (pkg === undefined) throw parseError(`package name must be a reference of names, not ${describeTerm(pkgTerm)}`, pkgTerm.loc)
    const module: Module = { file: this.file, package: pkg, packageLoc: pkgTok.loc, imports: [], rules: [], annotations: [] }
    const statements: { loc: Location; kind: 'package' | 'import' | 'rule'; rule?: Rule }[] = [
      { loc: pkgTok.loc, kind: 'package' }
    ]
    while (!this.isEnd()) {
      if (this.isKeyword('import')) {
        const loc = this.tok.loc
        module.imports.push(this.parseImport())
        statements.push({ loc, kind: 'import' })
        continue
      }
      if (this.isKeyword('package')) throw this.illegal('expected rule or import (a file has one package statement)')
      const rule = this.parseRule(module)
      module.rules.push(rule)
      statements.push({ loc: rule.loc, kind: 'rule', rule })
    }
    attachAnnotations(module, blocks, statements)
    return module
  }

  private parseImport(): Import {
    const loc = this.next().loc
    const term = this.parseTerm()
    const path = refToPath(term)
    if (path === undefined || (term.type !== 'ref' && term.type !== 'var')) {
      throw parseError(`invalid import path ${describeTerm(term)}: expected a reference such as data.x.y or input.x`, term.loc)
    }
    const roots = ['data', 'input', 'future', 'rego']
    if (!roots.includes(path[0])) {
      throw parseError(`invalid import path ${path.join('.')}: path must begin with input, data, future or rego`, term.loc)
    }
    if (path[0] === 'future' && (path.length < 2 || path[1] !== 'keywords' || path.length > 3)) {
      throw parseError(`invalid import ${path.join('.')}: must be future.keywords or future.keywords.<name>`, term.loc)
    }
    if (path[0] === 'future' && path.length === 3 && !FUTURE_KEYWORDS.includes(path[2])) {
      throw parseError(`unexpected keyword, must be one of [${FUTURE_KEYWORDS.join(' ')}], got: ${path[2]}`, term.loc)
    }
    if (path[0] === 'rego' && path.join('.') !== 'rego.v1') {
      throw parseError(`invalid import ${path.join('.')}: only rego.v1 is supported`, term.loc)
    }
    const imp: Import = { loc, path: term as RefTerm | VarTerm }
    const last = path[path.length - 1]
    if (!this.isKeyword('as') && path[0] !== 'future' && KEYWORDS.has(last)) {
      throw parseError(`unexpected import path, must not end with a keyword, got: ${last} (import a different path or use an alias)`, term.loc)
    }
    if (this.isKeyword('as')) {
      this.next()
      const t = this.tok
      if (t.kind !== 'ident') throw this.illegal('expected var')
      this.next()
      if (path[0] === 'future' || path[0] === 'rego') throw parseError(`${path.join('.')} imports cannot be aliased`, t.loc)
      imp.alias = t.text
    }
    return imp
  }

  // ---- rules ----

  private parseRule(module: Module): Rule {
    const start = this.tok
    if (this.isKeyword('default')) return this.parseDefault(module)
    const head = this.parseHead(false)
    const rule: Rule = { loc: start.loc, head, body: [], isDefault: false, annotations: [], module }
    const hasIf = this.isKeyword('if')
    // `p[x]` with neither `if` nor a value is a multi-value rule, as in OPA: `p contains x`.
    if (!hasIf && head.key === undefined && head.value === undefined && head.args === undefined && head.ref.length === 2) {
      head.key = head.ref[1]
      head.ref = [head.ref[0]]
    }
    const hasBody = this.parseRuleBody(rule, false)
    if (!hasBody && head.value === undefined && head.key === undefined && head.args === undefined && head.ref.length === 1) {
      // A bare name is not a rule.
      throw this.illegal(`expected rule value term (e.g., ${refText(head.ref)} := <VALUE> { ... }) or rule body`)
    }
    let prev = rule
    while (this.isKeyword('else')) {
      if (head.ref.length > 1 && head.ref.slice(1).some((t) => t.type !== 'string')) {
        throw parseError('else keyword cannot be used on rules with variables in head', this.tok.loc)
      }
      if (head.key !== undefined) throw parseError('else keyword cannot be used on multi-value rules', this.tok.loc)
      if (!hasBody && prev === rule) throw this.illegal('else keyword cannot be used on rules without a body')
      const elseRule = this.parseElse(rule)
      prev.else = elseRule
      prev = elseRule
    }
    return rule
  }

  /**
   * `if { body }`, `if literal`, or nothing; returns whether a body was present. As in OPA, a
   * rule's `if` is first read as a single literal, so `if {x: i | ...}` is an object
   * comprehension; only a set literal (`if { x }`) or a failed literal makes `{...}` a body.
   * An `else` reads `{` as a body directly. A brace body without `if` is v0 syntax, rejected.
   */
  private parseRuleBody(rule: Rule, isElse: boolean): boolean {
    if (this.isKeyword('if')) {
      this.next()
      if (this.isOp('{') && !isElse) {
        const save = this.mark()
        const literal = this.attempt(() => this.parseLiteral())
        if (literal !== undefined && !(literal.kind === 'term' && literal.term.type === 'set')) {
          rule.body = [literal]
          return true
        }
        this.reset(save)
      }
      if (this.isOp('{')) {
        this.next()
        rule.body = this.parseBody('}')
        this.expectOp('}')
      } else {
        if (this.isEnd()) throw this.illegal('rule body expected')
        rule.body = [this.parseLiteral()]
      }
      return true
    }
    if (this.isOp('{')) {
      throw parseError('`if` keyword is required before rule body (Rego v1, as in OPA 1.x: write `p if { ... }`, `p contains x if { ... }`, `f(x) := y if { ... }`)', this.tok.loc)
    }
    return false
  }

  private parseElse(first: Rule): Rule {
    const loc = this.next().loc
    const head: RuleHead = { loc, ref: [...first.head.ref], assign: false }
    if (first.head.args) head.args = first.head.args.map((a) => (a.type === 'var' && a.name.startsWith('$_') ? this.wildcard(a.loc) : a))
    const rule: Rule = { loc, head, body: [], isDefault: false, annotations: [], module: first.module }
    if (this.isOp(':=') || this.isOp('=')) {
      head.assign = this.next().text === ':='
      head.value = this.parseTermInfix(true)
    } else if (!this.isKeyword('if') && !this.isOp('{')) {
      throw this.illegal('expected else value term or rule body')
    }
    this.parseRuleBody(rule, true)
    return rule
  }

  private parseDefault(module: Module): Rule {
    const loc = this.next().loc
    const head = this.parseHead(true)
    if (head.value === undefined) throw this.illegal(`expected default rule value term (e.g., default ${refText(head.ref)} := <VALUE>)`)
    if (head.key !== undefined) throw parseError('default rules cannot use the contains keyword', head.loc)
    if (this.isKeyword('if') || this.isOp('{')) throw this.illegal('default rules cannot have a body')
    if (this.isKeyword('else')) throw this.illegal('default rules cannot have else')
    return { loc, head, body: [], isDefault: true, annotations: [], module }
  }

  /** `ref [(args)] [contains key | := value | = value]` */
  private parseHead(isDefault: boolean): RuleHead {
    const start = this.tok
    if (start.kind !== 'ident') throw this.illegal('expected rule head name')
    this.next()
    const ref: Term[] = [{ type: 'var', name: start.text, loc: start.loc }]
    let args: Term[] | undefined
    // As in OPA, the first `.x`, `[k]` or `(args)` of a head may follow a space (`f (x) := 1`).
    let first = true
    while (first || !this.tok.ws) {
      first = false
      if (this.isOp('.')) {
        this.next()
        const t = this.tok
        if (t.kind !== 'ident' && t.kind !== 'keyword') throw this.illegal('expected ident')
        this.next()
        ref.push({ type: 'string', value: t.text, loc: t.loc })
      } else if (this.isOp('[')) {
        this.next()
        ref.push(this.parseTermInfix(true))
        this.expectOp(']')
      } else if (this.isOp('(')) {
        this.next()
        args = this.parseTermList(')')
        break
      } else {
        break
      }
    }
    const head: RuleHead = { loc: start.loc, ref, assign: false }
    if (args) head.args = args
    const name = refText(ref)
    if (this.isKeyword('contains')) {
      if (args) throw this.illegal(`the contains keyword can only be used with multi-value rule definitions (e.g., ${name} contains <VALUE> { ... })`)
      this.next()
      head.key = this.parseTermInfix(true)
    } else if (this.isOp('=') || this.isOp(':=')) {
      head.assign = this.next().text === ':='
      head.value = this.parseTermInfix(true)
    } else if (isDefault) {
      throw this.illegal(`expected default rule value term (e.g., default ${name} := <VALUE>)`)
    }
    return head
  }

  // ---- bodies and expressions ----

  /** Expressions separated by `;` or line breaks, up to (not including) `end`. */
  parseBody(end: string): Body {
    if (this.isOp(end)) throw parseError('found empty body', this.tok.loc)
    const body: Body = []
    while (true) {
      body.push(this.parseLiteral())
      if (this.isOp(';')) {
        this.next()
        if (this.isOp(end)) return body
        continue
      }
      if (this.isOp(end)) return body
      if (this.tok.nl && !this.isEnd()) continue
      throw this.illegal(`expected \\n or ; or ${end}`)
    }
  }

  /** A whole query: expressions up to the end of the text. */
  parseQueryBody(): Body {
    if (this.isEnd()) throw parseError('empty query', this.tok.loc)
    const body: Body = []
    while (true) {
      body.push(this.parseLiteral())
      if (this.isOp(';')) {
        this.next()
        if (this.isEnd()) return body
        continue
      }
      if (this.isEnd()) return body
      if (this.tok.nl) continue
      throw this.illegal('expected \\n or ;')
    }
  }

  private parseLiteral(): Expr {
    const loc = this.tok.loc
    let negated = false
    if (this.isKeyword('not')) {
      this.next()
      negated = true
    }
    let expr: Expr
    if (this.isKeyword('some')) {
      if (negated) throw this.illegal("illegal negation of 'some'")
      expr = this.parseSome()
    } else if (this.isKeyword('every')) {
      if (negated) throw this.illegal("illegal negation of 'every'")
      expr = this.parseEvery()
    } else {
      const lhs = this.parseTermInfix(true)
      if (this.isOp(':=') || this.isOp('=')) {
        const op = this.next().text
        const right = this.parseTermInfix(true)
        expr = op === ':=' ? { kind: 'assign', left: lhs, right, loc, negated, with: [] } : { kind: 'unify', left: lhs, right, loc, negated, with: [] }
      } else {
        expr = { kind: 'term', term: lhs, loc, negated, with: [] }
      }
    }
    expr.loc = loc
    if (this.isKeyword('with')) expr.with = this.parseWith()
    return expr
  }

  private parseWith(): With[] {
    const out: With[] = []
    while (this.isKeyword('with')) {
      const loc = this.next().loc
      if (this.tok.kind !== 'ident') throw this.illegal('expected ident')
      const target = this.parseTerm()
      if (target.type !== 'ref' && target.type !== 'var') throw parseError('unexpected with target: expected a path such as input.x, data.y or a function name', target.loc)
      if (!this.isKeyword('as')) throw this.illegal('expected as keyword')
      this.next()
      const value = this.parseTermInfix(true)
      out.push({ loc, target, value })
    }
    return out
  }

  /** `some x, y` declares variables; `some x in xs` and `some k, v in xs` iterate. */
  private parseSome(): Expr {
    const loc = this.next().loc
    const afterSome = this.mark()
    const term = this.attempt(() => this.parseTermInfix(true))
    if (term !== undefined && term.type === 'call') {
      if (term.fn === MEMBER_2 && term.operator === 'in') {
        return { kind: 'somein', value: term.args[0], collection: term.args[1], loc, negated: false, with: [] }
      }
      if (term.fn === MEMBER_3 && term.operator === 'in') {
        return { kind: 'somein', key: term.args[0], value: term.args[1], collection: term.args[2], loc, negated: false, with: [] }
      }
      throw parseError('expected `x in xs` or `x, y in xs` expression', term.loc)
    }
    // Not a membership: rewind to a plain list of variables.
    this.reset(afterSome)
    const vars: VarTerm[] = []
    while (true) {
      if (this.tok.kind !== 'ident') throw this.illegal('expected var')
      vars.push(this.parseVarToken())
      if (!this.isOp(',')) break
      this.next()
    }
    return { kind: 'some', vars, loc, negated: false, with: [] }
  }

  private parseEvery(): Expr {
    const loc = this.next().loc
    const term = this.parseTermInfix(true)
    if (term.type !== 'call' || term.operator !== 'in' || (term.fn !== MEMBER_2 && term.fn !== MEMBER_3)) {
      throw parseError('expected `x[, y] in xs { ... }` expression', term.loc)
    }
    const value = term.fn === MEMBER_2 ? term.args[0] : term.args[1]
    if (value.type !== 'var') throw parseError('expected value to be a variable', value.loc)
    if (term.fn === MEMBER_3 && term.args[0].type !== 'var') throw parseError('expected key to be a variable', term.args[0].loc)
    if (!this.isOp('{')) throw this.illegal('missing body')
    this.next()
    const body = this.parseBody('}')
    this.expectOp('}')
    if (term.fn === MEMBER_2) return { kind: 'every', value: term.args[0], domain: term.args[1], body, loc, negated: false, with: [] }
    return { kind: 'every', key: term.args[0], value: term.args[1], domain: term.args[2], body, loc, negated: false, with: [] }
  }

  // ---- terms with infix operators ----

  /**
   * The loosest level: `x in xs`, and when `keyVal`, `k, v in xs` (not inside lists and
   * call arguments, where the comma separates items).
   */
  parseTermInfix(keyVal: boolean): Term {
    let lhs = this.parseRelation()
    if (keyVal && this.isOp(',')) {
      const save = this.mark()
      this.next()
      const call = this.attempt(() => {
        const mhs = this.parseRelation()
        if (!this.isKeyword('in')) throw this.illegal('expected in')
        this.next()
        const rhs = this.parseRelation()
        return this.call(MEMBER_3, [lhs, mhs, rhs], lhs.loc, 'in')
      })
      if (call === undefined) this.reset(save)
      else lhs = call
    }
    while (this.isKeyword('in')) {
      this.next()
      const rhs = this.parseRelation()
      lhs = this.call(MEMBER_2, [lhs, rhs], lhs.loc, 'in')
    }
    return lhs
  }

  private parseRelation(): Term {
    let lhs = this.parseOr()
    while (this.tok.kind === 'op' && this.tok.text in RELATION_OPS) {
      const op = this.next().text
      lhs = this.call(RELATION_OPS[op], [lhs, this.parseOr()], lhs.loc, op)
    }
    return lhs
  }

  private parseOr(): Term {
    let lhs = this.parseAnd()
    while (this.isOp('|')) {
      this.next()
      lhs = this.call('or', [lhs, this.parseAnd()], lhs.loc, '|')
    }
    return lhs
  }

  private parseAnd(): Term {
    let lhs = this.parseArith()
    while (this.isOp('&')) {
      this.next()
      lhs = this.call('and', [lhs, this.parseArith()], lhs.loc, '&')
    }
    return lhs
  }

  private parseArith(): Term {
    let lhs = this.parseFactor()
    while (this.tok.kind === 'op' && this.tok.text in ARITH_OPS) {
      const op = this.next().text
      lhs = this.call(ARITH_OPS[op], [lhs, this.parseFactor()], lhs.loc, op)
    }
    return lhs
  }

  private parseFactor(): Term {
    let lhs = this.parseTerm()
    while (this.tok.kind === 'op' && this.tok.text in FACTOR_OPS) {
      const op = this.next().text
      lhs = this.call(FACTOR_OPS[op], [lhs, this.parseTerm()], lhs.loc, op)
    }
    return lhs
  }

  private call(fn: string, args: Term[], loc: Location, operator?: string): CallTerm {
    const c: CallTerm = { type: 'call', fn, args, loc }
    if (operator) c.operator = operator
    return c
  }

  private wildcard(loc: Location): VarTerm {
    return { type: 'var', name: `$_${this.wildcards.n++}`, loc }
  }

  // ---- single terms ----

  parseTerm(): Term {
    // Nesting is bounded so that hostile or broken text fails as a parse error, not a stack overflow.
    if (++this.depth > MAX_DEPTH) throw parseError(`expression nested too deeply (more than ${MAX_DEPTH} levels)`, this.tok.loc)
    // Backtracking (comprehension or list? body or literal?) may parse the same term again;
    // remembering each position's outcome keeps nested retries linear instead of exponential.
    const start = this.i
    const seen = this.termCache.get(start)
    try {
      if (seen) {
        this.i = seen.end
        this.wildcards.n = Math.max(this.wildcards.n, seen.wildcards)
        if (seen.error) throw seen.error
        return seen.term as Term
      }
      try {
        const term = this.parseTermInner()
        this.termCache.set(start, { term, end: this.i, wildcards: this.wildcards.n })
        return term
      } catch (e) {
        if (e instanceof ParseFailure) this.termCache.set(start, { error: e, end: this.i, wildcards: this.wildcards.n })
        throw e
      }
    } finally {
      this.depth--
    }
  }

  private parseTermInner(): Term {
    const t = this.tok
    let term: Term
    switch (t.kind) {
      case 'keyword':
        if (t.text === 'null') {
          this.next()
          term = { type: 'null', loc: t.loc }
        } else if (t.text === 'true' || t.text === 'false') {
          this.next()
          term = { type: 'boolean', value: t.text === 'true', loc: t.loc }
        } else if (t.text === 'contains' && this.isOp('(', this.peekAt(1)) && !this.peekAt(1).ws) {
          // The `contains` builtin shares its name with the keyword.
          this.next()
          term = { type: 'var', name: 'contains', loc: t.loc }
        } else {
          throw this.illegal()
        }
        break
      case 'number':
        term = this.parseNumber()
        break
      case 'string':
        this.next()
        term = t.raw ? { type: 'string', value: t.text, raw: true, loc: t.loc } : { type: 'string', value: t.text, loc: t.loc }
        break
      case 'template':
        this.next()
        term = this.parseTemplate(t)
        break
      case 'ident':
        term = this.parseVarToken()
        break
      case 'op':
        if (t.text === '-' && this.peekAt(1).kind === 'ident') {
          // `-x`, `-input.n`: minus(0, x), as OPA reads a minus before a name.
          this.next()
          const operand = this.parseTermFinish(this.parseVarToken())
          return this.call('minus', [{ type: 'number', value: 0, text: '0', loc: t.loc }, operand], t.loc, '-')
        } else if (t.text === '-' || t.text === '.') {
          term = this.parseNumber()
        } else if (t.text === '[') {
          term = this.parseArray()
        } else if (t.text === '{') {
          term = this.parseSetOrObject()
        } else if (t.text === '(') {
          this.next()
          term = this.parseTermInfix(true)
          if (!this.isOp(')')) throw parseError('non-terminated expression', this.tok.loc)
          this.next()
        } else {
          throw this.illegal()
        }
        break
      default:
        throw this.illegal()
    }
    return this.parseTermFinish(term)
  }

  /** The variable at the current ident token; `_` becomes a fresh one. */
  private parseVarToken(): VarTerm {
    const t = this.next()
    return t.text === '_' ? this.wildcard(t.loc) : { type: 'var', name: t.text, loc: t.loc }
  }

  /** Reference operands and calls written right after a term: `.x`, `[i]`, `(args)`. */
  private parseTermFinish(head: Term): Term {
    let term = head
    while (!this.tok.ws && this.tok.kind === 'op') {
      if (this.tok.text === '.') {
        this.next()
        const t = this.tok
        if (t.kind !== 'ident' && t.kind !== 'keyword') throw this.illegal('expected ident')
        this.next()
        term = this.extendRef(term, { type: 'string', value: t.text, loc: t.loc })
      } else if (this.tok.text === '[') {
        this.next()
        const operand = this.parseTermInfix(true)
        this.expectOp(']')
        term = this.extendRef(term, operand)
      } else if (this.tok.text === '(') {
        const name = refToPath(term)
        if (name === undefined || (term.type !== 'var' && term.type !== 'ref')) {
          throw parseError(`invalid function name ${describeTerm(term)}: expected a name such as f or data.lib.f`, this.tok.loc)
        }
        this.next()
        const args = this.parseTermList(')')
        const fn = name.join('.')
        term = fn === 'set' && args.length === 0 ? { type: 'set', items: [], loc: term.loc } : { type: 'call', fn, args, loc: term.loc }
      } else {
        break
      }
    }
    // `input` and `data` on their own are references to the whole document, as in OPA.
    if (term.type === 'var' && (term.name === 'input' || term.name === 'data')) {
      return { type: 'ref', head: term, path: [], loc: term.loc }
    }
    return term
  }

  private extendRef(term: Term, operand: Term): RefTerm {
    if (term.type === 'ref') return { type: 'ref', head: term.head, path: [...term.path, operand], loc: term.loc }
    if (term.type === 'null' || term.type === 'boolean' || term.type === 'number' || term.type === 'string' || term.type === 'template') {
      throw parseError(`illegal ref (head cannot be ${term.type === 'template' ? 'templatestring' : term.type})`, term.loc)
    }
    return { type: 'ref', head: term, path: [operand], loc: term.loc }
  }

  private parseNumber(): Term {
    const start = this.tok
    let prefix = ''
    if (this.isOp('-')) {
      prefix = '-'
      this.next()
      if (this.tok.kind !== 'number' && !this.isOp('.')) throw this.illegal('expected number')
    }
    if (this.isOp('.')) {
      prefix += '0.'
      this.next()
      if (this.tok.kind !== 'number' || this.tok.ws) throw this.illegal('expected number')
    }
    const t = this.tok
    // `01` and `007` are not numbers; `0.5` and `0e3` are.
    if (!prefix.endsWith('.') && t.text.length > 1 && t.text[0] === '0' && t.text[1] !== '.' && t.text[1] !== 'e' && t.text[1] !== 'E') {
      throw this.illegal('expected number without leading zero')
    }
    this.next()
    const text = prefix + t.text
    const value = Number(text)
    // Out-of-range literals (`2e308`) parse as in OPA, which keeps big numbers exactly;
    // the value is then Infinity and `text` has the literal.
    return { type: 'number', value: Object.is(value, -0) ? 0 : value, text, loc: start.loc }
  }

  private parseTemplate(t: Token): TemplateStringTerm {
    const parts: (string | Term)[] = []
    for (const part of t.parts ?? []) {
      if (typeof part === 'string') {
        parts.push(part)
        continue
      }
      const { tokens } = tokenize(this.file, part.source, { row: part.loc.row, col: part.loc.col, offset: part.offset })
      const sub = new Parser(this.file, tokens, this.wildcards)
      if (sub.isEnd()) throw parseError('empty template expression', part.loc)
      let term = sub.parseTermInfix(true)
      if (sub.isKeyword('with')) {
        // `{t with input as v}`: the AST's template parts are terms, so the modified expression
        // becomes `[$tplN | $tplN := t with input as v][0]`, which is t's value under the `with`,
        // or undefined (printed `<undefined>`) when t is.
        const v: VarTerm = { type: 'var', name: `$tpl${this.wildcards.n++}`, loc: term.loc }
        const expr: Expr = { kind: 'assign', left: v, right: term, loc: term.loc, negated: false, with: sub.parseWith() }
        const comp: Term = { type: 'arraycomp', term: v, body: [expr], loc: term.loc }
        term = { type: 'ref', head: comp, path: [{ type: 'number', value: 0, text: '0', loc: term.loc }], loc: term.loc }
      }
      if (!sub.isEnd()) throw sub.illegal('expected } closing the template expression')
      parts.push(term)
    }
    const out: TemplateStringTerm = { type: 'template', parts, loc: t.loc }
    if (t.raw) out.raw = true
    return out
  }

  /** Comma-separated terms up to `end` (consumed); a trailing comma is allowed. */
  private parseTermList(end: string, first: Term[] = []): Term[] {
    const items = first
    while (!this.isOp(end)) {
      items.push(this.parseTermInfix(false))
      if (this.isOp(',')) {
        this.next()
        continue
      }
      if (!this.isOp(end)) throw this.illegal(`expected , or ${end}`)
    }
    this.next()
    return items
  }

  /**
   * Tries a comprehension body after `|`. Gives undefined (position restored by the caller)
   * when the body fails at a comma: then `|` was a union inside a list (`{a | b, c}`), as OPA
   * decides; any other failure is the error.
   */
  private comprehensionBody(end: string): Body | undefined {
    this.next() // |
    try {
      const body = this.parseBody(end)
      this.next() // end
      return body
    } catch (e) {
      if (e instanceof ParseFailure && this.isOp(',')) return undefined
      throw e
    }
  }

  private parseArray(): Term {
    const loc = this.next().loc
    if (this.isOp(']')) {
      this.next()
      return { type: 'array', items: [], loc }
    }
    let potentialComprehension = true
    if (this.isOp(',')) {
      // A leading comma, accepted by OPA for compatibility.
      potentialComprehension = false
      this.next()
    }
    // The head of `[x | body]` is a single term, so a comprehension wins over `|` as union.
    const save = this.mark()
    const head = this.parseTerm()
    if (this.isOp(']')) {
      this.next()
      return { type: 'array', items: [head], loc }
    }
    if (this.isOp(',')) {
      this.next()
      return { type: 'array', items: this.parseTermList(']', [head]), loc }
    }
    if (this.isOp('|') && potentialComprehension) {
      const body = this.comprehensionBody(']')
      if (body) return { type: 'arraycomp', term: head, body, loc }
    }
    this.reset(save)
    return { type: 'array', items: this.parseTermList(']'), loc }
  }

  private parseSetOrObject(): Term {
    const loc = this.next().loc
    if (this.isOp('}')) {
      this.next()
      return { type: 'object', items: [], loc }
    }
    let potentialComprehension = true
    if (this.isOp(',')) {
      potentialComprehension = false
      this.next()
    }
    const save = this.mark()
    // A single term first, so that `{a | b}` is a comprehension rather than a union.
    let head = this.parseTerm()
    if ((this.isOp('|') && potentialComprehension) || this.isOp('}') || this.isOp(',')) {
      return this.parseSet(save, head, potentialComprehension, loc)
    }
    if (this.isOp(':')) return this.parseObject(head, potentialComprehension, loc)
    this.reset(save)
    head = this.parseTermInfix(false)
    if (this.isOp('}') || this.isOp(',')) return this.parseSet(save, head, false, loc)
    // Still possibly an object comprehension: `{a + 1: b | ...}`.
    if (this.isOp(':')) return this.parseObject(head, potentialComprehension, loc)
    throw this.illegal('non-terminated set')
  }

  private parseSet(save: [number, number], head: Term, potentialComprehension: boolean, loc: Location): Term {
    if (this.isOp('}')) {
      this.next()
      return { type: 'set', items: [head], loc }
    }
    if (this.isOp(',')) {
      this.next()
      return { type: 'set', items: this.parseTermList('}', [head]), loc }
    }
    // `|`
    if (potentialComprehension) {
      const body = this.comprehensionBody('}')
      if (body) return { type: 'setcomp', term: head, body, loc }
    }
    this.reset(save)
    return { type: 'set', items: this.parseTermList('}'), loc }
  }

  /** After the first key: `{k: v, ...}` or `{k: v | body}`. */
  private parseObject(key: Term, potentialComprehension: boolean, loc: Location): Term {
    this.expectOp(':')
    const save = this.mark()
    if (potentialComprehension) {
      // The value as a single term first, for `{k: v | body}`.
      const value = this.attempt(() => this.parseTerm())
      if (value !== undefined && (this.isOp('}') || this.isOp(','))) return this.parseObjectFinish(key, value, loc)
      if (value !== undefined && this.isOp('|')) {
        const body = this.attempt(() => this.comprehensionBody('}'))
        if (body) return { type: 'objectcomp', key, value, body, loc }
      }
      this.reset(save)
    }
    const value = this.parseTermInfix(false)
    if (this.isOp('}') || this.isOp(',')) return this.parseObjectFinish(key, value, loc)
    throw this.illegal('non-terminated object')
  }

  private parseObjectFinish(key: Term, value: Term, loc: Location): Term {
    const items: [Term, Term][] = [[key, value]]
    while (this.isOp(',')) {
      this.next()
      if (this.isOp('}')) break
      const k = this.parseTermInfix(false)
      this.expectOp(':', 'expected :')
      items.push([k, this.parseTermInfix(false)])
      if (!this.isOp(',') && !this.isOp('}')) throw this.illegal('expected , or }')
    }
    this.expectOp('}', 'expected , or }')
    return { type: 'object', items, loc }
  }
}

/** `a.b["c"]` → ["a", "b", "c"]; undefined when an operand is not a string. */
function refToPath(t: Term): string[] | undefined {
  if (t.type === 'var') return [t.name]
  if (t.type !== 'ref' || t.head.type !== 'var') return undefined
  const out = [t.head.name]
  for (const p of t.path) {
    if (p.type !== 'string') return undefined
    out.push(p.value)
  }
  return out
}

function refText(ref: Term[]): string {
  return ref
    .map((t, i) => (t.type === 'var' ? (i === 0 ? t.name : `[${t.name}]`) : t.type === 'string' ? `.${t.value}` : '[...]'))
    .join('')
}

function describeTerm(t: Term): string {
  return t.type === 'ref' ? 'a reference' : t.type === 'call' ? 'a call' : `a ${t.type}`
}

/** Parses one Rego v1 module. Throws `RegoErrors` of `rego_parse_error`. */
export function parseModule(file: string, source: string): Module {
  const { tokens, comments } = tokenize(file, source)
  const blocks = findAnnotationBlocks(file, comments)
  return publicErrors(() => new Parser(file, tokens, { n: 0 }).parseModule(blocks))
}

/** Parses a query such as `data.test.p = x; x > 1`. */
export function parseQuery(source: string, file = 'query'): Body {
  const { tokens } = tokenize(file, source)
  return publicErrors(() => new Parser(file, tokens, { n: 0 }).parseQueryBody())
}

/** Parses a single term such as `{"a": [1, 2]}` (OPA's conformance `input_term`). */
export function parseTerm(source: string, file = 'term'): Term {
  const { tokens } = tokenize(file, source)
  return publicErrors(() => {
    const p = new Parser(file, tokens, { n: 0 })
    const t = p.parseTermInfix(true)
    if (!p.isEnd()) throw p.illegal('expected end of term')
    return t
  })
}
