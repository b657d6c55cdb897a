import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { outcomeFromDeploymentStatus, parseOutcome, recordOutcome } from '../../src/action/outcome.js'
import { recordingIO } from '../action/recording-io.js'
import { createWorld, type World } from './world.js'

jest.setTimeout(60_000)

let world: World | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

describe('outcome', () => {
  it('parses outcomes, including the values of job.status', () => {
    expect(['success', 'SUCCESS', 'failure', 'cancelled', 'rolled_back', 'rolled-back', 'ROLLED_BACK'].map(parseOutcome)).toEqual(['SUCCESS', 'SUCCESS', 'FAILED', 'FAILED', 'ROLLED_BACK', 'ROLLED_BACK', 'ROLLED_BACK'])
    expect(() => parseOutcome('skipped')).toThrow(/Expected success, failure or rolled_back/)
  })

  it('maps deployment_status states; non-final states record nothing', () => {
    const p = (state: string) => ({ deployment_status: { state, environment: 'prod' }, deployment: { sha: 'a'.repeat(40), environment: 'prod' } })
    expect(outcomeFromDeploymentStatus(p('success'))).toEqual({ environment: 'prod', sha: 'a'.repeat(40), outcome: 'SUCCESS' })
    expect(outcomeFromDeploymentStatus(p('error'))!.outcome).toBe('FAILED')
    expect(outcomeFromDeploymentStatus(p('in_progress'))).toBeNull()
    expect(() => outcomeFromDeploymentStatus({ deployment_status: { state: 'success' } })).toThrow(/no deployment.sha/)
  })

  it('links to the latest deployment of (environment, sha); a later outcome supersedes an earlier one; re-runs append nothing', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    const id = await w.recordDeployment('production', v1, { outcome: null })
    const rec = recordingIO()
    const ctx = { repository: 'acme/api', runId: 1, now: new Date('2026-11-25T10:00:00Z') }
    const first = await recordOutcome(w.store, rec.io, { environment: 'production', sha: v1, outcome: 'SUCCESS' }, ctx)
    expect(first.deployment.change_id).toBe(id)
    const again = await recordOutcome(w.store, rec.io, { environment: 'production', sha: v1, outcome: 'SUCCESS' }, ctx)
    expect(again.records[0]!.seq).toBe(first.records[0]!.seq)
    expect(rec.log.join('\n')).toContain('already recorded (a re-run): nothing appended')
    await recordOutcome(w.store, rec.io, { environment: 'production', sha: v1, outcome: 'ROLLED_BACK', deploymentChangeId: id }, ctx)
    const { readEvidenceIndex } = await import('../../src/github/deploy-evidence.js')
    expect((await readEvidenceIndex(w.store, 'acme/api')).lastSuccessfulDeployment('production')).toBeNull()
  })

  it('SUCCESS, ROLLED_BACK, then SUCCESS again from later runs are three records; a re-run of each run appends nothing', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    const id = await w.recordDeployment('production', v1, { outcome: null })
    const rec = recordingIO()
    const report = (runId: number, outcome: 'SUCCESS' | 'ROLLED_BACK') =>
      recordOutcome(w.store, rec.io, { environment: 'production', sha: v1, outcome, deploymentChangeId: id }, { repository: 'acme/api', runId, now: new Date('2026-11-25T10:00:00Z') })
    const { readEvidenceIndex } = await import('../../src/github/deploy-evidence.js')
    const baseline = async () => (await readEvidenceIndex(w.store, 'acme/api')).lastSuccessfulDeployment('production')?.change_id ?? null
    const seqs: number[] = []
    for (const [run, outcome, expected] of [[11, 'SUCCESS', id], [12, 'ROLLED_BACK', null], [13, 'SUCCESS', id]] as const) {
      const first = await report(run, outcome)
      expect(first.records).toHaveLength(1)
      const rerun = await report(run, outcome)
      expect(rerun.records[0]!.seq).toBe(first.records[0]!.seq)
      seqs.push(first.records[0]!.seq)
      expect(await baseline()).toBe(expected)
    }
    expect(new Set(seqs).size).toBe(3)
    const { loadVerified } = await import('../../src/evidence/load.js')
    const outcomes = (await loadVerified(w.store)).records.map((r) => r.record).filter((r) => r.kind === 'outcome').map((r) => r.change_outcome)
    expect(outcomes).toEqual(['SUCCESS', 'ROLLED_BACK', 'SUCCESS'])
  })

  it('refuses a deployment record of another SHA or environment', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    const id = await w.recordDeployment('staging', v1, { outcome: null })
    await expect(recordOutcome(w.store, recordingIO().io, { environment: 'production', sha: v1, outcome: 'SUCCESS', deploymentChangeId: id }, { repository: 'acme/api', runId: 1, now: new Date() })).rejects.toThrow(/not of .* to 'production'/)
  })
})
