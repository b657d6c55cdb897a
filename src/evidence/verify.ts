import { isCanonicalText } from './canonical.js'
import { GENESIS_HASH, recordHash } from './chain.js'
import { recordProblems } from './record.js'
import { recordShapeOk } from './schema-check.js'
import { defaultWorkers, VerifyPool, type EntryCheck } from './verify-pool.js'
import type { EvidenceStore, Head, RawEntry } from './store.js'

export const FINDING_CODES = [
  'missing', 'not_json', 'not_canonical', 'schema', 'seq_mismatch', 'broken_link', 'stream',
  'duplicate_change_id', 'anchor_mismatch', 'truncated', 'head_mismatch'
] as const
export type FindingCode = (typeof FINDING_CODES)[number]

export interface VerifyFinding {
  /** The seq (position in the log) where verification stopped. */
  seq: number
  code: FindingCode
  message: string
}

export interface VerifySummary {
  ok: boolean
  store: string
  /** Records checked and found intact before the first problem (all of them when ok). */
  records: number
  first_seq: number | null
  last_seq: number | null
  /** record_hash of the last intact record: keep it, and pass it as --expect next time. */
  head_hash: string | null
  stream: string | null
  first_broken: VerifyFinding | null
  duration_ms: number
  records_per_second: number
}

export interface VerifyOptions {
  /** The store URL for the summary. */
  store?: string
  /** A head seen earlier (e.g. at the last audit): the log must still contain it unchanged. */
  expect?: Head
  /**
   * What the store's own head pointer claims (HEAD.json): the record it names must be in the log
   * with that hash; when `exact`, it must also be the last record.
   */
  pointer?: { head: Head; exact: boolean } | null
  onProgress?: (checked: number) => void
  /** Worker threads for the per-record checks, beside this thread (default: one per CPU beyond the first, up to 4; 0 = this thread only). */
  workers?: number
}

/**
 * Checks a log from its first record: dense seq from 1, each record's bytes canonical and valid,
 * its seq matching its place, prev_hash equal to the previous record's hash, one stream, unique
 * change_ids; then the anchors. Stops at and names the first broken record.
 */
export async function verifyEntries(entries: AsyncIterable<RawEntry> | Iterable<RawEntry>, options: VerifyOptions = {}): Promise<VerifySummary> {
  const started = performance.now()
  let expected = 1
  let prevHash = GENESIS_HASH
  // The hash before prevHash: when a link breaks, the record before the break is the suspect one.
  let beforePrevHash: string | null = null
  let stream: string | null = null
  let checked = 0
  const ids = new Set<string>()
  let finding: VerifyFinding | null = null

  const fail = (seq: number, code: FindingCode, message: string) => {
    finding = { seq, code, message }
  }

  outer: for await (const [batch, checks] of checkedBatches(entries, options.workers ?? defaultWorkers())) {
  for (let bi = 0; bi < batch.length; bi++) {
    const entry = batch[bi]!
    const check = checks[bi] ?? checkEntry(entry)
    const seq = entry.seq
    if (seq !== expected) {
      fail(expected, 'missing', seq > expected
        ? `record ${expected} is missing: after record ${expected - 1} the log continues at ${seq} (a record was deleted)`
        : `record ${seq} appears twice in the log`)
      break outer
    }
    if (check.code) {
      fail(seq, check.code, check.message!)
      break outer
    }
    const record = check as Required<Pick<EntryCheck, 'seq' | 'prev_hash' | 'stream' | 'change_id' | 'hash'>>
    if (record.seq !== seq) {
      fail(seq, 'seq_mismatch', `the record stored at position ${seq} says seq ${record.seq}: records were reordered or moved`)
      break outer
    }
    if (record.prev_hash !== prevHash) {
      fail(seq, 'broken_link', seq === 1
        ? `record 1 has prev_hash ${record.prev_hash}, not 64 zeros: the start of the log was replaced`
        : `record ${seq}'s prev_hash does not match the hash of record ${seq - 1}: record ${seq - 1} was altered (or replaced) after record ${seq} was written`)
      // Record seq-1 cannot be vouched for: only the records before it are reported intact.
      if (seq > 1) {
        checked--
        prevHash = beforePrevHash ?? GENESIS_HASH
      }
      break outer
    }
    if (stream === null) stream = record.stream
    else if (record.stream !== stream) {
      fail(seq, 'stream', `record ${seq} belongs to stream '${record.stream}', not '${stream}'`)
      break outer
    }
    if (ids.has(record.change_id)) {
      fail(seq, 'duplicate_change_id', `record ${seq} repeats change_id ${record.change_id}: the same change was recorded twice`)
      break outer
    }
    ids.add(record.change_id)
    const hash = record.hash
    if (options.expect && options.expect.seq === seq && options.expect.hash !== hash) {
      fail(seq, 'anchor_mismatch', `record ${seq} has hash ${hash}, but the expected head says ${options.expect.hash}: the log was rewritten from record ${seq} or earlier`)
      break outer
    }
    const pointer = options.pointer?.head
    if (pointer && pointer.seq === seq && pointer.hash !== hash) {
      fail(seq, 'head_mismatch', `the store's head pointer gives record ${seq} the hash ${pointer.hash}, but it hashes to ${hash}: record ${seq} was altered`)
      break outer
    }
    beforePrevHash = prevHash
    prevHash = hash
    checked++
    expected++
    if (options.onProgress && checked % 10000 === 0) options.onProgress(checked)
  }
  }

  const last = checked > 0 ? checked : null
  if (!finding && options.expect && (last ?? 0) < options.expect.seq) {
    fail((last ?? 0) + 1, 'truncated', `the log ends at record ${last ?? 0}, but the expected head is record ${options.expect.seq}: records were removed from the end`)
  }
  const pointer = options.pointer
  if (!finding && pointer) {
    const end = last ?? 0
    if (pointer.head.seq > end) {
      fail(end + 1, 'head_mismatch', `the store's head pointer names record ${pointer.head.seq}, but the log ends at record ${end}: records were removed from the end`)
    } else if (pointer.exact && pointer.head.seq < end) {
      fail(pointer.head.seq + 1, 'head_mismatch', `the store's head pointer names record ${pointer.head.seq}, but the log continues to record ${end}: records were added outside the store`)
    }
  }
  const duration = performance.now() - started
  return {
    ok: finding === null,
    store: options.store ?? '',
    records: checked,
    first_seq: checked > 0 ? 1 : null,
    last_seq: last,
    head_hash: checked > 0 ? prevHash : null,
    stream,
    first_broken: finding,
    duration_ms: Math.round(duration * 10) / 10,
    records_per_second: duration > 0 ? Math.round((checked / duration) * 1000) : 0
  }
}

/** Verifies a whole store, including its own head pointer. */
export async function verifyStore(store: EvidenceStore, options: Omit<VerifyOptions, 'pointer' | 'store'> = {}): Promise<VerifySummary> {
  const pointer = await store.pointer()
  return verifyEntries(store.read(), { ...options, store: store.url, pointer })
}

/** Checks one record on its own, in this thread: JSON, canonical form, schema, hash. */
export function checkEntry(entry: RawEntry): EntryCheck {
  const seq = entry.seq
  const text = entry.bytes.toString('utf8')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    return { code: 'not_json', message: `record ${seq} is not valid JSON (${(err as Error).message}): it was altered` }
  }
  if (!isCanonicalText(text, parsed)) {
    return { code: 'not_canonical', message: `record ${seq} is not stored in RFC 8785 canonical form: its bytes were edited after it was written` }
  }
  // The compiled check passes valid records quickly; ajv decides (and explains) the rest.
  const problems = recordShapeOk(parsed) ? [] : recordProblems(parsed)
  if (problems.length) return { code: 'schema', message: `record ${seq} does not match the record schema: ${problems.slice(0, 3).join('; ')}` }
  const r = parsed as { seq: number; prev_hash: string; stream: string; change_id: string }
  return { hash: recordHash(entry.bytes), seq: r.seq, prev_hash: r.prev_hash, stream: r.stream, change_id: r.change_id }
}

const BATCH = 2048

/**
 * The entries with their per-record checks, batch by batch, in order. Small logs are checked in
 * this thread; once a log has more than two batches and workers are allowed, batches are shared
 * round-robin between the worker threads and this thread, several in flight at once: this thread
 * checks its share while the workers check theirs (so on two CPUs one worker doubles the pace).
 */
async function* checkedBatches(entries: AsyncIterable<RawEntry> | Iterable<RawEntry>, workers: number): AsyncIterable<[RawEntry[], EntryCheck[]]> {
  let pool: VerifyPool | null = null
  let full = 0
  let turn = 0
  const inFlight: { batch: RawEntry[]; result: EntryCheck[] | Promise<EntryCheck[]> }[] = []
  try {
    for await (const batch of batches(entries)) {
      // Workers start with the third full batch: below that, starting them costs more than it saves.
      if (batch.length === BATCH && workers > 0 && !pool && ++full >= 3) pool = VerifyPool.create(workers)
      if (!pool) {
        yield [batch, batch.map(checkEntry)]
        continue
      }
      // Every (workers + 1)th batch is this thread's own, checked now while the workers run.
      const mine = turn++ % (workers + 1) === workers
      inFlight.push({ batch, result: mine ? batch.map(checkEntry) : pool.check(batch) })
      if (inFlight.length > workers * 2) {
        const done = inFlight.shift()!
        yield [done.batch, await done.result]
      }
    }
    while (inFlight.length) {
      const done = inFlight.shift()!
      yield [done.batch, await done.result]
    }
  } finally {
    if (pool) await pool.close()
  }
}

/** Groups entries into batches; arrays are sliced without a promise per entry. */
async function* batches(entries: AsyncIterable<RawEntry> | Iterable<RawEntry>): AsyncIterable<RawEntry[]> {
  if (Array.isArray(entries)) {
    for (let i = 0; i < entries.length; i += BATCH) yield entries.slice(i, i + BATCH)
    return
  }
  let batch: RawEntry[] = []
  for await (const entry of entries) {
    batch.push(entry)
    if (batch.length === BATCH) {
      yield batch
      batch = []
    }
  }
  if (batch.length) yield batch
}
