import { canonicalize } from './canonical.js'
import { sha256Hex } from './chain.js'
import { changeId } from './change-id.js'
import type { ChangeOutcome, DecisionItem, RecordDecision, RecordDraft } from './record.js'

/**
 * Builders of the records the action appends (DESIGN §2): plain functions from a decision and
 * the input document (DESIGN §4) to a draft. They read only the fields they need, so they accept
 * any document of that shape.
 */

export interface DecisionLike {
  allow: boolean
  violations: DecisionItem[]
  exceptions?: DecisionItem[]
  pending?: DecisionItem[]
  /** Set when evaluation failed: the record says error, never allow. */
  error?: boolean
}

export interface PullRequestDocLike {
  repository: { full_name: string }
  now: string
  event?: { run_id?: number | string; run_url?: string; actor?: string; sha?: string }
  pull_request: {
    number: number
    url: string
    title: string
    author: { login: string }
    base: { ref: string; sha: string }
    head: { ref: string; sha: string }
    merge_commit_sha?: string | null
    merged_at?: string | null
    latest_reviews?: { reviewer: { login: string }; state: string }[]
  }
  change?: {
    types?: string[]
    affected_systems?: string[]
    tickets?: { key: string }[]
    rollback_plan?: string | null
  }
}

export interface BuildContext {
  /** When the record is written (RFC 3339); defaults to now. */
  recordedAt?: string
  /** sha256:<hex> of the policy bundle that decided. */
  policyDigest?: string | null
  /** Host for the stream name (github.com, or a GHES host). */
  host?: string
  /** Hours until a break-glass exception's retroactive review is due (default 24). */
  reviewWithinHours?: number
}

export function streamOf(repository: string, host = 'github.com'): string {
  return `${host}/${repository.toLowerCase()}`
}

/** `sha256:<hex>` of a document's canonical JSON: what the policy saw, frozen in the record. */
export function digestOf(value: unknown): string {
  return `sha256:${sha256Hex(canonicalize(value))}`
}

export function recordDecision(d: DecisionLike): RecordDecision {
  const violations = d.violations ?? []
  const verdict = d.error ? 'error' : d.allow ? 'allow' : violations.length === 0 && (d.pending?.length ?? 0) > 0 ? 'pending' : 'deny'
  return { verdict, violations, exceptions: d.exceptions ?? [] }
}

function dueAt(from: string, hours: number): string {
  return new Date(Date.parse(from) + hours * 3600_000).toISOString()
}

function shaOrNull(s: string | null | undefined): string | null {
  return s && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(s) ? s : null
}

/** The `merge` record: the decision as evaluated at merge time, frozen. */
export function mergeRecord(doc: PullRequestDocLike, decision: DecisionLike, ctx: BuildContext = {}): RecordDraft {
  const pr = doc.pull_request
  const repo = doc.repository.full_name
  const d = recordDecision(decision)
  const changeTs = pr.merged_at ?? doc.now
  const approvers = [...new Set((pr.latest_reviews ?? []).filter((r) => r.state === 'APPROVED').map((r) => r.reviewer.login))].sort()
  return {
    schema: 'change-gate/record/v1',
    kind: 'merge',
    stream: streamOf(repo, ctx.host),
    recorded_at: ctx.recordedAt ?? new Date().toISOString(),
    change_id: changeId({ repository: repo, kind: 'merge', subject: pr.number }),
    change_ts: changeTs,
    changed_by: pr.author.login,
    approved_by: approvers,
    change_type: doc.change?.types ?? [],
    change_desc: pr.title,
    affected_systems: doc.change?.affected_systems ?? [],
    ticket_reference: (doc.change?.tickets ?? []).map((t) => t.key),
    rollback_plan: doc.change?.rollback_plan ?? null,
    change_outcome: 'MERGED',
    repository: repo,
    pr: { number: pr.number, url: pr.url },
    base_sha: shaOrNull(pr.base.sha),
    head_sha: shaOrNull(pr.head.sha),
    merge_sha: shaOrNull(pr.merge_commit_sha),
    environment: null,
    decision: d,
    policy_digest: ctx.policyDigest ?? null,
    input_digest: digestOf(doc),
    run_url: doc.event?.run_url ?? null,
    ...(d.exceptions.length ? { review_due_at: dueAt(changeTs, ctx.reviewWithinHours ?? 24) } : {}),
    links: {}
  }
}

export interface DirectPushFacts {
  repository: string
  /** The pushed head commit and the ref's previous commit. */
  sha: string
  before?: string | null
  ref: string
  pusher: string
  pushed_at: string
  message: string
  run_url?: string | null
  input?: unknown
}

/** The `direct_push` record: commits that reached a protected branch without a merged PR. */
export function directPushRecord(facts: DirectPushFacts, decision: DecisionLike, ctx: BuildContext = {}): RecordDraft {
  return {
    schema: 'change-gate/record/v1',
    kind: 'direct_push',
    stream: streamOf(facts.repository, ctx.host),
    recorded_at: ctx.recordedAt ?? new Date().toISOString(),
    change_id: changeId({ repository: facts.repository, kind: 'direct_push', subject: facts.sha, scope: facts.ref }),
    change_ts: facts.pushed_at,
    changed_by: facts.pusher,
    approved_by: [],
    change_type: [],
    change_desc: facts.message.split('\n')[0] ?? '',
    affected_systems: [],
    ticket_reference: [],
    rollback_plan: null,
    change_outcome: 'PUSHED',
    repository: facts.repository,
    pr: null,
    base_sha: shaOrNull(facts.before),
    head_sha: shaOrNull(facts.sha),
    merge_sha: null,
    environment: null,
    decision: recordDecision(decision),
    policy_digest: ctx.policyDigest ?? null,
    input_digest: facts.input === undefined ? null : digestOf(facts.input),
    run_url: facts.run_url ?? null,
    links: { ref: facts.ref }
  }
}

export interface RetroReviewFacts {
  repository: string
  pr: { number: number; url: string }
  /** The change_id of the record whose exception this review settles. */
  reviewed_change_id: string
  reviewer: string
  submitted_at: string
  author: string
  run_url?: string | null
  /** The policy decision that the review qualifies, and the document it judged. */
  decision?: DecisionLike
  input?: unknown
}

/** The `retro_review` record: a qualifying approval given after a break-glass change. */
export function retroReviewRecord(facts: RetroReviewFacts, ctx: BuildContext = {}): RecordDraft {
  return {
    schema: 'change-gate/record/v1',
    kind: 'retro_review',
    stream: streamOf(facts.repository, ctx.host),
    recorded_at: ctx.recordedAt ?? new Date().toISOString(),
    change_id: changeId({ repository: facts.repository, kind: 'retro_review', subject: facts.reviewed_change_id }),
    change_ts: facts.submitted_at,
    changed_by: facts.author,
    approved_by: [facts.reviewer],
    change_type: [],
    change_desc: `Retroactive review of PR #${facts.pr.number}`,
    affected_systems: [],
    ticket_reference: [],
    rollback_plan: null,
    change_outcome: 'REVIEWED',
    repository: facts.repository,
    pr: facts.pr,
    base_sha: null,
    head_sha: null,
    merge_sha: null,
    environment: null,
    decision: facts.decision ? recordDecision(facts.decision) : null,
    policy_digest: ctx.policyDigest ?? null,
    input_digest: facts.input === undefined ? null : digestOf(facts.input),
    run_url: facts.run_url ?? null,
    links: { reviewed: facts.reviewed_change_id }
  }
}

export interface ExceptionFacts {
  repository: string
  /** The change the exception lets through (its change_id), e.g. a deployment during a freeze. */
  subject_change_id: string
  declared_by: string
  declared_at: string
  justification: string
  pr?: { number: number; url: string } | null
  environment?: string | null
  sha?: string | null
  run_url?: string | null
}

/** The `exception` record: a break-glass use, with the retroactive review it owes. */
export function exceptionRecord(facts: ExceptionFacts, decision: DecisionLike, ctx: BuildContext = {}): RecordDraft {
  return {
    schema: 'change-gate/record/v1',
    kind: 'exception',
    stream: streamOf(facts.repository, ctx.host),
    recorded_at: ctx.recordedAt ?? new Date().toISOString(),
    change_id: changeId({ repository: facts.repository, kind: 'exception', subject: facts.subject_change_id }),
    change_ts: facts.declared_at,
    changed_by: facts.declared_by,
    approved_by: [],
    change_type: [],
    change_desc: facts.justification,
    affected_systems: [],
    ticket_reference: [],
    rollback_plan: null,
    change_outcome: 'EXCEPTION',
    repository: facts.repository,
    pr: facts.pr ?? null,
    base_sha: null,
    head_sha: shaOrNull(facts.sha),
    merge_sha: null,
    environment: facts.environment ?? null,
    decision: recordDecision(decision),
    policy_digest: ctx.policyDigest ?? null,
    input_digest: null,
    run_url: facts.run_url ?? null,
    review_due_at: dueAt(facts.declared_at, ctx.reviewWithinHours ?? 24),
    links: { subject: facts.subject_change_id }
  }
}

export interface DeploymentFacts {
  repository: string
  environment: string
  sha: string
  previous_sha?: string | null
  version?: string | null
  deployer: string
  started_at: string
  /** The workflow run: a re-run attempt of the same run finds its record. */
  run_id: string | number
  run_url?: string | null
  /** change_ids of the merge records of the changes in the release. */
  changes?: string[]
  change_types?: string[]
  tickets?: string[]
  input?: unknown
}

/** The `deployment` record; denied deployments are recorded too (outcome BLOCKED). */
export function deploymentRecord(facts: DeploymentFacts, decision: DecisionLike, ctx: BuildContext = {}): RecordDraft {
  const d = recordDecision(decision)
  const links: Record<string, string> = {}
  if (facts.version) links.version = facts.version
  if (facts.changes?.length) links.changes = facts.changes.join(' ')
  return {
    schema: 'change-gate/record/v1',
    kind: 'deployment',
    stream: streamOf(facts.repository, ctx.host),
    recorded_at: ctx.recordedAt ?? new Date().toISOString(),
    change_id: changeId({ repository: facts.repository, kind: 'deployment', subject: facts.sha, environment: facts.environment, scope: String(facts.run_id) }),
    change_ts: facts.started_at,
    changed_by: facts.deployer,
    approved_by: [],
    change_type: facts.change_types ?? [],
    change_desc: `Deploy ${facts.version ?? facts.sha.slice(0, 12)} to ${facts.environment}`,
    affected_systems: [facts.environment],
    ticket_reference: facts.tickets ?? [],
    rollback_plan: null,
    change_outcome: d.verdict === 'allow' ? 'DEPLOYING' : 'BLOCKED',
    repository: facts.repository,
    pr: null,
    base_sha: shaOrNull(facts.previous_sha),
    head_sha: shaOrNull(facts.sha),
    merge_sha: null,
    environment: facts.environment,
    decision: d,
    policy_digest: ctx.policyDigest ?? null,
    input_digest: facts.input === undefined ? null : digestOf(facts.input),
    run_url: facts.run_url ?? null,
    ...(d.exceptions.length ? { review_due_at: dueAt(facts.started_at, ctx.reviewWithinHours ?? 24) } : {}),
    links
  }
}

export interface OutcomeFacts {
  repository: string
  deployment_change_id: string
  environment: string
  sha: string
  outcome: Extract<ChangeOutcome, 'SUCCESS' | 'FAILED' | 'ROLLED_BACK'>
  /**
   * The workflow run that reports it. With the outcome it scopes the change_id: a re-run (a new
   * attempt of the same run) finds its record, while a later run reporting the same outcome again
   * (SUCCESS, ROLLED_BACK, then SUCCESS once more) is a new record.
   */
  run_id: string | number
  reported_by: string
  reported_at: string
  run_url?: string | null
}

/** The `outcome` record, linked to its deployment record's change_id; one per run and outcome. */
export function outcomeRecord(facts: OutcomeFacts, ctx: BuildContext = {}): RecordDraft {
  return {
    schema: 'change-gate/record/v1',
    kind: 'outcome',
    stream: streamOf(facts.repository, ctx.host),
    recorded_at: ctx.recordedAt ?? new Date().toISOString(),
    change_id: changeId({ repository: facts.repository, kind: 'outcome', subject: facts.deployment_change_id, environment: facts.environment, scope: `${facts.run_id}/${facts.outcome}` }),
    change_ts: facts.reported_at,
    changed_by: facts.reported_by,
    approved_by: [],
    change_type: [],
    change_desc: `${facts.outcome} deploying ${facts.sha.slice(0, 12)} to ${facts.environment}`,
    affected_systems: [facts.environment],
    ticket_reference: [],
    rollback_plan: null,
    change_outcome: facts.outcome,
    repository: facts.repository,
    pr: null,
    base_sha: null,
    head_sha: shaOrNull(facts.sha),
    merge_sha: null,
    environment: facts.environment,
    decision: null,
    policy_digest: null,
    input_digest: null,
    run_url: facts.run_url ?? null,
    links: { deployment: facts.deployment_change_id }
  }
}
