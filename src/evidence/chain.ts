import { createHash } from 'node:crypto'

/** The `prev_hash` of the first record of a stream. */
export const GENESIS_HASH = '0'.repeat(64)

/** `record_hash`: SHA-256 (lower-case hex) of the record's stored bytes, never of a re-serialisation. */
export function recordHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

/** Where record `seq` lives in a file-per-record store: records/000/000/000001.json. */
export function recordPath(seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`seq must be a positive integer, got ${seq}`)
  const s = String(seq).padStart(12, '0')
  // 12 digits: records/<3>/<3>/<6>.json keeps every directory at most 1000 entries for a billion records.
  const top = s.slice(0, 3)
  const mid = s.slice(3, 6)
  const leaf = s.slice(6)
  return `records/${top}/${mid}/${leaf}.json`
}

/** The seq encoded in a path made by `recordPath`, or null when the path is not a record path. */
export function seqFromPath(path: string): number | null {
  const m = /^records\/(\d{3})\/(\d{3})\/(\d{6})\.json$/.exec(path)
  if (!m) return null
  const seq = Number(m[1] + m[2] + m[3])
  return seq >= 1 ? seq : null
}

/** Where the change_id → seq index entry of a change lives: ids/ab/cd/<sha256(change_id)>. */
export function idIndexPath(changeId: string): string {
  const h = sha256Hex(changeId)
  return `ids/${h.slice(0, 2)}/${h.slice(2, 4)}/${h}`
}
