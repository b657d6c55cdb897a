/**
 * Parses a workflow event payload into what the PR gate must do. Pure: no API calls. Events the
 * gate does not handle become `ignored` with a message saying why (the action exits 0, no status).
 */
import { normaliseLogin } from './facts.js'

export const PR_ACTIONS = ['opened', 'synchronize', 'reopened', 'edited', 'labeled', 'unlabeled', 'ready_for_review'] as const
export const REVIEW_ACTIONS = ['submitted', 'edited', 'dismissed'] as const

export interface RepoRef {
  owner: string
  repo: string
}

export interface PullRequestTarget {
  number: number
  /** The head SHA the status goes on, when the payload knows it. */
  head_sha?: string
  /** The base SHA in the payload: lets the config be read while the facts are fetched. */
  base_sha?: string
}

export type EventPlan =
  | { kind: 'pull_request'; event: string; action: string; repo: RepoRef; pulls: PullRequestTarget[] }
  /** `pull_request` closed with merged: true — evaluate with the facts as of the merge and append a `merge` record. */
  | { kind: 'merged'; event: string; action: string; repo: RepoRef; pulls: PullRequestTarget[]; merge_commit_sha?: string; merged_at?: string; merged_by?: string }
  /** An approving review on a pull request that is already merged: may settle a break-glass exception (`retro_review` record). */
  | { kind: 'retro_review'; event: string; action: string; repo: RepoRef; pulls: PullRequestTarget[]; review: { id: number | string; reviewer: string; reviewer_type: string; submitted_at: string } }
  /** A merge queue entry: evaluate the queued PRs, status on the merge group's head SHA. */
  | { kind: 'merge_group'; event: string; action: string; repo: RepoRef; pulls: PullRequestTarget[]; status_sha: string }
  /** Checks finished: re-evaluate the PRs whose head is `sha` (from the payload, or looked up by SHA). */
  | { kind: 'checks_completed'; event: string; action: string; repo: RepoRef; sha: string; pulls: PullRequestTarget[] }
  /** A push to a branch: commits that reached a protected branch without a merged PR get `direct_push` records. */
  | { kind: 'push'; event: string; action: string; repo: RepoRef; ref: string; before: string; after: string; default_branch?: string; pusher: string; forced: boolean; commits: PushCommit[]; commits_complete: boolean }
  | { kind: 'ignored'; event: string; action: string; reason: string }

/** A git identity of a pushed commit: login null when no GitHub account is linked (DESIGN §4). */
export interface PushIdentity {
  login: string | null
  email: string | null
  name: string | null
}

export interface PushCommit {
  sha: string
  message: string
  timestamp: string
  author: PushIdentity
  committer: PushIdentity
}

/** GitHub lists at most 2048 commits in a push payload; beyond that the list is cut (compare API). */
export const PUSH_PAYLOAD_COMMITS = 2048

type Json = Record<string, unknown>

function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined
}
function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

export class EventError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'EventError'
  }
}

/** A push payload's author/committer ({name, email, username}); `username` only when an account is linked. */
export function pushIdentity(value: unknown): PushIdentity {
  const o = obj(value)
  const login = str(o?.username)
  const email = str(o?.email)
  return { login: login ? normaliseLogin(login) : null, email: email ? email.toLowerCase() : null, name: str(o?.name) ?? null }
}

function repoOf(payload: Json, fallback?: string): RepoRef {
  const repository = obj(payload.repository)
  const full = str(repository?.full_name) ?? fallback
  const [owner, repo] = full?.split('/') ?? []
  if (!owner || !repo) {
    throw new EventError('the event payload has no repository.full_name and GITHUB_REPOSITORY is not set; run the action from a repository workflow')
  }
  return { owner, repo }
}

function prTarget(value: unknown): PullRequestTarget | undefined {
  const pr = obj(value)
  const number = pr?.number
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) return undefined
  const head = str(obj(pr?.head)?.sha)
  const base = str(obj(pr?.base)?.sha)
  return { number, ...(head ? { head_sha: head } : {}), ...(base && /^[0-9a-f]{40}$/.test(base) ? { base_sha: base } : {}) }
}

/** PR numbers of a merge group: the queue ref `gh-readonly-queue/<base>/pr-<N>-<sha>` and merge commit messages. */
export function mergeGroupPulls(headRef: string, headMessage: string): number[] {
  const numbers = new Set<number>()
  const fromRef = /(?:^|\/)pr-(\d{1,9})-[0-9a-f]{7,64}$/.exec(headRef)
  if (fromRef) numbers.add(Number(fromRef[1]))
  for (const m of headMessage.slice(0, 100_000).matchAll(/Merge pull request #(\d{1,9})\b|\(#(\d{1,9})\)\s*$/gm)) {
    numbers.add(Number(m[1] ?? m[2]))
  }
  return [...numbers].sort((a, b) => a - b)
}

/** The plan for one event. `repository` is GITHUB_REPOSITORY, used when the payload lacks it. */
export function planEvent(eventName: string, payloadValue: unknown, repository?: string): EventPlan {
  const payload = obj(payloadValue) ?? {}
  const action = str(payload.action) ?? ''
  const ignore = (reason: string): EventPlan => ({ kind: 'ignored', event: eventName, action, reason })
  switch (eventName) {
    case 'pull_request':
    case 'pull_request_target': {
      const pr = prTarget(payload.pull_request)
      if (!pr) throw new EventError(`the ${eventName} payload has no pull_request.number`)
      if (action === 'closed') {
        const raw = obj(payload.pull_request)
        if (raw?.merged !== true) return ignore('the pull request was closed without merging: nothing to gate or record')
        const mergedBy = str(obj(raw.merged_by)?.login)
        return {
          kind: 'merged', event: eventName, action, repo: repoOf(payload, repository), pulls: [pr],
          ...(str(raw.merge_commit_sha) ? { merge_commit_sha: str(raw.merge_commit_sha) } : {}),
          ...(str(raw.merged_at) ? { merged_at: str(raw.merged_at) } : {}),
          ...(mergedBy ? { merged_by: normaliseLogin(mergedBy) } : {})
        }
      }
      if (!(PR_ACTIONS as readonly string[]).includes(action)) {
        return ignore(`${eventName} '${action}' does not change what the gate decides; handled activity types: ${PR_ACTIONS.join(', ')}, closed (merged)`)
      }
      return { kind: 'pull_request', event: eventName, action, repo: repoOf(payload, repository), pulls: [pr] }
    }
    case 'pull_request_review': {
      if (!(REVIEW_ACTIONS as readonly string[]).includes(action)) return ignore(`pull_request_review '${action}' is not handled; handled: ${REVIEW_ACTIONS.join(', ')}`)
      const pr = prTarget(payload.pull_request)
      if (!pr) throw new EventError('the pull_request_review payload has no pull_request.number')
      if (str(obj(payload.pull_request)?.merged_at)) {
        // Merged already: no status to publish; an approval may be the retroactive review a break-glass merge owes.
        const review = obj(payload.review)
        const state = str(review?.state)?.toLowerCase()
        const user = obj(review?.user)
        if (action !== 'submitted' || state !== 'approved' || !str(user?.login)) return ignore(`pull request #${pr.number} is merged; only a submitted approval is handled (a retroactive review)`)
        const id = review?.id
        return {
          kind: 'retro_review', event: eventName, action, repo: repoOf(payload, repository), pulls: [pr],
          review: { id: typeof id === 'number' || typeof id === 'string' ? id : '', reviewer: normaliseLogin(str(user?.login)), reviewer_type: str(user?.type) ?? 'User', submitted_at: str(review?.submitted_at) ?? '' }
        }
      }
      return { kind: 'pull_request', event: eventName, action, repo: repoOf(payload, repository), pulls: [pr] }
    }
    case 'merge_group': {
      if (action !== 'checks_requested') return ignore(`merge_group '${action}' is not handled; only checks_requested is`)
      const group = obj(payload.merge_group)
      const sha = str(group?.head_sha)
      if (!sha) throw new EventError('the merge_group payload has no merge_group.head_sha')
      const numbers = mergeGroupPulls(str(group?.head_ref) ?? '', str(obj(group?.head_commit)?.message) ?? '')
      if (numbers.length === 0) {
        throw new EventError(`cannot find the queued pull requests of merge group ${sha}: its head ref '${str(group?.head_ref) ?? ''}' is not gh-readonly-queue/<base>/pr-<N>-<sha>`)
      }
      return { kind: 'merge_group', event: eventName, action, repo: repoOf(payload, repository), pulls: numbers.map((number) => ({ number })), status_sha: sha }
    }
    case 'check_suite':
    case 'workflow_run': {
      if (action !== 'completed') return ignore(`${eventName} '${action}' is not handled; the gate re-evaluates when checks complete`)
      const source = obj(payload[eventName])
      const sha = str(source?.head_sha)
      if (!sha) throw new EventError(`the ${eventName} payload has no ${eventName}.head_sha`)
      const pulls = (Array.isArray(source?.pull_requests) ? source.pull_requests : []).map(prTarget).filter((p): p is PullRequestTarget => p !== undefined)
      return { kind: 'checks_completed', event: eventName, action, repo: repoOf(payload, repository), sha, pulls }
    }
    case 'push': {
      const ref = str(payload.ref)
      const after = str(payload.after)
      if (!ref || !after) throw new EventError('the push payload has no ref or after SHA')
      if (!ref.startsWith('refs/heads/')) return ignore(`push to ${ref}: only branches are checked for direct changes`)
      if (payload.deleted === true || /^0+$/.test(after)) return ignore(`push deleted ${ref}: no commits landed`)
      const list = Array.isArray(payload.commits) ? payload.commits : []
      const commits: PushCommit[] = list.map(obj).filter((c): c is Json => c !== undefined && typeof c.id === 'string').map((c) => ({
        sha: str(c.id)!,
        message: str(c.message) ?? '',
        timestamp: str(c.timestamp) ?? '',
        author: pushIdentity(c.author),
        committer: pushIdentity(c.committer)
      }))
      const pusher = str(obj(payload.pusher)?.name) ?? str(obj(payload.sender)?.login) ?? 'ghost'
      const defaultBranch = str(obj(payload.repository)?.default_branch)
      return {
        kind: 'push', event: eventName, action, repo: repoOf(payload, repository), ref, before: str(payload.before) ?? '', after,
        ...(defaultBranch ? { default_branch: defaultBranch } : {}),
        pusher: normaliseLogin(pusher), forced: payload.forced === true, commits,
        // A cut list (2048 commits) or a payload without commits is completed through the compare API.
        commits_complete: Array.isArray(payload.commits) && list.length < PUSH_PAYLOAD_COMMITS && commits.length === list.length
      }
    }
    default:
      return ignore(`the '${eventName}' event is not handled by the PR gate; trigger it on pull_request, pull_request_review, merge_group, check_suite or workflow_run`)
  }
}
