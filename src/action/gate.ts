/**
 * The PR gate's phases for one event, with its collaborators passed in:
 * event → facts (GitHub) → config (base branch) → decide (document + policies) → publish → record.
 * Every failure after the target SHA is known becomes an `error` status: fail closed, never open.
 * Merges, direct pushes and retroactive reviews append change-log records (./evidence.ts).
 */
import type { Config } from '../config/types.js'
import { errorDecision, type Decision } from '../engine/decision.js'
import type { EvidenceStore } from '../evidence/store.js'
import type { GitHubClient } from '../github/client.js'
import { readFileAtRef } from '../github/config.js'
import { planEvent, type EventPlan, type PullRequestTarget } from '../github/events.js'
import { fetchPullRequestFacts, type GitHubPullRequestFacts } from '../github/facts.js'
import { recordDirectPushes, recordMerge, recordRetroReview, type RecordContext } from './evidence.js'
import type { ActionInputs } from './inputs.js'
import type { RunnerIO } from './ports.js'
import { publishDecision } from './publish.js'
import { escapeMarkdown } from '../render/escape.js'

export interface EventContext {
  eventName: string
  payload: unknown
  /** GITHUB_REPOSITORY */
  repository?: string
  runUrl?: string
  /** GITHUB_RUN_ID and GITHUB_ACTOR, carried into the input document. */
  runId?: string
  actor?: string
  /** The server's host (github.com or a GHES host): names the evidence stream. */
  host?: string
  now: Date
}

export interface DecideContext {
  /** `merge`: the evaluation frozen into the merge record. */
  kind: 'pull_request' | 'merge'
  event: EventPlan
  now: Date
  runUrl?: string
  runId?: string
  actor?: string
}

/** What deciding produced: the verdict, the document the policies saw, and what the record needs. */
export interface Decided {
  decision: Decision
  document?: unknown
  /** sha256:<hex> of the policy set (sources or bundle) that decided. */
  policyDigest?: string | null
  /** break_glass.review_within_hours of the config in force. */
  reviewWithinHours?: number
}

/** Builds the input document from the facts and the base branch's config text and evaluates it. */
export type Decide = (facts: GitHubPullRequestFacts, configText: string | null, context: DecideContext) => Promise<Decided>

/** A document other than a pull request's (a push, a retroactive review), evaluated through the same engine. */
export interface EvaluateRequest {
  owner: string
  repo: string
  /** The commit (or branch) the config text came from; custom policies are read there too. */
  ref: string
  configText: string | null
  now: Date
  /** The input document, from the parsed config (classification, settings). */
  build: (config: Config) => unknown
}

export type EvaluateDocument = (request: EvaluateRequest) => Promise<Decided>

export interface GateDeps {
  client: GitHubClient
  io: RunnerIO
  inputs: ActionInputs
  decide: Decide
  /** Evaluates push and retroactive-review documents (the same engine and policies as `decide`). */
  evaluate?: EvaluateDocument
  /** Opens the evidence store (on first use: only merges, pushes and retroactive reviews write). */
  evidence?: () => EvidenceStore
}

export interface GateResult {
  plan: EventPlan
  decisions: Array<{ pr: number; sha: string; decision: Decision }>
  /** change_ids of the records this run appended or found already appended. */
  records: Array<{ kind: string; change_id: string; seq: number; created: boolean }>
}

interface Evaluation {
  pr: number
  sha: string
  decision: Decision
  facts?: GitHubPullRequestFacts
  decided?: Decided
}

/** A promise that never rejects (so starting it early leaves no unhandled rejection); `unwrap` rethrows. */
function settle<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }))
}
async function unwrap<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: unknown }>): Promise<T> {
  const r = await p
  if (r.ok) return r.value
  throw r.error
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

async function pullsFor(client: GitHubClient, plan: Extract<EventPlan, { kind: 'checks_completed' }>): Promise<PullRequestTarget[]> {
  if (plan.pulls.length) return plan.pulls
  // Fork PRs are missing from check_suite/workflow_run payloads: ask which PRs have this head.
  const res = await client.request<Array<{ number: number; state?: string; head?: { sha?: string } }>>('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', { owner: plan.repo.owner, repo: plan.repo.repo, commit_sha: plan.sha })
  return res.data.filter((p) => p.head?.sha === plan.sha && (p.state ?? 'open') === 'open').map((p) => ({ number: p.number, head_sha: plan.sha }))
}

/** What evaluatePull publishes: everything, the summary and outputs only (a merge: no status on a merged head), or nothing. */
type Publish = 'all' | 'summary' | 'none'

async function evaluatePull(deps: GateDeps, plan: EventPlan & { repo: { owner: string; repo: string } }, pull: PullRequestTarget, ctx: EventContext, statusSha?: string, publish: Publish = 'all', kind: DecideContext['kind'] = 'pull_request'): Promise<Evaluation> {
  const { client, io, inputs } = deps
  const { owner, repo } = plan.repo
  let sha = statusSha ?? pull.head_sha
  let decision: Decision
  let facts: GitHubPullRequestFacts | undefined
  let decided: Decided | undefined
  // Where the time goes, in the log: the budget is start to verdict (DESIGN §11).
  const timing: string[] = []
  let mark = performance.now()
  const lap = (what: string) => {
    const now = performance.now()
    timing.push(`${what} ${Math.round(now - mark)} ms`)
    mark = now
  }
  // The payload's base SHA lets the config read overlap the facts; used only if the facts agree.
  const early = pull.base_sha ? settle(readFileAtRef(client, owner, repo, inputs.configPath, pull.base_sha)) : undefined
  try {
    facts = await io.group(`Facts for ${owner}/${repo}#${pull.number}`, () => fetchPullRequestFacts(client, owner, repo, pull.number))
    sha = statusSha ?? facts.pull_request.head.sha
    io.info(`${facts.round_trips} GraphQL round trip(s); ${facts.pull_request.commits.length} commits, ${facts.pull_request.reviews.length} reviews, ${facts.pull_request.checks.length} checks`)
    const base = facts.pull_request.base.sha
    lap('facts')
    const configText = early && pull.base_sha === base ? await unwrap(early) : await readFileAtRef(client, owner, repo, inputs.configPath, base)
    lap('config')
    io.info(configText === null ? `no ${inputs.configPath} on the base branch: using the defaults` : `config ${inputs.configPath} read from the base commit ${base}`)
    const context: DecideContext = { kind, event: plan, now: ctx.now, ...(ctx.runUrl ? { runUrl: ctx.runUrl } : {}), ...(ctx.runId ? { runId: ctx.runId } : {}), ...(ctx.actor ? { actor: ctx.actor } : {}) }
    decided = await io.group('Evaluate policies', () => deps.decide(facts!, configText, context))
    lap('document and policies')
    decision = decided.decision
  } catch (err) {
    io.error(`change-gate could not decide on #${pull.number}: ${message(err)}`)
    decision = errorDecision(message(err))
  }
  if (!sha) {
    throw new Error(`cannot publish a status for #${pull.number}: the head SHA is unknown because the facts could not be read (${decision.error ?? ''})`)
  }
  const pr = facts?.pull_request
  const result: Evaluation = { pr: pull.number, sha, decision, ...(facts ? { facts } : {}), ...(decided ? { decided } : {}) }
  if (publish === 'none') return result
  mark = performance.now()
  await io.group('Publish', () =>
    publishDecision(client, io, { owner, repo, sha: sha!, ...(plan.kind === 'merge_group' ? {} : { pr: pull.number }), statusContext: inputs.statusContext, comment: inputs.comment && publish === 'all', status: publish === 'all', ...(ctx.runUrl ? { targetUrl: ctx.runUrl } : {}) }, decision, {
      repository: `${owner}/${repo}`,
      pr_number: pull.number,
      ...(pr ? { title: pr.title, head_ref: pr.head.ref } : {}),
      head_sha: sha,
      status_context: inputs.statusContext,
      ...(ctx.runUrl ? { run_url: ctx.runUrl } : {})
    })
  )
  lap('publish')
  io.info(`timing #${pull.number}: ${timing.join(', ')}`)
  return result
}

function recordContext(deps: GateDeps, ctx: EventContext): RecordContext {
  if (!deps.evidence) throw new Error('no evidence store is configured: set the evidence-store input (default: the repository\'s change-gate/evidence branch)')
  return { store: deps.evidence(), io: deps.io, host: ctx.host ?? 'github.com', now: ctx.now, configPath: deps.inputs.configPath, ...(ctx.runUrl ? { runUrl: ctx.runUrl } : {}) }
}

function recordsSummary(records: GateResult['records'], storeUrl: string): string {
  if (records.length === 0) return ''
  const rows = records.map((r) => `| ${r.kind} | \`${r.change_id}\` | ${r.seq} | ${r.created ? 'appended' : 'already recorded (re-run)'} |`)
  return ['', '### Change-log records', '', `Store: \`${storeUrl}\``, '', '| kind | change_id | seq | |', '|---|---|---|---|', ...rows, ''].join('\n')
}

const ORDER = ['error', 'deny', 'pending', 'allow'] as const

/** The merge group's decision: the worst verdict; items of every PR, prefixed with its number. */
export function combine(decisions: Decision[]): Decision {
  const verdict = ORDER.find((v) => decisions.some((d) => d.decision === v)) ?? 'error'
  const lists = ['violations', 'warnings', 'pending', 'exceptions', 'passed'] as const
  const out: Decision = { decision: verdict, allow: verdict === 'allow', violations: [], warnings: [], pending: [], exceptions: [], passed: [] }
  for (const d of decisions) for (const l of lists) out[l].push(...d[l])
  const errors = decisions.map((d) => d.error).filter(Boolean)
  if (errors.length) out.error = errors.join('; ')
  if (decisions.length === 0) out.error = 'no pull request to evaluate'
  return out
}

export async function runGate(deps: GateDeps, ctx: EventContext): Promise<GateResult> {
  const plan = planEvent(ctx.eventName, ctx.payload, ctx.repository)
  deps.io.info(`event ${plan.event}${plan.action ? `.${plan.action}` : ''} → ${plan.kind}`)
  const decisions: GateResult['decisions'] = []
  const records: GateResult['records'] = []
  const note = (r: { record: { kind: string; change_id: string; seq: number }; created: boolean }) => records.push({ kind: r.record.kind, change_id: r.record.change_id, seq: r.record.seq, created: r.created })
  let recordOnly = false
  switch (plan.kind) {
    case 'ignored':
      deps.io.info(`not handled: ${plan.reason}`)
      deps.io.setOutput('decision', '')
      return { plan, decisions, records }
    case 'push': {
      const rc = recordContext(deps, ctx)
      const pushed = await deps.io.group('Record direct pushes', () => recordDirectPushes(rc, deps.client, plan, deps.evaluate, { ...(ctx.runId ? { runId: ctx.runId } : {}), ...(ctx.actor ? { actor: ctx.actor } : {}) }))
      for (const r of pushed.results) note(r)
      deps.io.setOutput('decision', pushed.decision?.decision ?? '')
      const items = pushed.decision ? pushed.decision.violations.map((v) => `- \`${v.code}\`: ${escapeMarkdown(v.message)}`).join('\n') : ''
      await deps.io.writeSummary(`## change-gate: push to ${escapeMarkdown(plan.ref)}\n\n${records.length ? `${records.length} commit(s) reached the branch without a merged pull request.` : 'Every commit came from a merged pull request.'}\n${items ? `\n${items}\n` : ''}${recordsSummary(records, rc.store.url)}`)
      // The push has landed: a deny is recorded, not failed; an error (no decision) fails the job.
      if (pushed.decision?.decision === 'error' && deps.inputs.failOn !== 'never') deps.io.setFailed(`change-gate: error — ${pushed.decision.error ?? ''}`)
      return { plan, decisions, records }
    }
    case 'retro_review': {
      const rc = recordContext(deps, ctx)
      const number = plan.pulls[0]!.number
      const facts = await deps.io.group(`Facts for #${number}`, () => fetchPullRequestFacts(deps.client, plan.repo.owner, plan.repo.repo, number))
      const r = await deps.io.group('Record the retroactive review', () => recordRetroReview(rc, deps.client, plan, facts, deps.evaluate, { ...(ctx.runId ? { runId: ctx.runId } : {}), ...(ctx.actor ? { actor: ctx.actor } : {}) }))
      if (r) note(r)
      deps.io.setOutput('decision', '')
      await deps.io.writeSummary(`## change-gate: review of merged #${number}\n\n${r ? `The approval by ${plan.review.reviewer} settles the break-glass exception of #${number}.` : 'No retroactive review was recorded (see the log for why).'}\n${recordsSummary(records, rc.store.url)}`)
      break
    }
    case 'pull_request':
      decisions.push(await evaluatePull(deps, plan, plan.pulls[0]!, ctx))
      break
    case 'merged': {
      // Evaluated once more with the facts as of the merge, at the merge instant, and frozen in a record.
      recordOnly = true
      const at = plan.merged_at && !Number.isNaN(Date.parse(plan.merged_at)) ? new Date(plan.merged_at) : ctx.now
      const rc = recordContext(deps, ctx)
      const ev = await evaluatePull(deps, plan, plan.pulls[0]!, { ...ctx, now: at }, undefined, 'summary', 'merge')
      decisions.push(ev)
      if (!ev.facts) {
        throw new Error(`the merge of #${ev.pr} could not be recorded: its facts could not be read (${ev.decision.error ?? 'unknown error'}). Re-run this job once GitHub answers; the record is written once (idempotent).`)
      }
      const facts = ev.facts
      const r = await deps.io.group('Record the merge', () =>
        recordMerge(rc, plan, {
          facts,
          decision: ev.decision,
          ...(ev.decided?.document !== undefined ? { document: ev.decided.document } : {}),
          ...(ev.decided?.policyDigest !== undefined ? { policyDigest: ev.decided.policyDigest } : {}),
          ...(ev.decided?.reviewWithinHours !== undefined ? { reviewWithinHours: ev.decided.reviewWithinHours } : {})
        })
      )
      note(r)
      deps.io.setOutput('record-change-id', r.record.change_id)
      await deps.io.writeSummary(recordsSummary(records, rc.store.url))
      break
    }
    case 'merge_group': {
      // ONE status on the group head: the worst verdict over the queued PRs, every item listed.
      for (const pull of plan.pulls) decisions.push(await evaluatePull(deps, plan, pull, ctx, plan.status_sha, 'none'))
      const combined = combine(decisions.map((d) => d.decision))
      await deps.io.group('Publish', () =>
        publishDecision(deps.client, deps.io, { owner: plan.repo.owner, repo: plan.repo.repo, sha: plan.status_sha, statusContext: deps.inputs.statusContext, comment: false, ...(ctx.runUrl ? { targetUrl: ctx.runUrl } : {}) }, combined, {
          repository: `${plan.repo.owner}/${plan.repo.repo}`,
          title: `merge group of ${plan.pulls.map((p) => `#${p.number}`).join(', ')}`,
          head_sha: plan.status_sha,
          status_context: deps.inputs.statusContext
        })
      )
      break
    }
    case 'checks_completed': {
      const pulls = await pullsFor(deps.client, plan)
      if (pulls.length === 0) deps.io.info(`no open pull request has head ${plan.sha}: nothing to re-evaluate`)
      for (const pull of pulls) decisions.push(await evaluatePull(deps, plan, pull, ctx))
      break
    }
  }
  const verdicts = decisions.map((d) => d.decision.decision)
  const worst = ORDER.find((v) => verdicts.includes(v))
  if (worst) deps.io.setOutput('decision', worst)
  const failOn = deps.inputs.failOn
  const result = { plan, decisions: decisions.map(({ pr, sha, decision }) => ({ pr, sha, decision })), records }
  if (worst === 'error' && failOn !== 'never') deps.io.setFailed(`change-gate: error — ${decisions.find((d) => d.decision.decision === 'error')?.decision.error ?? ''}`)
  // A merge has happened: its record says deny; failing the job would only leave a red run behind.
  else if (worst === 'deny' && failOn === 'deny' && !recordOnly) deps.io.setFailed('change-gate: denied — see the job summary for each rule and how to fix it')
  return result
}
