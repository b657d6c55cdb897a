import { describe, expect, test } from '@jest/globals'
import { builtins } from '../../../src/rego/builtins/graphql.js'
import { caller } from './support.js'
import { fromJSON, toJSON, type Value } from '../../../src/rego/value.js'

const call = caller(builtins)
const json = (v: Value | undefined): unknown => (v === undefined ? undefined : toJSON(v))

const schema = `
  type Query { hero(episode: Episode!): Character }
  enum Episode { NEWHOPE EMPIRE }
  type Character { id: ID! name: String friends: [Character] }
`

describe('graphql.parse_query', () => {
  test('returns the AST in gqlparser shape, pruned like OPA', () => {
    expect(json(call('graphql.parse_query', 'query q($e: Episode! = EMPIRE) { h: hero(episode: $e) { name ... on Character { id } } }'))).toEqual({
      Operations: [
        {
          Name: 'q',
          Operation: 'query',
          VariableDefinitions: [
            {
              Variable: 'e',
              Type: { NamedType: 'Episode', NonNull: true },
              DefaultValue: { Raw: 'EMPIRE', Kind: 7, ExpectedTypeHasDefault: false },
              Used: false,
            },
          ],
          SelectionSet: [
            {
              Alias: 'h',
              Name: 'hero',
              Arguments: [{ Name: 'episode', Value: { Raw: 'e', Kind: 0, ExpectedTypeHasDefault: false } }],
              SelectionSet: [
                { Alias: 'name', Name: 'name' },
                { TypeCondition: 'Character', SelectionSet: [{ Alias: 'id', Name: 'id' }] },
              ],
            },
          ],
        },
      ],
    })
  })
  test('block strings are dedented and lists keep unnamed children', () => {
    const ast = json(call('graphql.parse_query', '{ f(a: """\n    x\n      y\n  """, b: [1, 2.5]) }')) as any
    const args = ast.Operations[0].SelectionSet[0].Arguments
    expect(args[0].Value).toEqual({ Raw: 'x\n  y', Kind: 4, ExpectedTypeHasDefault: false })
    expect(args[1].Value.Children.map((c: any) => [c.Name, c.Value.Kind, c.Value.Raw])).toEqual([
      ['', 1, '1'],
      ['', 2, '2.5'],
    ])
  })
  test('syntax errors carry gqlparser messages and positions', () => {
    expect(() => call('graphql.parse_query', '{')).toThrow('Expected Name, found <EOF> in GraphQL string at location 1:2')
    expect(() => call('graphql.parse_query', '\n{ ...MissingOn }\nfragment MissingOn Type')).toThrow(
      'Expected "on", found Name "Type" in GraphQL string at location 3:20'
    )
    expect(() => call('graphql.parse_query', '{ f(a: "x)')).toThrow('Unexpected <Invalid> in GraphQL string at location 1:11')
    expect(() => call('graphql.parse_query', 42)).toThrow(/operand 1 must be string/)
  })
})

describe('graphql.parse_schema', () => {
  test('definitions, extensions and directives', () => {
    expect(json(call('graphql.parse_schema', 'extend type A implements B\ndirective @d repeatable on FIELD | QUERY\nunion U = | X | Y'))).toEqual({
      Extensions: [{ BuiltIn: false, Description: '', Interfaces: ['B'], Kind: 'OBJECT', Name: 'A' }],
      Directives: [{ Description: '', IsRepeatable: true, Locations: ['FIELD', 'QUERY'], Name: 'd' }],
      Definitions: [{ BuiltIn: false, Description: '', Kind: 'UNION', Name: 'U', Types: ['X', 'Y'] }],
    })
  })
  test('empty bodies and bad locations are syntax errors', () => {
    expect(() => call('graphql.parse_schema', 'type Hello {}')).toThrow('expected at least one definition, found } in GraphQL string at location 1:13')
    expect(() => call('graphql.parse_schema', 'directive @foo on FIELD | NOPE')).toThrow('Unexpected Name "NOPE"')
    expect(() => call('graphql.parse_schema', '"d" extend type A { b: Int }')).toThrow('Unexpected String "d" in GraphQL string at location 1:2')
  })
})

describe('validation', () => {
  test('is_valid checks the query against the schema', () => {
    expect(call('graphql.is_valid', '{ hero(episode: EMPIRE) { name } }', schema)).toBe(true)
    expect(call('graphql.is_valid', '{ hero { name } }', schema)).toBe(false)
    expect(call('graphql.is_valid', '{ hero(episode: EMPIRE) { nope } }', schema)).toBe(false)
    expect(call('graphql.is_valid', '{ hero(', schema)).toBe(false)
    expect(call('graphql.is_valid', 1, schema)).toBe(false)
  })
  test('parse reports the first validation error with its position; parse_and_verify reports false', () => {
    expect(() => call('graphql.parse', '\n{ hero { name } }', schema)).toThrow(
      'Field "hero" argument "episode" of type "Episode!" is required, but it was not provided in GraphQL string at location 2:3'
    )
    expect(json(call('graphql.parse_and_verify', '{ hero { name } }', schema))).toEqual([false, {}, {}])
    const [ok, q] = json(call('graphql.parse_and_verify', '{ hero(episode: EMPIRE) { id } }', schema)) as [boolean, any]
    expect(ok).toBe(true)
    expect(q.Operations[0].SelectionSet[0].Name).toBe('hero')
  })
  test('AST objects are accepted in place of strings', () => {
    const q = call('graphql.parse_query', '{ hero(episode: NEWHOPE) { friends { name } } }') as Value
    const s = call('graphql.parse_schema', schema) as Value
    expect(call('graphql.is_valid', q, s)).toBe(true)
    const bad = fromJSON({ Operations: [{ Operation: 'query', SelectionSet: [{ Alias: 'hero', Name: 'hero', SelectionSet: [{ Alias: 'x', Name: 'x' }] }] }] })
    expect(call('graphql.is_valid', bad, s)).toBe(false)
  })
  test('schema_is_valid follows gqlparser: extending undefined types defines them, no query root needed', () => {
    expect(call('graphql.schema_is_valid', 'extend type User { id: ID! }\nunion E = User\nextend type Query { e: E }')).toBe(true)
    expect(call('graphql.schema_is_valid', 'enum E { A }')).toBe(true)
    expect(call('graphql.schema_is_valid', 'type Hello implements World { f: String }')).toBe(false)
    expect(call('graphql.schema_is_valid', 'schema { query: Query }')).toBe(false)
    expect(call('graphql.schema_is_valid', 'type P { f: Int }\ninput I { p: P }')).toBe(false)
  })
})

describe('root operation types', () => {
  test('a schema without a query root still validates mutations, and queries against it fail', () => {
    const s = 'type Mutation { x: Int }'
    expect(call('graphql.schema_is_valid', s)).toBe(true)
    expect(call('graphql.is_valid', 'mutation { x }', s)).toBe(true)
    expect(call('graphql.is_valid', '{ x }', s)).toBe(false)
    expect(() => call('graphql.parse', '{ x }', s)).toThrow('Schema does not support operation type "query" in GraphQL string at location 1:1')
  })
})
