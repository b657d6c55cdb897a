/**
 * Writes examples/evidence/NN.json: the record drafts of one quarter of a fictional repository
 * (acme/payments-api, Q1 2026), built with the same builders the action uses, for the auditor's
 * session in the README (examples/audit-session.sh). Regenerate with `npx tsx scripts/make-example-evidence.ts`.
 * Everything is fixed (times, SHAs, digests), so a re-run writes the same bytes.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deploymentRecord, directPushRecord, mergeRecord, outcomeRecord, retroReviewRecord, type DecisionLike, type PullRequestDocLike } from '../src/evidence/records.js'
import { assertDraft, type DecisionItem, type RecordDraft } from '../src/evidence/record.js'

// An optional folder argument writes elsewhere (the examples test regenerates and compares).
const OUT = process.argv[2] ?? fileURLToPath(new URL('../examples/evidence/', import.meta.url))
const REPO = 'acme/payments-api'
const URL_BASE = `https://github.com/${REPO}`
const POLICY = `sha256:${hex('change-gate policies 0.1.0')}`

/** A stable fake commit SHA per name (the example has no real repository behind it). */
function sha(name: string): string {
  return hex(name).slice(0, 40)
}
function hex(s: string): string {
  return createHash('sha256').update(s).digest('hex')
}
function run(id: number): string {
  return `${URL_BASE}/actions/runs/${id}`
}

const allow: DecisionLike = { allow: true, violations: [] }

interface PrSpec {
  number: number
  title: string
  author: string
  approvers: string[]
  mergedAt: string
  types: string[]
  systems: string[]
  tickets: string[]
  rollback: string | null
}

function prDoc(p: PrSpec): PullRequestDocLike {
  return {
    repository: { full_name: REPO },
    now: p.mergedAt,
    event: { run_id: 7000 + p.number, run_url: run(7000 + p.number), actor: p.author },
    pull_request: {
      number: p.number,
      url: `${URL_BASE}/pull/${p.number}`,
      title: p.title,
      author: { login: p.author },
      base: { ref: 'main', sha: sha(`base-${p.number}`) },
      head: { ref: `feature/${p.number}`, sha: sha(`head-${p.number}`) },
      merge_commit_sha: sha(`merge-${p.number}`),
      merged_at: p.mergedAt,
      latest_reviews: p.approvers.map((login) => ({ reviewer: { login }, state: 'APPROVED' }))
    },
    change: { types: p.types, affected_systems: p.systems, tickets: p.tickets.map((key) => ({ key })), rollback_plan: p.rollback }
  }
}

/** Recorded a few seconds after the event, as the action does. */
function at(ts: string, seconds = 20): { recordedAt: string; policyDigest: string } {
  return { recordedAt: new Date(Date.parse(ts) + seconds * 1000).toISOString(), policyDigest: POLICY }
}

const drafts: RecordDraft[] = []
function merge(p: PrSpec, decision: DecisionLike = allow): RecordDraft {
  const r = mergeRecord(prDoc(p), decision, at(p.mergedAt))
  drafts.push(r)
  return r
}

merge({ number: 101, title: 'Add idempotency keys to the charge endpoint', author: 'alice', approvers: ['bob'], mergedAt: '2026-01-08T14:12:03Z', types: ['feature'], systems: ['payments-api'], tickets: ['PAY-101'], rollback: 'Revert the PR; the new column is nullable and unused by older versions.' })
merge({ number: 104, title: 'Fix rounding of refunds in JPY', author: 'carol', approvers: ['alice', 'dave'], mergedAt: '2026-01-21T09:40:51Z', types: ['bugfix'], systems: ['payments-api'], tickets: ['PAY-117'], rollback: 'Revert the PR.' })

// Someone with admin rights pushed a hotfix straight to main: the policies deny it, and the
// record keeps that decision for the auditor.
const noPr: DecisionItem = {
  code: 'push/no-pull-request',
  title: 'Change without a pull request',
  message: `commit ${sha('push-hotfix').slice(0, 12)} reached main without a merged pull request`,
  control: 'CC8.1',
  severity: 'high',
  remediation: 'Protect the branch (require pull requests and the change-gate status), then open a pull request that reviews this change retroactively.'
}
drafts.push(directPushRecord(
  { repository: REPO, sha: sha('push-hotfix'), before: sha('merge-104'), ref: 'refs/heads/main', pusher: 'erin', pushed_at: '2026-02-02T22:05:10Z', message: 'Bump TLS client timeout to 30s\n\nPager alert PAY-INC-9', run_url: run(7301), input: { kind: 'direct_push', sha: sha('push-hotfix') } },
  { allow: false, violations: [noPr] },
  at('2026-02-02T22:05:10Z')
))

// Break glass: an emergency fix merged on the author's own say-so, then reviewed the next morning.
const missingApproval: DecisionItem = {
  code: 'approval/second-approver',
  title: 'Second approver',
  message: 'needs 1 more independent approval on the head commit — break glass: allowed as an emergency change; a retroactive review by a qualifying approver is due within 24 h',
  control: 'CC8.1',
  severity: 'high',
  remediation: 'Ask a reviewer with write access who did not author or commit any of the changes to approve the latest commit.'
}
const pr112 = merge(
  { number: 112, title: 'Emergency: stop double-capturing card payments after the gateway retry change', author: 'dave', approvers: [], mergedAt: '2026-02-14T03:17:44Z', types: ['bugfix', 'emergency'], systems: ['payments-api'], tickets: ['PAY-INC-12'], rollback: 'Revert the PR and re-enable the gateway retry flag.' },
  { allow: true, violations: [], exceptions: [missingApproval] }
)
drafts.push(retroReviewRecord(
  { repository: REPO, pr: { number: 112, url: `${URL_BASE}/pull/112` }, reviewed_change_id: pr112.change_id, reviewer: 'bob', submitted_at: '2026-02-14T09:02:31Z', author: 'dave', run_url: run(7412), decision: allow, input: { kind: 'retro_review', pr: 112, reviewer: 'bob' } },
  at('2026-02-14T09:02:31Z')
))

const pr118 = merge({ number: 118, title: 'Rotate the webhook signing secret every 90 days', author: 'bob', approvers: ['carol'], mergedAt: '2026-03-03T16:25:00Z', types: ['security'], systems: ['payments-api', 'webhooks'], tickets: ['SEC-44'], rollback: 'Revert the PR; the previous secret stays valid for 7 days.' })

// The release of these changes to production, and how it went.
const deployTs = '2026-03-05T10:00:12Z'
const deployment = deploymentRecord(
  { repository: REPO, environment: 'production', sha: sha('merge-118'), previous_sha: sha('merge-104'), version: 'v2.4.0', deployer: 'carol', started_at: deployTs, run_id: 7520, run_url: run(7520), changes: [pr112.change_id, pr118.change_id], change_types: ['bugfix', 'emergency', 'security'], tickets: ['PAY-INC-12', 'SEC-44'], input: { kind: 'deployment', version: 'v2.4.0' } },
  allow,
  at(deployTs)
)
drafts.push(deployment)
drafts.push(outcomeRecord(
  { repository: REPO, deployment_change_id: deployment.change_id, environment: 'production', sha: sha('merge-118'), outcome: 'SUCCESS', run_id: 7520, reported_by: 'carol', reported_at: '2026-03-05T10:07:40Z', run_url: run(7520) },
  at('2026-03-05T10:07:40Z', 5)
))

merge({ number: 121, title: 'Log the gateway request id on declines', author: 'alice', approvers: ['carol'], mergedAt: '2026-03-24T11:48:19Z', types: ['feature'], systems: ['payments-api'], tickets: ['PAY-130'], rollback: 'Revert the PR.' })

rmSync(OUT, { recursive: true, force: true })
mkdirSync(OUT, { recursive: true })
drafts.forEach((d, i) => {
  assertDraft(d, `example record ${i + 1}`)
  writeFileSync(join(OUT, `${String(i + 1).padStart(2, '0')}.json`), JSON.stringify(d, null, 2) + '\n')
})
console.log(`wrote ${readdirSync(OUT).length} record drafts to ${OUT}`)
