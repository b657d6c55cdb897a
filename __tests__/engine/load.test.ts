import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { collectRegoSources, evaluateDecision, loadEngine } from '../../src/engine/load.js'
import { PolicyEngineError, type PolicyEngine, type PolicySource } from '../../src/engine/types.js'

const dir = mkdtempSync(join(tmpdir(), 'cg-load-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
mkdirSync(join(dir, 'rules/ticket'), { recursive: true })
writeFileSync(join(dir, 'main.rego'), 'package change_gate.main\n')
writeFileSync(join(dir, 'rules/ticket/ticket.rego'), 'package change_gate.rules.ticket\n')
writeFileSync(join(dir, 'rules/ticket/ticket_test.rego'), 'package change_gate.rules.ticket_test\n')
writeFileSync(join(dir, 'README.md'), '# not policy\n')

function engine(result: () => unknown): PolicyEngine {
  let data: unknown
  return { kind: 'rego', setData: (d) => void (data = d), evaluate: async (ep, input) => (ep === 'change_gate/main/decision' ? result() : { ep, input, data }) }
}

describe('engine loading', () => {
  it('collects .rego files recursively, tests excluded, sorted', async () => {
    const files = (await collectRegoSources(dir)).map((s) => s.file.split('cg-load-')[1]!.replace(/^[^/]+\//, ''))
    expect(files).toEqual(['main.rego', 'rules/ticket/ticket.rego'])
  })
  it('passes the sources of every folder to the Rego loader', async () => {
    let seen: PolicySource[] = []
    await loadEngine({ policyDirs: [dir, join(dir, 'rules')] }, (s) => ((seen = s), engine(() => undefined)))
    expect(seen).toHaveLength(3)
  })
  it('a missing folder or an empty set is a load error naming it', async () => {
    await expect(loadEngine({ policyDirs: [join(dir, 'nope')] }, () => engine(() => undefined))).rejects.toThrow(/cannot read the policy folder .*nope/)
    mkdirSync(join(dir, 'empty'))
    await expect(loadEngine({ policyDirs: [join(dir, 'empty')] }, () => engine(() => undefined))).rejects.toThrow(/no .rego policies/)
  })
  it('a missing bundle file is a load error', async () => {
    await expect(loadEngine({ bundle: join(dir, 'bundle.tar.gz'), policyDirs: [] }, () => engine(() => undefined))).rejects.toThrow(PolicyEngineError)
  })
  it('evaluateDecision: engine errors and undefined decisions fail closed', async () => {
    expect((await evaluateDecision(engine(() => ({ allow: true, violations: [] })), {}, {})).decision).toBe('allow')
    const thrown = await evaluateDecision(engine(() => { throw new PolicyEngineError('eval_error', 'conflict', { detail: 'eval_conflict_error' }) }), {}, {})
    expect(thrown).toMatchObject({ decision: 'error', error: 'policy eval_error (eval_conflict_error): conflict' })
    expect((await evaluateDecision(engine(() => undefined), {}, {})).decision).toBe('error')
  })
})
