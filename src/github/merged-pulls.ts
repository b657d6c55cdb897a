/**
 * The population an auditor reconciles against: the pull requests GitHub reports as merged into a
 * branch in a period, read through the one GitHub client (retry, throttling, GITHUB_API_URL).
 */
import type { MergedPullRequest, PullRequestLister } from '../evidence/reconcile.js'
import { GitHubApiError, type GitHubClient } from './client.js'

const PER_PAGE = 100

interface RestPull {
  number: number
  html_url: string
  merged_at: string | null
  updated_at: string
  merge_commit_sha: string | null
  base: { ref: string }
}

function ownerRepo(repo: string): { owner: string; repo: string } {
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(repo)
  if (!m) throw new GitHubApiError(`'${repo}' is not owner/name`)
  return { owner: m[1]!, repo: m[2]! }
}

/** Explains the usual causes of a failed read, so the auditor knows what to fix. */
function withHint(err: unknown): never {
  const status = err instanceof GitHubApiError ? err.status : undefined
  const hint = status === 401 ? ' Set GITHUB_TOKEN to a valid token.' : status === 404 ? ' Check --repo and that the token can read it.' : ''
  if (!hint) throw err
  throw new GitHubApiError(`${(err as Error).message}.${hint}`, { cause: err, status })
}

export class GitHubMergedPullRequests implements PullRequestLister {
  constructor(private readonly client: GitHubClient) {}

  async defaultBranch(repo: string): Promise<string> {
    const res = await this.client.request<{ default_branch: string }>('GET /repos/{owner}/{repo}', ownerRepo(repo)).catch(withHint)
    return String(res.data.default_branch)
  }

  /**
   * Closed pull requests into `base`, most recently updated first, page by page; paging stops once
   * a page reaches pull requests last updated before the period (a PR merged in the period was
   * updated at or after its merge) or runs out.
   */
  async listMergedPullRequests(repo: string, base: string, from: Date, to: Date): Promise<MergedPullRequest[]> {
    const out: MergedPullRequest[] = []
    for (let page = 1; ; page++) {
      const res = await this.client
        .request<RestPull[]>('GET /repos/{owner}/{repo}/pulls', { ...ownerRepo(repo), state: 'closed', base, sort: 'updated', direction: 'desc', per_page: PER_PAGE, page })
        .catch(withHint)
      let older = false
      for (const pr of res.data) {
        if (Date.parse(pr.updated_at) < from.getTime()) older = true
        if (!pr.merged_at) continue
        const t = Date.parse(pr.merged_at)
        if (t >= from.getTime() && t <= to.getTime()) {
          out.push({ number: pr.number, url: pr.html_url, merged_at: pr.merged_at, merge_commit_sha: pr.merge_commit_sha, base: pr.base.ref })
        }
      }
      if (older || res.data.length < PER_PAGE) break
    }
    return out.sort((a, b) => a.number - b.number)
  }
}
