/**
 * The deploy gate through the BUNDLED action (built from src into a temporary dist/ with policies/
 * beside it, as in the action checkout), started as a runner starts it: GITHUB_* environment,
 * INPUT_* inputs, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, the API at the GitHub stand-in and
 * the evidence store in a real bare git repository.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals'
import type { EvidenceRecord } from '../../src/evidence/record.js'
import { buildBundledAction, TOKEN, type ActionRun, type BundledAction } from '../support/bundled-action.js'
import { createWorld, type World } from './world.js'

jest.setTimeout(120_000)

let bundled: BundledAction
beforeAll(() => {
  bundled = buildBundledAction('cg-deploy-e2e-')
})
afterAll(() => bundled.remove())

let world: World | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

let runs = 0
function action(w: World, inputs: Record<string, string>, options: { event?: string; payload?: unknown; sha?: string; runId?: string } = {}): Promise<ActionRun> {
  runs++
  return bundled.run({
    event: options.event ?? 'workflow_dispatch',
    payload: options.payload ?? { repository: { full_name: 'acme/api', default_branch: 'main' } },
    apiUrl: w.standin.url,
    env: {
      GITHUB_RUN_ID: options.runId ?? String(9000 + runs),
      GITHUB_ACTOR: 'release-manager',
      GITHUB_SHA: options.sha ?? w.history.main,
      'INPUT_EVIDENCE-STORE': w.storeUrl,
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]))
    }
  })
}

async function records(w: World): Promise<EvidenceRecord[]> {
  const out: EvidenceRecord[] = []
  for await (const e of w.store.read()) out.push(JSON.parse(e.bytes.toString('utf8')))
  return out
}

describe('the bundled action: mode deploy and mode outcome', () => {
  it('a clean release ships: exit 0, outputs, the summary lists every change; the outcome step links SUCCESS to the deployment', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'Add billing')
    await w.recordDeployment('production', v1, { version: '1.0.0' })
    await w.mergeCompliant(2, 'Fix totals')
    const head = await w.mergeCompliant(3, 'Add audit log')
    const gate = await action(w, { mode: 'deploy', environment: 'production', version: '1.1.0' }, { runId: '777' })
    // the token is masked (the runner hides it everywhere after ::add-mask::) and never printed
    expect(gate.stdout).toContain(`::add-mask::${TOKEN}`)
    expect(gate.stdout.replace(`::add-mask::${TOKEN}`, '')).not.toContain(TOKEN)
    expect(gate.code).toBe(0)
    expect(gate.outputs).toEqual(expect.objectContaining({ decision: 'allow', 'previous-sha': v1, changes: '2', rollback: 'false' }))
    expect(gate.summary).toContain('change-gate deploy: allow')
    expect(gate.summary).toContain('#3 Add audit log')
    const id = gate.outputs['deployment-change-id']!
    const outcome = await action(w, { mode: 'outcome', environment: 'production', outcome: 'success', 'deployment-change-id': id }, { runId: '777' })
    expect(outcome.code).toBe(0)
    expect(outcome.outputs.outcome).toBe('SUCCESS')
    const all = await records(w)
    const deployment = all.find((r) => r.change_id === id)!
    expect(deployment).toEqual(expect.objectContaining({ kind: 'deployment', head_sha: head, base_sha: v1, change_outcome: 'DEPLOYING', changed_by: 'release-manager', run_url: 'https://github.com/acme/api/actions/runs/777' }))
    expect(all[all.length - 1]).toEqual(expect.objectContaining({ kind: 'outcome', change_outcome: 'SUCCESS', links: { deployment: id } }))
    process.stdout.write(`bundled deploy gate, 2-commit release: ${gate.ms.toFixed(0)} ms process start to exit\n`)
  })

  it('a release with a direct push is denied: exit 1 before anything ships, recorded as BLOCKED', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1)
    w.history.push('hotfix on main', 'mallory')
    const gate = await action(w, { mode: 'deploy', environment: 'production' })
    expect(gate.code).toBe(1)
    expect(gate.outputs.decision).toBe('deny')
    expect(gate.stdout).toContain('deploy/unreviewed-change')
    expect(gate.summary).toContain('❌ no pull request')
    const last = (await records(w)).pop()!
    expect(last).toEqual(expect.objectContaining({ kind: 'deployment', change_outcome: 'BLOCKED' }))
  })

  it('a deployment_status event records the outcome of the matching deployment', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    const gate = await action(w, { mode: 'deploy', environment: 'staging' }, { sha: v1 })
    expect(gate.code).toBe(0)
    const payload = { deployment_status: { state: 'failure', environment: 'staging' }, deployment: { sha: v1, environment: 'staging' }, repository: { full_name: 'acme/api' } }
    const status = await action(w, { mode: 'outcome' }, { event: 'deployment_status', payload })
    expect(status.code).toBe(0)
    expect((await records(w)).pop()).toEqual(expect.objectContaining({ kind: 'outcome', change_outcome: 'FAILED', links: { deployment: gate.outputs['deployment-change-id'] } }))
  })

  it('a deployment event: environment and SHA come from the payload', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.mergeCompliant(2, 'B')
    const payload = { deployment: { id: 1, sha: v1, environment: 'qa' }, repository: { full_name: 'acme/api' } }
    const r = await action(w, { mode: 'deploy' }, { event: 'deployment', payload })
    expect(r.code).toBe(0)
    expect((await records(w)).pop()).toEqual(expect.objectContaining({ kind: 'deployment', environment: 'qa', head_sha: v1 }))
  })

  it('mode outcome without a deployment record fails with how to fix it', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    const r = await action(w, { mode: 'outcome', environment: 'production', outcome: 'success' }, { sha: v1 })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('run change-gate with mode: deploy before deploying')
  })

  const FREEZE = ['deploy:', '  freeze:', '    windows:', '      - { name: year-end, start: 2026-01-01T00:00:00Z, end: 2036-01-01T00:00:00Z, environments: [production] }', ''].join('\n')

  it('a release containing a PR merged while its gate was failing: exit 1', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1)
    const m = w.history.merge(2, 'Merged on red')
    await w.recordMerge(2, m, { verdict: 'deny' })
    const r = await action(w, { mode: 'deploy', environment: 'production' })
    expect(r.code).toBe(1)
    expect(r.summary).toContain('PR \\#2 was merged while its gate said deny')
    expect(r.summary).toContain('❌ merged on deny')
  })

  it('a version that does not increase: exit 1 with deploy/version', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1, { version: 'v3.0.0' })
    await w.mergeCompliant(2, 'B')
    const r = await action(w, { mode: 'deploy', environment: 'production', version: 'v3.0.0' })
    expect(r.code).toBe(1)
    expect(JSON.parse(r.outputs['decision-json']!).violations.map((v: { code: string }) => v.code)).toEqual(['deploy/version'])
  })

  it('a freeze window denies; break glass lets it through as an exception', async () => {
    const w = (world = await createWorld({ config: FREEZE }))
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1)
    await w.mergeCompliant(2, 'B')
    const frozen = await action(w, { mode: 'deploy', environment: 'production' })
    expect(frozen.code).toBe(1)
    expect(frozen.summary).toContain('is frozen until the end of the')
    const glass = await action(w, { mode: 'deploy', environment: 'production', 'break-glass': 'INC-77 payment outage: the fix must ship during the freeze' })
    expect(glass.code).toBe(0)
    expect(JSON.parse(glass.outputs['decision-json']!).exceptions.map((e: { code: string }) => e.code)).toEqual(['deploy/freeze'])
    const last = (await records(w)).pop()!
    expect(last.review_due_at).toEqual(expect.any(String))
  })

  it('a rollback ships and, once it succeeds, the withdrawn deployment is ROLLED_BACK', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1)
    const v2 = await w.mergeCompliant(2, 'B')
    const d2 = await w.recordDeployment('production', v2)
    const gate = await action(w, { mode: 'deploy', environment: 'production' }, { sha: v1, runId: '31337' })
    expect(gate.code).toBe(0)
    expect(gate.outputs.rollback).toBe('true')
    const out = await action(w, { mode: 'outcome', environment: 'production', outcome: 'success' }, { sha: v1, runId: '31337' })
    expect(out.code).toBe(0)
    const tail = (await records(w)).slice(-2)
    expect(tail.map((r) => [r.change_outcome, r.links.deployment])).toEqual([
      ['SUCCESS', gate.outputs['deployment-change-id']],
      ['ROLLED_BACK', d2]
    ])
  })

  it('the first deployment of an environment: exit 0 with a warning', async () => {
    const w = (world = await createWorld())
    await w.mergeCompliant(1, 'A')
    const r = await action(w, { mode: 'deploy', environment: 'production' })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.outputs['decision-json']!).warnings.map((x: { code: string }) => x.code)).toEqual(['deploy/first-deployment'])
  })

  it('a range of more than 250 commits: every commit listed and judged', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1)
    for (let i = 0; i < 140; i++) await w.mergeCompliant(10 + i, `Change ${i}`, { strategy: 'merge' })
    const r = await action(w, { mode: 'deploy', environment: 'production' })
    expect(r.code).toBe(0)
    expect(r.outputs.changes).toBe('280')
    expect(r.summary).toContain('280 commits, 140 pull requests')
    process.stdout.write(`bundled deploy gate, 280-commit release: ${r.ms.toFixed(0)} ms process start to exit\n`)
  })
})
