import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatTestReport, runRegoTests } from '../../src/rego/tester.js'
import { main } from '../../src/cli/main.js'

const POLICY = `package authz
allow if input.user == "admin"
`
const TESTS = `package authz_test
import data.authz

test_admin_allowed if authz.allow with input as {"user": "admin"}
test_guest_denied if not authz.allow with input as {"user": "guest"}
test_wrong if authz.allow with input as {"user": "guest"}
test_prints if {
  print("checking", 1)
  true
}
test_error if {
  x := conflict with input as {}
  x > 0
}
conflict := 1 if true
conflict := 2 if true
todo_test_later if false
`

function io(cwd: string) {
  const out: string[] = []
  const err: string[] = []
  return { out, err, io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), env: {}, cwd, isTTY: false } }
}

describe('Rego test runner', () => {
  it('reports pass, fail and error per test rule, like opa test', () => {
    const report = runRegoTests([
      { file: 'authz.rego', source: POLICY },
      { file: 'authz_test.rego', source: TESTS }
    ])
    const outcome = Object.fromEntries(report.results.map((r) => [r.name, r.outcome]))
    expect(outcome).toEqual({
      'data.authz_test.test_admin_allowed': 'pass',
      'data.authz_test.test_guest_denied': 'pass',
      'data.authz_test.test_wrong': 'fail',
      'data.authz_test.test_prints': 'pass',
      'data.authz_test.test_error': 'error'
    })
    expect(report.results.find((r) => r.name.endsWith('test_prints'))?.output).toEqual(['checking 1'])
    expect(report.results.find((r) => r.name.endsWith('test_error'))?.message).toContain('eval_conflict_error')
    expect(report.skipped).toEqual(['data.authz_test.todo_test_later'])
    const text = formatTestReport(report, false)
    expect(text).toContain('data.authz_test.test_wrong: FAIL')
    expect(text).not.toContain('test_admin_allowed')
    expect(text).toMatch(/PASS: 3\/5\nFAIL: 1\/5\nERROR: 1\/5\nSKIPPED: 1\/6\n$/)
    expect(formatTestReport(report, true)).toContain('data.authz_test.test_admin_allowed: PASS')
  })

  it('is the `change-gate test` command with exit codes 0, 1 and 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'regotest-'))
    mkdirSync(join(dir, 'p'))
    writeFileSync(join(dir, 'p', 'authz.rego'), POLICY)
    writeFileSync(join(dir, 'p', 'authz_test.rego'), 'package authz_test\nimport data.authz\ntest_admin if authz.allow with input as {"user": "admin"}\n')
    let r = io(dir)
    expect(await main(['test', 'p', '--verbose'], r.io)).toBe(0)
    expect(r.out.join('')).toContain('data.authz_test.test_admin: PASS')

    writeFileSync(join(dir, 'p', 'more_test.rego'), 'package more_test\ntest_no if false\n')
    r = io(dir)
    expect(await main(['test', 'p'], r.io)).toBe(1)
    expect(r.out.join('')).toContain('data.more_test.test_no: FAIL')
    r = io(dir)
    expect(await main(['test', 'p', '--run', 'test_admin'], r.io)).toBe(0)

    // Data files are merged at their folder's path: p/limits/data.yaml is data.limits.
    mkdirSync(join(dir, 'p', 'limits'))
    writeFileSync(join(dir, 'p', 'limits', 'data.yaml'), 'max: 3\n')
    writeFileSync(join(dir, 'p', 'limits_test.rego'), 'package limits_test\ntest_max if data.limits.max == 3\n')
    r = io(dir)
    expect(await main(['test', 'p', '--run', 'limits'], r.io)).toBe(0)
    writeFileSync(join(dir, 'p', 'limits', 'data.yaml'), '- not an object\n')
    r = io(dir)
    expect(await main(['test', 'p'], r.io)).toBe(2)
    expect(r.err.join('')).toContain('data.yaml')
    writeFileSync(join(dir, 'p', 'limits', 'data.yaml'), 'max: 3\n')

    writeFileSync(join(dir, 'p', 'broken.rego'), 'package broken\np if {')
    r = io(dir)
    expect(await main(['test', 'p'], r.io)).toBe(2)
    expect(r.err.join('')).toContain('rego_parse_error')

    r = io(dir)
    expect(await main(['test', 'nowhere'], r.io)).toBe(2)
  })
})
