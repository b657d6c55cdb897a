import { existsSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { idIndexPath, recordPath, seqFromPath } from '../chain.js'
import type { RecordDraft } from '../record.js'
import {
  CasConflict, checkDraft, checkStream, EvidenceStoreError, nextRecord, withCasRetry,
  type AppendResult, type EvidenceStore, type Head, type RawEntry, type ReadRange, type RetryOptions, type StoredRecord
} from '../store.js'
import { catFileBatch, catFileStream, git, GitCommandError, parseTree, type TreeEntry } from './git-exec.js'
import { LooseObjectWriter, type ObjectFormat } from './git-objects.js'
import { checkBranch, commitMessage, DEFAULT_BRANCH, findAt, HEAD_FILE, headFileAt, headFileBytes, parseHeadFile, parseIdFile, type HeadFile } from './layout.js'

/**
 * The evidence branch of a git repository on this machine (bare or not). An append reads the tip
 * with rev-parse and one `cat-file --batch` (HEAD.json, the change_id index entry and the trees on
 * the new record's path), writes the new blobs, the trees on that path and the commit as loose
 * objects (the same bytes hash-object/mktree/commit-tree write; only the trees on the path are
 * rewritten, so the cost does not grow with the log), and moves the branch with
 * `update-ref <ref> <new> <old>`: the compare-and-swap. The branch is an orphan: its first
 * commit has no parent. Many processes may append at once; the loser of a race redoes its
 * read-modify-write against the new tip.
 */
const IDENTITY = 'change-gate <change-gate@users.noreply.github.com>'

/** Every directory on the given paths, root ('') first. */
function treeDirs(paths: string[]): string[] {
  const dirs = new Set<string>([''])
  for (const path of paths) {
    const parts = path.split('/')
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'))
  }
  return [...dirs]
}

export class GitLocalStore implements EvidenceStore {
  readonly ref: string

  constructor(
    readonly repo: string,
    readonly branch: string = DEFAULT_BRANCH,
    readonly url: string = `git+file://${repo}#${branch}`,
    private readonly retry: RetryOptions = {}
  ) {
    this.ref = `refs/heads/${checkBranch(branch)}`
  }

  private objects: LooseObjectWriter | undefined

  private async ensureRepo(): Promise<LooseObjectWriter> {
    if (this.objects) return this.objects
    if (!existsSync(this.repo)) {
      throw new EvidenceStoreError(`${this.url}: ${this.repo} does not exist. Create the repository first (git init --bare ${this.repo}).`)
    }
    let out: string[]
    try {
      out = (await git(this.repo, ['rev-parse', '--git-path', 'objects', '--show-object-format'])).stdout.toString('utf8').trim().split('\n')
    } catch (err) {
      throw new EvidenceStoreError(`${this.url}: ${this.repo} is not a git repository (${(err as Error).message.trim()}). Create it with git init --bare.`, { cause: err })
    }
    const objectsPath = out[0]!
    const format = out[1] === 'sha256' ? 'sha256' : 'sha1'
    this.objects = new LooseObjectWriter(isAbsolute(objectsPath) ? objectsPath : join(this.repo, objectsPath), format as ObjectFormat)
    return this.objects
  }

  /** The branch tip, or null when the branch does not exist yet. */
  private async tip(): Promise<string | null> {
    const { stdout, code } = await git(this.repo, ['rev-parse', '--verify', '--quiet', `${this.ref}^{commit}`], { okCodes: [1] })
    return code === 0 ? stdout.toString('utf8').trim() : null
  }

  private async fileAt(commit: string, path: string): Promise<Buffer | null> {
    const [obj] = await catFileBatch(this.repo, [`${commit}:${path}`])
    return obj ? Buffer.from(obj.content) : null
  }

  private headFile(tip: string): Promise<HeadFile> {
    return headFileAt((c, p) => this.fileAt(c, p), tip, this.url)
  }

  async head(): Promise<Head | null> {
    await this.ensureRepo()
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
    await this.ensureRepo()
    const tip = await this.tip()
    return tip ? this.findAt(tip, changeId) : null
  }

  private findAt(tip: string, changeId: string): Promise<StoredRecord | null> {
    return findAt((c, p) => this.fileAt(c, p), tip, changeId, this.url)
  }

  async append(draft: RecordDraft): Promise<AppendResult> {
    checkDraft(draft, this.url)
    const objects = await this.ensureRepo()
    return withCasRetry(`appending ${draft.change_id} to ${this.url}`, async (attempt) => {
      const { tip, snapshot } = await this.snapshot(draft.change_id)
      if (tip && snapshot?.existingSeq) {
        const found = await this.findAt(tip, draft.change_id)
        if (found) return { record: found.record, hash: found.hash, bytes: found.bytes, created: false, attempts: attempt }
      }
      const head = snapshot?.head ?? null
      checkStream(draft.stream, head ? head.stream : null, this.url)
      const next = nextRecord(draft, head)
      const seq = next.record.seq
      const [recordBlob, idBlob, headBlob] = await Promise.all([
        objects.write('blob', next.bytes),
        objects.write('blob', Buffer.from(`${seq}\n`)),
        objects.write('blob', headFileBytes({ seq, hash: next.hash, stream: draft.stream }))
      ])
      const changes = new Map([
        [recordPath(seq), recordBlob],
        [idIndexPath(draft.change_id), idBlob],
        [HEAD_FILE, headBlob]
      ])
      const tree = await this.updateTree(objects, snapshot?.trees ?? new Map(), changes)
      const commit = await objects.writeCommit(tree, tip ? [tip] : [], commitMessage(seq, draft.change_id, draft.kind), IDENTITY, new Date())
      await this.compareAndSwap(commit, tip, seq)
      return { record: next.record, hash: next.hash, bytes: next.bytes, created: true, attempts: attempt }
    }, this.retry)
  }

  /**
   * Two cat-file calls: the tip commit and its HEAD.json, then the change_id index entry and every
   * tree on the paths to write. (If the branch moves between the reads, the compare-and-swap on
   * the tip read first fails and the attempt is redone, so a mixed view is never committed.)
   */
  private async snapshot(changeId: string): Promise<{
    tip: string | null
    snapshot: { head: HeadFile; existingSeq: number | null; trees: Map<string, Map<string, TreeEntry>> } | null
  }> {
    const [tipObj, headObj] = await catFileBatch(this.repo, [this.ref, `${this.ref}:${HEAD_FILE}`])
    if (!tipObj) return { tip: null, snapshot: null }
    if (tipObj.type !== 'commit') throw new EvidenceStoreError(`${this.url}: ${this.ref} does not point to a commit`)
    const tip = tipObj.sha
    if (!headObj) throw new EvidenceStoreError(`${this.url}: the branch tip ${tip} has no ${HEAD_FILE}; this is not a change-gate evidence branch, or it was altered`)
    const head = parseHeadFile(headObj.content, this.url)
    const dirs = treeDirs([recordPath(head.seq + 1), idIndexPath(changeId), HEAD_FILE])
    const objs = await catFileBatch(this.repo, [`${tip}:${idIndexPath(changeId)}`, ...dirs.map((d) => (d === '' ? `${tip}^{tree}` : `${tip}:${d}`))])
    const trees = new Map<string, Map<string, TreeEntry>>()
    dirs.forEach((d, i) => {
      const obj = objs[i + 1]
      if (obj && obj.type === 'tree') trees.set(d, parseTree(obj.content, obj.sha.length / 2))
    })
    const existingSeq = objs[0] ? parseIdFile(objs[0].content) : null
    return { tip, snapshot: { head, existingSeq, trees } }
  }

  private async compareAndSwap(commit: string, tip: string | null, seq: number): Promise<void> {
    const old = tip ?? '0'.repeat(commit.length)
    try {
      await git(this.repo, ['update-ref', '-m', `change-gate: record ${seq}`, this.ref, commit, old])
    } catch (err) {
      if (err instanceof GitCommandError && /but expected|already exists|cannot lock|unable to create|file exists|unable to resolve/i.test(err.stderr)) {
        throw new CasConflict(`the branch moved while writing record ${seq}: ${err.stderr.trim().split('\n')[0]}`)
      }
      throw new EvidenceStoreError(`${this.url}: updating ${this.ref} failed: ${(err as Error).message}`, { cause: err })
    }
  }

  /** A new root tree: the snapshot's trees with `changes` (path → blob id) applied, bottom-up. */
  private async updateTree(objects: LooseObjectWriter, trees: Map<string, Map<string, TreeEntry>>, changes: Map<string, string>): Promise<string> {
    const build = async (dir: string, relChanges: [string, string][]): Promise<string> => {
      const entries = new Map(trees.get(dir) ?? [])
      const groups = new Map<string, [string, string][]>()
      for (const [rel, blob] of relChanges) {
        const slash = rel.indexOf('/')
        if (slash < 0) entries.set(rel, { mode: '100644', type: 'blob', sha: blob })
        else {
          const name = rel.slice(0, slash)
          const list = groups.get(name) ?? []
          list.push([rel.slice(slash + 1), blob])
          groups.set(name, list)
        }
      }
      for (const [name, list] of groups) {
        const existing = entries.get(name)
        if (existing && existing.type !== 'tree') throw new EvidenceStoreError(`${this.url}: ${dir ? dir + '/' : ''}${name} is a file where a directory was expected; the branch layout was altered`)
        entries.set(name, { mode: '040000', type: 'tree', sha: await build(dir ? `${dir}/${name}` : name, list) })
      }
      return objects.writeTree(entries)
    }
    return build('', [...changes])
  }

  async *read(range: ReadRange = {}): AsyncIterable<RawEntry> {
    await this.ensureRepo()
    const tip = await this.tip()
    if (!tip) return
    const { stdout } = await git(this.repo, ['ls-tree', '-r', '-z', '--full-tree', tip, '--', 'records'])
    const from = range.from ?? 1
    const to = range.to ?? Number.MAX_SAFE_INTEGER
    const list: { seq: number; sha: string }[] = []
    for (const line of stdout.toString('utf8').split('\0')) {
      if (!line) continue
      const tab = line.indexOf('\t')
      const [, type, sha] = line.slice(0, tab).split(' ')
      const seq = seqFromPath(line.slice(tab + 1))
      if (type === 'blob' && seq !== null && seq >= from && seq <= to) list.push({ seq, sha: sha! })
    }
    list.sort((a, b) => a.seq - b.seq)
    let i = 0
    for await (const obj of catFileStream(this.repo, list.map((p) => p.sha))) {
      const item = list[i++]!
      if ('missing' in obj) throw new EvidenceStoreError(`${this.url}: the blob of record ${item.seq} (${item.sha}) is missing from the repository; it is corrupt`)
      yield { seq: item.seq, bytes: obj.content }
    }
  }
}
