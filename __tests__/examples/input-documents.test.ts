import { describe, expect, it } from '@jest/globals'
import { Ajv } from 'ajv'
import { readFileSync } from 'node:fs'

/** The example input documents the README's first command evaluates are valid change-gate/input/v1 documents. */
const schema = JSON.parse(readFileSync(new URL('../../schemas/input.v1.schema.json', import.meta.url), 'utf8'))
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema)

describe('examples/input', () => {
  for (const name of ['pr-compliant', 'pr-noncompliant', 'direct-push']) {
    it(`${name}.json validates against schemas/input.v1.schema.json`, () => {
      const doc = JSON.parse(readFileSync(new URL(`../../examples/input/${name}.json`, import.meta.url), 'utf8'))
      const ok = validate(doc)
      expect(validate.errors ?? []).toEqual([])
      expect(ok).toBe(true)
    })
  }
})

describe('change-gate eval over the examples (the README\'s first command), built-in policies by default', () => {
  it('pr-compliant.json → allow, exit 0, every core rule passed', async () => {
    const { runCli } = await import('../evidence/helpers.js')
    const r = await runCli(['eval', '--input', 'examples/input/pr-compliant.json', '--format', 'json'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.decision).toBe('allow')
    expect(out.passed.map((i: { code: string }) => i.code)).toEqual(expect.arrayContaining(['approval/second-approver', 'ticket/reference', 'rollback/plan', 'tests/passing', 'facts/complete']))
  })
  it('pr-noncompliant.json → deny, exit 1, naming the stale approval, the missing ticket, the N/A rollback plan and the failed check', async () => {
    const { runCli } = await import('../evidence/helpers.js')
    const r = await runCli(['eval', '--input', 'examples/input/pr-noncompliant.json', '--format', 'json'])
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout)
    expect(out.decision).toBe('deny')
    expect(out.violations.map((i: { code: string }) => i.code).sort()).toEqual(['approval/second-approver', 'rollback/plan', 'tests/passing', 'ticket/reference'])
  })
  it('direct-push.json → deny, exit 1: the policy names the one commit no merged pull request brought', async () => {
    const { runCli } = await import('../evidence/helpers.js')
    const r = await runCli(['eval', '--input', 'examples/input/direct-push.json', '--format', 'json'])
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout)
    expect(out.decision).toBe('deny')
    expect(out.violations.map((i: { code: string; message: string }) => [i.code, i.message])).toEqual([['push/no-pull-request', 'commit 9b2d4f6a8c3f reached main without a merged pull request (pushed by mallory)']])
  })
})
