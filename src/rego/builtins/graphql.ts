/**
 * graphql.* builtins. Parsing follows gqlparser (see graphql-parse.ts) so that ASTs and syntax
 * errors match OPA; schema and query validation run on graphql-js, whose rules gqlparser ports,
 * with gqlparser's leniencies applied first (extending an undefined type defines it, and a
 * schema need not have a query root).
 */
import {
  GraphQLError,
  Kind,
  buildASTSchema,
  parse as gqlParse,
  specifiedRules,
  validate as gqlValidate,
  validateSchema,
  type GraphQLSchema,
} from 'graphql'
import { RegoObject, toJSON, typeName, type Value } from '../value.js'
import { GraphQLSyntaxError, parseQueryDocument, parseSchemaDocument, VALUE_KIND, type Node } from './graphql-parse.js'
import type { BuiltinDef } from './types.js'
import { BuiltinError } from './types.js'
import { str } from './args.js'

// ---- AST <-> Rego ----

/**
 * Converts a parsed node into a Rego value, dropping what OPA prunes from gqlparser's AST:
 * null fields, empty arrays and empty objects (recursively). Empty strings and `false` stay.
 */
function toRegoAST(x: unknown): Value | undefined {
  if (x === null || x === undefined) return undefined
  if (Array.isArray(x)) {
    const out: Value[] = []
    for (const e of x) {
      const v = toRegoAST(e)
      if (v === undefined) continue
      if ((Array.isArray(v) && v.length === 0) || (v instanceof RegoObject && v.size === 0)) continue
      out.push(v)
    }
    return out
  }
  if (typeof x === 'object') {
    const o = new RegoObject()
    for (const [k, e] of Object.entries(x as Node)) {
      const v = toRegoAST(e)
      if (v === undefined) continue
      if ((Array.isArray(v) && v.length === 0) || (v instanceof RegoObject && v.size === 0)) continue
      o.set(k, v)
    }
    return o
  }
  return x as Value
}

function astValue(node: Node): Value {
  return toRegoAST(node) ?? new RegoObject()
}

class InputError extends Error {}

/** A query or schema operand: a GraphQL string, or an AST object as the parse builtins return. */
interface Doc {
  ast: Node
  /** The original text, when given as a string (for graphql-js and error positions). */
  source?: string
}

function syntaxMessage(e: GraphQLSyntaxError): string {
  return `${e.message} in GraphQL string at location ${e.line}:${e.column}`
}

function operand(args: Value[], i: number, parseFn: (s: string) => Node): Doc {
  const v = args[i]
  if (typeof v === 'string') {
    try {
      return { ast: parseFn(v), source: v }
    } catch (e) {
      if (e instanceof GraphQLSyntaxError) throw new BuiltinError(syntaxMessage(e))
      throw e
    }
  }
  if (v instanceof RegoObject) return { ast: toJSON(v) as Node }
  throw new BuiltinError(`operand ${i + 1} must be one of {string, object} but got ${typeName(v)}`, 'eval_type_error')
}

// ---- printing an AST back to GraphQL text (for AST operands and normalised schemas) ----

const list = (x: unknown): Node[] => (Array.isArray(x) ? (x as Node[]) : [])
const text = (x: unknown): string => (typeof x === 'string' ? x : '')

function printValue(v: unknown): string {
  if (!v || typeof v !== 'object') throw new InputError('value node must be an object')
  const n = v as Node
  const raw = text(n.Raw)
  switch (n.Kind) {
    case VALUE_KIND.Variable:
      return '$' + raw
    case VALUE_KIND.String:
    case VALUE_KIND.Block:
      return JSON.stringify(raw)
    case VALUE_KIND.List:
      return '[' + list(n.Children).map((c) => printValue(c.Value)).join(', ') + ']'
    case VALUE_KIND.Object:
      return '{' + list(n.Children).map((c) => `${text(c.Name)}: ${printValue(c.Value)}`).join(', ') + '}'
    case VALUE_KIND.Int:
    case VALUE_KIND.Float:
    case VALUE_KIND.Boolean:
    case VALUE_KIND.Null:
    case VALUE_KIND.Enum:
      return raw
    default:
      throw new InputError(`unknown value kind ${JSON.stringify(n.Kind)}`)
  }
}

function printType(t: unknown): string {
  if (!t || typeof t !== 'object') throw new InputError('type node must be an object')
  const n = t as Node
  const base = n.Elem ? `[${printType(n.Elem)}]` : text(n.NamedType)
  return base + (n.NonNull === true ? '!' : '')
}

function printArgs(args: unknown): string {
  const a = list(args)
  return a.length ? '(' + a.map((x) => `${text(x.Name)}: ${printValue(x.Value)}`).join(', ') + ')' : ''
}

function printDirectives(ds: unknown): string {
  return list(ds)
    .map((d) => ` @${text(d.Name)}${printArgs(d.Arguments)}`)
    .join('')
}

function printVarDefs(vs: unknown): string {
  const v = list(vs)
  if (!v.length) return ''
  const one = (d: Node): string =>
    `$${text(d.Variable)}: ${printType(d.Type)}${d.DefaultValue ? ' = ' + printValue(d.DefaultValue) : ''}${printDirectives(d.Directives)}`
  return '(' + v.map(one).join(', ') + ')'
}

function printSelectionSet(sel: unknown): string {
  return '{ ' + list(sel).map(printSelection).join(' ') + ' }'
}

function printSelection(s: Node): string {
  if ('TypeCondition' in s) {
    const tc = text(s.TypeCondition)
    return `...${tc ? ' on ' + tc : ''}${printDirectives(s.Directives)} ${printSelectionSet(s.SelectionSet)}`
  }
  if ('Alias' in s || 'SelectionSet' in s || 'Arguments' in s) {
    const name = text(s.Name)
    const alias = text(s.Alias)
    const sub = list(s.SelectionSet).length ? ' ' + printSelectionSet(s.SelectionSet) : ''
    return `${alias && alias !== name ? alias + ': ' : ''}${name}${printArgs(s.Arguments)}${printDirectives(s.Directives)}${sub}`
  }
  return `...${text(s.Name)}${printDirectives(s.Directives)}`
}

function printQuery(doc: Node): string {
  const parts: string[] = []
  for (const op of list(doc.Operations)) {
    parts.push(`${text(op.Operation) || 'query'} ${text(op.Name)}${printVarDefs(op.VariableDefinitions)}${printDirectives(op.Directives)} ${printSelectionSet(op.SelectionSet)}`)
  }
  for (const f of list(doc.Fragments)) {
    parts.push(`fragment ${text(f.Name)}${printVarDefs(f.VariableDefinition)} on ${text(f.TypeCondition)}${printDirectives(f.Directives)} ${printSelectionSet(f.SelectionSet)}`)
  }
  return parts.join('\n')
}

const KEYWORD: Record<string, string> = { SCALAR: 'scalar', OBJECT: 'type', INTERFACE: 'interface', UNION: 'union', ENUM: 'enum', INPUT_OBJECT: 'input' }

function printDescription(d: unknown): string {
  return text(d) ? JSON.stringify(d) + ' ' : ''
}

function printInputValue(a: Node): string {
  return `${printDescription(a.Description)}${text(a.Name)}: ${printType(a.Type)}${a.DefaultValue ? ' = ' + printValue(a.DefaultValue) : ''}${printDirectives(a.Directives)}`
}

function printDefinition(def: Node, extend: boolean): string {
  const kw = KEYWORD[text(def.Kind)]
  if (!kw) throw new InputError(`unknown definition kind ${JSON.stringify(def.Kind)}`)
  let out = `${extend ? 'extend ' : printDescription(def.Description)}${kw} ${text(def.Name)}`
  const ifaces = list(def.Interfaces) as unknown as string[]
  if ((kw === 'type' || kw === 'interface') && ifaces.length) out += ' implements ' + ifaces.join(' & ')
  out += printDirectives(def.Directives)
  const fields = list(def.Fields)
  if (kw === 'type' || kw === 'interface') {
    const one = (f: Node): string => {
      const args = list(f.Arguments)
      return `${printDescription(f.Description)}${text(f.Name)}${args.length ? '(' + args.map(printInputValue).join(', ') + ')' : ''}: ${printType(f.Type)}${printDirectives(f.Directives)}`
    }
    if (fields.length) out += ' { ' + fields.map(one).join(' ') + ' }'
  } else if (kw === 'input') {
    if (fields.length) out += ' { ' + fields.map(printInputValue).join(' ') + ' }'
  } else if (kw === 'union') {
    const types = list(def.Types) as unknown as string[]
    if (types.length) out += ' = ' + types.join(' | ')
  } else if (kw === 'enum') {
    const values = list(def.EnumValues)
    if (values.length) out += ' { ' + values.map((v) => `${printDescription(v.Description)}${text(v.Name)}${printDirectives(v.Directives)}`).join(' ') + ' }'
  }
  return out
}

function printSchemaDef(s: Node, extend: boolean): string {
  const ops = list(s.OperationTypes)
  const body = ops.length ? ' { ' + ops.map((o) => `${text(o.Operation)}: ${text(o.Type)}`).join(' ') + ' }' : ''
  return `${extend ? 'extend ' : printDescription(s.Description)}schema${printDirectives(s.Directives)}${body}`
}

/**
 * The SDL graphql-js should build: gqlparser's leniency applied, namely that extending a type
 * no definition introduces creates it (federation schemas rely on this).
 */
function normalisedSDL(doc: Node): string {
  const parts: string[] = []
  for (const s of list(doc.Schema)) parts.push(printSchemaDef(s, false))
  for (const s of list(doc.SchemaExtension)) parts.push(printSchemaDef(s, true))
  for (const d of list(doc.Directives)) {
    const args = list(d.Arguments)
    const locs = list(d.Locations) as unknown as string[]
    parts.push(`${printDescription(d.Description)}directive @${text(d.Name)}${args.length ? '(' + args.map(printInputValue).join(', ') + ')' : ''}${d.IsRepeatable === true ? ' repeatable' : ''} on ${locs.join(' | ')}`)
  }
  const defined = new Set(list(doc.Definitions).map((d) => text(d.Name)))
  for (const d of list(doc.Definitions)) parts.push(printDefinition(d, false))
  for (const e of list(doc.Extensions)) {
    const name = text(e.Name)
    parts.push(printDefinition(e, defined.has(name)))
    defined.add(name)
  }
  return parts.join('\n')
}

// gqlparser does not require a query root; graphql-js reports its absence, which we ignore.
const NO_QUERY_ROOT = 'Query root type must be provided.'

const schemaCache = new Map<string, GraphQLSchema | string>()

/** Builds and validates a schema; returns the schema or the first problem found. */
function buildSchema(doc: Node): GraphQLSchema | string {
  let sdl: string
  try {
    sdl = normalisedSDL(doc)
  } catch (e) {
    if (e instanceof InputError) return e.message
    throw e
  }
  const cached = schemaCache.get(sdl)
  if (cached !== undefined) return cached
  let result: GraphQLSchema | string
  try {
    const schema = buildASTSchema(gqlParse(sdl, { noLocation: true }))
    const problems = validateSchema(schema).filter((e) => e.message !== NO_QUERY_ROOT)
    // Record the filtered verdict so that graphql-js's validate() accepts a schema without a
    // query root; operations are checked against the roots that exist in validateQuery.
    schema.__validationErrors = problems
    result = problems.length ? problems[0].message : schema
  } catch (e) {
    if (!(e instanceof Error)) throw e
    result = e.message
  }
  if (schemaCache.size >= 32) schemaCache.delete(schemaCache.keys().next().value as string)
  schemaCache.set(sdl, result)
  return result
}

/** Validates a query against a schema; returns an OPA-style message for the first error, if any. */
function validateQuery(schema: GraphQLSchema, q: Doc): string | undefined {
  if (list(q.ast.Operations).length === 0 && list(q.ast.Fragments).length === 0) return undefined
  let document
  let printed = false
  try {
    document = gqlParse(q.source ?? printQuery(q.ast), { allowLegacyFragmentVariables: true })
  } catch (e) {
    if (e instanceof InputError) return e.message
    if (!(e instanceof GraphQLError) || q.source === undefined) throw e
    // Our parser accepted what graphql-js rejects: validate a canonical rendering instead.
    document = gqlParse(printQuery(q.ast), { allowLegacyFragmentVariables: true })
    printed = true
  }
  const errors: GraphQLError[] = []
  for (const def of document.definitions) {
    if (def.kind === Kind.OPERATION_DEFINITION && !schema.getRootType(def.operation)) {
      errors.push(new GraphQLError(`Schema does not support operation type "${def.operation}"`, { nodes: def }))
    }
  }
  errors.push(...gqlValidate(schema, document, specifiedRules))
  if (!errors.length) return undefined
  const err = errors[0]
  const msg = err.message.replace(/\.$/, '')
  const loc = err.locations?.[0]
  return loc && !printed && q.source !== undefined ? `${msg} in GraphQL string at location ${loc.line}:${loc.column}` : msg
}

// ---- builtins ----

function parseBoth(args: Value[]): { query: Doc; schema: Doc } {
  return { query: operand(args, 0, parseQueryDocument), schema: operand(args, 1, parseSchemaDocument) }
}

/** Parses and validates; throws a BuiltinError naming the first problem. */
function verified(args: Value[]): { query: Doc; schema: Doc } {
  const docs = parseBoth(args)
  const schema = buildSchema(docs.schema.ast)
  if (typeof schema === 'string') throw new BuiltinError(`Error in gqlparser SchemaDocument to Schema conversion: ${schema}`)
  let problem: string | undefined
  try {
    problem = validateQuery(schema, docs.query)
  } catch (e) {
    if (e instanceof Error) problem = e.message
    else throw e
  }
  if (problem !== undefined) throw new BuiltinError(problem)
  return docs
}

function holds(fn: () => unknown): boolean {
  try {
    fn()
    return true
  } catch (e) {
    if (e instanceof BuiltinError || e instanceof InputError) return false
    throw e
  }
}

const QS = 'object[any:any]|string'

export const builtins: BuiltinDef[] = [
  {
    name: 'graphql.parse_query',
    args: ['string'],
    result: 'object[any:any]',
    impl: (args) => operandAST(str(args, 0), parseQueryDocument),
  },
  {
    name: 'graphql.parse_schema',
    args: ['string'],
    result: 'object[any:any]',
    impl: (args) => operandAST(str(args, 0), parseSchemaDocument),
  },
  {
    name: 'graphql.parse',
    args: [QS, QS],
    result: 'array[object[any:any]]',
    impl: (args) => {
      const { query, schema } = verified(args)
      return [astValue(query.ast), astValue(schema.ast)]
    },
  },
  {
    name: 'graphql.parse_and_verify',
    args: [QS, QS],
    result: 'array[any]',
    impl: (args) => {
      let docs: { query: Doc; schema: Doc } | undefined
      if (!holds(() => (docs = verified(args))) || !docs) return [false, new RegoObject(), new RegoObject()]
      return [true, astValue(docs.query.ast), astValue(docs.schema.ast)]
    },
  },
  {
    name: 'graphql.is_valid',
    args: [QS, QS],
    result: 'boolean',
    impl: (args) => holds(() => verified(args)),
  },
  {
    name: 'graphql.schema_is_valid',
    args: [QS],
    result: 'boolean',
    impl: (args) =>
      holds(() => {
        const schema = buildSchema(operand(args, 0, parseSchemaDocument).ast)
        if (typeof schema === 'string') throw new BuiltinError(schema)
      }),
  },
]

function operandAST(source: string, parseFn: (s: string) => Node): Value {
  try {
    return astValue(parseFn(source))
  } catch (e) {
    if (e instanceof GraphQLSyntaxError) throw new BuiltinError(syntaxMessage(e))
    throw e
  }
}
