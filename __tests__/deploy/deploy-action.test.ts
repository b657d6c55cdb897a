import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { fileURLToPath } from 'node:url'
import { createDeployEvaluator } from '../../src/action/deploy-decide.js'
import { parseDeployInputs, runDeploy } from '../../src/action/deploy.js'
import { parseInputs } from '../../src/action/inputs.js'
import { runOutcome } from '../../src/action/outcome.js'
import { loadRegoEngine } from '../../src/engine/rego.js'
import { readEvidenceIndex } from '../../src/github/deploy-evidence.js'
import { recordingIO } from '../action/recording-io.js'
import { createWorld, type World } from './world.js'

// Real git processes and an HTTP stand-in per test: generous under a loaded machine.
jest.setTimeout(60_000)

/**
 * The deploy gate end to end below the action's entry: runDeploy over the GitHub stand-in, a real
 * git evidence store, the embedded Rego engine and the built-in policies (PR rules included, so a
 * deployment document must not trip them).
 */
const builtinDir = fileURLToPath(new URL('../../policies/', import.meta.url))
const NOW = new Date('2026-11-25T10:00:00Z')
let run = 7000

let world: World | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

async function deploy(w: World, inputs: Record<string, string>, options: { now?: Date; runId?: number } = {}) {
  const rec = recordingIO()
  const read = (n: string) => ({ token: 't', mode: 'deploy', ...inputs })[n] ?? ''
  const evaluate = createDeployEvaluator({ client: w.client, owner: 'acme', repo: 'api', loadRego: loadRegoEngine, builtinDir, customPoliciesPath: '', bundle: '', workspace: process.cwd(), configPath: '.github/change-gate.yml', statusContext: 'change-gate' })
  const result = await runDeploy(
    { client: w.client, io: rec.io, inputs: parseInputs(read), deploy: parseDeployInputs(read), store: w.store, evaluate },
    { repository: 'acme/api', eventName: 'workflow_dispatch', actor: 'release-manager', runId: options.runId ?? run++, runUrl: 'https://github.com/acme/api/actions/runs/1', now: options.now ?? NOW, defaultBranch: 'main' }
  )
  return { ...rec, result }
}

const codes = (items: Array<{ code: string }>) => [...new Set(items.map((i) => i.code))].sort()

describe('mode: deploy (stand-in + git evidence store + embedded engine)', () => {
  it('a clean release: allow, a DEPLOYING record listing the merge records, a summary with every change', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'Add billing')
    await w.recordDeployment('production', v1, { version: '1.0.0' })
    await w.mergeCompliant(2, 'Fix invoice totals')
    const head = await w.mergeCompliant(3, 'Add audit log', { strategy: 'merge', commits: 2 })
    const r = await deploy(w, { environment: 'production', sha: head, version: 'v1.1.0' })
    expect(r.result.decision.error).toBeUndefined()
    expect(r.result.decision.decision).toBe('allow')
    expect(codes(r.result.decision.passed)).toEqual(expect.arrayContaining(['deploy/unreviewed-change', 'deploy/version', 'deploy/freeze', 'facts/complete']))
    expect(r.failures).toEqual([])
    expect(r.outputs).toEqual(expect.objectContaining({ decision: 'allow', 'previous-sha': v1, rollback: 'false', changes: '4' }))
    const rec = r.result.record!
    expect(rec.kind).toBe('deployment')
    expect(rec.change_outcome).toBe('DEPLOYING')
    expect(rec.base_sha).toBe(v1)
    expect(rec.head_sha).toBe(head)
    expect(rec.links.changes!.split(' ')).toHaveLength(2)
    expect(rec.ticket_reference).toEqual(['OPS-2', 'OPS-3'])
    expect(rec.input_digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(rec.policy_digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    const summary = r.summaries.join('\n')
    expect(summary).toContain('change-gate deploy: allow')
    expect(summary).toContain('#2 Fix invoice totals')
    expect(summary).toContain('| carol | OPS-3 | ✅ allow |')
    expect(summary).toContain('4 commits, 2 pull requests')
  })

  it('a release containing a direct push: deny with deploy/unreviewed-change, recorded as BLOCKED, the step fails', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1)
    await w.mergeCompliant(2, 'B')
    const pushed = w.history.push('quick fix on main', 'mallory')
    const head = await w.mergeCompliant(3, 'C')
    const r = await deploy(w, { environment: 'production', sha: head })
    expect(r.result.decision.decision).toBe('deny')
    expect(r.result.decision.violations.map((v) => v.message)).toEqual([`commit ${pushed.slice(0, 12)} ("quick fix on main" by mallory) reached the branch without a pull request`])
    expect(r.result.record!.change_outcome).toBe('BLOCKED')
    expect(r.result.record!.decision!.verdict).toBe('deny')
    expect(r.failures).toEqual(['change-gate: deployment to production denied — deploy/unreviewed-change'])
    expect(r.summaries.join('\n')).toContain('❌ no pull request')
  })

  it('a release containing a PR merged while its gate was failing: deny', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1)
    const m = w.history.merge(2, 'Merged on red')
    await w.recordMerge(2, m, { verdict: 'deny' })
    const r = await deploy(w, { environment: 'production', sha: m.merge_sha })
    expect(r.result.decision.decision).toBe('deny')
    expect(r.result.decision.violations[0]!.message).toMatch(/^PR #2 was merged while its gate said deny \(merge record merge-[0-9a-f]{32}\)$/)
    expect(r.summaries.join('\n')).toContain('❌ merged on deny')
  })

  it('a version that does not increase: deny with deploy/version', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1, { version: '2.0.0' })
    const head = await w.mergeCompliant(2, 'B')
    const r = await deploy(w, { environment: 'production', sha: head, version: '1.9.9' })
    expect(codes(r.result.decision.violations)).toEqual(['deploy/version'])
    expect(r.result.decision.violations[0]!.message).toBe('version 1.9.9 does not increase over 2.0.0, last deployed to "production"')
  })

  const FREEZE = ['deploy:', '  freeze:', '    windows:', '      - { name: year-end, start: 2026-11-24T00:00:00Z, end: 2026-11-30T00:00:00Z, environments: [production] }', ''].join('\n')

  it('a freeze window: deny without break glass', async () => {
    const w = (world = await createWorld({ config: FREEZE }))
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1)
    const head = await w.mergeCompliant(2, 'B')
    const r = await deploy(w, { environment: 'production', sha: head })
    expect(r.result.decision.decision).toBe('deny')
    expect(r.result.decision.violations.map((v) => v.message)).toEqual(['"production" is frozen until the end of the "year-end" window'])
    // another environment is not frozen
    const staging = await deploy(w, { environment: 'staging', sha: head })
    expect(staging.result.decision.decision).toBe('allow')
  })

  it('a freeze window with break glass: allowed as a recorded exception with its review due', async () => {
    const w = (world = await createWorld({ config: FREEZE }))
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1)
    const head = await w.mergeCompliant(2, 'B')
    const r = await deploy(w, { environment: 'production', sha: head, 'break-glass': 'INC-4711: checkout is down for every customer, shipping the fix' })
    expect(r.result.decision.decision).toBe('allow')
    expect(codes(r.result.decision.exceptions)).toEqual(['deploy/freeze'])
    const rec = r.result.record!
    expect(rec.decision!.exceptions.map((e) => e.code)).toEqual(['deploy/freeze'])
    expect(rec.review_due_at).toBe('2026-11-26T10:00:00.000Z')
    expect(r.summaries.join('\n')).toContain('**Break glass:** INC-4711')
  })

  it('a rollback: allowed, recorded as a rollback; its success marks the withdrawn deployment ROLLED_BACK', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1, { version: '1.0.0' })
    const v2 = await w.mergeCompliant(2, 'B')
    const d2 = await w.recordDeployment('production', v2, { version: '1.1.0' })
    const r = await deploy(w, { environment: 'production', sha: v1, version: '1.0.0' }, { runId: 4242 })
    expect(r.result.decision.decision).toBe('allow')
    expect(r.outputs.rollback).toBe('true')
    expect(r.result.record!.links).toEqual(expect.objectContaining({ rollback: 'true', rolls_back: d2, previous_deployment: d2 }))
    expect(r.result.record!.change_desc).toBe(`Roll back production from ${v2.slice(0, 12)} to 1.0.0`)
    const o = recordingIO()
    const out = await runOutcome({ io: o.io, store: w.store, read: (n) => ({ environment: 'production', outcome: 'success' })[n] ?? '' }, { repository: 'acme/api', runId: 4242, now: NOW, eventName: 'workflow_dispatch', payload: {}, sha: v1 })
    expect(out!.records.map((x) => [x.change_outcome, x.links.deployment])).toEqual([
      ['SUCCESS', r.result.changeId],
      ['ROLLED_BACK', d2]
    ])
    // the next release is checked from the rolled-back-to SHA
    const index = await readEvidenceIndex(w.store, 'acme/api')
    expect(index.lastSuccessfulDeployment('production')?.sha).toBe(v1)
  })

  it('a diverged SHA: its new commits are checked from the merge base, with a deploy/diverged warning', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1)
    const v2 = await w.mergeCompliant(2, 'B')
    await w.recordDeployment('production', v2)
    w.history.main = v1 // a hotfix line from v1, without #2
    const hotfix = await w.mergeCompliant(3, 'Hotfix')
    const r = await deploy(w, { environment: 'production', sha: hotfix })
    expect(r.result.decision.decision).toBe('allow')
    expect(r.result.document!.changes.map((c) => c.pr?.number)).toEqual([3])
    expect(codes(r.result.decision.warnings)).toEqual(['deploy/diverged'])
  })

  it('the first deployment of an environment: allowed with a deploy/first-deployment warning', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    const r = await deploy(w, { environment: 'production', sha: v1, version: '0.1.0' })
    expect(r.result.decision.decision).toBe('allow')
    expect(codes(r.result.decision.warnings)).toEqual(['deploy/first-deployment'])
    expect(r.summaries.join('\n')).toContain('none: first deployment of this environment')
  })

  it('a range of more than 250 commits: every commit judged', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1)
    for (let i = 0; i < 150; i++) await w.mergeCompliant(10 + i, `Change ${i}`, { strategy: 'merge' })
    const pushed = w.history.push('sneaky', 'mallory')
    await w.mergeCompliant(500, 'Last')
    const started = performance.now()
    const r = await deploy(w, { environment: 'production', sha: w.history.main })
    const ms = performance.now() - started
    expect(r.outputs.changes).toBe('302')
    expect(r.result.decision.violations.map((v) => v.message)).toEqual([`commit ${pushed.slice(0, 12)} ("sneaky" by mallory) reached the branch without a pull request`])
    expect(r.summaries.join('\n')).toContain('302 commits, 151 pull requests')
    process.stdout.write(`deploy gate, 302-commit range: ${r.result.facts!.round_trips} GitHub round trips, ${ms.toFixed(0)} ms start to verdict + record\n`)
  }, 60_000)

  it('a re-run of the same workflow run finds its record and does not take itself as the baseline', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1)
    const head = await w.mergeCompliant(2, 'B')
    const first = await deploy(w, { environment: 'production', sha: head }, { runId: 55 })
    const second = await deploy(w, { environment: 'production', sha: head }, { runId: 55 })
    expect(second.result.changeId).toBe(first.result.changeId)
    expect(second.result.record!.seq).toBe(first.result.record!.seq)
    expect(second.log.join('\n')).toContain('(a re-run): nothing appended')
    expect(second.outputs['previous-sha']).toBe(v1)
  })

  it('adoption: an environment deployed before change-gate is denied by default; an operator-chosen baseline starts the range, with a deploy/baseline warning, recorded', async () => {
    const w = (world = await createWorld())
    // Before change-gate: PR 1 shipped through the Deployments API, PR 2 merged; no merge records.
    const old = w.history.merge(1, 'Legacy change').merge_sha
    w.history.deploy('production', old)
    const running = w.history.merge(2, 'Shipped by hand before adoption').merge_sha
    // After adoption: PR 3 merged through the gate.
    const head = await w.mergeCompliant(3, 'First gated change')

    const closed = await deploy(w, { environment: 'production', sha: head })
    expect(closed.result.decision.decision).toBe('deny')
    expect(codes(closed.result.decision.violations)).toEqual(['deploy/unreviewed-change'])
    expect(closed.result.document!.deployment.previous_source).toBe('deployments_api')

    const r = await deploy(w, { environment: 'production', sha: head, 'baseline-sha': running.toUpperCase() }, { runId: 9100 })
    expect(r.result.decision.decision).toBe('allow')
    expect(r.failures).toEqual([])
    expect(codes(r.result.decision.warnings)).toEqual(['deploy/baseline'])
    expect(r.result.decision.warnings[0]!.message).toContain(`baseline ${running.slice(0, 12)} chosen by release-manager`)
    expect(r.log).toContainEqual(expect.stringMatching(/^warning: .*commits up to the baseline were not checked by change-gate/))
    expect(r.result.document!.deployment).toEqual(expect.objectContaining({ previous_sha: running, previous_source: 'baseline' }))
    expect(r.result.document!.changes.map((c) => c.pr?.number)).toEqual([3])
    expect(r.outputs['previous-sha']).toBe(running)
    const rec = r.result.record!
    expect(rec.base_sha).toBe(running)
    expect(rec.links).toEqual(expect.objectContaining({ baseline: running, baseline_set_by: 'release-manager' }))
    expect(rec.change_desc).toContain(`operator-chosen baseline ${running.slice(0, 12)}`)
    expect(JSON.parse(r.outputs['decision-json']!).warnings.map((x: { code: string }) => x.code)).toContain('deploy/baseline')
    expect(r.summaries.join('\n')).toContain(`${running.slice(0, 12)}`)
    expect(r.summaries.join('\n')).toContain('the operator-chosen baseline (baseline-sha)')

    // Once that deployment succeeded it is the recorded baseline: a different baseline is refused
    // (fail closed), the same one changes nothing, and none is needed any more.
    await runOutcome({ io: recordingIO().io, store: w.store, read: (n) => ({ environment: 'production', outcome: 'success' })[n] ?? '' }, { repository: 'acme/api', runId: 9100, now: NOW, eventName: 'workflow_dispatch', payload: {}, sha: head })
    const next = await w.mergeCompliant(4, 'Second gated change')
    const overridden = await deploy(w, { environment: 'production', sha: next, 'baseline-sha': old })
    expect(overridden.result.decision.decision).toBe('error')
    expect(overridden.result.decision.error).toMatch(/already records the last successful deployment .* never overridden/)
    expect(overridden.failures[0]).toMatch(/^change-gate: error — /)
    const normal = await deploy(w, { environment: 'production', sha: next })
    expect(normal.result.decision.decision).toBe('allow')
    expect(normal.result.document!.deployment).toEqual(expect.objectContaining({ previous_sha: head, previous_source: 'evidence' }))
    expect(codes(normal.result.decision.warnings)).toEqual([])
    expect(normal.result.record!.links.baseline).toBeUndefined()
  })

  it('an API failure is an error (fail closed), still recorded', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1)
    w.history.commits.set('f'.repeat(40), { sha: 'f'.repeat(40), parents: [], message: '', author: null, email: '', date: '' })
    const r = await deploy(w, { environment: 'production', sha: 'e'.repeat(40) })
    expect(r.result.decision.decision).toBe('error')
    expect(r.result.decision.error).toMatch(/compare.*404/)
    expect(r.result.record!.decision!.verdict).toBe('error')
    expect(r.failures[0]).toMatch(/^change-gate: error — /)
  })
})

describe('deploy inputs', () => {
  it('requires an environment and a full SHA (default GITHUB_SHA)', () => {
    expect(() => parseDeployInputs(() => '', 'a'.repeat(40))).toThrow(/'environment' is required/)
    expect(parseDeployInputs((n) => (n === 'environment' ? 'prod' : ''), 'A'.repeat(40)).sha).toBe('a'.repeat(40))
    expect(() => parseDeployInputs((n) => (n === 'environment' ? 'prod' : n === 'sha' ? 'main' : ''))).toThrow(/not a full commit SHA/)
  })
  it('baseline-sha is optional and must be a full SHA', () => {
    const read = (baseline: string) => (n: string) => ({ environment: 'prod', 'baseline-sha': baseline })[n] ?? ''
    expect(parseDeployInputs(read(''), 'a'.repeat(40)).baseline).toBeNull()
    expect(parseDeployInputs(read('B'.repeat(40)), 'a'.repeat(40)).baseline).toBe('b'.repeat(40))
    expect(() => parseDeployInputs(read('v1.0.0'), 'a'.repeat(40))).toThrow(/Invalid input 'baseline-sha'/)
  })
})
