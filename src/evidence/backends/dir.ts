import { promises as fs } from 'node:fs'
import { dirname, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { idIndexPath, recordPath, seqFromPath } from '../chain.js'
import type { RecordDraft } from '../record.js'
import {
  CasConflict, checkDraft, checkStream, EvidenceStoreError, nextRecord, parseStored, withCasRetry,
  type AppendResult, type EvidenceStore, type Head, type RawEntry, type ReadRange, type RetryOptions, type StoredRecord
} from '../store.js'

/**
 * A directory of files, one per record (records/000/000/000000001.json), for experiments and CI
 * systems without git. The compare-and-swap is the creation of the next record's file with
 * link(2), which fails when the file exists, so the file appears whole or not at all; no locks.
 * HEAD.json is only a hint for finding the head quickly; the record files are the truth.
 * ids/<hash of change_id> maps a change_id to its seq for idempotent appends. A crash between
 * writing a record and its id entry can let a re-run append the change twice; `verify` and
 * `reconcile` report such duplicates. The git backend writes both in one commit.
 */
export class DirStore implements EvidenceStore {
  constructor(readonly root: string, readonly url: string = `dir://${root}`, private readonly retry: RetryOptions = {}) {}

  async head(): Promise<Head | null> {
    const rec = await this.headRecord()
    return rec ? { seq: rec.seq, hash: rec.hash } : null
  }

  async pointer(): Promise<{ head: Head; exact: boolean } | null> {
    try {
      const hint = JSON.parse(await fs.readFile(join(this.root, 'HEAD.json'), 'utf8')) as Partial<Head>
      if (typeof hint.seq !== 'number' || typeof hint.hash !== 'string') {
        throw new EvidenceStoreError(`${this.url}: HEAD.json is malformed (expected {seq, hash}); it was altered`)
      }
      // Writers update the hint after the record, racing each other: it may lag, never lead.
      return { head: { seq: hint.seq, hash: hint.hash }, exact: false }
    } catch (err) {
      if (isNotFound(err)) return null
      if (err instanceof SyntaxError) throw new EvidenceStoreError(`${this.url}: HEAD.json is not JSON; it was altered`)
      throw err
    }
  }

  async append(draft: RecordDraft): Promise<AppendResult> {
    checkDraft(draft, this.url)
    return withCasRetry(`appending ${draft.change_id} to ${this.url}`, async (attempt) => {
      const existing = await this.find(draft.change_id)
      if (existing) return { record: existing.record, hash: existing.hash, bytes: existing.bytes, created: false, attempts: attempt }
      const head = await this.headRecord()
      checkStream(draft.stream, head ? head.record.stream : null, this.url)
      const next = nextRecord(draft, head)
      const target = join(this.root, recordPath(next.record.seq))
      await fs.mkdir(dirname(target), { recursive: true })
      const created = await this.createExclusive(target, next.bytes)
      if (!created) throw new CasConflict(`record ${next.record.seq} was written by another writer`)
      await this.replaceFile(join(this.root, idIndexPath(draft.change_id)), `${next.record.seq}\n`)
      await this.replaceFile(join(this.root, 'HEAD.json'), JSON.stringify({ seq: next.record.seq, hash: next.hash }) + '\n')
      return { record: next.record, hash: next.hash, bytes: next.bytes, created: true, attempts: attempt }
    }, this.retry)
  }

  async *read(range: ReadRange = {}): AsyncIterable<RawEntry> {
    const from = range.from ?? 1
    const to = range.to ?? Number.MAX_SAFE_INTEGER
    const base = join(this.root, 'records')
    for (const top of (await sortedDirs(base)).sort(byNumber)) {
      for (const mid of await sortedDirs(join(base, top))) {
        for (const leaf of await sortedFiles(join(base, top, mid))) {
          const seq = seqFromPath(`records/${top}/${mid}/${leaf}`)
          if (seq === null || seq < from || seq > to) continue
          yield { seq, bytes: await fs.readFile(join(base, top, mid, leaf)) }
        }
      }
    }
  }

  async find(changeId: string): Promise<StoredRecord | null> {
    let text: string
    try {
      text = await fs.readFile(join(this.root, idIndexPath(changeId)), 'utf8')
    } catch (err) {
      if (isNotFound(err)) return null
      throw this.ioError('reading the change_id index', err)
    }
    const seq = Number(text.trim())
    if (!Number.isSafeInteger(seq) || seq < 1) return null
    const stored = await this.readSeq(seq)
    return stored && stored.record.change_id === changeId ? stored : null
  }

  private async readSeq(seq: number): Promise<StoredRecord | null> {
    try {
      const bytes = await fs.readFile(join(this.root, recordPath(seq)))
      return parseStored(seq, bytes, this.url)
    } catch (err) {
      if (isNotFound(err)) return null
      throw err instanceof EvidenceStoreError ? err : this.ioError(`reading record ${seq}`, err)
    }
  }

  private async exists(seq: number): Promise<boolean> {
    try {
      await fs.access(join(this.root, recordPath(seq)))
      return true
    } catch {
      return false
    }
  }

  /** The newest record: start from the HEAD.json hint and probe forward (or back, if the hint is ahead). */
  private async headRecord(): Promise<StoredRecord | null> {
    let seq = 0
    try {
      const hint = JSON.parse(await fs.readFile(join(this.root, 'HEAD.json'), 'utf8')) as { seq?: unknown }
      if (typeof hint.seq === 'number' && Number.isSafeInteger(hint.seq) && hint.seq > 0) seq = hint.seq
    } catch (err) {
      if (!isNotFound(err) && !(err instanceof SyntaxError)) throw this.ioError('reading HEAD.json', err)
    }
    while (seq > 0 && !(await this.exists(seq))) seq--
    while (await this.exists(seq + 1)) seq++
    if (seq === 0) return null
    const rec = await this.readSeq(seq)
    if (!rec) throw new CasConflict(`record ${seq} vanished while reading the head`)
    return rec
  }

  private async createExclusive(target: string, bytes: Buffer): Promise<boolean> {
    const tmp = await this.tempFile(bytes)
    try {
      await fs.link(tmp, target)
      return true
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
      throw this.ioError(`creating ${target}`, err)
    } finally {
      await fs.rm(tmp, { force: true })
    }
  }

  private async replaceFile(target: string, text: string): Promise<void> {
    await fs.mkdir(dirname(target), { recursive: true })
    const tmp = await this.tempFile(Buffer.from(text))
    try {
      await fs.rename(tmp, target)
    } catch (err) {
      await fs.rm(tmp, { force: true })
      throw this.ioError(`writing ${target}`, err)
    }
  }

  private async tempFile(bytes: Buffer): Promise<string> {
    const dir = join(this.root, 'tmp')
    await fs.mkdir(dir, { recursive: true })
    const path = join(dir, `${process.pid}-${randomBytes(8).toString('hex')}`)
    try {
      await fs.writeFile(path, bytes, { flag: 'wx' })
    } catch (err) {
      throw this.ioError(`writing a temporary file in ${dir}`, err)
    }
    return path
  }

  private ioError(what: string, err: unknown): EvidenceStoreError {
    return new EvidenceStoreError(
      `${this.url}: ${what} failed: ${(err as Error).message}. Check that the directory exists and is writable.`,
      { cause: err }
    )
  }
}

function byNumber(a: string, b: string): number {
  return Number(a) - Number(b)
}

function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code
  return code === 'ENOENT' || code === 'ENOTDIR'
}

async function sortedDirs(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory() && /^\d{3,}$/.test(d.name)).map((d) => d.name).sort()
  } catch (err) {
    if (isNotFound(err)) return []
    throw err
  }
}

async function sortedFiles(dir: string): Promise<string[]> {
  return (await fs.readdir(dir, { withFileTypes: true })).filter((d) => d.isFile() && /^\d{9,}\.json$/.test(d.name)).map((d) => d.name).sort()
}
