import { idIndexPath, recordPath, seqFromPath } from '../chain.js'
import type { RecordDraft } from '../record.js'
import {
  CasConflict, checkDraft, checkStream, EvidenceStoreError, nextRecord, withCasRetry,
  type AppendResult, type EvidenceStore, type Head, type RawEntry, type ReadRange, type RetryOptions, type StoredRecord
} from '../store.js'
import { commitMessage, checkBranch, findAt, HEAD_FILE, headFileAt, headFileBytes, type HeadFile } from './layout.js'

export interface GitHubStoreOptions {
  owner: string
  repo: string
  branch: string
  token: string
  /** REST API base, e.g. https://api.github.com or https://ghe.example.com/api/v3 */
  apiUrl: string
  url: string
  fetch?: typeof fetch
  retry?: RetryOptions
}

interface ApiResponse {
  status: number
  body: any // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * The evidence branch of a GitHub repository, written through the Git Data API with the same
 * layout as the local git backend: blobs, a tree on top of the tip's tree (`base_tree`, so only
 * the new paths are sent), a commit, and `PATCH /git/refs` with `force: false` as the
 * compare-and-swap (422 "not a fast forward" means another writer moved the branch: the whole
 * read-modify-write is redone). The first append creates the orphan branch with `POST /git/refs`.
 */
export class GitHubStore implements EvidenceStore {
  readonly url: string
  private readonly fetchImpl: typeof fetch
  private readonly base: string
  private readonly refPath: string

  constructor(private readonly o: GitHubStoreOptions) {
    this.url = o.url
    this.fetchImpl = o.fetch ?? fetch
    this.base = `${o.apiUrl.replace(/\/+$/, '')}/repos/${encodeURIComponent(o.owner)}/${encodeURIComponent(o.repo)}`
    this.refPath = `heads/${checkBranch(o.branch).split('/').map(encodeURIComponent).join('/')}`
  }

  private async api(method: string, path: string, body?: unknown, okStatuses: number[] = []): Promise<ApiResponse> {
    let res: Response
    try {
      res = await this.fetchImpl(this.base + path, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${this.o.token}`,
          'x-github-api-version': '2022-11-28',
          ...(body === undefined ? {} : { 'content-type': 'application/json' })
        },
        body: body === undefined ? undefined : JSON.stringify(body)
      })
    } catch (err) {
      throw new EvidenceStoreError(`${this.url}: ${method} ${path} failed: ${(err as Error).message}. Check GITHUB_API_URL and the network.`, { cause: err })
    }
    const text = await res.text()
    let parsed: unknown = null
    try {
      parsed = text ? JSON.parse(text) : null
    } catch {
      parsed = { message: text.slice(0, 200) }
    }
    if ((res.status >= 200 && res.status < 300) || okStatuses.includes(res.status)) return { status: res.status, body: parsed }
    const message = (parsed as { message?: string } | null)?.message ?? ''
    const hint = res.status === 401 ? ' The token is missing or invalid.'
      : res.status === 403 || res.status === 404 ? ' Check that the token can access the repository (the workflow needs `permissions: contents: write`).'
        : ''
    throw new EvidenceStoreError(`${this.url}: ${method} ${path} answered ${res.status} ${message}.${hint}`)
  }

  private async tip(): Promise<string | null> {
    const r = await this.api('GET', `/git/ref/${this.refPath}`, undefined, [404])
    if (r.status === 404) return null
    return String(r.body.object.sha)
  }

  private async fileAt(commit: string, path: string): Promise<Buffer | null> {
    const r = await this.api('GET', `/contents/${path}?ref=${commit}`, undefined, [404])
    if (r.status === 404) return null
    if (typeof r.body?.content !== 'string') throw new EvidenceStoreError(`${this.url}: ${path} at ${commit} is not a file`)
    return Buffer.from(r.body.content, 'base64')
  }

  private headFile(tip: string): Promise<HeadFile> {
    return headFileAt((c, p) => this.fileAt(c, p), tip, this.url)
  }

  async head(): Promise<Head | null> {
    const tip = await this.tip()
    if (!tip) return null
    const h = await this.headFile(tip)
    return { seq: h.seq, hash: h.hash }
  }

  async pointer(): Promise<{ head: Head; exact: boolean } | null> {
    const head = await this.head()
    return head ? { head, exact: true } : null
  }

  async find(changeId: string): Promise<StoredRecord | null> {
    const tip = await this.tip()
    return tip ? this.findAt(tip, changeId) : null
  }

  private findAt(tip: string, changeId: string): Promise<StoredRecord | null> {
    return findAt((c, p) => this.fileAt(c, p), tip, changeId, this.url)
  }

  private async blob(bytes: Buffer): Promise<string> {
    const r = await this.api('POST', '/git/blobs', { content: bytes.toString('base64'), encoding: 'base64' })
    return String(r.body.sha)
  }

  async append(draft: RecordDraft): Promise<AppendResult> {
    checkDraft(draft, this.url)
    return withCasRetry(`appending ${draft.change_id} to ${this.url}`, async (attempt) => {
      const tip = await this.tip()
      let head: HeadFile | null = null
      let baseTree: string | undefined
      if (tip) {
        const found = await this.findAt(tip, draft.change_id)
        if (found) return { record: found.record, hash: found.hash, bytes: found.bytes, created: false, attempts: attempt }
        const [h, commit] = await Promise.all([this.headFile(tip), this.api('GET', `/git/commits/${tip}`)])
        head = h
        baseTree = String(commit.body.tree.sha)
      }
      checkStream(draft.stream, head ? head.stream : null, this.url)
      const next = nextRecord(draft, head)
      const seq = next.record.seq
      const [recordBlob, idBlob, headBlob] = await Promise.all([
        this.blob(next.bytes),
        this.blob(Buffer.from(`${seq}\n`)),
        this.blob(headFileBytes({ seq, hash: next.hash, stream: draft.stream }))
      ])
      const tree = await this.api('POST', '/git/trees', {
        ...(baseTree ? { base_tree: baseTree } : {}),
        tree: [
          { path: recordPath(seq), mode: '100644', type: 'blob', sha: recordBlob },
          { path: idIndexPath(draft.change_id), mode: '100644', type: 'blob', sha: idBlob },
          { path: HEAD_FILE, mode: '100644', type: 'blob', sha: headBlob }
        ]
      })
      const commit = await this.api('POST', '/git/commits', {
        message: commitMessage(seq, draft.change_id, draft.kind),
        tree: tree.body.sha,
        parents: tip ? [tip] : []
      })
      const sha = String(commit.body.sha)
      if (tip) {
        const r = await this.api('PATCH', `/git/refs/${this.refPath}`, { sha, force: false }, [409, 422])
        if (r.status !== 200) throw new CasConflict(`the branch moved while writing record ${seq} (${r.status} ${r.body?.message ?? ''})`)
      } else {
        const r = await this.api('POST', '/git/refs', { ref: `refs/${this.refPath.split('/').map(decodeURIComponent).join('/')}`, sha }, [409, 422])
        if (r.status !== 201 && r.status !== 200) throw new CasConflict(`another writer created the branch first (${r.status} ${r.body?.message ?? ''})`)
      }
      return { record: next.record, hash: next.hash, bytes: next.bytes, created: true, attempts: attempt }
    }, this.o.retry)
  }

  private async treeEntries(sha: string): Promise<{ path: string; type: string; sha: string }[]> {
    const r = await this.api('GET', `/git/trees/${sha}`)
    return (r.body.tree as { path: string; type: string; sha: string }[]) ?? []
  }

  /** Walks records/<3>/<3>/ tree by tree (never a recursive listing, which GitHub truncates). */
  async *read(range: ReadRange = {}): AsyncIterable<RawEntry> {
    const tip = await this.tip()
    if (!tip) return
    const from = range.from ?? 1
    const to = range.to ?? Number.MAX_SAFE_INTEGER
    const commit = await this.api('GET', `/git/commits/${tip}`)
    const root = await this.treeEntries(String(commit.body.tree.sha))
    const records = root.find((e) => e.path === 'records' && e.type === 'tree')
    if (!records) return
    const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
    for (const top of (await this.treeEntries(records.sha)).filter((e) => e.type === 'tree').sort(byPath)) {
      for (const mid of (await this.treeEntries(top.sha)).filter((e) => e.type === 'tree').sort(byPath)) {
        const files = (await this.treeEntries(mid.sha))
          .map((e) => ({ ...e, seq: seqFromPath(`records/${top.path}/${mid.path}/${e.path}`) }))
          .filter((e) => e.type === 'blob' && e.seq !== null && e.seq >= from && e.seq <= to)
          .sort((a, b) => a.seq! - b.seq!)
        // Fetch blobs a few at a time, yield in order.
        for (let i = 0; i < files.length; i += 8) {
          const part = files.slice(i, i + 8)
          const blobs = await Promise.all(part.map((f) => this.api('GET', `/git/blobs/${f.sha}`)))
          for (let j = 0; j < part.length; j++) yield { seq: part[j]!.seq!, bytes: Buffer.from(String(blobs[j]!.body.content), 'base64') }
        }
      }
    }
  }
}
