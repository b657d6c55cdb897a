/**
 * A repository history for the deploy gate's stand-in routes: commits with parents, merged pull
 * requests (squash, merge commit or rebase), direct pushes, and GitHub deployments. It answers
 * REST compare (paged like GitHub: at most 250 commits without paging, per_page ≤ 100 with it) and
 * commits/{sha}/pulls, and GraphQL `repository.object(oid:)` and `repository.deployments`.
 */
import { connection } from './model.js'
import { sha as shaOf } from './scenario.js'
import type { RestRoute } from './server.js'

export interface HistoryCommit {
  sha: string
  parents: string[]
  message: string
  author: string | null
  email: string
  date: string
}

export interface HistoryPull {
  number: number
  title: string
  author: string
  merged_at: string | null
  merge_commit_sha: string | null
  /** Commits of the PR branch (before the merge rewrote them, for squash). */
  commits: string[]
  base: string
}

export interface HistoryDeployment {
  id: number
  sha: string
  environment: string
  created_at: string
  statuses: string[]
}

export class RepoHistory {
  readonly commits = new Map<string, HistoryCommit>()
  /** Creation order: compare lists commits oldest first. */
  readonly order: string[] = []
  readonly pulls: HistoryPull[] = []
  readonly deployments: HistoryDeployment[] = []
  main: string
  private n = 0
  private clock = Date.parse('2026-11-01T09:00:00Z')

  constructor(readonly name = 'acme/api') {
    this.main = this.add('Initial commit', 'alice', [])
  }

  private add(message: string, author: string | null, parents: string[]): string {
    const sha = shaOf(`${this.name}:commit:${this.n++}`)
    this.clock += 60_000
    this.commits.set(sha, { sha, parents, message, author, email: `${author ?? 'someone'}@example.com`, date: new Date(this.clock).toISOString() })
    this.order.push(sha)
    return sha
  }

  now(): string {
    return new Date(this.clock).toISOString()
  }

  /** A commit pushed straight to main (no PR). */
  push(message: string, author = 'mallory'): string {
    this.main = this.add(message, author, [this.main])
    return this.main
  }

  /** A PR of `commits` commits merged into main with a strategy; returns its merge SHA. */
  merge(number: number, title: string, options: { author?: string; commits?: number; strategy?: 'squash' | 'merge' | 'rebase' } = {}): { merge_sha: string; head_sha: string; commits: string[] } {
    const author = options.author ?? 'bob'
    const strategy = options.strategy ?? 'squash'
    const branchBase = this.main
    const branch: string[] = []
    let tip = branchBase
    for (let i = 0; i < (options.commits ?? 1); i++) {
      tip = this.add(`${title} (part ${i + 1})`, author, [tip])
      branch.push(tip)
    }
    let merge: string
    let onMain: string[]
    if (strategy === 'squash') {
      merge = this.add(`${title} (#${number})`, author, [this.main])
      onMain = [merge]
    } else if (strategy === 'merge') {
      merge = this.add(`Merge pull request #${number}`, author, [this.main, tip])
      onMain = [...branch, merge]
    } else {
      onMain = []
      let t = this.main
      for (const c of branch) {
        t = this.add(this.commits.get(c)!.message, author, [t])
        onMain.push(t)
      }
      merge = t
    }
    this.main = merge
    this.pulls.push({ number, title, author, merged_at: this.now(), merge_commit_sha: merge, commits: strategy === 'rebase' ? [...branch, ...onMain] : branch, base: 'main' })
    return { merge_sha: merge, head_sha: tip, commits: onMain }
  }

  /** A GitHub deployment (as the Deployments API would list it). */
  deploy(environment: string, sha: string, statuses: string[] = ['in_progress', 'success']): HistoryDeployment {
    const d = { id: 5000 + this.deployments.length, sha, environment, created_at: this.now(), statuses }
    this.deployments.push(d)
    return d
  }

  ancestors(sha: string): Set<string> {
    const seen = new Set<string>()
    const todo = [sha]
    while (todo.length) {
      const s = todo.pop()!
      if (seen.has(s)) continue
      seen.add(s)
      todo.push(...(this.commits.get(s)?.parents ?? []))
    }
    return seen
  }

  private restCommit(sha: string) {
    const c = this.commits.get(sha)!
    return {
      sha,
      parents: c.parents.map((p) => ({ sha: p })),
      commit: { message: c.message, author: { name: c.author ?? 'Someone', email: c.email, date: c.date }, committer: { name: c.author ?? 'Someone', email: c.email, date: c.date } },
      author: c.author ? { login: c.author } : null,
      committer: c.author ? { login: c.author } : null
    }
  }

  private compare(base: string, head: string, query: URLSearchParams) {
    if (!this.commits.has(base) || !this.commits.has(head)) return { status: 404, body: { message: 'Not Found' } }
    const inHead = this.ancestors(head)
    const inBase = this.ancestors(base)
    const ahead = this.order.filter((s) => inHead.has(s) && !inBase.has(s))
    const behind = this.order.filter((s) => inBase.has(s) && !inHead.has(s))
    const status = ahead.length && behind.length ? 'diverged' : ahead.length ? 'ahead' : behind.length ? 'behind' : 'identical'
    const mergeBase = [...this.order].reverse().find((s) => inHead.has(s) && inBase.has(s)) ?? null
    let listed: string[]
    if (query.has('per_page') || query.has('page')) {
      const perPage = Math.min(100, Number(query.get('per_page') ?? 30))
      const page = Number(query.get('page') ?? 1)
      listed = ahead.slice((page - 1) * perPage, page * perPage)
    } else listed = ahead.slice(-250)
    return {
      status: 200,
      body: { status, ahead_by: ahead.length, behind_by: behind.length, total_commits: ahead.length, merge_base_commit: mergeBase ? { sha: mergeBase } : null, commits: listed.map((s) => this.restCommit(s)), files: [] }
    }
  }

  private pullsOf(sha: string) {
    if (!this.commits.has(sha)) return { status: 422, body: { message: `No commit found for SHA: ${sha}` } }
    const [owner] = this.name.split('/')
    const pulls = this.pulls
      .filter((p) => p.merge_commit_sha === sha || p.commits.includes(sha))
      .map((p) => ({ number: p.number, title: p.title, state: p.merged_at ? 'closed' : 'open', html_url: `https://github.com/${this.name}/pull/${p.number}`, merged_at: p.merged_at, merge_commit_sha: p.merge_commit_sha, user: { login: p.author }, base: { ref: p.base, repo: { owner: { login: owner } } } }))
    return { status: 200, body: pulls }
  }

  /** GraphQL: `repository.object(oid:)` as a Commit with its associated pull requests. */
  repositoryFields(): Record<string, unknown> {
    return {
      object: (args: { oid: string }) => {
        if (!this.commits.has(args.oid)) return null
        const prs = this.pulls
          .filter((p) => p.merge_commit_sha === args.oid || p.commits.includes(args.oid))
          .map((p) => ({ number: p.number, title: p.title, url: `https://github.com/${this.name}/pull/${p.number}`, merged: p.merged_at !== null, mergedAt: p.merged_at, mergeCommit: p.merge_commit_sha ? { oid: p.merge_commit_sha } : null }))
        return { __typename: 'Commit', oid: args.oid, associatedPullRequests: connection(prs) }
      },
      deployments: (args: { environments?: string[]; first?: number; orderBy?: { field: string; direction: string } }) => {
        if (args.orderBy?.direction !== 'DESC') throw new Error('the deploy gate asks for the newest deployments first')
        const list = this.deployments.filter((d) => !args.environments || args.environments.includes(d.environment)).reverse()
        const nodes = list.map((d) => ({
          databaseId: d.id,
          commitOid: d.sha,
          createdAt: d.created_at,
          latestStatus: d.statuses.length ? { state: d.statuses[d.statuses.length - 1]!.toUpperCase() } : null,
          statuses: connection([...d.statuses].reverse().map((state) => ({ state: state.toUpperCase() })))
        }))
        return connection(nodes)(args)
      }
    }
  }

  /** The REST routes to pass to startStandIn. */
  routes(): RestRoute[] {
    return [
      ({ method, rest, query }) => {
        if (method !== 'GET') return undefined
        let m: RegExpExecArray | null
        if ((m = /^\/compare\/([0-9a-f]{40})\.\.\.([0-9a-f]{40})$/.exec(decodeURIComponent(rest)))) return this.compare(m[1]!, m[2]!, query)
        if ((m = /^\/commits\/([0-9a-f]{40})\/pulls$/.exec(rest))) return this.pullsOf(m[1]!)
        return undefined
      }
    ]
  }
}
