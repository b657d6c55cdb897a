/**
 * The commits between the last deployed SHA and the one being deployed, from REST compare.
 * Without paging, compare answers at most 250 commits; with `per_page`/`page` it pages through
 * the whole range (files only on page 1, which we do not need). Every page is fetched and the
 * count checked against `total_commits`: a short list is reported incomplete, never passed on.
 */
import type { GitHubClient } from './client.js'

export interface RangeCommit {
  sha: string
  parents: string[]
  message: string
  author: { login: string | null; name: string | null; email: string | null }
  committer: { login: string | null; name: string | null; email: string | null }
  authored_at: string | null
}

export type RangeStatus = 'ahead' | 'behind' | 'identical' | 'diverged'

export interface CommitRange {
  status: RangeStatus
  ahead_by: number
  behind_by: number
  merge_base: string | null
  /** Commits in `base..head`, oldest first as compare returns them. */
  commits: RangeCommit[]
  complete: boolean
  /** Why the list is incomplete (empty when complete). */
  problems: string[]
  round_trips: number
}

interface CompareCommit {
  sha: string
  parents?: Array<{ sha: string }>
  commit?: {
    message?: string
    author?: { name?: string | null; email?: string | null; date?: string | null } | null
    committer?: { name?: string | null; email?: string | null } | null
  }
  author?: { login?: string } | null
  committer?: { login?: string } | null
}

interface CompareBody {
  status?: string
  ahead_by?: number
  behind_by?: number
  total_commits?: number
  merge_base_commit?: { sha?: string } | null
  commits?: CompareCommit[]
}

export const PER_PAGE = 100
/** A release larger than this is reported incomplete rather than read for minutes. */
export const DEFAULT_MAX_COMMITS = 10_000

function toCommit(c: CompareCommit): RangeCommit {
  const a = c.commit?.author ?? null
  const k = c.commit?.committer ?? null
  return {
    sha: c.sha,
    parents: (c.parents ?? []).map((p) => p.sha),
    message: c.commit?.message ?? '',
    author: { login: c.author?.login ?? null, name: a?.name ?? null, email: a?.email ?? null },
    committer: { login: c.committer?.login ?? null, name: k?.name ?? null, email: k?.email ?? null },
    authored_at: a?.date ?? null
  }
}

async function inParallel<T>(items: number[], limit: number, fn: (n: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(items.length)
  let next = 0
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i]!)
    }
  })
  await Promise.all(workers)
  return out
}

export interface RangeOptions {
  maxCommits?: number
  /** Pages fetched at once after the first (default 4). */
  concurrency?: number
}

/** Lists `base..head` completely (or says why not). API errors propagate: the caller fails closed. */
export async function listCommitRange(client: GitHubClient, owner: string, repo: string, base: string, head: string, options: RangeOptions = {}): Promise<CommitRange> {
  const maxCommits = options.maxCommits ?? DEFAULT_MAX_COMMITS
  const page = async (n: number) =>
    (await client.request<CompareBody>('GET /repos/{owner}/{repo}/compare/{basehead}', { owner, repo, basehead: `${base}...${head}`, per_page: PER_PAGE, page: n })).data
  const first = await page(1)
  const status = first.status as RangeStatus
  if (!['ahead', 'behind', 'identical', 'diverged'].includes(status)) {
    throw new Error(`compare ${base.slice(0, 12)}...${head.slice(0, 12)} returned an unknown status '${String(first.status)}'`)
  }
  const total = first.total_commits ?? first.ahead_by ?? 0
  const result: CommitRange = {
    status,
    ahead_by: first.ahead_by ?? 0,
    behind_by: first.behind_by ?? 0,
    merge_base: first.merge_base_commit?.sha ?? null,
    commits: [],
    complete: true,
    problems: [],
    round_trips: 1
  }
  if (total > maxCommits) {
    result.complete = false
    result.problems.push(`the release holds ${total} commits, more than the ${maxCommits} the gate reads; deploy smaller releases or raise the limit`)
    return result
  }
  const pages = Math.ceil(total / PER_PAGE)
  const rest = await inParallel(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => i + 2), options.concurrency ?? 4, page)
  result.round_trips += rest.length
  const seen = new Set<string>()
  for (const body of [first, ...rest]) {
    for (const c of body.commits ?? []) {
      if (seen.has(c.sha)) continue
      seen.add(c.sha)
      result.commits.push(toCommit(c))
    }
  }
  if (result.commits.length !== total) {
    result.complete = false
    result.problems.push(`compare reported ${total} commits between ${base.slice(0, 12)} and ${head.slice(0, 12)} but its pages held ${result.commits.length}`)
  }
  return result
}
