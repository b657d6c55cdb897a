import { describe, expect, it } from '@jest/globals'
import { buildDeploymentDocument } from '../../src/document/deployment.js'
import type { GitHubDeploymentFacts } from '../../src/github/deployment.js'
import type { EvidenceRecord } from '../../src/evidence/record.js'

const A = 'a'.repeat(40)
const B = 'b'.repeat(40)
const C = 'c'.repeat(40)

const merge = {
  change_id: 'merge-1',
  kind: 'merge',
  approved_by: ['carol'],
  ticket_reference: ['OPS-7'],
  change_type: ['DDL', 'APPLICATION'],
  recorded_at: '2026-11-20T10:00:00Z',
  decision: { verdict: 'allow', violations: [], exceptions: [{ code: 'approval/second-approver' }] }
} as unknown as EvidenceRecord

const facts: GitHubDeploymentFacts = {
  repository: { owner: 'acme', name: 'api', full_name: 'acme/api' },
  environment: 'production',
  sha: C,
  version: 'v1.3.0',
  previous: { sha: A, version: '1.2.0', change_id: 'deployment-x', source: 'evidence', at: '2026-11-19T10:00:00Z' },
  unrecorded_deployment: null,
  range: { status: 'ahead', ahead_by: 2, behind_by: 0, merge_base: A },
  rollback: false,
  changes: [
    { commit: { sha: B, parents: [A], message: 'Add index (#7)', author: { login: 'bob', name: 'Bob', email: 'bob@x' }, committer: { login: null, name: null, email: null }, authored_at: null }, pull: { number: 7, url: 'https://github.com/acme/api/pull/7', title: 'Add index', source: 'merge_record' }, merge_record: merge },
    { commit: { sha: C, parents: [B], message: 'hotfix', author: { login: null, name: 'M', email: 'm@x' }, committer: { login: null, name: null, email: null }, authored_at: null }, pull: null, merge_record: null }
  ],
  changes_complete: true,
  problems: [],
  round_trips: 2,
  evidence_records: 4
}

describe('buildDeploymentDocument', () => {
  it('carries the deployment, each change with its PR and frozen merge verdict, and the release summary', () => {
    const doc = buildDeploymentDocument(facts, { now: new Date('2026-11-25T10:00:00Z'), default_branch: 'main', event: { name: 'workflow_dispatch', actor: 'rm', run_id: 42, run_url: 'https://x/runs/42' }, break_glass: '  ' })
    expect(doc.kind).toBe('deployment')
    expect(doc.schema).toBe('change-gate/input/v1')
    expect(doc.now).toBe('2026-11-25T10:00:00.000Z')
    expect(doc.event).toEqual({ name: 'workflow_dispatch', action: null, actor: 'rm', sha: C, run_id: '42', run_url: 'https://x/runs/42' })
    expect(doc.deployment).toEqual({ environment: 'production', sha: C, previous_sha: A, version: 'v1.3.0', previous_version: '1.2.0', rollback: false, previous_source: 'evidence', range_status: 'ahead', unrecorded_deployment: null, break_glass: null })
    expect(doc.changes[0]!.pr!.merge_record).toEqual({ change_id: 'merge-1', verdict: 'allow', approved_by: ['carol'], ticket_reference: ['OPS-7'], change_type: ['DDL', 'APPLICATION'], exceptions: ['approval/second-approver'], recorded_at: '2026-11-20T10:00:00Z' })
    expect(doc.changes[1]).toEqual({ sha: C, message: 'hotfix', author: { login: null, email: 'm@x' }, is_merge: false, pr: null })
    expect(doc.release).toEqual({ pull_requests: [7], tickets: ['OPS-7'], change_types: ['APPLICATION', 'DDL'] })
  })
  it('a first deployment has no previous; a justification opens the break-glass path', () => {
    const doc = buildDeploymentDocument({ ...facts, previous: null, range: null, changes: [] }, { now: new Date(0), event: { name: 'push' }, break_glass: 'Outage INC-9: payments down' })
    expect(doc.deployment.previous_sha).toBeNull()
    expect(doc.deployment.range_status).toBeNull()
    expect(doc.deployment.break_glass).toEqual({ justification: 'Outage INC-9: payments down' })
    expect(doc.repository.default_branch).toBe('')
  })
})

describe('schemas/input.deployment.v1.schema.json', () => {
  it('is DEPLOYMENT_INPUT_SCHEMA written out, and the built documents validate against it', async () => {
    const { readFileSync } = await import('node:fs')
    const { Ajv } = await import('ajv')
    const { DEPLOYMENT_INPUT_SCHEMA } = await import('../../src/document/deployment-schema.js')
    const file = JSON.parse(readFileSync(new URL('../../schemas/input.deployment.v1.schema.json', import.meta.url), 'utf8'))
    expect(file).toEqual(JSON.parse(JSON.stringify(DEPLOYMENT_INPUT_SCHEMA)))
    const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(file)
    const docs = [
      buildDeploymentDocument(facts, { now: new Date('2026-11-25T10:00:00Z'), default_branch: 'main', event: { name: 'workflow_dispatch', run_id: 1 }, break_glass: 'INC-1: outage, shipping the fix now' }),
      buildDeploymentDocument({ ...facts, previous: null, range: null, changes: [], changes_complete: false, problems: ['x'] }, { now: new Date(0), event: { name: 'cli' } })
    ]
    for (const doc of docs) {
      validate(doc)
      expect(validate.errors ?? []).toEqual([])
    }
    expect(validate({ ...docs[0], changes: [{ sha: 'x' }] })).toBe(false)
  })
})
