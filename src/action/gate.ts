/**
 * The PR gate's phases for one event, with its collaborators passed in:
 * event → facts (GitHub) → config (base branch) → decide (document + policies) → publish.
 * Every failure after the target SHA is known becomes an `error` status: fail closed, never open.
 */
import { errorDecision, extractDecision, type Decision } from '../engine/decision.js'
import type { GitHubClient } from '../github/client.js'
import { readFileAtRef } from '../github/config.js'
import { planEvent, type EventPlan, type PullRequestTarget } from '../github/events.js'
import { fetchPullRequestFacts, type GitHubPullRequestFacts } from '../github/facts.js'
import type { ActionInputs } from './inputs.js'
import type { RunnerIO } from './ports.js'
import { publishDecision } from './publish.js'

export interface EventContext {
  eventName: string
  payload: unknown
  /** GITHUB_REPOSITORY */
  repository?: string
  runUrl?: string
  now: Date
}

/** Builds the input document from the facts and the base branch's config text and evaluates it; resolves to the raw decision. */
export type Decide = (facts: GitHubPullRequestFacts, configText: string | null, context: { event: EventPlan; now: Date; runUrl?: string }) => Promise<unknown>

export interface GateDeps {
  client: GitHubClient
  io: RunnerIO
  inputs: ActionInputs
  decide: Decide
}

export interface GateResult {
  plan: EventPlan
  decisions: Array<{ pr: number; sha: string; decision: Decision }>
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

async function evaluatePull(deps: GateDeps, plan: EventPlan & { repo: { owner: string; repo: string } }, pull: PullRequestTarget, ctx: EventContext, statusSha?: string, publish = true): Promise<{ pr: number; sha: string; decision: Decision }> {
  const { client, io, inputs } = deps
  const { owner, repo } = plan.repo
  let sha = statusSha ?? pull.head_sha
  let decision: Decision
  let facts: GitHubPullRequestFacts | undefined
  try {
    facts = await io.group(`Facts for ${owner}/${repo}#${pull.number}`, () => fetchPullRequestFacts(client, owner, repo, pull.number))
    sha = statusSha ?? facts.pull_request.head.sha
    io.info(`${facts.round_trips} GraphQL round trip(s); ${facts.pull_request.commits.length} commits, ${facts.pull_request.reviews.length} reviews, ${facts.pull_request.checks.length} checks`)
    const base = facts.pull_request.base.sha
    const configText = await readFileAtRef(client, owner, repo, inputs.configPath, base)
    io.info(configText === null ? `no ${inputs.configPath} on the base branch: using the defaults` : `config ${inputs.configPath} read from the base commit ${base}`)
    const raw = await io.group('Evaluate policies', () => deps.decide(facts!, configText, { event: plan, now: ctx.now, ...(ctx.runUrl ? { runUrl: ctx.runUrl } : {}) }))
    decision = extractDecision(raw)
  } catch (err) {
    io.error(`change-gate could not decide on #${pull.number}: ${message(err)}`)
    decision = errorDecision(message(err))
  }
  if (!sha) {
    throw new Error(`cannot publish a status for #${pull.number}: the head SHA is unknown because the facts could not be read (${decision.error ?? ''})`)
  }
  const pr = facts?.pull_request
  if (!publish) return { pr: pull.number, sha, decision }
  await io.group('Publish', () =>
    publishDecision(client, io, { owner, repo, sha: sha!, ...(plan.kind === 'merge_group' ? {} : { pr: pull.number }), statusContext: inputs.statusContext, comment: inputs.comment, ...(ctx.runUrl ? { targetUrl: ctx.runUrl } : {}) }, decision, {
      repository: `${owner}/${repo}`,
      pr_number: pull.number,
      ...(pr ? { title: pr.title, head_ref: pr.head.ref } : {}),
      head_sha: sha,
      status_context: inputs.statusContext,
      ...(ctx.runUrl ? { run_url: ctx.runUrl } : {})
    })
  )
  return { pr: pull.number, sha, decision }
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
  switch (plan.kind) {
    case 'ignored':
    case 'push':
      deps.io.info(plan.kind === 'ignored' ? `not handled: ${plan.reason}` : 'push events are recorded by the evidence step (direct_push records); the PR gate has nothing to publish')
      deps.io.setOutput('decision', '')
      return { plan, decisions }
    case 'pull_request':
    case 'merged':
      decisions.push(await evaluatePull(deps, plan, plan.pulls[0]!, ctx))
      break
    case 'merge_group': {
      // ONE status on the group head: the worst verdict over the queued PRs, every item listed.
      for (const pull of plan.pulls) decisions.push(await evaluatePull(deps, plan, pull, ctx, plan.status_sha, false))
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
  if (worst === 'error' && failOn !== 'never') deps.io.setFailed(`change-gate: error — ${decisions.find((d) => d.decision.decision === 'error')?.decision.error ?? ''}`)
  else if (worst === 'deny' && failOn === 'deny') deps.io.setFailed('change-gate: denied — see the job summary for each rule and how to fix it')
  return { plan, decisions }
}
