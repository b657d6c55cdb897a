/**
 * The change-log records the action appends (DESIGN §2.2, §2.3, §2.6): `merge` when a PR merges
 * (the decision as evaluated at merge time, frozen; break-glass exceptions carry their review due
 * date), `direct_push` for commits that reached a protected branch without a merged PR, and
 * `retro_review` when a qualifying approval settles a break-glass merge. Every append goes through
 * `appendOrFail`: a record that cannot be written fails the job and prints the record. Re-runs are
 * idempotent: change_ids are deterministic, so a retried job finds its record.
 */
import { buildPushDocument } from '../document/push.js'
import { buildRetroReviewDocument } from '../document/retro-review.js'
import { errorDecision, type Decision, type DecisionItem } from '../engine/decision.js'
import { appendOrFail } from '../evidence/append.js'
import { changeId } from '../evidence/change-id.js'
import type { RecordDraft } from '../evidence/record.js'
import { digestOf, directPushRecord, mergeRecord, retroReviewRecord, type DecisionLike, type PullRequestDocLike } from '../evidence/records.js'
import type { AppendResult, EvidenceStore } from '../evidence/store.js'
import type { GitHubClient } from '../github/client.js'
import { readFileAtRef } from '../github/config.js'
import { pushIdentity, type EventPlan, type PushCommit } from '../github/events.js'
import type { GitHubPullRequestFacts } from '../github/facts.js'
import type { Decided, EvaluateDocument } from './gate.js'
import type { RunnerIO } from './ports.js'

export interface RecordContext {
  store: EvidenceStore
  io: RunnerIO
  /** github.com, or the GHES host: the stream's name. */
  host: string
  runUrl?: string
  now: Date
  /** The config file's path (input `config`), read for pushes at the branch's previous tip. */
  configPath?: string
}

/** The decision as a record keeps it: verdict inputs and items without the `facts` used by --explain. */
export function recordable(d: Decision): DecisionLike {
  const strip = (items: DecisionItem[]) => items.map(({ facts: _facts, ...item }) => item)
  return { allow: d.allow, violations: strip(d.violations), exceptions: strip(d.exceptions), pending: strip(d.pending), error: d.decision === 'error' }
}

async function append(ctx: RecordContext, draft: RecordDraft): Promise<AppendResult> {
  const result = await appendOrFail(ctx.store, draft)
  const line = result.created
    ? `recorded ${draft.kind} ${draft.change_id} as seq ${result.record.seq} in ${ctx.store.url}`
    : `${draft.kind} ${draft.change_id} was already recorded as seq ${result.record.seq} in ${ctx.store.url} (a re-run): nothing appended`
  ctx.io.info(line)
  return result
}

/**
 * What the merge record is built from when the policy document could not be built (invalid
 * config, engine error): the facts, so the record still names the change and says `error`.
 */
export function documentFromFacts(facts: GitHubPullRequestFacts, now: Date, runUrl?: string): PullRequestDocLike {
  const pr = facts.pull_request
  return {
    repository: { full_name: facts.repository.full_name },
    now: now.toISOString(),
    ...(runUrl ? { event: { run_url: runUrl } } : {}),
    pull_request: {
      number: pr.number,
      url: pr.url,
      title: pr.title,
      author: { login: pr.author.login },
      base: pr.base,
      head: pr.head,
      merge_commit_sha: pr.merge_commit_sha,
      latest_reviews: pr.latest_reviews.map((r) => ({ reviewer: { login: r.reviewer.login }, state: r.state }))
    }
  }
}

function isDocLike(doc: unknown): doc is PullRequestDocLike {
  const d = doc as PullRequestDocLike | undefined
  return typeof d?.repository?.full_name === 'string' && typeof d.now === 'string' && typeof d.pull_request?.number === 'number'
}

export interface MergeEvaluation {
  facts: GitHubPullRequestFacts
  decision: Decision
  /** The input document the policies saw (absent when it could not be built). */
  document?: unknown
  policyDigest?: string | null
  reviewWithinHours?: number
}

/** The `merge` record of a merged PR: what was decided at merge time, frozen. */
export async function recordMerge(ctx: RecordContext, plan: Extract<EventPlan, { kind: 'merged' }>, evaluation: MergeEvaluation): Promise<AppendResult> {
  const usable = isDocLike(evaluation.document) && evaluation.decision.decision !== 'error'
  const doc = usable ? (evaluation.document as PullRequestDocLike) : documentFromFacts(evaluation.facts, ctx.now, ctx.runUrl)
  // The payload knows the merge commit and time even when the facts were read a moment before.
  const merged = {
    ...doc,
    pull_request: { ...doc.pull_request, merge_commit_sha: doc.pull_request.merge_commit_sha ?? plan.merge_commit_sha ?? null, merged_at: doc.pull_request.merged_at ?? plan.merged_at ?? null }
  }
  const draft = mergeRecord(merged, recordable(evaluation.decision), {
    recordedAt: new Date().toISOString(),
    host: ctx.host,
    policyDigest: evaluation.policyDigest ?? null,
    ...(evaluation.reviewWithinHours !== undefined ? { reviewWithinHours: evaluation.reviewWithinHours } : {})
  })
  // A key found in the title and in a commit is one ticket.
  draft.ticket_reference = [...new Set(draft.ticket_reference)]
  // The digest is of exactly what the policies saw (not of the additions above); none without it.
  draft.input_digest = usable ? digestOf(evaluation.document) : null
  if (draft.decision?.exceptions.length) ctx.io.warning(`#${doc.pull_request.number} merged through break glass (${draft.decision.exceptions.map((e) => e.code).join(', ')}): a retroactive review is due by ${draft.review_due_at}`)
  return append(ctx, draft)
}

/** Whether `branch` is one the gate watches: the default branch, or one GitHub reports as protected. */
async function isProtected(client: GitHubClient, plan: Extract<EventPlan, { kind: 'push' }>, branch: string): Promise<boolean> {
  if (plan.default_branch !== undefined && branch === plan.default_branch) return true
  const res = await client.request<{ protected?: boolean }>('GET /repos/{owner}/{repo}/branches/{branch}', { owner: plan.repo.owner, repo: plan.repo.repo, branch })
  return res.data.protected === true
}

/** Every commit of the push: from the payload, or through the compare API when GitHub cut the list. */
async function pushCommits(client: GitHubClient, plan: Extract<EventPlan, { kind: 'push' }>): Promise<PushCommit[]> {
  if (plan.commits_complete) return plan.commits
  if (/^0+$/.test(plan.before)) throw new Error(`the push created ${plan.ref} with more commits than the payload lists; the commits cannot be compared against a previous tip. Record them with 'change-gate reconcile'.`)
  const out: PushCommit[] = []
  for (let page = 1; page <= 100; page++) {
    type GitPerson = { name?: string | null; email?: string | null; date?: string } | null
    type Compare = { total_commits: number; commits: Array<{ sha: string; commit: { message: string; author?: GitPerson; committer?: GitPerson }; author?: { login?: string } | null; committer?: { login?: string } | null }> }
    const res = await client.request<Compare>('GET /repos/{owner}/{repo}/compare/{basehead}', { owner: plan.repo.owner, repo: plan.repo.repo, basehead: `${plan.before}...${plan.after}`, per_page: 100, page })
    out.push(...res.data.commits.map((c) => ({
      sha: c.sha,
      message: c.commit.message,
      timestamp: c.commit.author?.date ?? '',
      author: pushIdentity({ username: c.author?.login, email: c.commit.author?.email, name: c.commit.author?.name }),
      committer: pushIdentity({ username: c.committer?.login, email: c.commit.committer?.email, name: c.commit.committer?.name })
    })))
    if (out.length >= res.data.total_commits) return out
    if (res.data.commits.length === 0) break
  }
  throw new Error(`could not list every commit of the push ${plan.before}...${plan.after} through the compare API (got ${out.length}); refusing to record a partial push (fail closed)`)
}

/** Whether a commit reached the branch through a merged PR into that branch. */
async function fromMergedPull(client: GitHubClient, plan: Extract<EventPlan, { kind: 'push' }>, branch: string, sha: string): Promise<number | null> {
  const res = await client.request<Array<{ number: number; merged_at?: string | null; base?: { ref?: string } }>>('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', { owner: plan.repo.owner, repo: plan.repo.repo, commit_sha: sha, per_page: 100 })
  const pr = res.data.find((p) => p.merged_at && p.base?.ref === branch)
  return pr ? pr.number : null
}

/**
 * Where a push's config and custom policies are read: the branch's tip before the push (a push
 * must not weaken the gate that judges it); for a new branch, the default branch. A new default
 * branch has no earlier state at all: null, and the decision is an error (fail closed).
 */
function pushPolicyRef(plan: Extract<EventPlan, { kind: 'push' }>, branch: string): string | null {
  if (!/^0+$/.test(plan.before)) return plan.before
  if (plan.default_branch && plan.default_branch !== branch) return plan.default_branch
  return null
}

/**
 * `direct_push` records for a push to a protected branch (DESIGN §2.3). TypeScript gathers the
 * facts — every commit of the push and the merged PR that brought each one — into a `direct_push`
 * input document; the policies (rules/push, and any custom rule on pushes) decide. Each commit no
 * merged PR brought gets a record carrying that decision, the digest of the document and the
 * policy digest; a push of merged-PR commits that the policies still deny gets one record under
 * its new tip. Returns the records and the decision (an `error` decision still records the
 * commits without a PR, and fails the job).
 */
export async function recordDirectPushes(ctx: RecordContext, client: GitHubClient, plan: Extract<EventPlan, { kind: 'push' }>, evaluate: EvaluateDocument | undefined, event: { runId?: string; actor?: string } = {}): Promise<{ results: AppendResult[]; decision: Decision | null }> {
  const branch = plan.ref.slice('refs/heads/'.length)
  if (!(await isProtected(client, plan, branch))) {
    ctx.io.info(`${branch} is neither the default branch nor protected: direct pushes there are not recorded`)
    return { results: [], decision: null }
  }
  const commits = await pushCommits(client, plan)
  const withPulls: Array<PushCommit & { pull_request: { number: number } | null }> = []
  for (const commit of commits) {
    const pr = await fromMergedPull(client, plan, branch, commit.sha)
    if (pr !== null) ctx.io.info(`${commit.sha.slice(0, 12)} came with the merge of #${pr}: its merge record covers it`)
    withPulls.push({ ...commit, pull_request: pr === null ? null : { number: pr } })
  }
  const repository = `${plan.repo.owner}/${plan.repo.repo}`
  let decided: Decided
  try {
    if (!evaluate) throw new Error('no policy evaluator for pushes was given to the gate (GateDeps.evaluate); this is a bug in the caller')
    const ref = pushPolicyRef(plan, branch)
    if (ref === null) throw new Error(`the push created ${branch}, the default branch: there is no earlier commit to read the config and policies from. Record the first commits with 'change-gate append' after review`)
    const configText = await readFileAtRef(client, plan.repo.owner, plan.repo.repo, ctx.configPath ?? '.github/change-gate.yml', ref)
    decided = await evaluate({
      owner: plan.repo.owner,
      repo: plan.repo.repo,
      ref,
      configText,
      now: ctx.now,
      build: () =>
        buildPushDocument(
          { repository: { owner: plan.repo.owner, name: plan.repo.repo, full_name: repository, default_branch: plan.default_branch ?? branch }, ref: plan.ref, before: plan.before, after: plan.after, forced: plan.forced, pusher: plan.pusher, commits: withPulls, commits_complete: true },
          { now: ctx.now, event: { name: plan.event, action: plan.action || null, actor: event.actor ?? null, sha: plan.after, run_id: event.runId ?? null, run_url: ctx.runUrl ?? null } }
        )
    })
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    ctx.io.error(`change-gate could not decide on the push to ${branch}: ${reason}`)
    decided = { decision: errorDecision(reason) }
  }
  const { decision } = decided
  let direct = withPulls.filter((c) => c.pull_request === null)
  // Every commit came from a merged PR, yet the policies deny the push (a team's rule on forced
  // pushes, say): the push itself is the change to record, under its new tip.
  if (direct.length === 0 && decision.decision === 'deny') {
    ctx.io.warning(`every commit of the push to ${branch} came from a merged pull request, but the policies deny the push: ${decision.violations.map((v) => `${v.code}: ${v.message}`).join('; ')}`)
    const tip = withPulls.find((c) => c.sha === plan.after)
    direct = [{ sha: plan.after, message: tip?.message ?? `push to ${branch}`, timestamp: tip?.timestamp ?? '', author: tip?.author ?? { login: plan.pusher, email: null, name: null }, committer: tip?.committer ?? { login: plan.pusher, email: null, name: null }, pull_request: null }]
  }
  const results: AppendResult[] = []
  for (const commit of direct) {
    const draft = directPushRecord(
      { repository, sha: commit.sha, before: plan.before, ref: plan.ref, pusher: plan.pusher, pushed_at: commit.timestamp || ctx.now.toISOString(), message: commit.message, run_url: ctx.runUrl ?? null, ...(decided.document !== undefined ? { input: decided.document } : {}) },
      recordable(decision),
      { host: ctx.host, policyDigest: decided.policyDigest ?? null }
    )
    results.push(await append(ctx, draft))
  }
  if (results.length === 0) ctx.io.info(`every commit of the push to ${branch} came from a merged pull request${decision.decision === 'error' ? '' : ' and the policies allow it'}: no direct_push record`)
  return { results, decision }
}

/**
 * A `retro_review` record when an approval on a merged PR settles its break-glass exceptions
 * (DESIGN §2.6). The PR's merge record must carry exceptions; whether the reviewer qualifies is
 * the policies' decision (rules/retro_review: the second-approver checks) on a `retro_review`
 * document built from the PR's current facts. Only an `allow` appends the record, which keeps
 * that decision with its input and policy digests.
 */
export async function recordRetroReview(ctx: RecordContext, client: GitHubClient, plan: Extract<EventPlan, { kind: 'retro_review' }>, facts: GitHubPullRequestFacts, evaluate: EvaluateDocument | undefined, event: { runId?: string; actor?: string } = {}): Promise<AppendResult | null> {
  const repository = `${plan.repo.owner}/${plan.repo.repo}`
  const number = plan.pulls[0]!.number
  const mergeId = changeId({ repository, kind: 'merge', subject: number })
  const merge = await ctx.store.find(mergeId)
  if (!merge) {
    ctx.io.info(`#${number} has no merge record (${mergeId}) in ${ctx.store.url}: no break-glass exception to review`)
    return null
  }
  if (!merge.record.decision?.exceptions.length) {
    ctx.io.info(`#${number} merged without exceptions (merge record seq ${merge.seq}): no retroactive review is owed`)
    return null
  }
  const pr = facts.pull_request
  const reviewer = plan.review.reviewer
  if (!evaluate) throw new Error('no policy evaluator for retroactive reviews was given to the gate (GateDeps.evaluate); this is a bug in the caller')
  // The config and custom policies of the base the PR merged into, as for its merge record.
  const configText = await readFileAtRef(client, plan.repo.owner, plan.repo.repo, ctx.configPath ?? '.github/change-gate.yml', pr.base.sha)
  const decided = await evaluate({
    owner: plan.repo.owner,
    repo: plan.repo.repo,
    ref: pr.base.sha,
    configText,
    now: ctx.now,
    build: (config) =>
      buildRetroReviewDocument(
        facts,
        config,
        { now: ctx.now, event: { name: plan.event, action: plan.action || null, actor: event.actor ?? null, run_id: event.runId ?? null, run_url: ctx.runUrl ?? null } },
        { reviewer: { login: reviewer, type: plan.review.reviewer_type }, review_id: String(plan.review.id), submitted_at: plan.review.submitted_at || null, reviewed_change_id: mergeId }
      )
  })
  const { decision } = decided
  if (decision.decision === 'error') throw new Error(`the review by ${reviewer} on #${number} could not be judged: ${decision.error ?? 'unknown error'}. Re-run this job; nothing was recorded`)
  if (!decision.allow) {
    const why = [...decision.violations, ...decision.pending].map((v) => `${v.code}: ${v.message}`).join('; ')
    ctx.io.warning(`no retroactive review recorded for #${number} (policy verdict ${decision.decision}): ${why || 'the decision lists no reason'}. Ask a qualifying reviewer to approve.`)
    return null
  }
  const draft = retroReviewRecord(
    { repository, pr: { number, url: pr.url }, reviewed_change_id: mergeId, reviewer, submitted_at: plan.review.submitted_at || ctx.now.toISOString(), author: pr.author.login, run_url: ctx.runUrl ?? null, decision: recordable(decision), input: decided.document },
    { host: ctx.host, policyDigest: decided.policyDigest ?? null }
  )
  return append(ctx, draft)
}
