/**
 * Which pull request brought each commit of a release in, with as few calls as possible:
 * 1. a commit that is the merge SHA of a recorded merge (squash, merge commit, last commit of a
 *    rebase) is resolved from the evidence store;
 * 2. the branch commits a recorded merge commit brought in (reachable from its second parent but
 *    not from its first, within the release) belong to the same PR — the commit graph says so;
 * 3. every other commit asks GitHub: `Commit.associatedPullRequests` (the merged PR that introduced
 *    it), 50 commits per GraphQL query; a commit with more associated PRs than one page holds
 *    falls back to REST `commits/{sha}/pulls`.
 * A commit with no merged PR is a direct change.
 */
import type { GitHubClient } from './client.js'
import type { EvidenceIndex } from './deploy-evidence.js'
import type { RangeCommit } from './deploy-range.js'

export interface CommitPull {
  number: number
  url: string | null
  title: string | null
  /** Where the mapping came from: our own merge record, or GitHub's commit → PR lookup. */
  source: 'merge_record' | 'merge_graph' | 'github'
}

interface ApiPull {
  number: number
  html_url?: string
  title?: string
  state?: string
  merged_at?: string | null
  merge_commit_sha?: string | null
}

export interface PullMapping {
  pulls: Map<string, CommitPull | null>
  round_trips: number
}

/**
 * Picks the PR that introduced `sha` among those GitHub associates with it: only merged ones
 * count (an open PR containing the commit did not bring it in); the one whose merge commit is
 * this SHA first, then one we hold a merge record for, then the earliest merged.
 */
export function pickPull(sha: string, pulls: ApiPull[], index: EvidenceIndex): ApiPull | null {
  const merged = pulls.filter((p) => p.merged_at)
  if (merged.length === 0) return null
  return (
    merged.find((p) => p.merge_commit_sha === sha) ??
    merged.find((p) => index.mergeRecordOf(p.number) !== null) ??
    [...merged].sort((a, b) => Date.parse(a.merged_at!) - Date.parse(b.merged_at!))[0]!
  )
}

/** Commits of `commits` reachable from `starts` without leaving the release. */
function reachable(starts: string[], bySha: Map<string, RangeCommit>, stop?: Set<string>): Set<string> {
  const seen = new Set<string>()
  const todo = starts.filter((s) => bySha.has(s))
  while (todo.length) {
    const sha = todo.pop()!
    if (seen.has(sha) || stop?.has(sha)) continue
    seen.add(sha)
    for (const p of bySha.get(sha)!.parents) if (bySha.has(p)) todo.push(p)
  }
  return seen
}

/**
 * Step 2: for each merge commit already mapped to a PR from its merge record, the commits on its
 * merged-in side (second and later parents) that the first parent cannot reach came in with it.
 */
export function attributeBranchCommits(commits: RangeCommit[], pulls: Map<string, CommitPull | null>): void {
  const bySha = new Map(commits.map((c) => [c.sha, c]))
  for (const c of commits) {
    const pull = pulls.get(c.sha)
    if (!pull || pull.source !== 'merge_record' || c.parents.length < 2) continue
    const mainline = reachable([c.parents[0]!], bySha)
    for (const sha of reachable(c.parents.slice(1), bySha, mainline)) {
      if (!pulls.has(sha)) pulls.set(sha, { ...pull, source: 'merge_graph' })
    }
  }
}

/** Commits per GraphQL query (one connection each: about one point per query). */
export const COMMITS_PER_QUERY = 50
const PULLS_PER_COMMIT = 10

/** The batched lookup for `n` commits: aliases c0…c{n-1} over variables $o0…. */
export function commitPullsQuery(n: number): string {
  const vars = Array.from({ length: n }, (_, i) => `$o${i}: GitObjectID!`).join(', ')
  const fields = Array.from({ length: n }, (_, i) => `    c${i}: object(oid: $o${i}) { ...PullsOfCommit }`).join('\n')
  return `query CommitPulls($owner: String!, $name: String!, ${vars}) {
  repository(owner: $owner, name: $name) {
${fields}
  }
}
fragment PullsOfCommit on Commit {
  oid
  associatedPullRequests(first: ${PULLS_PER_COMMIT}) {
    totalCount
    nodes { number title url merged mergedAt mergeCommit { oid } }
  }
}`
}

interface GraphPull {
  number: number
  title: string
  url: string
  merged: boolean
  mergedAt: string | null
  mergeCommit: { oid: string } | null
}
type CommitPullsResult = { repository: Record<string, { oid: string; associatedPullRequests: { totalCount: number; nodes: GraphPull[] } } | null> | null }

async function restPulls(client: GitHubClient, owner: string, repo: string, sha: string): Promise<ApiPull[]> {
  const res = await client.request<ApiPull[]>('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', { owner, repo, commit_sha: sha, per_page: 100 })
  return Array.isArray(res.data) ? res.data : []
}

export async function mapCommitsToPulls(client: GitHubClient, owner: string, repo: string, commits: RangeCommit[], index: EvidenceIndex, concurrency = 4): Promise<PullMapping> {
  const pulls = new Map<string, CommitPull | null>()
  for (const c of commits) {
    const rec = index.mergeRecordByMergeSha(c.sha)
    if (rec?.pr) pulls.set(c.sha, { number: rec.pr.number, url: rec.pr.url, title: rec.change_desc, source: 'merge_record' })
  }
  attributeBranchCommits(commits, pulls)
  const ask = commits.map((c) => c.sha).filter((sha) => !pulls.has(sha))
  const batches: string[][] = []
  for (let i = 0; i < ask.length; i += COMMITS_PER_QUERY) batches.push(ask.slice(i, i + COMMITS_PER_QUERY))
  let round_trips = 0
  const settle = (sha: string, candidates: ApiPull[]) => {
    const p = pickPull(sha, candidates, index)
    pulls.set(sha, p ? { number: p.number, url: p.html_url ?? null, title: p.title ?? null, source: 'github' } : null)
  }
  let next = 0
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!
      const variables: Record<string, unknown> = { owner, name: repo }
      batch.forEach((sha, i) => (variables[`o${i}`] = sha))
      const data = await client.graphql<CommitPullsResult>(commitPullsQuery(batch.length), variables)
      round_trips++
      for (const [i, sha] of batch.entries()) {
        const node = data.repository?.[`c${i}`]
        if (!node) throw new Error(`GitHub does not know commit ${sha} in ${owner}/${repo} (it was listed by compare); re-run the job`)
        const conn = node.associatedPullRequests
        if (conn.totalCount > conn.nodes.length) {
          // More PRs than one page holds: REST lists them all.
          round_trips++
          settle(sha, await restPulls(client, owner, repo, sha))
          continue
        }
        settle(sha, conn.nodes.map((p) => ({ number: p.number, html_url: p.url, title: p.title, merged_at: p.merged ? p.mergedAt ?? '1970-01-01T00:00:00Z' : null, merge_commit_sha: p.mergeCommit?.oid ?? null })))
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker))
  return { pulls, round_trips }
}
