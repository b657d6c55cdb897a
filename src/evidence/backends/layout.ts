import { canonicalize } from '../canonical.js'
import { idIndexPath, recordPath } from '../chain.js'
import { EvidenceStoreError, parseStored, type Head, type StoredRecord } from '../store.js'

/**
 * The file layout both git backends write on the evidence branch; every commit adds exactly one
 * record and updates HEAD.json and the change_id index in the same commit:
 *   HEAD.json                      {"hash":…,"seq":…,"stream":…} of the newest record
 *   records/000/000/000000001.json the record's canonical bytes
 *   ids/ab/cd/<sha256(change_id)>  "<seq>\n", for idempotent appends
 */
export const HEAD_FILE = 'HEAD.json'
export const DEFAULT_BRANCH = 'change-gate/evidence'

export interface HeadFile extends Head {
  stream: string
}

export function headFileBytes(head: HeadFile): Buffer {
  return Buffer.from(canonicalize({ hash: head.hash, seq: head.seq, stream: head.stream }) + '\n')
}

export function parseHeadFile(bytes: Buffer, where: string): HeadFile {
  let v: Partial<HeadFile>
  try {
    v = JSON.parse(bytes.toString('utf8')) as Partial<HeadFile>
  } catch {
    throw new Error(`${where}: HEAD.json is not JSON; the evidence branch was altered (run 'change-gate verify')`)
  }
  if (typeof v.seq !== 'number' || typeof v.hash !== 'string' || typeof v.stream !== 'string') {
    throw new Error(`${where}: HEAD.json lacks seq, hash or stream; the evidence branch was altered (run 'change-gate verify')`)
  }
  return { seq: v.seq, hash: v.hash, stream: v.stream }
}

export function parseIdFile(bytes: Buffer): number | null {
  const seq = Number(bytes.toString('utf8').trim())
  return Number.isSafeInteger(seq) && seq >= 1 ? seq : null
}

export function commitMessage(seq: number, changeId: string, kind: string): string {
  return `change-gate: record ${seq} (${kind} ${changeId})\n`
}

export { idIndexPath, recordPath }

/** Branch names we accept: git's rules, minus anything that could read as an option. */
export function checkBranch(branch: string): string {
  if (!/^[A-Za-z0-9._][A-Za-z0-9._/-]*$/.test(branch) || branch.includes('..') || branch.endsWith('/') || branch.endsWith('.lock') || branch.includes('//')) {
    throw new Error(`invalid evidence branch name '${branch}': use letters, digits, '.', '_', '-' and '/' (e.g. ${DEFAULT_BRANCH})`)
  }
  return branch
}

/** One file of the branch at a commit, or null when it has none: how each git backend reads. */
export type FileAt = (commit: string, path: string) => Promise<Buffer | null>

/** HEAD.json at a branch tip; a tip without one is not an evidence branch. */
export async function headFileAt(fileAt: FileAt, tip: string, where: string): Promise<HeadFile> {
  const bytes = await fileAt(tip, HEAD_FILE)
  if (!bytes) throw new EvidenceStoreError(`${where}: the branch tip ${tip} has no ${HEAD_FILE}; this is not a change-gate evidence branch, or it was altered`)
  return parseHeadFile(bytes, where)
}

/** The record of a change_id at a branch tip, through the ids/ index; null when it has none. */
export async function findAt(fileAt: FileAt, tip: string, changeId: string, where: string): Promise<StoredRecord | null> {
  const idBytes = await fileAt(tip, idIndexPath(changeId))
  const seq = idBytes ? parseIdFile(idBytes) : null
  if (seq === null) return null
  const bytes = await fileAt(tip, recordPath(seq))
  if (!bytes) return null
  const stored = parseStored(seq, bytes, where)
  return stored.record.change_id === changeId ? stored : null
}
