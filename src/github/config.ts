/**
 * Reads the gate's configuration and custom policies from the BASE branch through the contents
 * API — never from the PR head, so a pull request cannot weaken the gate that judges it.
 */
import type { GitHubClient } from './client.js'
import { GitHubApiError } from './client.js'

export const DEFAULT_CONFIG_PATH = '.github/change-gate.yml'

interface ContentFile {
  type: string
  path: string
  name?: string
  content?: string
  encoding?: string
}

function decode(file: ContentFile): string {
  if (file.encoding !== 'base64' || typeof file.content !== 'string') {
    throw new GitHubApiError(`${file.path} could not be read through the contents API (encoding '${file.encoding ?? 'none'}'); keep it below 1 MB`)
  }
  return Buffer.from(file.content, 'base64').toString('utf8')
}

/**
 * The text of a file at `ref` (the base branch SHA or name), or `null` when it does not exist.
 * Other API failures throw: an unreadable config must not silently become the defaults.
 */
export async function readFileAtRef(client: GitHubClient, owner: string, repo: string, path: string, ref: string): Promise<string | null> {
  try {
    const res = await client.request<ContentFile | ContentFile[]>('GET /repos/{owner}/{repo}/contents/{path}', { owner, repo, path, ref })
    if (Array.isArray(res.data) || res.data.type !== 'file') throw new GitHubApiError(`${path} on ${ref} is a directory, not a file`)
    return decode(res.data)
  } catch (err) {
    if (err instanceof GitHubApiError && err.status === 404) return null
    throw err
  }
}

/** Every `.rego` file under `dir` at `ref` (recursively; `*_test.rego` skipped). Missing dir → []. */
export async function readPoliciesAtRef(client: GitHubClient, owner: string, repo: string, dir: string, ref: string, limit = 500): Promise<Array<{ file: string; source: string }>> {
  const out: Array<{ file: string; source: string }> = []
  const queue = [dir.replace(/\/+$/, '')]
  while (queue.length) {
    const current = queue.shift()!
    let listing: ContentFile | ContentFile[]
    try {
      listing = (await client.request<ContentFile | ContentFile[]>('GET /repos/{owner}/{repo}/contents/{path}', { owner, repo, path: current, ref })).data
    } catch (err) {
      if (err instanceof GitHubApiError && err.status === 404 && current === dir.replace(/\/+$/, '')) return []
      throw err
    }
    for (const entry of Array.isArray(listing) ? listing : [listing]) {
      if (entry.type === 'dir') queue.push(entry.path)
      else if (entry.type === 'file' && entry.path.endsWith('.rego') && !entry.path.endsWith('_test.rego')) {
        if (out.length >= limit) throw new GitHubApiError(`more than ${limit} policy files under ${dir}; split the policy set or raise the limit`)
        const text = await readFileAtRef(client, owner, repo, entry.path, ref)
        if (text !== null) out.push({ file: entry.path, source: text })
      }
    }
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : 1))
}
