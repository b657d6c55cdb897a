import { describe, expect, it } from '@jest/globals'
import { parseModule, parseQuery, parseTerm } from '../../src/rego/parser.js'
import { RegoErrors } from '../../src/rego/errors.js'
import type { Term } from '../../src/rego/ast.js'

/** The AST without locations and back-links, for structural comparison. */
function strip<T>(x: T): unknown {
  return JSON.parse(JSON.stringify(x, (k, v) => (k === 'loc' || k === 'module' || k === 'packageLoc' ? undefined : v)))
}
const v = (name: string) => ({ type: 'var', name })
const s = (value: string) => ({ type: 'string', value })
const n = (value: number) => ({ type: 'number', value, text: String(value) })
const call = (fn: string, args: unknown[], operator?: string) => (operator ? { type: 'call', fn, args, operator } : { type: 'call', fn, args })

function parseErr(src: string): RegoErrors {
  try {
    parseModule('p.rego', src)
  } catch (e) {
    expect(e).toBeInstanceOf(RegoErrors)
    return e as RegoErrors
  }
  throw new Error('expected a parse error')
}

describe('parseTerm', () => {
  it('follows OPA precedence: in < comparison < | < & < + - < * / %', () => {
    expect(strip(parseTerm('1 + 2 * 3 == 7'))).toEqual(call('equal', [call('plus', [n(1), call('mul', [n(2), n(3)], '*')], '+'), n(7)], '=='))
    expect(strip(parseTerm('a | b & c'))).toEqual(call('or', [v('a'), call('and', [v('b'), v('c')], '&')], '|'))
    expect(strip(parseTerm('x == a | b'))).toEqual(call('equal', [v('x'), call('or', [v('a'), v('b')], '|')], '=='))
    expect(strip(parseTerm('1 - 2 - 3'))).toEqual(call('minus', [call('minus', [n(1), n(2)], '-'), n(3)], '-'))
    expect(strip(parseTerm('x in xs'))).toEqual(call('internal.member_2', [v('x'), v('xs')], 'in'))
    expect(strip(parseTerm('k, v in xs'))).toEqual(call('internal.member_3', [v('k'), v('v'), v('xs')], 'in'))
  })

  it('tells sets, empty objects, set() and comprehensions apart', () => {
    expect(strip(parseTerm('{}'))).toEqual({ type: 'object', items: [] })
    expect(strip(parseTerm('set()'))).toEqual({ type: 'set', items: [] })
    expect(strip(parseTerm('{1}'))).toEqual({ type: 'set', items: [n(1)] })
    expect(strip(parseTerm('{"a": 1,}'))).toEqual({ type: 'object', items: [[s('a'), n(1)]] })
    expect((parseTerm('{x | x = 1}') as Term).type).toBe('setcomp')
    expect((parseTerm('{k: v | k = 1; v = 2}') as Term).type).toBe('objectcomp')
    expect((parseTerm('[x | x = 1]') as Term).type).toBe('arraycomp')
    // As in OPA, a single term before `|` makes a comprehension, unless its body stops at a comma.
    expect(strip(parseTerm('{(a | b), c}'))).toEqual({ type: 'set', items: [call('or', [v('a'), v('b')], '|'), v('c')] })
    expect(strip(parseTerm('{a | b, c}'))).toEqual({ type: 'set', items: [call('or', [v('a'), v('b')], '|'), v('c')] })
    expect(strip(parseTerm('[a | b, c]'))).toEqual({ type: 'array', items: [call('or', [v('a'), v('b')], '|'), v('c')] })
    expect((parseTerm('{a + 1: b | b = 1}') as Term).type).toBe('objectcomp')
    expect(strip(parseTerm('{, 1}'))).toEqual({ type: 'set', items: [n(1)] })
  })

  it('builds references only from adjacent operands and turns calls into call terms', () => {
    expect(strip(parseTerm('input.a[x].b'))).toEqual({ type: 'ref', head: v('input'), path: [s('a'), v('x'), s('b')] })
    expect(strip(parseTerm('data'))).toEqual({ type: 'ref', head: v('data'), path: [] })
    expect(strip(parseTerm('data.lib.f(1).y'))).toEqual({ type: 'ref', head: call('data.lib.f', [n(1)]), path: [s('y')] })
    expect(strip(parseTerm('input.in.not'))).toEqual({ type: 'ref', head: v('input'), path: [s('in'), s('not')] })
    expect(strip(parseTerm('contains("abc", "b")'))).toEqual(call('contains', [s('abc'), s('b')]))
  })

  it('reads strings, raw strings, numbers and template strings', () => {
    expect(strip(parseTerm('"a\\u00e9\\n\\"\\ud83d\\ude00"'))).toEqual(s('aé\n"😀'))
    expect(strip(parseTerm('`a\\n`'))).toEqual({ type: 'string', value: 'a\\n', raw: true })
    expect(strip(parseTerm('-1.5e3'))).toEqual({ type: 'number', value: -1500, text: '-1.5e3' })
    expect(strip(parseTerm('12345678901234567890'))).toMatchObject({ type: 'number', text: '12345678901234567890' })
    expect(strip(parseTerm('$"a {x + 1} \\{b}"'))).toEqual({ type: 'template', parts: ['a ', call('plus', [v('x'), n(1)], '+'), ' {b}'] })
  })

  it('reads `with` inside a template expression as the value of the term under that `with`', () => {
    const t = strip(parseTerm('$"{a with input as 1}"')) as { parts: [{ type: string; head: { type: string; body: { with: unknown[] }[] }; path: unknown[] }] }
    expect(t.parts[0]).toMatchObject({ type: 'ref', head: { type: 'arraycomp' }, path: [n(0)] })
    expect(t.parts[0].head.body[0].with).toEqual([{ target: { type: 'ref', head: v('input'), path: [] }, value: n(1) }])
  })

  it('reads a minus before a name as minus(0, x), and rejects numbers with leading zeros and refs on scalars', () => {
    expect(strip(parseTerm('-input.n'))).toEqual(call('minus', [{ type: 'number', value: 0, text: '0' }, { type: 'ref', head: v('input'), path: [s('n')] }], '-'))
    expect(strip(parseTerm('a - -1'))).toEqual(call('minus', [v('a'), { type: 'number', value: -1, text: '-1' }], '-'))
    expect(() => parseTerm('007')).toThrow('expected number without leading zero')
    expect((parseTerm('0.5') as Term).type).toBe('number')
    expect(() => parseTerm('"abc"[0]')).toThrow('illegal ref (head cannot be string)')
  })

  it('fails deep nesting with a parse error, not a stack overflow', () => {
    expect(() => parseTerm('['.repeat(5000) + ']'.repeat(5000))).toThrow('nested too deeply')
    expect(() => parseTerm('('.repeat(150) + '1' + ')'.repeat(150))).not.toThrow()
    // Backtracking over nested failures stays fast (each position is parsed once).
    const started = Date.now()
    expect(() => parseQuery('[x | a, '.repeat(60) + '+' + ']'.repeat(60))).toThrow()
    expect(() => parseTerm('{"a": '.repeat(60) + '1 +' + '}'.repeat(60))).toThrow()
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('gives each wildcard its own variable', () => {
    expect(strip(parseTerm('[_, _]'))).toEqual({ type: 'array', items: [v('$_0'), v('$_1')] })
  })
})

describe('parseQuery', () => {
  it('splits on ; and line breaks, and reads some, every, not and with', () => {
    const body = parseQuery('data.test.p = x; x > 1\nnot y with input.a as 1 with data.b as 2')
    expect(body.map((e) => e.kind)).toEqual(['unify', 'term', 'term'])
    expect(body[2].negated).toBe(true)
    expect(body[2].with).toHaveLength(2)
    const [some, somein, every] = parseQuery('some x, y\nsome k, v in xs\nevery i in xs { i > 0 }')
    expect(strip(some)).toMatchObject({ kind: 'some', vars: [v('x'), v('y')] })
    expect(strip(somein)).toMatchObject({ kind: 'somein', key: v('k'), value: v('v'), collection: v('xs') })
    expect(strip(every)).toMatchObject({ kind: 'every', value: v('i'), domain: v('xs') })
  })
})

describe('parseModule', () => {
  it('reads the v1 rule forms', () => {
    const m = parseModule(
      'p.rego',
      `package a.b["c-d"]
import rego.v1
import data.lib.x as y

default allow := false
allow if input.ok
deny contains msg if {
  some r in input.reasons
  msg := r
}
p.q[r] := 1 if r := "k"
f(x) := x + 1
g(_) := 1 if false else := 2 if { true } else := 3
h if { x := 1; x > 0 }
`
    )
    expect(m.package).toEqual(['a', 'b', 'c-d'])
    expect(m.imports.map((i) => i.alias)).toEqual([undefined, 'y'])
    const [dflt, allow, deny, pq, f, g, h] = m.rules
    expect(dflt.isDefault).toBe(true)
    expect(strip(dflt.head)).toEqual({ ref: [v('allow')], assign: true, value: { type: 'boolean', value: false } })
    expect(allow.head.value).toBeUndefined()
    expect(allow.body).toHaveLength(1)
    expect(strip(deny.head)).toEqual({ ref: [v('deny')], assign: false, key: v('msg') })
    expect(deny.body.map((e) => e.kind)).toEqual(['somein', 'assign'])
    expect(strip(pq.head.ref)).toEqual([v('p'), s('q'), v('r')])
    expect(strip(f.head.args)).toEqual([v('x')])
    expect(f.body).toEqual([])
    expect(strip(g.else?.head.value)).toEqual(n(2))
    expect(strip(g.else?.else?.head.value)).toEqual(n(3))
    expect(g.else?.head.args?.[0]).toMatchObject({ type: 'var' })
    expect(h.body).toHaveLength(2)
    expect(m.rules.every((r) => r.module === m)).toBe(true)
  })

  it('lets the first part of a rule head follow a space, as OPA does', () => {
    const m = parseModule('p.rego', 'package t\nf (x) := x\np [k] := 1 if k := "a"')
    expect(strip(m.rules[0].head.args)).toEqual([v('x')])
    expect(strip(m.rules[1].head.ref)).toEqual([v('p'), v('k')])
  })

  it('accepts keywords as reference names and rule head names', () => {
    const m = parseModule('p.rego', 'package foo.in.bar\nimport data.foo.else as e\nelse.foo := 1\np if { in.foo == 1 }')
    expect(m.package).toEqual(['foo', 'in', 'bar'])
    expect(strip(m.rules[0].head.ref)).toEqual([v('else'), s('foo')])
  })

  it('reads `if {...}` as a single literal first, and as a body when that is a set or fails (as OPA)', () => {
    const m = parseModule('p.rego', 'package t\nf(x) := 1 if {x: i | x := ["a"][i]}\ng if {x | x := 1}\nh if { x }\ni if {\n  a\n  b\n}\nj if {}\nk["a"]')
    const [f, g, h, i, j, k] = m.rules
    expect(f.body[0]).toMatchObject({ kind: 'term', term: { type: 'objectcomp' } })
    expect(g.body[0]).toMatchObject({ kind: 'term', term: { type: 'setcomp' } })
    expect(strip(h.body)).toEqual([{ kind: 'term', term: v('x'), negated: false, with: [] }])
    expect(i.body).toHaveLength(2)
    expect(j.body[0]).toMatchObject({ kind: 'term', term: { type: 'object', items: [] } })
    // `k["a"]` alone is a multi-value rule, as in OPA.
    expect(strip(k.head)).toEqual({ ref: [v('k')], assign: false, key: s('a') })
  })

  it('attaches METADATA blocks by scope', () => {
    const m = parseModule(
      'p.rego',
      `# METADATA
# description: The suite
# scope: subpackages
package t

# METADATA
# title: Rule
# authors:
# - Jane Doe <jane@example.com>
# related_resources:
# - https://example.com
p := 1
`
    )
    expect(m.annotations).toMatchObject([{ scope: 'subpackages', description: 'The suite' }])
    expect(m.rules[0].annotations).toMatchObject([
      { scope: 'rule', title: 'Rule', authors: [{ name: 'Jane Doe', email: 'jane@example.com' }], related_resources: [{ ref: 'https://example.com' }] }
    ])
  })

  it('rejects v0 syntax and broken text with OPA-like located errors', () => {
    expect(parseErr('package t\np { true }').errors[0].message).toContain('`if` keyword is required before rule body')
    const e = parseErr('package t\n\np := }')
    expect(e.code).toBe('rego_parse_error')
    expect(e.errors[0].location).toMatchObject({ file: 'p.rego', row: 3, col: 6 })
    expect(e.errors[0].message).toContain('unexpected } token')
    expect(parseErr('p := 1').errors[0].message).toContain('expected package')
    expect(parseErr('package t\np if { x := "abc }').errors[0].message).toContain('non-terminated string')
    expect(parseErr('package t\nimport foo.bar').errors[0].message).toContain('invalid import path')
    expect(parseErr('package t\np if { x } else if {}').errors[0].message).toContain('found empty body')
    expect(parseErr('package t\np[x] := 1 if { x := 1 } else := 2').errors[0].message).toContain('else keyword cannot be used on rules with variables in head')
    expect(parseErr('package t\nimport data.x.else').errors[0].message).toContain('must not end with a keyword')
    expect(parseErr('package t\nimport future.keywords.nope').errors[0].message).toContain('must be one of [contains every if in]')
    expect(parseErr('package t\np if { x with 1 as 2 }').errors[0].message).toContain('expected ident')
    expect(parseErr('package t\np if { every [x] in y { true } }').errors[0].message).toContain('expected value to be a variable')
    expect(parseErr('package t\np if { every x in y }').errors[0].message).toContain('missing body')
    expect(parseErr('package t\np if { not some x in y }').errors[0].message).toContain("illegal negation of 'some'")
    expect(parseErr('package t\n# METADATA\n# scope: package\np := 1').errors[0].message).toContain("annotation scope 'package'")
  })
})
