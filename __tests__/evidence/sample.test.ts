import { describe, expect, test } from '@jest/globals'
import { auditChecks } from '../../src/evidence/sample.js'
import type { EvidenceRecord, RecordDecision } from '../../src/evidence/record.js'
import { draft } from './helpers.js'

const APPROVAL = 'approval by someone other than the author'

function pushRecord(decision: RecordDecision | null): EvidenceRecord {
  return { ...draft(7, { kind: 'direct_push', pr: null, approved_by: [], change_outcome: 'PUSHED', merge_sha: null, decision }), seq: 7, prev_hash: '0'.repeat(64) }
}

function check(r: EvidenceRecord, name: string) {
  return auditChecks(r, 'h'.repeat(64)).find((c) => c.check === name)
}

describe('auditChecks on a direct push reads the recorded decision', () => {
  test('a commit that bypassed pull requests fails the approval check with the policy message', () => {
    const r = pushRecord({ verdict: 'deny', violations: [{ code: 'push/no-pull-request', message: 'commit 222222222222 reached main without a merged pull request (pushed by mallory)' }], exceptions: [] })
    expect(check(r, APPROVAL)).toEqual({ check: APPROVAL, status: 'fail', detail: 'commit 222222222222 reached main without a merged pull request (pushed by mallory)' })
    expect(check(r, 'policy verdict')).toMatchObject({ status: 'fail', detail: 'deny: push/no-pull-request' })
  })

  test('a push the policies allowed (an exemption) asks the auditor to confirm the exemption, and passes the verdict', () => {
    const r = pushRecord({ verdict: 'allow', violations: [], exceptions: [] })
    expect(check(r, APPROVAL)).toMatchObject({ status: 'manual', detail: expect.stringMatching(/policies allowed it: confirm the exemption/) })
    expect(check(r, 'policy verdict')).toEqual({ check: 'policy verdict', status: 'pass', detail: 'allow' })
  })

  test('a push of merged-PR commits denied by a custom rule: approvals are in the merge records, the verdict fails', () => {
    const r = pushRecord({ verdict: 'deny', violations: [{ code: 'team/no-force-push', message: 'forced push to main' }], exceptions: [] })
    expect(check(r, APPROVAL)).toMatchObject({ status: 'manual', detail: expect.stringMatching(/came through merged pull requests/) })
    expect(check(r, 'policy verdict')).toMatchObject({ status: 'fail', detail: 'deny: team/no-force-push' })
  })

  test('a custom deny next to a bypassing commit still fails the approval check', () => {
    const r = pushRecord({ verdict: 'deny', violations: [{ code: 'team/no-force-push', message: 'forced' }, { code: 'push/no-pull-request', message: 'commit 3333 bypassed review' }], exceptions: [] })
    expect(check(r, APPROVAL)).toMatchObject({ status: 'fail', detail: 'commit 3333 bypassed review' })
  })

  test('without a usable decision (older records, an error) the push counts as unreviewed', () => {
    expect(check(pushRecord(null), APPROVAL)).toMatchObject({ status: 'fail', detail: 'pushed directly to a protected branch without a reviewed pull request' })
    expect(check(pushRecord({ verdict: 'error', violations: [], exceptions: [] }), APPROVAL)).toMatchObject({ status: 'fail', detail: expect.stringMatching(/decision was error/) })
  })
})
