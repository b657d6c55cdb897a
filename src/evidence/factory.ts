import { isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DirStore } from './backends/dir.js'
import { GitLocalStore } from './backends/git-local.js'
import { GitHubStore } from './backends/git-github.js'
import { DEFAULT_BRANCH } from './backends/layout.js'
import type { EvidenceStore, RetryOptions } from './store.js'

export interface StoreOptions {
  /** Resolves relative paths (`dir:evidence`). */
  cwd?: string
  /** Token for git+https GitHub stores (the workflow token in the action, GITHUB_TOKEN in the CLI). */
  token?: string
  /** REST API base for git+https GitHub stores (GITHUB_API_URL); default from the host. */
  apiUrl?: string
  fetch?: typeof fetch
  retry?: RetryOptions
}

export const STORE_URL_HELP =
  'Store URLs: git+file:///path/to/repo.git#branch (a local git repository; branch defaults to ' +
  `${DEFAULT_BRANCH}), git+https://github.com/OWNER/REPO.git#branch (through the GitHub API), dir:///path/to/folder.`

/** Opens the evidence store a URL names. Throws with the accepted forms when the URL is not one. */
export function openStore(url: string, options: StoreOptions = {}): EvidenceStore {
  const cwd = options.cwd ?? process.cwd()
  const hashAt = url.indexOf('#')
  const base = hashAt >= 0 ? url.slice(0, hashAt) : url
  const branch = hashAt >= 0 ? decodeURIComponent(url.slice(hashAt + 1)) || DEFAULT_BRANCH : DEFAULT_BRANCH

  if (base.startsWith('dir:')) {
    if (hashAt >= 0) throw new Error(`'${url}': a dir: store has no branch; remove '#${url.slice(hashAt + 1)}'`)
    return new DirStore(localPath(base.slice('dir:'.length), cwd, url), url, options.retry)
  }
  if (base.startsWith('git+file:')) {
    return new GitLocalStore(localPath(base.slice('git+file:'.length), cwd, url), branch, url, options.retry)
  }
  if (base.startsWith('git+https://')) {
    const m = /^git\+https:\/\/([^/]+)\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(base)
    if (!m) throw new Error(`'${url}' is not a repository URL: expected git+https://HOST/OWNER/REPO.git#branch`)
    const [, host, owner, repo] = m as unknown as [string, string, string, string]
    const apiUrl = options.apiUrl ?? (host === 'github.com' ? 'https://api.github.com' : `https://${host}/api/v3`)
    if (!options.token) {
      throw new Error(`'${url}' needs a GitHub token with contents: write (read for verify): set GITHUB_TOKEN`)
    }
    return new GitHubStore({ owner, repo, branch, token: options.token, apiUrl, fetch: options.fetch, url, retry: options.retry })
  }
  throw new Error(`unsupported evidence store URL '${url}'. ${STORE_URL_HELP}`)
}

function localPath(rest: string, cwd: string, url: string): string {
  let path: string
  if (rest.startsWith('//')) {
    try {
      path = fileURLToPath(`file:${rest}`)
    } catch (err) {
      throw new Error(`'${url}': ${(err as Error).message}; use an absolute path such as dir:///var/evidence`)
    }
  } else path = decodeURIComponent(rest)
  if (!path) throw new Error(`'${url}' names no path`)
  return isAbsolute(path) ? path : resolve(cwd, path)
}
