import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEvalCommand, type EvalDeps } from '../../src/cli/commands/eval.js'
import type { CliIO } from '../../src/cli/command.js'
import type { PolicyEngine } from '../../src/engine/types.js'

const dir = mkdtempSync(join(tmpdir(), 'cg-eval-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
mkdirSync(join(dir, 'policies'))
writeFileSync(join(dir, 'policies/main.rego'), 'package change_gate.main\n')
writeFileSync(join(dir, 'doc.json'), JSON.stringify({ approvals: 0 }))

/** The engine here is a test double that decides from `input.approvals`; the real one has its own tests. */
const deps: EvalDeps = {
  builtinPolicyDirs: [join(dir, 'policies')],
  configData: (text) => {
    if (text !== null && text.includes('bad')) throw new Error('config: rules.x: unknown key; remove it')
    return { change_gate: { config: {} } }
  },
  buildDocument: () => ({}),
  loadRego: (): PolicyEngine => ({
    kind: 'rego',
    setData() {},
    evaluate: async (_ep, input, opts) => {
      const approvals = (input as { approvals: number }).approvals
      const item = { code: 'approval/second-approver', title: 'Second approver', message: `${approvals} approvals at ${opts?.now?.toISOString()}`, control: 'CC8.1', severity: 'high', remediation: 'get one', facts: { approvals } }
      return approvals > 0 ? { allow: true, violations: [], passed: [item] } : { allow: false, violations: [item] }
    }
  })
}

function io() {
  const out: string[] = []
  const err: string[] = []
  const cli: CliIO = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env: {}, cwd: dir, isTTY: false }
  return { cli, out, err }
}
const cmd = createEvalCommand(deps)

describe('change-gate eval', () => {
  it('deny → exit 1, json with decision beside the lists, --now passed to the engine', async () => {
    const { cli, out } = io()
    expect(await cmd.run(['--input', join(dir, 'doc.json'), '--format', 'json', '--now', '2026-01-02T03:04:05Z'], cli)).toBe(1)
    const parsed = JSON.parse(out.join(''))
    expect(parsed.decision).toBe('deny')
    expect(parsed.violations[0].message).toBe('0 approvals at 2026-01-02T03:04:05.000Z')
  })
  it('allow → exit 0; --explain prints the facts', async () => {
    writeFileSync(join(dir, 'ok.json'), JSON.stringify({ approvals: 1 }))
    const { cli, out } = io()
    expect(await cmd.run(['--input', join(dir, 'ok.json'), '--explain'], cli)).toBe(0)
    expect(out.join('')).toContain('facts: {"approvals":1}')
  })
  it('invalid config or unreadable input → exit 2 with the reason', async () => {
    writeFileSync(join(dir, 'bad.yml'), 'bad: 1\n')
    const a = io()
    expect(await cmd.run(['--input', join(dir, 'doc.json'), '--config', join(dir, 'bad.yml')], a.cli)).toBe(2)
    expect(a.out.join('')).toContain('config: rules.x: unknown key')
    const b = io()
    expect(await cmd.run(['--input', join(dir, 'missing.json')], b.cli)).toBe(2)
    expect(b.out.join('')).toContain('cannot read the input document')
  })
  it('usage errors', async () => {
    await expect(cmd.run([], io().cli)).rejects.toThrow('either --input')
    await expect(cmd.run(['--input', 'x', '--now', 'yesterday'], io().cli)).rejects.toThrow('RFC 3339')
    await expect(cmd.run(['--input', 'x', '--format', 'xml'], io().cli)).rejects.toThrow()
  })
})
