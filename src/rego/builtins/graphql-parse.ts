/**
 * A GraphQL lexer and parser that behaves like gqlparser (the Go library OPA embeds): the same
 * accepted language (legacy fragment variables, lenient extensions), the same error messages
 * and positions, and an AST in gqlparser's shape (Go field names), because Rego policies
 * inspect that shape and conformance cases compare it. graphql-js is used for validation only.
 *
 * Nodes are plain objects keyed by gqlparser's field names. Fields that are nil or empty in Go
 * are left out or empty here; `toRegoAST` prunes them exactly as OPA does.
 */

export type Node = { [k: string]: unknown }

/** A syntax error, with gqlparser's message and 1-based line/column (in code points). */
export class GraphQLSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number
  ) {
    super(message)
    this.name = 'GraphQLSyntaxError'
  }
}

// Token kinds are named as gqlparser prints them in messages.
type Kind =
  | '<Invalid>'
  | '<EOF>'
  | '!'
  | '$'
  | '&'
  | '('
  | ')'
  | '...'
  | ':'
  | '='
  | '@'
  | '['
  | ']'
  | '{'
  | '|'
  | '}'
  | 'Name'
  | 'Int'
  | 'Float'
  | 'String'
  | 'BlockString'

interface Token {
  kind: Kind
  value: string
  line: number
  column: number
  /** A lexer error carried by an Invalid token; raised when the token is consumed. */
  error?: GraphQLSyntaxError
}

function describe(t: Token): string {
  return t.value !== '' ? `${t.kind} ${JSON.stringify(t.value)}` : t.kind
}

const PUNCT: Record<string, Kind> = {
  '!': '!',
  $: '$',
  '&': '&',
  '(': '(',
  ')': ')',
  ':': ':',
  '=': '=',
  '@': '@',
  '[': '[',
  ']': ']',
  '{': '{',
  '}': '}',
  '|': '|',
}

const isNameStart = (c: string): boolean => /^[_A-Za-z]$/.test(c)
const isNameChar = (c: string): boolean => /^[_0-9A-Za-z]$/.test(c)
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'

class Lexer {
  private readonly src: string[] // code points, so positions count runes as Go does
  private pos = 0
  private line = 1
  private lineStart = 0
  private start = 0

  constructor(input: string) {
    this.src = Array.from(input)
  }

  private token(kind: Kind, value: string, startOffset = 0): Token {
    return { kind, value, line: this.line, column: this.start + startOffset - this.lineStart + 1 }
  }

  private error(message: string): Token {
    const column = this.pos - this.lineStart + 1
    return { kind: '<Invalid>', value: '', line: this.line, column, error: new GraphQLSyntaxError(message, this.line, column) }
  }

  private skipIgnored(): void {
    const s = this.src
    while (this.pos < s.length) {
      const c = s[this.pos]
      if (c === '\t' || c === ' ' || c === ',' || c === '\ufeff') {
        this.pos++
      } else if (c === '\n') {
        this.pos++
        this.line++
        this.lineStart = this.pos
      } else if (c === '\r') {
        this.pos++
        this.line++
        this.lineStart = this.pos
        if (s[this.pos] === '\n') this.pos++
      } else if (c === '#') {
        while (this.pos < s.length) {
          const cp = s[this.pos].codePointAt(0) as number
          if (cp > 0x1f || cp === 0x09) this.pos++
          else break
        }
      } else {
        return
      }
    }
  }

  next(): Token {
    this.skipIgnored()
    const s = this.src
    this.start = this.pos
    if (this.pos >= s.length) return this.token('<EOF>', '')
    const c = s[this.pos]
    this.pos++
    const p = PUNCT[c]
    if (p) return this.token(p, '')
    if (c === '.' && s[this.pos] === '.' && s[this.pos + 1] === '.') {
      this.pos += 2
      return this.token('...', '')
    }
    if (isNameStart(c)) {
      while (this.pos < s.length && isNameChar(s[this.pos])) this.pos++
      return this.token('Name', s.slice(this.start, this.pos).join(''))
    }
    if (c === '-' || isDigit(c)) {
      this.pos--
      return this.readNumber()
    }
    if (c === '"') {
      if (s[this.pos] === '"' && s[this.pos + 1] === '"') return this.readBlockString()
      return this.readString()
    }
    this.pos--
    const cp = c.codePointAt(0) as number
    if (cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) {
      // gqlparser formats the code point in decimal after "\u"; kept for identical messages.
      return this.error(`Cannot contain the invalid character "\\u${String(cp).padStart(4, '0')}"`)
    }
    if (c === "'") return this.error(`Unexpected single quote character ('), did you mean to use a double quote (")?`)
    return this.error(`Cannot parse the unexpected character "${c}".`)
  }

  private describeNext(): string {
    return this.pos < this.src.length ? `"${this.src[this.pos]}"` : '<EOF>'
  }

  private digits(): number {
    let n = 0
    while (isDigit(this.src[this.pos])) {
      this.pos++
      n++
    }
    return n
  }

  private readNumber(): Token {
    let float = false
    if (this.src[this.pos] === '-') this.pos++
    if (this.src[this.pos] === '0') {
      this.pos++
      const n = this.digits()
      if (n !== 0) {
        this.pos -= n
        return this.error(`Invalid number, unexpected digit after 0: ${this.describeNext()}.`)
      }
    } else if (this.digits() === 0) {
      return this.error(`Invalid number, expected digit but got: ${this.describeNext()}.`)
    }
    if (this.src[this.pos] === '.') {
      this.pos++
      float = true
      if (this.digits() === 0) return this.error(`Invalid number, expected digit but got: ${this.describeNext()}.`)
    }
    if (this.src[this.pos] === 'e' || this.src[this.pos] === 'E') {
      this.pos++
      float = true
      if (this.src[this.pos] === '-' || this.src[this.pos] === '+') this.pos++
      if (this.digits() === 0) return this.error(`Invalid number, expected digit but got: ${this.describeNext()}.`)
    }
    return this.token(float ? 'Float' : 'Int', this.src.slice(this.start, this.pos).join(''))
  }

  private readString(): Token {
    const s = this.src
    let out = ''
    while (this.pos < s.length) {
      const c = s[this.pos]
      if (c === '\n' || c === '\r') break
      const cp = c.codePointAt(0) as number
      if (cp < 0x20 && c !== '\t') return this.error(`Invalid character within String: "\\u${String(cp).padStart(4, '0')}".`)
      if (c === '"') {
        const t = this.token('String', out, 1)
        this.pos++
        return t
      }
      if (c === '\\') {
        if (this.pos + 1 >= s.length) {
          this.pos++
          return this.error('Invalid character escape sequence.')
        }
        const e = s[this.pos + 1]
        if (e === 'u') {
          if (this.pos + 6 >= s.length) {
            this.pos++
            return this.error(`Invalid character escape sequence: \\${s.slice(this.pos).join('')}.`)
          }
          const hex = s.slice(this.pos + 2, this.pos + 6).join('')
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            this.pos++
            return this.error(`Invalid character escape sequence: \\${s.slice(this.pos, this.pos + 5).join('')}.`)
          }
          out += String.fromCharCode(parseInt(hex, 16))
          this.pos += 6
        } else {
          const map: Record<string, string> = { '"': '"', '/': '/', '\\': '\\', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }
          if (!(e in map)) {
            this.pos++
            return this.error(`Invalid character escape sequence: \\${e}.`)
          }
          out += map[e]
          this.pos += 2
        }
        continue
      }
      out += c
      this.pos++
    }
    return this.error('Unterminated string.')
  }

  private readBlockString(): Token {
    const s = this.src
    this.pos += 2
    let raw = ''
    while (this.pos < s.length) {
      const c = s[this.pos]
      if (c === '"' && s[this.pos + 1] === '"' && s[this.pos + 2] === '"') {
        // Like gqlparser, the token's line is where the string ends and its column is
        // measured from that line's start (odd for multi-line strings, but identical).
        const t = this.token('BlockString', blockStringValue(raw), 3)
        this.pos += 3
        return t
      }
      const cp = c.codePointAt(0) as number
      if (cp < 0x20 && c !== '\t' && c !== '\n' && c !== '\r') {
        return this.error(`Invalid character within String: "\\u${String(cp).padStart(4, '0')}".`)
      }
      if (c === '\\' && s[this.pos + 1] === '"' && s[this.pos + 2] === '"' && s[this.pos + 3] === '"') {
        raw += '"""'
        this.pos += 4
      } else if (c === '\r') {
        if (s[this.pos + 1] === '\n') this.pos++
        raw += '\n'
        this.pos++
        this.line++
        this.lineStart = this.pos
      } else {
        raw += c
        this.pos++
        if (c === '\n') {
          this.line++
          this.lineStart = this.pos
        }
      }
    }
    return this.error('Unterminated string.')
  }
}

/** The GraphQL spec's BlockStringValue: common indentation and blank edge lines removed. */
function blockStringValue(raw: string): string {
  const lines = raw.split(/\r\n|\n|\r/)
  const indentOf = (l: string): number => {
    let i = 0
    while (i < l.length && (l[i] === ' ' || l[i] === '\t')) i++
    return i
  }
  let common: number | undefined
  for (let i = 1; i < lines.length; i++) {
    const ind = indentOf(lines[i])
    if (ind < lines[i].length && (common === undefined || ind < common)) common = ind
  }
  if (common) for (let i = 1; i < lines.length; i++) lines[i] = lines[i].slice(common)
  const blank = (l: string): boolean => indentOf(l) === l.length
  while (lines.length > 0 && blank(lines[0])) lines.shift()
  while (lines.length > 0 && blank(lines[lines.length - 1])) lines.pop()
  return lines.join('\n')
}

/** Value kinds, numbered as gqlparser's `ValueKind` enum. */
export const VALUE_KIND = { Variable: 0, Int: 1, Float: 2, String: 3, Block: 4, Boolean: 5, Null: 6, Enum: 7, List: 8, Object: 9 } as const

const DIRECTIVE_LOCATIONS = new Set([
  'QUERY', 'MUTATION', 'SUBSCRIPTION', 'FIELD', 'FRAGMENT_DEFINITION', 'FRAGMENT_SPREAD', 'INLINE_FRAGMENT',
  'VARIABLE_DEFINITION', 'SCHEMA', 'SCALAR', 'OBJECT', 'FIELD_DEFINITION', 'ARGUMENT_DEFINITION', 'INTERFACE',
  'UNION', 'ENUM', 'ENUM_VALUE', 'INPUT_OBJECT', 'INPUT_FIELD_DEFINITION',
])

class Parser {
  private readonly lexer: Lexer
  private peeked: Token | undefined
  private prev: Token | undefined

  constructor(input: string) {
    this.lexer = new Lexer(input)
  }

  private peek(): Token {
    if (!this.peeked) this.peeked = this.lexer.next()
    return this.peeked
  }

  private next(): Token {
    const t = this.peek()
    this.peeked = undefined
    if (t.error) throw t.error
    this.prev = t
    return t
  }

  private fail(t: Token, message: string): never {
    throw new GraphQLSyntaxError(message, t.line, t.column)
  }

  private unexpected(t: Token = this.peek()): never {
    this.fail(t, `Unexpected ${describe(t)}`)
  }

  private expect(kind: Kind): Token {
    const t = this.peek()
    if (t.kind === kind) return this.next()
    this.fail(t, `Expected ${kind}, found ${t.kind}`)
  }

  private expectKeyword(value: string): Token {
    const t = this.peek()
    if (t.kind === 'Name' && t.value === value) return this.next()
    this.fail(t, `Expected ${JSON.stringify(value)}, found ${describe(t)}`)
  }

  private skip(kind: Kind): boolean {
    if (this.peek().kind !== kind) return false
    this.next()
    return true
  }

  /** `start item* end`, optional as a whole. */
  private many(start: Kind, end: Kind, item: () => void): void {
    if (!this.skip(start)) return
    while (this.peek().kind !== end) item()
    this.next()
  }

  /** `start item+ end`, optional as a whole. */
  private some(start: Kind, end: Kind, item: () => void): void {
    if (!this.skip(start)) return
    let called = false
    while (this.peek().kind !== end) {
      called = true
      item()
    }
    if (!called) this.fail(this.peek(), `expected at least one definition, found ${this.peek().kind}`)
    this.next()
  }

  private name(): string {
    return this.expect('Name').value
  }

  // ---- executable documents ----

  queryDocument(): Node {
    const operations: Node[] = []
    const fragments: Node[] = []
    while (this.peek().kind !== '<EOF>') {
      const t = this.peek()
      if (t.kind === 'Name') {
        if (t.value === 'query' || t.value === 'mutation' || t.value === 'subscription') operations.push(this.operationDefinition())
        else if (t.value === 'fragment') fragments.push(this.fragmentDefinition())
        else this.unexpected()
      } else if (t.kind === '{') {
        operations.push(this.operationDefinition())
      } else {
        this.unexpected()
      }
    }
    return { Operations: operations, Fragments: fragments }
  }

  private operationDefinition(): Node {
    if (this.peek().kind === '{') {
      return { Operation: 'query', Name: '', SelectionSet: this.requiredSelectionSet() }
    }
    const op = this.operationType()
    const name = this.peek().kind === 'Name' ? this.next().value : ''
    return {
      Operation: op,
      Name: name,
      VariableDefinitions: this.variableDefinitions(),
      Directives: this.directives(false),
      SelectionSet: this.requiredSelectionSet(),
    }
  }

  private operationType(): string {
    const t = this.next()
    if (t.value === 'query' || t.value === 'mutation' || t.value === 'subscription') return t.value
    this.unexpected(t)
  }

  private variableDefinitions(): Node[] {
    const defs: Node[] = []
    this.many('(', ')', () => {
      const variable = this.variable()
      this.expect(':')
      const type = this.typeReference()
      const def: Node = { Variable: variable, Type: type, Used: false }
      if (this.skip('=')) def.DefaultValue = this.valueLiteral(true)
      def.Directives = this.directives(false)
      defs.push(def)
    })
    return defs
  }

  private variable(): string {
    this.expect('$')
    return this.name()
  }

  private requiredSelectionSet(): Node[] {
    const t = this.peek()
    if (t.kind !== '{') this.fail(t, `Expected {, found ${t.kind}`)
    const sel: Node[] = []
    this.some('{', '}', () => sel.push(this.selection()))
    return sel
  }

  private selection(): Node {
    return this.peek().kind === '...' ? this.fragment() : this.field()
  }

  private field(): Node {
    const alias = this.name()
    const name = this.skip(':') ? this.name() : alias
    const field: Node = { Alias: alias, Name: name, Arguments: this.arguments(false), Directives: this.directives(false) }
    if (this.peek().kind === '{') {
      const sel: Node[] = []
      this.some('{', '}', () => sel.push(this.selection()))
      field.SelectionSet = sel
    }
    return field
  }

  private arguments(isConst: boolean): Node[] {
    const args: Node[] = []
    this.many('(', ')', () => {
      const name = this.name()
      this.expect(':')
      args.push({ Name: name, Value: this.valueLiteral(isConst) })
    })
    return args
  }

  private fragment(): Node {
    this.expect('...')
    const t = this.peek()
    if (t.kind === 'Name' && t.value !== 'on') {
      return { Name: this.fragmentName(), Directives: this.directives(false) }
    }
    let typeCondition = ''
    if (this.peek().value === 'on') {
      this.next()
      typeCondition = this.name()
    }
    return { TypeCondition: typeCondition, Directives: this.directives(false), SelectionSet: this.requiredSelectionSet() }
  }

  private fragmentDefinition(): Node {
    this.expectKeyword('fragment')
    const name = this.fragmentName()
    // gqlparser accepts legacy fragment variables and names the field in the singular.
    const vars = this.variableDefinitions()
    this.expectKeyword('on')
    const typeCondition = this.name()
    return {
      Name: name,
      VariableDefinition: vars,
      TypeCondition: typeCondition,
      Directives: this.directives(false),
      SelectionSet: this.requiredSelectionSet(),
    }
  }

  private fragmentName(): string {
    if (this.peek().value === 'on') this.unexpected()
    return this.name()
  }

  private valueLiteral(isConst: boolean): Node {
    const t = this.peek()
    let kind: number
    switch (t.kind) {
      case '[': {
        const children: Node[] = []
        this.many('[', ']', () => children.push({ Name: '', Value: this.valueLiteral(isConst) }))
        return { Raw: '', Children: children, Kind: VALUE_KIND.List, ExpectedTypeHasDefault: false }
      }
      case '{': {
        const children: Node[] = []
        this.many('{', '}', () => {
          const name = this.name()
          this.expect(':')
          children.push({ Name: name, Value: this.valueLiteral(isConst) })
        })
        return { Raw: '', Children: children, Kind: VALUE_KIND.Object, ExpectedTypeHasDefault: false }
      }
      case '$':
        if (isConst) this.unexpected()
        return { Raw: this.variable(), Kind: VALUE_KIND.Variable, ExpectedTypeHasDefault: false }
      case 'Int':
        kind = VALUE_KIND.Int
        break
      case 'Float':
        kind = VALUE_KIND.Float
        break
      case 'String':
        kind = VALUE_KIND.String
        break
      case 'BlockString':
        kind = VALUE_KIND.Block
        break
      case 'Name':
        kind = t.value === 'true' || t.value === 'false' ? VALUE_KIND.Boolean : t.value === 'null' ? VALUE_KIND.Null : VALUE_KIND.Enum
        break
      default:
        this.unexpected()
    }
    this.next()
    return { Raw: t.value, Kind: kind, ExpectedTypeHasDefault: false }
  }

  private directives(isConst: boolean): Node[] {
    const out: Node[] = []
    while (this.peek().kind === '@') {
      this.expect('@')
      const name = this.name()
      out.push({ Name: name, Arguments: this.arguments(isConst), Location: '' })
    }
    return out
  }

  private typeReference(): Node {
    const type: Node = {}
    if (this.skip('[')) {
      type.Elem = this.typeReference()
      type.NamedType = ''
      this.expect(']')
    } else {
      type.NamedType = this.name()
    }
    type.NonNull = this.skip('!')
    return type
  }

  // ---- schema documents ----

  schemaDocument(): Node {
    const doc = { Schema: [] as Node[], SchemaExtension: [] as Node[], Directives: [] as Node[], Definitions: [] as Node[], Extensions: [] as Node[] }
    while (this.peek().kind !== '<EOF>') {
      let description = ''
      if (this.peek().kind === 'BlockString' || this.peek().kind === 'String') description = this.next().value
      const t = this.peek()
      if (t.kind !== 'Name') this.unexpected()
      switch (t.value) {
        case 'scalar':
        case 'type':
        case 'interface':
        case 'union':
        case 'enum':
        case 'input':
          doc.Definitions.push(this.typeDefinition(description, false))
          break
        case 'schema': {
          this.expectKeyword('schema')
          const def: Node = { Description: description, Directives: this.directives(true), OperationTypes: [] }
          this.some('{', '}', () => (def.OperationTypes as Node[]).push(this.operationTypeDefinition()))
          doc.Schema.push(def)
          break
        }
        case 'directive':
          doc.Directives.push(this.directiveDefinition(description))
          break
        case 'extend':
          if (description !== '') this.unexpected(this.prev)
          this.extension(doc)
          break
        default:
          this.unexpected()
      }
    }
    return doc
  }

  private operationTypeDefinition(): Node {
    const op = this.operationType()
    this.expect(':')
    return { Operation: op, Type: this.name() }
  }

  private description(): string {
    const t = this.peek()
    return t.kind === 'BlockString' || t.kind === 'String' ? this.next().value : ''
  }

  private typeDefinition(description: string, extension: boolean): Node {
    const keyword = this.peek().value
    this.expectKeyword(keyword)
    const def: Node = { Kind: '', Description: description, Name: this.name(), BuiltIn: false }
    switch (keyword) {
      case 'scalar':
        def.Kind = 'SCALAR'
        def.Directives = this.directives(true)
        if (extension && (def.Directives as Node[]).length === 0) this.unexpected()
        break
      case 'type':
      case 'interface':
        def.Kind = keyword === 'type' ? 'OBJECT' : 'INTERFACE'
        // gqlparser's interface extensions take no `implements` clause.
        def.Interfaces = keyword === 'type' || !extension ? this.implementsInterfaces() : []
        def.Directives = this.directives(true)
        def.Fields = this.fieldsDefinition(false)
        if (extension && isEmpty(def.Interfaces) && isEmpty(def.Directives) && isEmpty(def.Fields)) this.unexpected()
        break
      case 'union':
        def.Kind = 'UNION'
        def.Directives = this.directives(true)
        def.Types = this.unionMembers()
        if (extension && isEmpty(def.Directives) && isEmpty(def.Types)) this.unexpected()
        break
      case 'enum': {
        def.Kind = 'ENUM'
        def.Directives = this.directives(true)
        const values: Node[] = []
        this.some('{', '}', () => {
          const d = this.description()
          values.push({ Description: d, Name: this.name(), Directives: this.directives(true) })
        })
        def.EnumValues = values
        if (extension && isEmpty(def.Directives) && isEmpty(def.EnumValues)) this.unexpected()
        break
      }
      case 'input':
        def.Kind = 'INPUT_OBJECT'
        def.Directives = this.directives(!extension)
        def.Fields = this.fieldsDefinition(true)
        if (extension && isEmpty(def.Directives) && isEmpty(def.Fields)) this.unexpected()
        break
      default:
        this.unexpected()
    }
    return def
  }

  private implementsInterfaces(): string[] {
    const types: string[] = []
    if (this.peek().value === 'implements') {
      this.next()
      this.skip('&')
      types.push(this.name())
      while (this.skip('&')) types.push(this.name())
    }
    return types
  }

  private unionMembers(): string[] {
    const types: string[] = []
    if (this.skip('=')) {
      this.skip('|')
      types.push(this.name())
      while (this.skip('|')) types.push(this.name())
    }
    return types
  }

  private fieldsDefinition(input: boolean): Node[] {
    const fields: Node[] = []
    this.some('{', '}', () => {
      const f: Node = { Description: this.description(), Name: this.name() }
      if (!input) f.Arguments = this.argumentDefs()
      this.expect(':')
      f.Type = this.typeReference()
      if (input && this.skip('=')) f.DefaultValue = this.valueLiteral(true)
      f.Directives = this.directives(true)
      fields.push(f)
    })
    return fields
  }

  private argumentDefs(): Node[] {
    const args: Node[] = []
    this.some('(', ')', () => {
      const a: Node = { Description: this.description(), Name: this.name() }
      this.expect(':')
      a.Type = this.typeReference()
      if (this.skip('=')) a.DefaultValue = this.valueLiteral(true)
      a.Directives = this.directives(true)
      args.push(a)
    })
    return args
  }

  private extension(doc: { SchemaExtension: Node[]; Extensions: Node[] }): void {
    this.expectKeyword('extend')
    const kw = this.peek().value
    if (kw === 'schema') {
      this.expectKeyword('schema')
      const def: Node = { Description: '', Directives: this.directives(true), OperationTypes: [] }
      this.some('{', '}', () => (def.OperationTypes as Node[]).push(this.operationTypeDefinition()))
      if (isEmpty(def.Directives) && isEmpty(def.OperationTypes)) this.unexpected()
      doc.SchemaExtension.push(def)
      return
    }
    if (!['scalar', 'type', 'interface', 'union', 'enum', 'input'].includes(kw)) this.unexpected()
    doc.Extensions.push(this.typeDefinition('', true))
  }

  private directiveDefinition(description: string): Node {
    this.expectKeyword('directive')
    this.expect('@')
    const def: Node = { Description: description, Name: this.name(), Arguments: this.argumentDefs(), IsRepeatable: false }
    const t = this.peek()
    if (t.kind === 'Name' && t.value === 'repeatable') {
      def.IsRepeatable = true
      this.next()
    }
    this.expectKeyword('on')
    this.skip('|')
    const locations = [this.directiveLocation()]
    while (this.skip('|')) locations.push(this.directiveLocation())
    def.Locations = locations
    return def
  }

  private directiveLocation(): string {
    const t = this.expect('Name')
    if (DIRECTIVE_LOCATIONS.has(t.value)) return t.value
    this.unexpected(t)
  }
}

function isEmpty(x: unknown): boolean {
  return !Array.isArray(x) || x.length === 0
}

/** Parses an executable document (queries, mutations, subscriptions, fragments). */
export function parseQueryDocument(source: string): Node {
  return new Parser(source).queryDocument()
}

/** Parses a schema (SDL) document, without gqlparser's built-in prelude. */
export function parseSchemaDocument(source: string): Node {
  return new Parser(source).schemaDocument()
}
