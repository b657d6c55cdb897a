import { describe, expect, test } from '@jest/globals'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { assertDraft } from '../../src/evidence/record.js'
import {
  deploymentRecord, digestOf, directPushRecord, exceptionRecord, mergeRecord, outcomeRecord, recordDecision, retroReviewRecord,
  type PullRequestDocLike
} from '../../src/evidence/records.js'
import { appendOrFail } from '../../src/evidence/append.js'
import { DirStore } from '../../src/evidence/backends/dir.js'
import type { EvidenceStore } from '../../src/evidence/store.js'

const doc: PullRequestDocLike = {
  repository: { full_name: 'Acme/App' },
  now: '2026-05-01T12:00:00Z',
  event: { run_id: 77, run_url: 'https://github.com/Acme/App/actions/runs/77' },
  pull_request: {
    number: 42, url: 'https://github.com/Acme/App/pull/42', title: 'Add billing v2', author: { login: 'alice' },
    base: { ref: 'main', sha: '1'.repeat(40) }, head: { ref: 'feat', sha: '2'.repeat(40) }, merge_commit_sha: '3'.repeat(40),
    merged_at: '2026-05-01T11:59:00Z',
    latest_reviews: [{ reviewer: { login: 'carol' }, state: 'APPROVED' }, { reviewer: { login: 'bob' }, state: 'APPROVED' }, { reviewer: { login: 'dan' }, state: 'CHANGES_REQUESTED' }]
  },
  change: { types: ['APPLICATION'], affected_systems: ['billing'], tickets: [{ key: 'BILL-7' }], rollback_plan: 'Disable flag billing_v2.' }
}
const allow = { allow: true, violations: [], exceptions: [] }
const ctx = { recordedAt: '2026-05-01T12:00:01Z', policyDigest: 'sha256:' + 'a'.repeat(64) }

describe('record builders', () => {
  test('merge record: the change-log columns from the document, the decision frozen, valid', () => {
    const r = mergeRecord(doc, allow, ctx)
    expect(() => assertDraft(r)).not.toThrow()
    expect(r).toMatchObject({
      kind: 'merge', stream: 'github.com/acme/app', change_ts: '2026-05-01T11:59:00Z', changed_by: 'alice', approved_by: ['bob', 'carol'],
      change_type: ['APPLICATION'], change_desc: 'Add billing v2', ticket_reference: ['BILL-7'], rollback_plan: 'Disable flag billing_v2.',
      change_outcome: 'MERGED', pr: { number: 42 }, merge_sha: '3'.repeat(40), decision: { verdict: 'allow' }, input_digest: digestOf(doc),
      run_url: 'https://github.com/Acme/App/actions/runs/77'
    })
    expect(r.review_due_at).toBeUndefined()
    expect(mergeRecord({ ...doc, now: '2026-06-01T00:00:00Z' }, allow, ctx).change_id).toBe(r.change_id)
  })

  test('break glass: exceptions set review_due_at (default 24 h)', () => {
    const r = mergeRecord(doc, { allow: true, violations: [], exceptions: [{ code: 'approval/second-approver' }] }, ctx)
    expect(r.review_due_at).toBe('2026-05-02T11:59:00.000Z')
    expect(mergeRecord(doc, { allow: true, violations: [], exceptions: [{ code: 'x' }] }, { ...ctx, reviewWithinHours: 48 }).review_due_at).toBe('2026-05-03T11:59:00.000Z')
  })

  test('verdicts: deny, pending, error', () => {
    expect(recordDecision({ allow: false, violations: [{ code: 'ticket/reference' }] }).verdict).toBe('deny')
    expect(recordDecision({ allow: false, violations: [], pending: [{ code: 'tests/passing' }] }).verdict).toBe('pending')
    expect(recordDecision({ allow: true, violations: [], error: true }).verdict).toBe('error')
  })

  test('every other kind builds a valid draft with stable change_ids', () => {
    const push = directPushRecord({ repository: 'acme/app', sha: '4'.repeat(40), before: '1'.repeat(40), ref: 'refs/heads/main', pusher: 'mallory', pushed_at: '2026-05-02T00:00:00Z', message: 'hotfix\n\nbody' },
      { allow: false, violations: [{ code: 'approval/second-approver' }] }, ctx)
    const retro = retroReviewRecord({ repository: 'acme/app', pr: { number: 42, url: 'u' }, reviewed_change_id: 'merge-x', reviewer: 'bob', submitted_at: '2026-05-01T20:00:00Z', author: 'alice' }, ctx)
    const exc = exceptionRecord({ repository: 'acme/app', subject_change_id: 'deployment-y', declared_by: 'ops', declared_at: '2026-05-03T00:00:00Z', justification: 'outage', environment: 'prod' }, allow, ctx)
    const dep = deploymentRecord({ repository: 'acme/app', environment: 'prod', sha: '5'.repeat(40), previous_sha: '4'.repeat(40), version: '1.2.0', deployer: 'ops', started_at: '2026-05-03T01:00:00Z', run_id: 9, changes: ['merge-a', 'merge-b'] }, allow, ctx)
    const out = outcomeRecord({ repository: 'acme/app', deployment_change_id: dep.change_id, environment: 'prod', sha: '5'.repeat(40), outcome: 'ROLLED_BACK', run_id: 7, reported_by: 'ops', reported_at: '2026-05-03T02:00:00Z' }, ctx)
    for (const r of [push, retro, exc, dep, out]) expect(() => assertDraft(r)).not.toThrow()
    expect(push).toMatchObject({ kind: 'direct_push', change_outcome: 'PUSHED', change_desc: 'hotfix', decision: { verdict: 'deny' } })
    expect(retro.links).toEqual({ reviewed: 'merge-x' })
    expect(exc).toMatchObject({ change_outcome: 'EXCEPTION', review_due_at: '2026-05-04T00:00:00.000Z' })
    expect(dep).toMatchObject({ change_outcome: 'DEPLOYING', links: { version: '1.2.0', changes: 'merge-a merge-b' } })
    expect(deploymentRecord({ repository: 'acme/app', environment: 'prod', sha: '5'.repeat(40), deployer: 'ops', started_at: '2026-05-03T01:00:00Z', run_id: 9 }, allow, ctx).change_id).toBe(dep.change_id)
    expect(deploymentRecord({ repository: 'acme/app', environment: 'prod', sha: '5'.repeat(40), deployer: 'ops', started_at: '2026-05-03T01:00:00Z', run_id: 10 }, allow, ctx).change_id).not.toBe(dep.change_id)
    expect(out).toMatchObject({ change_outcome: 'ROLLED_BACK', links: { deployment: dep.change_id } })
    // The outcome's change_id is scoped by run and outcome: the same run reporting it again finds
    // it; another run reporting the same outcome of the same deployment is a new record.
    const outcome = (run_id: number, o: 'SUCCESS' | 'ROLLED_BACK') => outcomeRecord({ repository: 'acme/app', deployment_change_id: dep.change_id, environment: 'prod', sha: '5'.repeat(40), outcome: o, run_id, reported_by: 'ops', reported_at: '2026-05-03T03:00:00Z' }, ctx).change_id
    expect(outcome(7, 'ROLLED_BACK')).toBe(out.change_id)
    expect(new Set([outcome(6, 'SUCCESS'), outcome(7, 'ROLLED_BACK'), outcome(8, 'SUCCESS'), outcome(8, 'ROLLED_BACK')]).size).toBe(4)
  })

  test('appendOrFail appends, and on failure keeps the whole record in the error', async () => {
    const store = new DirStore(mkdtempSync(join(tmpdir(), 'cg-rec-')))
    const r = mergeRecord(doc, allow, ctx)
    expect((await appendOrFail(store, r)).created).toBe(true)
    const broken: EvidenceStore = { ...store, url: 'dir:///x', append: async () => { throw new Error('disk full') } } as unknown as EvidenceStore
    await expect(appendOrFail(broken, r)).rejects.toThrow(/the merge record merge-[0-9a-f]+ could not be appended to dir:\/\/\/x: disk full\nSave this record .*\n\{"affected_systems":\["billing"\]/)
  })
})
