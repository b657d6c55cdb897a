/**
 * Which pull request brought each commit of a release in, with as few calls as possible:
 * 1. a commit that is the merge SHA of a recorded merge (squash, merge commit, last commit of a
 *    rebase) is resolved from the evidence store;
 * 2. the branch commits a recorded merge commit brought in (reachable from its second parent but
 *    not from its first, within the release) belong to the same PR — the commit graph says so;
 * 3. every other commit asks GitHub (`commits/{sha}/pulls`: the merged PR that introduced it).
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

export async function mapCommitsToPulls(client: GitHubClient, owner: string, repo: string, commits: RangeCommit[], index: EvidenceIndex, concurrency = 8): Promise<PullMapping> {
  const pulls = new Map<string, CommitPull | null>()
  const ask: string[] = []
  for (const c of commits) {
    const rec = index.mergeRecordByMergeSha(c.sha)
    if (rec?.pr) pulls.set(c.sha, { number: rec.pr.number, url: rec.pr.url, title: rec.change_desc, source: 'merge_record' })
  }
  attributeBranchCommits(commits, pulls)
  for (const c of commits) if (!pulls.has(c.sha)) ask.push(c.sha)
  let next = 0
  const worker = async () => {
    while (next < ask.length) {
      const sha = ask[next++]!
      const res = await client.request<ApiPull[]>('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', { owner, repo, commit_sha: sha, per_page: 100 })
      const p = pickPull(sha, Array.isArray(res.data) ? res.data : [], index)
      pulls.set(sha, p ? { number: p.number, url: p.html_url ?? null, title: p.title ?? null, source: 'github' } : null)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, ask.length) }, worker))
  return { pulls, round_trips: ask.length }
}
