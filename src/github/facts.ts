/**
 * A pull request's facts from GitHub: one GraphQL round trip, follow-up pages per connection when
 * there are more than 100 items, and identity normalised once (DESIGN §4):
 * - bot logins without the `[bot]` suffix (GraphQL's form; REST and webhooks add it),
 * - deleted accounts (null actor) as `ghost`,
 * - commit identities without a linked account kept by email (login null).
 * `can_push` comes from GraphQL's `authorCanPushToRepository` on each review (GitHub's own answer,
 * which includes team grants); when that field is absent it falls back to authorAssociation
 * OWNER / MEMBER / COLLABORATOR.
 * A connection that could not be read whole sets its `*_complete` flag to false (policies fail closed).
 */
import type { GitHubClient } from './client.js'
import { MAX_PAGES, PAGE_QUERIES, PULL_REQUEST_QUERY, type PagedConnection } from './queries.js'

export interface Identity {
  login: string | null
  email: string | null
  name?: string | null
}

export interface Actor {
  login: string
  type: string
}

export interface CommitFacts {
  sha: string
  parents: string[]
  is_merge: boolean
  message: string
  author: Identity
  committer: Identity
  co_authors: Identity[]
  verified: boolean
}

export interface ReviewFacts {
  id: string
  reviewer: Actor
  state: string
  submitted_at: string | null
  commit_sha: string | null
  association: string
  can_push: boolean
}

export interface CheckFacts {
  name: string
  source: 'check_run' | 'status'
  app: string | null
  status: string
  conclusion: string | null
  required: boolean
  completed_at: string | null
}

export interface ChangedFile {
  path: string
  status: string
  additions: number
  deletions: number
}

/** The GitHub part of the input document's `pull_request` (DESIGN §4), before its sections. */
export interface PullRequestFacts {
  number: number
  url: string
  title: string
  body: string
  draft: boolean
  labels: string[]
  base: { ref: string; sha: string }
  head: { ref: string; sha: string }
  author: Actor
  merged: boolean
  merged_by: Actor | null
  merge_commit_sha: string | null
  commits: CommitFacts[]
  commits_complete: boolean
  files: ChangedFile[]
  files_complete: boolean
  reviews: ReviewFacts[]
  reviews_complete: boolean
  /** The latest APPROVED / CHANGES_REQUESTED review per reviewer; dismissed reviews dropped. */
  latest_reviews: ReviewFacts[]
  review_requests: Array<{ login: string; type: string }>
  /** Every login (or email, when no account is linked) that authored, committed or co-authored a commit. */
  contributors: string[]
  checks: CheckFacts[]
  checks_complete: boolean
}

/** A pull request's facts from GitHub, before the document adds sections and change. */
export interface GitHubPullRequestFacts {
  repository: { owner: string; name: string; full_name: string; default_branch: string }
  pull_request: PullRequestFacts
  /** API round trips made (the first query plus follow-up pages). */
  round_trips: number
}

type J = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** One login form everywhere: GraphQL's (no `[bot]` suffix), lower-case-insensitive compare left to callers. */
export function normaliseLogin(login: string | null | undefined): string {
  if (!login) return 'ghost'
  return login.endsWith('[bot]') ? login.slice(0, -'[bot]'.length) : login
}

export function actorOf(node: J | null | undefined): Actor {
  if (!node) return { login: 'ghost', type: 'User' }
  return { login: normaliseLogin(node.login), type: String(node.__typename ?? 'User') }
}

function gitIdentity(node: J | null | undefined): Identity {
  const login = node?.user?.login
  return { login: login ? normaliseLogin(login) : null, email: node?.email ? String(node.email).toLowerCase() : null, name: node?.name ?? null }
}

function sameIdentity(a: Identity, b: Identity): boolean {
  return (a.login !== null && a.login === b.login) || (a.email !== null && a.email === b.email)
}

function commitOf(node: J): CommitFacts {
  const c = node.commit
  const parents = (c.parents?.nodes ?? []).map((p: J) => String(p.oid))
  const author = gitIdentity(c.author)
  // `authors` = the git author plus Co-authored-by trailers.
  const co_authors: Identity[] = []
  for (const a of (c.authors?.nodes ?? []).map(gitIdentity)) {
    if (!sameIdentity(a, author) && !co_authors.some((x) => sameIdentity(x, a))) co_authors.push(a)
  }
  return {
    sha: String(c.oid),
    parents,
    is_merge: parents.length > 1,
    message: String(c.message ?? ''),
    author,
    committer: gitIdentity(c.committer),
    co_authors,
    verified: c.signature?.isValid === true
  }
}

const WRITE_ASSOCIATIONS = ['OWNER', 'MEMBER', 'COLLABORATOR']

function reviewOf(node: J): ReviewFacts {
  const association = String(node.authorAssociation ?? 'NONE')
  return {
    id: String(node.id ?? ''),
    reviewer: actorOf(node.author),
    state: String(node.state),
    submitted_at: node.submittedAt ?? null,
    commit_sha: node.commit?.oid ?? null,
    association,
    can_push: typeof node.authorCanPushToRepository === 'boolean' ? node.authorCanPushToRepository : WRITE_ASSOCIATIONS.includes(association)
  }
}

function checkOf(node: J): CheckFacts {
  if (node.__typename === 'CheckRun') {
    return {
      name: String(node.name),
      source: 'check_run',
      app: node.checkSuite?.app?.slug ?? null,
      status: String(node.status),
      conclusion: node.conclusion ?? null,
      required: node.isRequired === true,
      completed_at: node.completedAt ?? null
    }
  }
  // A commit status: its state is both status and conclusion.
  const state = String(node.state)
  const done = state !== 'PENDING' && state !== 'EXPECTED'
  return {
    name: String(node.context),
    source: 'status',
    app: node.creator?.login ? normaliseLogin(node.creator.login) : null,
    status: done ? 'COMPLETED' : 'PENDING',
    conclusion: done ? state : null,
    required: node.isRequired === true,
    completed_at: done ? (node.createdAt ?? null) : null
  }
}

interface Connection {
  totalCount?: number
  pageInfo?: { hasNextPage: boolean; endCursor: string | null }
  nodes: J[]
}

function connectionAt(pr: J, name: PagedConnection): Connection | undefined {
  return name === 'contexts' ? pr.statusCheckRollup?.contexts : pr[name]
}

export class FactsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'FactsError'
  }
}

/**
 * Reads the pull request's facts. API failures (after the client's retries) throw; a connection
 * cut short by MAX_PAGES is marked incomplete instead of being silently truncated.
 */
export async function fetchPullRequestFacts(client: GitHubClient, owner: string, repo: string, number: number, maxPages = MAX_PAGES): Promise<GitHubPullRequestFacts> {
  const vars = { owner, repo, number }
  const first = await client.graphql<J>(PULL_REQUEST_QUERY, vars)
  let round_trips = 1
  const repository = first?.repository
  if (!repository) throw new FactsError(`repository ${owner}/${repo} was not found or the token cannot read it; check the token's contents and pull-requests read permissions`)
  const pr = repository.pullRequest
  if (!pr) throw new FactsError(`pull request #${number} was not found in ${owner}/${repo}`)

  const complete: Record<PagedConnection, boolean> = { commits: true, files: true, reviews: true, contexts: true }
  const nodes: Record<PagedConnection, J[]> = { commits: [], files: [], reviews: [], contexts: [] }
  for (const name of Object.keys(PAGE_QUERIES) as PagedConnection[]) {
    let conn = connectionAt(pr, name)
    if (!conn) continue
    nodes[name].push(...conn.nodes)
    let pages = 0
    while (conn?.pageInfo?.hasNextPage) {
      if (pages >= maxPages || !conn.pageInfo.endCursor) {
        complete[name] = false
        break
      }
      const page: J = await client.graphql<J>(PAGE_QUERIES[name], { ...vars, after: conn.pageInfo.endCursor })
      round_trips++
      pages++
      conn = page?.repository?.pullRequest ? connectionAt(page.repository.pullRequest, name) : undefined
      if (!conn) {
        complete[name] = false
        break
      }
      nodes[name].push(...conn.nodes)
    }
    const total = connectionAt(pr, name)?.totalCount
    if (typeof total === 'number' && nodes[name].length < total) complete[name] = false
  }

  const commits = nodes.commits.map(commitOf)
  const reviews = nodes.reviews.map(reviewOf)
  const latestConn: Connection = pr.latestOpinionatedReviews ?? { nodes: [] }
  const latest_reviews = latestConn.nodes.map(reviewOf).filter((r) => r.state === 'APPROVED' || r.state === 'CHANGES_REQUESTED')
  const latestComplete = typeof latestConn.totalCount !== 'number' || latestConn.nodes.length >= latestConn.totalCount
  const contributors = new Set<string>()
  for (const c of commits) {
    for (const id of [c.author, c.committer, ...c.co_authors]) {
      if (id.login) contributors.add(id.login)
      else if (id.email) contributors.add(id.email)
    }
  }
  const labelsConn: Connection = pr.labels ?? { nodes: [] }
  return {
    repository: { owner: String(repository.owner?.login ?? owner), name: String(repository.name ?? repo), full_name: String(repository.nameWithOwner ?? `${owner}/${repo}`), default_branch: String(repository.defaultBranchRef?.name ?? '') },
    pull_request: {
      number: Number(pr.number),
      url: String(pr.url ?? ''),
      title: String(pr.title ?? ''),
      body: String(pr.body ?? ''),
      draft: pr.isDraft === true,
      labels: labelsConn.nodes.map((l) => String(l.name)),
      base: { ref: String(pr.baseRefName), sha: String(pr.baseRefOid) },
      head: { ref: String(pr.headRefName), sha: String(pr.headRefOid) },
      author: actorOf(pr.author),
      merged: pr.merged === true,
      merged_by: pr.mergedBy ? actorOf(pr.mergedBy) : null,
      merge_commit_sha: pr.mergeCommit?.oid ?? null,
      commits,
      commits_complete: complete.commits,
      files: nodes.files.map((f) => ({ path: String(f.path), status: String(f.changeType), additions: Number(f.additions ?? 0), deletions: Number(f.deletions ?? 0) })),
      files_complete: complete.files,
      reviews,
      reviews_complete: complete.reviews && latestComplete,
      latest_reviews,
      review_requests: (pr.reviewRequests?.nodes ?? []).map((r: J) => r.requestedReviewer).filter(Boolean).map((r: J) => ({ login: normaliseLogin(r.login ?? r.slug), type: String(r.__typename) })),
      contributors: [...contributors].sort(),
      checks: nodes.contexts.map(checkOf),
      checks_complete: complete.contexts
    },
    round_trips
  }
}
