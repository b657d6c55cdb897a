import { canonicalize } from '../canonical.js'
import { idIndexPath, recordPath } from '../chain.js'
import type { Head } from '../store.js'

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
