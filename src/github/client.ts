/**
 * The GitHub client: a small interface the facts, config and publishing code use, and one factory
 * that builds it on Octokit with the retry and throttling plugins. The base URL comes from
 * GITHUB_API_URL and the GraphQL URL from GITHUB_GRAPHQL_URL, so GitHub Enterprise Server works.
 */
import { Octokit } from '@octokit/core'
import { retry } from '@octokit/plugin-retry'
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling'

export interface GitHubResponse<T = unknown> {
  status: number
  data: T
}

export interface GitHubClient {
  graphql<T = unknown>(query: string, variables?: Record<string, unknown>): Promise<T>
  /** A REST call, e.g. `request('GET /repos/{owner}/{repo}/contents/{path}', {...})`. */
  request<T = unknown>(route: string, params?: Record<string, unknown>): Promise<GitHubResponse<T>>
}

export interface ClientOptions {
  token: string
  /** REST base URL; default GITHUB_API_URL or https://api.github.com. */
  apiUrl?: string
  /** GraphQL endpoint; default GITHUB_GRAPHQL_URL or `${apiUrl}/graphql`. */
  graphqlUrl?: string
  /** Retries after the first attempt (server errors, secondary rate limits). Default 3. */
  retries?: number
  /** Base of the retry back-off in ms (attempt n waits n² × base); default 1000, or CHANGE_GATE_RETRY_BASE_MS. */
  retryBaseMs?: number
  /**
   * Octokit's throttling: rate-limit retries for every request, and GitHub's "at least 1 s between
   * writes" pacing for REST writes (statuses, comments). GraphQL queries are reads and are not
   * paced (see `createGitHubClient`). Default on; off only in measurements of our own time.
   */
  throttle?: boolean
  /** Injected fetch (tests). */
  fetch?: typeof fetch
  /** Called with throttling and retry notices. */
  log?: (message: string) => void
}

export class GitHubApiError extends Error {
  readonly status?: number
  constructor(message: string, options: { cause?: unknown; status?: number } = {}) {
    super(message, { cause: options.cause })
    this.name = 'GitHubApiError'
    this.status = options.status
  }
}

const GatedOctokit = Octokit.plugin(retry, throttling)

function describe(err: unknown): { message: string; status?: number } {
  const e = err as { status?: number; message?: string; errors?: Array<{ message?: string }> }
  const parts = [e?.message ?? String(err)]
  if (Array.isArray(e?.errors)) parts.push(...e.errors.map((x) => x.message ?? '').filter(Boolean))
  return { message: [...new Set(parts)].join('; '), status: typeof e?.status === 'number' ? e.status : undefined }
}

/** The URLs from options and the environment. */
export function apiUrls(options: Pick<ClientOptions, 'apiUrl' | 'graphqlUrl'>, env: Record<string, string | undefined> = process.env): { apiUrl: string; graphqlUrl: string } {
  const apiUrl = (options.apiUrl ?? env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, '')
  const graphqlUrl = options.graphqlUrl ?? env.GITHUB_GRAPHQL_URL ?? `${apiUrl}/graphql`
  return { apiUrl, graphqlUrl }
}

/**
 * A limiter that runs at once: stands in for the throttling plugin's write limiter on the Octokit
 * that sends GraphQL queries. The plugin paces every POST (GraphQL included) 1 s apart, which put
 * 1–3 s between reading the facts and publishing the verdict; a query is a read.
 */
const UNPACED = {
  key: () => ({
    schedule: (...args: unknown[]) => {
      const fn = args.find((a): a is (...x: unknown[]) => unknown => typeof a === 'function')
      return Promise.resolve(fn ? fn(...args.slice(args.indexOf(fn) + 1)) : undefined)
    }
  })
}

export function createGitHubClient(options: ClientOptions): GitHubClient {
  if (!options.token) throw new GitHubApiError('no GitHub token: pass the `token` input (default ${{ github.token }}) or set GITHUB_TOKEN')
  const { apiUrl, graphqlUrl } = apiUrls(options)
  const log = options.log ?? (() => undefined)
  const retries = options.retries ?? 3
  const make = (paceWrites: boolean) => new GatedOctokit({
    auth: options.token,
    baseUrl: apiUrl,
    userAgent: 'change-gate',
    // `retries` belongs to the retry plugin's own options: set on `request` it would make the plugin
    // retry EVERY failure, 404 included (a repository without a config file cost 3 extra round trips).
    request: { ...(options.fetch ? { fetch: options.fetch } : {}) },
    retry: { retries, doNotRetry: [400, 401, 403, 404, 410, 422, 451], retryAfterBaseValue: options.retryBaseMs ?? (Number(process.env.CHANGE_GATE_RETRY_BASE_MS) || 1000) },
    throttle: {
      enabled: options.throttle ?? true,
      // A distinct id keeps the query Octokit's limiter state apart from the REST one's.
      ...(paceWrites ? {} : { id: 'change-gate-queries', write: UNPACED as unknown as ThrottlingOptions['write'] }),
      onRateLimit: (after: number, opts: { method: string; url: string }, _o: unknown, count: number) => {
        log(`rate limit hit for ${opts.method} ${opts.url}; retrying in ${after}s`)
        return count < retries
      },
      onSecondaryRateLimit: (after: number, opts: { method: string; url: string }, _o: unknown, count: number) => {
        log(`secondary rate limit hit for ${opts.method} ${opts.url}; retrying in ${after}s`)
        return count < retries
      }
    }
  })
  const octokit = make(true)
  const queries = make(false)
  return {
    async graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
      // Mutations are writes and keep the pacing; queries (all the gate sends) do not.
      const sender = /^\s*mutation\b/.test(query) ? octokit : queries
      try {
        const res = await sender.request('POST {+url}', { url: graphqlUrl, query, variables, baseUrl: '' })
        const body = res.data as { data?: T; errors?: Array<{ message?: string; type?: string; path?: unknown[] }> }
        if (body.errors?.length) {
          const msgs = body.errors.map((e) => `${e.type ? `${e.type}: ` : ''}${e.message ?? '?'}`).join('; ')
          throw new GitHubApiError(`GitHub GraphQL returned errors: ${msgs}`)
        }
        if (body.data === undefined || body.data === null) throw new GitHubApiError('GitHub GraphQL returned no data')
        return body.data
      } catch (err) {
        if (err instanceof GitHubApiError) throw err
        const d = describe(err)
        throw new GitHubApiError(`GitHub GraphQL request to ${graphqlUrl} failed${d.status ? ` (HTTP ${d.status})` : ''} after ${retries} retries: ${d.message}`, { cause: err, status: d.status })
      }
    },
    async request<T>(route: string, params: Record<string, unknown> = {}): Promise<GitHubResponse<T>> {
      try {
        const res = await octokit.request(route, params)
        return { status: res.status, data: res.data as T }
      } catch (err) {
        const d = describe(err)
        throw new GitHubApiError(`GitHub API ${route} failed${d.status ? ` (HTTP ${d.status})` : ''}: ${d.message}`, { cause: err, status: d.status })
      }
    }
  }
}
