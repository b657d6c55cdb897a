import { canonicalBytes } from './canonical.js'
import { GENESIS_HASH, recordHash } from './chain.js'
import { assertDraft, type EvidenceRecord, type RecordDraft } from './record.js'

/** The newest record of a store: its seq and record_hash. */
export interface Head {
  seq: number
  hash: string
}

/** A record as a store holds it: the exact stored bytes, their hash, and the parsed record. */
export interface StoredRecord {
  seq: number
  hash: string
  bytes: Buffer
  record: EvidenceRecord
}

export interface AppendResult {
  record: EvidenceRecord
  hash: string
  bytes: Buffer
  /** False when a record with the same change_id was already there (nothing was written). */
  created: boolean
  /** How many compare-and-swap attempts the append took (1 when nobody raced it). */
  attempts: number
}

/** An entry read back from a store: the seq its location says, and the bytes found there. */
export interface RawEntry {
  seq: number
  bytes: Buffer
}

export interface ReadRange {
  from?: number
  to?: number
}

/**
 * An append-only, hash-chained change log. Every backend keeps the same guarantees:
 * - append assigns seq (dense from 1) and prev_hash, and writes with a compare-and-swap, retrying
 *   with backoff when another writer won the race; it never drops a record and throws when it
 *   cannot write;
 * - append is idempotent on change_id: a draft whose change_id is already stored appends nothing
 *   and returns the stored record with `created: false`;
 * - append cost does not depend on the size of the log.
 */
export interface EvidenceStore {
  /** The store URL, for messages. */
  readonly url: string
  head(): Promise<Head | null>
  append(draft: RecordDraft): Promise<AppendResult>
  /** Stored entries in seq order (by location); verification compares them with their content. */
  read(range?: ReadRange): AsyncIterable<RawEntry>
  find(changeId: string): Promise<StoredRecord | null>
  /**
   * What the store's own head pointer (HEAD.json) claims, for verification: the named record must
   * be in the log with that hash; `exact` when the pointer is updated atomically with the records
   * (git) and so must name the last record. Null when there is no pointer.
   */
  pointer(): Promise<{ head: Head; exact: boolean } | null>
}

export class EvidenceStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'EvidenceStoreError'
  }
}

/** Thrown inside an append attempt when another writer moved the log: the attempt is redone. */
export class CasConflict extends Error {
  constructor(message = 'another writer appended first') {
    super(message)
    this.name = 'CasConflict'
  }
}

/** The record that follows `head`: the draft plus seq, prev_hash, as canonical bytes. */
export function nextRecord(draft: RecordDraft, head: Head | null): { record: EvidenceRecord; bytes: Buffer; hash: string } {
  const record = { ...draft, seq: head ? head.seq + 1 : 1, prev_hash: head ? head.hash : GENESIS_HASH } as EvidenceRecord
  const bytes = canonicalBytes(record)
  return { record, bytes, hash: recordHash(bytes) }
}

export function parseStored(seq: number, bytes: Buffer, where: string): StoredRecord {
  let record: EvidenceRecord
  try {
    record = JSON.parse(bytes.toString('utf8')) as EvidenceRecord
  } catch (err) {
    throw new EvidenceStoreError(`record ${seq} in ${where} is not valid JSON (${(err as Error).message}); run 'change-gate verify' to check the log`)
  }
  return { seq, bytes, hash: recordHash(bytes), record }
}

export interface RetryOptions {
  /** Attempts before giving up (default 60: many writers racing on one branch each win in turn). */
  attempts?: number
  /** First backoff in ms (default 20); doubles each time up to maxDelayMs (default 1500), with full jitter. */
  baseDelayMs?: number
  maxDelayMs?: number
  sleep?: (ms: number) => Promise<void>
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Runs one read-modify-write attempt until it succeeds. `attempt` throws CasConflict when the log
 * moved under it; any other error stops at once. Gives up with a clear error after `attempts`.
 */
export async function withCasRetry<T>(
  what: string,
  attempt: (n: number) => Promise<T>,
  options: RetryOptions = {}
): Promise<T> {
  const max = options.attempts ?? 60
  const base = options.baseDelayMs ?? 20
  const cap = options.maxDelayMs ?? 1500
  const sleep = options.sleep ?? defaultSleep
  let last: unknown
  for (let n = 1; n <= max; n++) {
    try {
      return await attempt(n)
    } catch (err) {
      if (!(err instanceof CasConflict)) throw err
      last = err
      if (n < max) await sleep(Math.random() * Math.min(cap, base * 2 ** (n - 1)))
    }
  }
  throw new EvidenceStoreError(
    `${what}: gave up after ${max} attempts because other writers kept appending first (${(last as Error).message}). ` +
      'The record was NOT written. Re-run the job: its change_id makes the re-run safe.'
  )
}

/** Validates a draft before any store work, with a message that names the store. */
export function checkDraft(draft: unknown, url: string): asserts draft is RecordDraft {
  assertDraft(draft, `the record to append to ${url}`)
}

/** The stream of a store is fixed by its first record; a draft for another stream is refused. */
export function checkStream(draftStream: string, headStream: string | null, url: string): void {
  if (headStream !== null && headStream !== draftStream) {
    throw new EvidenceStoreError(
      `cannot append a record of stream '${draftStream}' to ${url}, which holds stream '${headStream}'. ` +
        'Use one store (branch or directory) per stream.'
    )
  }
}
