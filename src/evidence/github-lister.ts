import type { MergedPullRequest, PullRequestLister } from './reconcile.js'

/**
 * Lists merged pull requests with GitHub's REST API (GET /repos/{repo}/pulls?state=closed&base=…,
 * newest update first, following Link rel="next"), keeping those merged within the period. It
 * stops paging once pull requests were last updated before the period started: a PR merged in
 * the period was updated at or after its merge.
 */
export class RestPullRequestLister implements PullRequestLister {
  private readonly api: string
  private readonly fetchImpl: typeof fetch

  constructor(options: { apiUrl?: string; token?: string; fetch?: typeof fetch }, private readonly token = options.token) {
    this.api = (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '')
    this.fetchImpl = options.fetch ?? fetch
  }

  private async get(url: string): Promise<{ body: unknown; next: string | null }> {
    let res: Response
    try {
      res = await this.fetchImpl(url, {
        headers: {
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {})
        }
      })
    } catch (err) {
      throw new Error(`GET ${url} failed: ${(err as Error).message}. Check GITHUB_API_URL and the network.`, { cause: err })
    }
    const text = await res.text()
    if (!res.ok) {
      let message = text.slice(0, 200)
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message
      } catch {
        /* keep the text */
      }
      const hint = res.status === 401 ? ' Set GITHUB_TOKEN to a valid token.' : res.status === 404 ? ' Check --repo and that the token can read it.' : ''
      throw new Error(`GET ${url} answered ${res.status}: ${message}.${hint}`)
    }
    const link = res.headers.get('link') ?? ''
    const next = /<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null
    return { body: JSON.parse(text), next }
  }

  private repoPath(repo: string): string {
    const m = /^([^/\s]+)\/([^/\s]+)$/.exec(repo)
    if (!m) throw new Error(`'${repo}' is not owner/name`)
    return `/repos/${encodeURIComponent(m[1]!)}/${encodeURIComponent(m[2]!)}`
  }

  async defaultBranch(repo: string): Promise<string> {
    const { body } = await this.get(`${this.api}${this.repoPath(repo)}`)
    return String((body as { default_branch: string }).default_branch)
  }

  async listMergedPullRequests(repo: string, base: string, from: Date, to: Date): Promise<MergedPullRequest[]> {
    const out: MergedPullRequest[] = []
    let url: string | null = `${this.api}${this.repoPath(repo)}/pulls?state=closed&base=${encodeURIComponent(base)}&sort=updated&direction=desc&per_page=100`
    while (url) {
      const { body, next }: { body: unknown; next: string | null } = await this.get(url)
      const page = body as { number: number; html_url: string; merged_at: string | null; updated_at: string; merge_commit_sha: string | null; base: { ref: string } }[]
      let older = false
      for (const pr of page) {
        if (Date.parse(pr.updated_at) < from.getTime()) older = true
        if (!pr.merged_at) continue
        const t = Date.parse(pr.merged_at)
        if (t >= from.getTime() && t <= to.getTime()) {
          out.push({ number: pr.number, url: pr.html_url, merged_at: pr.merged_at, merge_commit_sha: pr.merge_commit_sha, base: pr.base.ref })
        }
      }
      url = older ? null : next
    }
    return out.sort((a, b) => a.number - b.number)
  }
}
