import * as crypto from 'node:crypto'

// crypto.hash (Node >= 20.12) hashes a small buffer in one call, faster than createHash.
const oneShot = (crypto as unknown as { hash?: (alg: string, data: Uint8Array | string, enc: 'hex') => string }).hash

/** The `prev_hash` of the first record of a stream. */
export const GENESIS_HASH = '0'.repeat(64)

/** `record_hash`: SHA-256 (lower-case hex) of the record's stored bytes, never of a re-serialisation. */
export function recordHash(bytes: Uint8Array): string {
  return sha256Hex(bytes)
}

export function sha256Hex(data: string | Uint8Array): string {
  return oneShot ? oneShot('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex')
}

/**
 * Where record `seq` lives in a file-per-record store: records/<seq/1e6>/<seq/1e3 % 1000>/<seq>.json,
 * e.g. records/000/000/000000001.json and records/123/456/123456789.json. Every directory holds at
 * most 1000 entries (the top one too, up to a billion records), so writing one record rewrites
 * only small trees, and the file name alone still says which record it is.
 */
export function recordPath(seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`seq must be a positive integer, got ${seq}`)
  const top = String(Math.floor(seq / 1_000_000)).padStart(3, '0')
  const mid = String(Math.floor(seq / 1000) % 1000).padStart(3, '0')
  return `records/${top}/${mid}/${String(seq).padStart(9, '0')}.json`
}

/** The seq encoded in a path made by `recordPath`, or null when the path is not exactly such a path. */
export function seqFromPath(path: string): number | null {
  const m = /^records\/\d{3,}\/\d{3}\/(\d{9,})\.json$/.exec(path)
  if (!m) return null
  const seq = Number(m[1])
  return Number.isSafeInteger(seq) && seq >= 1 && recordPath(seq) === path ? seq : null
}

/** Where the change_id → seq index entry of a change lives: ids/ab/cd/<sha256(change_id)>. */
export function idIndexPath(changeId: string): string {
  const h = sha256Hex(changeId)
  return `ids/${h.slice(0, 2)}/${h.slice(2, 4)}/${h}`
}
