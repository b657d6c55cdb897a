import { describe, expect, it } from '@jest/globals'
import { compileModules, parseModule } from '../../src/rego/index.js'
import { toJSON } from '../../src/rego/value.js'
import { errorOf, policy, run } from './support.js'

describe('unification and iteration', () => {
  it('unifies array and object patterns, in either direction', () => {
    expect(run([], '[a, b] = [1, 2]')).toEqual([{ a: 1, b: 2 }])
    expect(run([], '[x, y] = [y, 1]')).toEqual([{ x: 1, y: 1 }])
    expect(run([], '[[x], y] = [[y], 1]')).toEqual([{ x: 1, y: 1 }])
    expect(run([], '{"k": v} = {"k": [1]}')).toEqual([{ v: [1] }])
    expect(run([], '[1, x] = [2, 3]')).toEqual([])
  })

  it('iterates arrays, objects and sets through refs with variables, backtracking over each', () => {
    const data = { xs: [10, 20], o: { a: 1, b: 2 } }
    expect(run([], 'data.xs[i] = v', { data })).toEqual([
      { i: 0, v: 10 },
      { i: 1, v: 20 },
    ])
    expect(run([], 'some k, v in data.o; v > 1', { data })).toEqual([{ k: 'b', v: 2 }])
    expect(run([], 's := {"a", "b"}; s[x]')).toEqual([
      { s: ['a', 'b'], x: 'a' },
      { s: ['a', 'b'], x: 'b' },
    ])
  })

  it('binds a var used as a key before the call that reads it (foo == xs[foo])', () => {
    expect(run([], 'some i; i == [2, 1, 0][i]')).toEqual([{ i: 1 }])
  })

  it('iterates refs in an every domain, and rejects wildcards inside not (as OPA does)', () => {
    const src = `package t
groups := [[1, 2], [-1, 3], [4, 5]]
all_pos contains i if { every x in groups[i] { x > 0 } }`
    expect(run([src], 'x = data.t.all_pos')).toEqual([{ x: [0, 2] }])
    expect(errorOf(() => policy(`package t\np if not input.xs[_] == 1`)).code).toBe('rego_unsafe_var_error')
  })

  it('treats every as true on an empty domain and false when one element fails', () => {
    const src = `package t
ok(xs) if every k, v in xs { v > k }`
    expect(run([src], 'data.t.ok([])')).toEqual([{}])
    expect(run([src], 'data.t.ok([1, 2])')).toEqual([{}])
    expect(run([src], 'data.t.ok([1, 0])')).toEqual([])
  })
})

describe('documents', () => {
  it('resolves imports and aliases, and iterates packages under data', () => {
    const lib = `package lib.util
double(x) := x * 2
names := {"a", "b"}`
    const main = `package app
import data.lib.util
import data.lib.util.names as ns
import input.req
p := util.double(req.n)
q := count(ns)
pkgs contains name if some name, _ in data.lib`
    expect(run([lib, main], 'x = data.app', { input: { req: { n: 4 } } })).toEqual([{ x: { p: 8, q: 2, pkgs: ['util'] } }])
  })

  it('raises eval_conflict_error for ref head rules writing one key twice', () => {
    const e = errorOf(() => run([`package t\np[q].r := i if q := ["a", "b", "a"][i]`], 'x = data.t.p'))
    expect(e.code).toBe('eval_conflict_error')
  })

  it('raises a conflict for object comprehensions with a repeated key', () => {
    const e = errorOf(() => run([], 'x := {k: v | some v in [1, 2]; k := "same"}'))
    expect(e.code).toBe('eval_conflict_error')
    expect(e.message).toContain('object keys must be unique')
  })

  it('replaces a rule with `with data.…` and restores it afterwards', () => {
    const src = `package t
limit := 3
over(n) if n > limit`
    expect(run([src], 'x = data.t.over(5) with data.t.limit as 10')).toEqual([])
    expect(run([src], 'x = data.t.over(5)')).toEqual([{ x: true }])
  })

  it('scopes `with data` to whole packages, to rules, and below a rule', () => {
    const lib = `package lib
cfg := {"limit": 3, "mode": "strict"}
limit := cfg.limit`
    const app = `package app
import data.lib
over(n) if n > lib.limit`
    expect(run([lib, app], 'data.app.over(5) with data.lib as {"limit": 10}')).toEqual([])
    expect(run([lib, app], 'data.app.over(5) with data.lib.limit as 4')).toEqual([{}])
    expect(run([lib, app], 'x = data.lib.cfg with data.lib.cfg.mode as "lax"')).toEqual([{ x: { limit: 3, mode: 'lax' } }])
    expect(run([lib, app], 'x = data.lib.cfg')).toEqual([{ x: { limit: 3, mode: 'strict' } }])
    const partial = `package p\nobj[k] := 1 if some k in ["a", "b"]`
    expect(run([partial], 'x = data.p.obj with data.p.obj.a as 5')).toEqual([{ x: { a: 5, b: 1 } }])
  })

  it('mocks functions by value or by another function; the mock itself sees the original', () => {
    const src = `package t
mock_count(x) := count(x) + 100
p := x if x := count([1]) with count as mock_count
q := x if x := count([1]) with count as 7`
    expect(run([src], 'x = data.t.p')).toEqual([{ x: 101 }])
    expect(run([src], 'x = data.t.q')).toEqual([{ x: 7 }])
  })

  it('uses default functions and else chains in functions', () => {
    const src = `package t
default size(_) := "unknown"
size(n) := "big" if n > 10
else := "small" if n > 0`
    expect(run([src], 'x = [data.t.size(20), data.t.size(1), data.t.size(-1)]')).toEqual([{ x: ['big', 'small', 'unknown'] }])
  })
})

describe('compile-time errors', () => {
  it('reports unsafe vars in negation and in rule heads', () => {
    expect(errorOf(() => policy(`package t\np if not q[x]\nq := {1}`)).code).toBe('rego_unsafe_var_error')
    expect(errorOf(() => policy(`package t\np := x if true`)).message).toContain('var x is unsafe')
  })

  it('reports recursion through functions', () => {
    const e = errorOf(() => policy(`package t\nf(x) := g(x)\ng(x) := f(x)`))
    expect(e.code).toBe('rego_recursion_error')
  })

  it('reports builtin arity, unknown functions and literal type errors', () => {
    expect(errorOf(() => policy(`package t\np := count([1], [2], [3])`)).message).toContain('count: too many arguments')
    expect(errorOf(() => policy(`package t\np := no_such_fn(1)`)).message).toContain('undefined function no_such_fn')
    const e = errorOf(() => policy(`package t\np := upper(1)`))
    expect(e.code).toBe('rego_type_error')
    expect(e.message).toContain('upper: invalid argument(s)')
  })

  it('rejects re-assignment of a declared variable', () => {
    const e = errorOf(() => policy(`package t\np if { x := 1; x := 2 }`))
    expect(e.code).toBe('rego_compile_error')
    expect(e.message).toContain('var x assigned above')
  })

  it('lets a nested comprehension declare its own variable', () => {
    expect(run([`package t\np := x if { y := {x | some x in [1, 2]}; x := count(y) }`], 'v = data.t.p')).toEqual([{ v: 2 }])
  })
})

describe('evaluator builtins', () => {
  it('returns rule annotations from rego.metadata.rule() and chain()', () => {
    const src = `# METADATA
# title: Pkg
package t

# METADATA
# title: Rule P
# custom:
#   code: x/y
p := rego.metadata.rule()

q := [e.path | some e in rego.metadata.chain()]`
    expect(run([src], 'x = data.t.p')).toEqual([{ x: { scope: 'rule', title: 'Rule P', custom: { code: 'x/y' } } }])
    expect(run([src], 'x = data.t.q')).toEqual([{ x: [['t', 'q'], ['t']] }])
  })

  it('walks documents as a relation', () => {
    expect(run([], 'walk({"a": [7]}, [p, 7])')).toEqual([{ p: ['a', 0] }])
  })

  it('keeps time.now_ns() fixed within a query and injectable', () => {
    const p = policy(`package t\nsame if time.now_ns() == time.now_ns()\nnow := time.now_ns()`)
    expect(p.query('data.t.same', {}).length).toBe(1)
    expect(toJSON(p.query('x = data.t.now', { nowNs: 42n })[0].get('x') as never)).toBe(42)
  })

  it('refuses network access but validates the request first', () => {
    const e = errorOf(() => run([`package t\np := http.send({"method": "get"})`], 'x = data.t.p', { strict: true }))
    expect(e.code).toBe('eval_type_error')
    expect(e.message).toContain('missing required request parameters(s): {"url"}')
  })
})

describe('strict compilation', () => {
  const strict = (src: string) => compileModules([parseModule('s.rego', src)], { strict: true })

  it('rejects unused imports, unused locals and deprecated builtins only in strict mode', () => {
    const unusedImport = `package t\nimport data.lib\np := 1`
    expect(() => policy(unusedImport)).not.toThrow()
    expect(errorOf(() => strict(unusedImport)).message).toContain('import data.lib unused')
    expect(errorOf(() => strict(`package t\np if { x := 1; true }`)).message).toContain('assigned var x unused')
    expect(errorOf(() => strict(`package t\np if { some x; true }`)).message).toContain('declared var x unused')
    expect(errorOf(() => strict(`package t\np := any([true])`)).message).toContain('deprecated built-in function calls in expression: any')
    expect(() => strict(`package t\nimport data.lib\np := x if { x := lib.v; some y in [1]; y > 0 }`)).not.toThrow()
  })

  it('always rejects duplicate imports and assignments shadowing input or data', () => {
    expect(errorOf(() => policy(`package t\nimport data.a.lib\nimport data.b.lib\np := lib.x`)).message).toContain('import must not shadow import data.a.lib')
    expect(errorOf(() => policy(`package t\np if { input := 1 }`)).message).toContain('variables must not shadow input')
  })
})
