import type { LoadedRecord } from './load.js'

export interface MergedPullRequest {
  number: number
  url: string
  merged_at: string
  merge_commit_sha: string | null
  base: string
}

/** Where the population comes from: GitHub's merged pull requests (injected, so tests use a stand-in). */
export interface PullRequestLister {
  listMergedPullRequests(repo: string, base: string, from: Date, to: Date): Promise<MergedPullRequest[]>
  defaultBranch(repo: string): Promise<string>
}

export interface ReconcileResult {
  repository: string
  base: string
  period: { from: string; to: string }
  merged_pull_requests: number
  merge_records: number
  matched: number
  /** Merged in GitHub, no merge record: a change the log does not know about. */
  missing: MergedPullRequest[]
  /** More than one merge record for one pull request. */
  duplicated: { number: number; seqs: number[] }[]
  /** Merge records in the period for pull requests GitHub does not list as merged into the base in the period. */
  unmatched: { number: number; seq: number; change_id: string }[]
  ok: boolean
}

/**
 * Completeness of the population (IPE): every pull request merged into the protected branch in
 * the period must have exactly one `merge` record. Records are matched by repository and PR
 * number across the whole log (a record may have been written just after the period ended).
 */
export function reconcile(repo: string, base: string, from: Date, to: Date, prs: MergedPullRequest[], records: LoadedRecord[]): ReconcileResult {
  const repoKey = repo.toLowerCase()
  const merges = records.map((r) => r.record).filter((r) => r.kind === 'merge' && r.repository.toLowerCase() === repoKey && r.pr)
  const byNumber = new Map<number, number[]>()
  for (const r of merges) byNumber.set(r.pr!.number, [...(byNumber.get(r.pr!.number) ?? []), r.seq])
  const listed = new Set(prs.map((p) => p.number))
  const missing = prs.filter((p) => !byNumber.has(p.number)).sort((a, b) => a.number - b.number)
  const duplicated = [...byNumber].filter(([n, seqs]) => seqs.length > 1 && listed.has(n)).map(([number, seqs]) => ({ number, seqs })).sort((a, b) => a.number - b.number)
  const unmatched = merges
    .filter((r) => {
      const t = Date.parse(r.change_ts)
      return t >= from.getTime() && t <= to.getTime() && !listed.has(r.pr!.number)
    })
    .map((r) => ({ number: r.pr!.number, seq: r.seq, change_id: r.change_id }))
  return {
    repository: repo,
    base,
    period: { from: from.toISOString(), to: to.toISOString() },
    merged_pull_requests: prs.length,
    merge_records: merges.length,
    matched: prs.filter((p) => byNumber.get(p.number)?.length === 1).length,
    missing,
    duplicated,
    unmatched,
    ok: missing.length === 0 && duplicated.length === 0 && unmatched.length === 0
  }
}
