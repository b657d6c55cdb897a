import { describe, expect, test } from '@jest/globals'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DirStore } from '../../src/evidence/backends/dir.js'
import { changeId } from '../../src/evidence/change-id.js'
import { draft, runCli } from '../evidence/helpers.js'

async function store(reviewed: boolean): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'cg-cli-report-'))
  const s = new DirStore(root)
  await s.append(draft(1, { change_type: ['APPLICATION', 'DDL'] }))
  await s.append(draft(2, { approved_by: ['alice'] }))
  await s.append(draft(3, {
    kind: 'direct_push', change_id: changeId({ repository: 'acme/app', kind: 'direct_push', subject: 'f'.repeat(40) }), pr: null,
    approved_by: [], change_outcome: 'PUSHED', change_type: ['INFRASTRUCTURE'],
    decision: { verdict: 'deny', violations: [{ code: 'approval/second-approver' }], exceptions: [] }
  }))
  const emergency = draft(4, {
    approved_by: [], review_due_at: '2026-03-06T10:00:00Z',
    decision: { verdict: 'allow', violations: [], exceptions: [{ code: 'approval/second-approver', message: 'break glass' }] }
  })
  await s.append(emergency)
  if (reviewed) {
    await s.append(draft(5, {
      kind: 'retro_review', change_id: changeId({ repository: 'acme/app', kind: 'retro_review', subject: 4 }), change_outcome: 'REVIEWED',
      approved_by: ['carol'], links: { reviewed: emergency.change_id }
    }))
  }
  await s.append(draft(6, { kind: 'outcome', change_id: 'outcome-1', change_outcome: 'SUCCESS', links: { deployment: 'deployment-1' } }))
  return `dir://${root}`
}

describe('change-gate report', () => {
  test('counts by kind, type and verdict, approval coverage, direct pushes; an overdue review exits 1', async () => {
    const url = await store(false)
    const r = await runCli(['report', '--store', url, '--now', '2026-04-01T00:00:00Z', '--format', 'json'])
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout)
    expect(out.by_kind).toEqual({ merge: 3, direct_push: 1, outcome: 1 })
    expect(out.by_type).toEqual({ APPLICATION: 3, DDL: 1, INFRASTRUCTURE: 1 })
    expect(out.approval).toMatchObject({ merges: 3, independently_approved: 1, coverage: 0.3333 })
    expect(out.approval.unapproved.map((u: { seq: number }) => u.seq)).toEqual([2, 4])
    expect(out.direct_pushes).toEqual([{ seq: 3, change_id: expect.stringMatching(/^direct_push-/), head_sha: 'b'.repeat(40), changed_by: 'alice' }])
    expect(out.overdue_reviews).toEqual([expect.objectContaining({ seq: 4, review_due_at: '2026-03-06T10:00:00Z', exceptions: ['approval/second-approver'] })])
    expect(out.outcomes).toEqual({ SUCCESS: 1 })
    const text = await runCli(['report', '--store', url, '--now', '2026-04-01T00:00:00Z'])
    expect(text.stdout).toMatch(/Approval coverage: 1 of 3 merges approved by someone other than the author \(33\.3%\)/)
    expect(text.stdout).toMatch(/OVERDUE record 4 .*review was due 2026-03-06T10:00:00Z/)
  })

  test('a recorded retro review, or a review not yet due, is not overdue', async () => {
    const reviewed = await runCli(['report', '--store', await store(true), '--now', '2026-04-01T00:00:00Z', '--format', 'json'])
    expect(reviewed.code).toBe(0)
    expect(JSON.parse(reviewed.stdout).exceptions).toEqual([expect.objectContaining({ seq: 4, reviewed: true })])
    const early = await runCli(['report', '--store', await store(false), '--now', '2026-03-06T09:00:00Z'])
    expect(early.code).toBe(0)
    expect(early.stdout).toMatch(/Overdue retroactive reviews: 0/)
  })

  test('the period filters records by change_ts', async () => {
    const out = JSON.parse((await runCli(['report', '--store', await store(false), '--from', '2026-03-04', '--to', '2026-03-05', '--now', '2026-03-01T00:00:00Z', '--format', 'json'])).stdout)
    expect(out.records).toBe(2)
  })
})
