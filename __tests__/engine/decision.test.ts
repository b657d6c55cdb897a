import { describe, expect, it } from '@jest/globals'
import { exitCodeFor, extractDecision } from '../../src/engine/decision.js'

const v = { code: 'ticket/reference', title: 'T', message: 'no ticket', control: 'CC8.1', severity: 'high', remediation: 'add one' }

describe('extractDecision', () => {
  it('allow', () => expect(extractDecision({ allow: true, violations: [], warnings: [], pending: [], exceptions: [] }).decision).toBe('allow'))
  it('deny with violations', () => {
    const d = extractDecision({ allow: false, violations: [v], warnings: [], pending: [], exceptions: [] })
    expect(d.decision).toBe('deny')
    expect(d.violations).toEqual([v])
  })
  it('pending when only pending items and not allowed', () => {
    expect(extractDecision({ allow: false, violations: [], pending: [v] }).decision).toBe('pending')
  })
  it('pending beats allow: a running check is never success', () => {
    expect(extractDecision({ allow: true, violations: [], pending: [v] }).decision).toBe('pending')
  })
  it('deny when allow is false with no items (fail closed)', () => expect(extractDecision({ allow: false, violations: [] }).decision).toBe('deny'))
  it.each([
    [undefined, 'undefined'],
    [[], 'not an object'],
    [{ violations: [] }, 'boolean "allow"'],
    [{ allow: 'true', violations: [] }, 'boolean "allow"'],
    [{ allow: true }, 'violations must be an array'],
    [{ allow: false, violations: {} }, 'violations must be an array'],
    [{ allow: false, violations: [{ message: 'x' }] }, 'code must be'],
    [{ allow: false, violations: [{ code: 'x' }] }, 'message must be'],
    [{ allow: true, violations: [v] }, 'inconsistent']
  ])('malformed %p → error', (raw, why) => {
    const d = extractDecision(raw)
    expect(d.decision).toBe('error')
    expect(d.allow).toBe(false)
    expect(d.error).toContain(why)
  })
  it('keeps facts for --explain', () => expect(extractDecision({ allow: false, violations: [{ ...v, facts: { a: 1 } }] }).violations[0]!.facts).toEqual({ a: 1 }))
  it('exit codes', () => expect(['allow', 'deny', 'pending', 'error'].map((x) => exitCodeFor(x as 'allow'))).toEqual([0, 1, 1, 2]))
})
