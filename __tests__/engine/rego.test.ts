import { describe, expect, it } from '@jest/globals'
import { entrypointPath, loadRegoEngine } from '../../src/engine/rego.js'
import { PolicyEngineError } from '../../src/engine/types.js'

const POLICY = `package change_gate.main
import rego.v1

default decision := {"allow": false}

decision := {"allow": true, "approvers": approvers} if {
  count(approvers) >= data.config.min_approvals
}

approvers contains r.user if {
  some r in input.reviews
  r.state == "APPROVED"
}

now := time.now_ns()

conflict := 1 if input.x
conflict := 2 if input.x
`

async function rejection(p: Promise<unknown> | (() => unknown)): Promise<PolicyEngineError> {
  try {
    await (typeof p === 'function' ? p() : p)
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyEngineError)
    return e as PolicyEngineError
  }
  throw new Error('expected a PolicyEngineError')
}

describe('loadRegoEngine', () => {
  it('evaluates an entrypoint with input and data, as plain JSON', async () => {
    const engine = loadRegoEngine([{ file: 'main.rego', source: POLICY }])
    expect(engine.kind).toBe('rego')
    engine.setData({ config: { min_approvals: 2 } })
    const input = { reviews: [{ user: 'b', state: 'APPROVED' }, { user: 'a', state: 'APPROVED' }, { user: 'c', state: 'COMMENTED' }] }
    expect(await engine.evaluate('change_gate/main/decision', input)).toEqual({ allow: true, approvers: ['a', 'b'] })
    expect(await engine.evaluate('data.change_gate.main.decision', { reviews: [] })).toEqual({ allow: false })
    engine.setData({ config: { min_approvals: 3 } })
    expect(await engine.evaluate('change_gate/main/decision', input)).toEqual({ allow: false })
  })

  it('takes the clock from the options', async () => {
    const engine = loadRegoEngine([{ file: 'main.rego', source: POLICY }])
    expect(await engine.evaluate('change_gate/main/now', {}, { now: new Date('2026-01-02T03:04:05Z') })).toBe(Date.parse('2026-01-02T03:04:05Z') * 1e6)
  })

  it('returns undefined for an undefined rule and not_found for a path no rule defines', async () => {
    const engine = loadRegoEngine([{ file: 'main.rego', source: POLICY }])
    expect(await engine.evaluate('change_gate/main/conflict', {})).toBeUndefined()
    expect((await rejection(engine.evaluate('change_gate/other/decision', {}))).code).toBe('not_found')
    expect(() => entrypointPath('data')).toThrow(PolicyEngineError)
  })

  it('turns Rego errors into structured errors carrying the Rego code', async () => {
    const parse = await rejection(() => loadRegoEngine([{ file: 'bad.rego', source: 'package x\np := }' }]))
    expect(parse).toMatchObject({ code: 'compile_error', detail: 'rego_parse_error' })
    expect(parse.message).toContain('bad.rego:2')
    const unsafe = await rejection(() => loadRegoEngine([{ file: 'u.rego', source: 'package x\np if { y > 1 }' }]))
    expect(unsafe).toMatchObject({ code: 'compile_error', detail: 'rego_unsafe_var_error' })
    const engine = loadRegoEngine([{ file: 'main.rego', source: POLICY }])
    const conflict = await rejection(engine.evaluate('change_gate/main/conflict', { x: true }))
    expect(conflict).toMatchObject({ code: 'eval_error', detail: 'eval_conflict_error' })
    expect(() => engine.setData([1])).toThrow(/must be an object/)
  })
})
