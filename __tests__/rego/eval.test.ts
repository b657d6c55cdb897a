import { describe, expect, it } from '@jest/globals'
import { errorOf, policy, run } from './support.js'
import { fromJSON, toJSON, type Value } from '../../src/rego/value.js'

function value(src: string | string[], ref: string, opts: { input?: unknown; data?: unknown } = {}): unknown {
  const r = run(src, `x = ${ref}`, opts)
  return r.length === 0 ? undefined : r[0].x
}

describe('complete rules', () => {
  it('distinguishes undefined from false and uses defaults', () => {
    const src = `package t
default allow := false
allow if input.user == "alice"
deny if input.user == "bob"`
    expect(value(src, 'data.t.allow', { input: { user: 'alice' } })).toBe(true)
    expect(value(src, 'data.t.allow', { input: { user: 'eve' } })).toBe(false)
    expect(value(src, 'data.t.deny', { input: { user: 'eve' } })).toBeUndefined()
  })

  it('raises a conflict when a complete rule has two values', () => {
    const src = `package t
p := x if some x in [1, 2]`
    const e = errorOf(() => run(src, 'x = data.t.p'))
    expect(e.code).toBe('eval_conflict_error')
    expect(e.message).toContain('complete rules must not produce multiple outputs')
  })

  it('follows else chains in order', () => {
    const src = `package t
p := "a" if input.x == 1
else := "b" if input.x == 2
else := "c"`
    expect(value(src, 'data.t.p', { input: { x: 1 } })).toBe('a')
    expect(value(src, 'data.t.p', { input: { x: 2 } })).toBe('b')
    expect(value(src, 'data.t.p', { input: { x: 3 } })).toBe('c')
  })
})

describe('partial rules and iteration', () => {
  it('builds partial sets by backtracking over iteration', () => {
    const src = `package t
big contains x if {
  some x in input.xs
  x > 2
}`
    expect(value(src, 'data.t.big', { input: { xs: [1, 3, 5, 2] } })).toEqual([3, 5])
  })

  it('builds partial objects and general ref heads, and detects key conflicts', () => {
    expect(value(`package t\np[k] := v if some k, v in {"a": 1, "b": 2}`, 'data.t.p')).toEqual({ a: 1, b: 2 })
    expect(value(`package t\np[q].r := i if q := ["a", "b"][i]`, 'data.t.p')).toEqual({ a: { r: 0 }, b: { r: 1 } })
    const e = errorOf(() => run(`package t\np[q] := i if q := ["a", "a"][i]`, 'x = data.t.p'))
    expect(e.code).toBe('eval_conflict_error')
  })

  it('reorders expressions for safety', () => {
    expect(run(`package t\np if { x > 1; x = 2 }`, 'data.t.p = y')).toEqual([{ y: true }])
  })

  it('reports unsafe variables at compile time', () => {
    const e = errorOf(() => policy(`package t\np if { x > 1 }`))
    expect(e.code).toBe('rego_unsafe_var_error')
    expect(e.message).toContain('var x is unsafe')
  })

  it('reports recursion at compile time', () => {
    const e = errorOf(() => policy(`package t\np if q\nq if p`))
    expect(e.code).toBe('rego_recursion_error')
  })

  it('enumerates every solution of a query', () => {
    expect(run(`package t\nxs := [1, 2, 3]`, 'x := data.t.xs[i]; x > 1')).toEqual([
      { x: 2, i: 1 },
      { x: 3, i: 2 },
    ])
  })
})

describe('functions, negation, every, comprehensions, with', () => {
  const src = `package t
f(x) := x + 1
g(1) := "one"
g(2) := "two"
h(x) := 1 if x > 0
h(x) := 2 if x > 1
ok if not input.blocked
all_pos if every x in input.xs { x > 0 }
sq := {x: y | x := input.xs[_]; y := x * x}
uses_count if count([1, 2, 3]) == 1
mocked if uses_count with count as f1
f1(_) := 1
`
  it('calls functions, picking definitions by argument patterns', () => {
    expect(value(src, 'data.t.f(1)')).toBe(2)
    expect(value(src, 'data.t.g(2)')).toBe('two')
    expect(value(src, 'data.t.g(3)')).toBeUndefined()
    const e = errorOf(() => run(src, 'x = data.t.h(5)'))
    expect(e.message).toContain('functions must not produce multiple outputs for same inputs')
  })

  it('evaluates not, every and comprehensions', () => {
    expect(value(src, 'data.t.ok', { input: {} })).toBe(true)
    expect(value(src, 'data.t.ok', { input: { blocked: true } })).toBeUndefined()
    expect(value(src, 'data.t.all_pos', { input: { xs: [] } })).toBe(true)
    expect(value(src, 'data.t.all_pos', { input: { xs: [1, -1] } })).toBeUndefined()
    expect(value(src, 'data.t.sq', { input: { xs: [2, 3] } })).toEqual({ '2': 4, '3': 9 })
  })

  it('replaces input, data and functions with `with`, only inside the expression', () => {
    expect(value(src, 'data.t.mocked')).toBe(true)
    expect(value(src, 'data.t.uses_count')).toBeUndefined()
    expect(run(src, 'data.t.ok with input.blocked as true')).toEqual([])
    expect(run(`package t\np := data.q.v`, 'x = data.t.p with data.q.v as 7')).toEqual([{ x: 7 }])
  })

  it('merges base data with virtual documents', () => {
    const r = value(`package a.b\nc := 1`, 'data.a', { data: { a: { x: 2 } } })
    expect(r).toEqual({ b: { c: 1 }, x: 2 })
  })

  it('makes builtin errors undefined, or raises them in strict mode', () => {
    const s = `package t\np := 1 / input.d`
    expect(value(s, 'data.t.p', { input: { d: 0 } })).toBeUndefined()
    const e = errorOf(() => run(s, 'x = data.t.p', { input: { d: 0 }, strict: true }))
    expect(e.code).toBe('eval_builtin_error')
  })

  it('sends print output to the printer', () => {
    const lines: string[] = []
    const p = policy(`package t\np if print("hello", input.x, input.missing)`)
    p.query('data.t.p', { input: fromJSON({ x: [1] }) as Value, print: (l) => lines.push(l) })
    expect(lines).toEqual(['hello [1] <undefined>'])
  })
})

describe('fail closed', () => {
  it('raises eval_internal_error when a builtin has a defect instead of treating it as undefined', async () => {
    const { BUILTINS } = await import('../../src/rego/builtins/index.js')
    const registry = BUILTINS as Map<string, import('../../src/rego/builtins/types.js').BuiltinDef>
    registry.set('test.defect', {
      name: 'test.defect',
      args: ['any'],
      result: 'any',
      impl: () => {
        throw new TypeError('cannot read properties of undefined')
      },
    })
    try {
      const src = `package t\ndeny if test.defect(1)`
      const e = errorOf(() => run(src, 'x = data.t.deny'))
      expect(e.code).toBe('eval_internal_error')
      expect(e.message).toContain('test.defect: cannot read properties of undefined')
    } finally {
      registry.delete('test.defect')
    }
  })
})

describe('evalRef', () => {
  it('runs only the rules on the path, and reads base data under data', () => {
    const p = policy(`package t\nbad := x if some x in [1, 2]\nok := 1`)
    expect(p.evalRef(['t', 'ok'])).toBe(1)
    expect(toJSON(p.evalRef(['cfg'], { data: fromJSON({ cfg: { x: 2 } }) }) as Value)).toEqual({ x: 2 })
    expect(p.evalRef(['t', 'missing'])).toBeUndefined()
    expect(errorOf(() => p.evalRef(['t'])).code).toBe('eval_conflict_error')
  })
})

describe('time limit', () => {
  it('stops a runaway evaluation with eval_cancel_error', () => {
    const p = policy(`package t\nn := count([x | some x in numbers.range(1, 100000); some y in numbers.range(1, 100000); x == y])`)
    const started = Date.now()
    const e = errorOf(() => p.evalRef(['t', 'n'], { timeoutMs: 200 }))
    expect(e.code).toBe('eval_cancel_error')
    expect(Date.now() - started).toBeLessThan(5000)
  })
})
