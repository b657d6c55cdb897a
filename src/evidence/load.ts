import { recordHash } from './chain.js'
import type { EvidenceRecord } from './record.js'
import type { EvidenceStore, Head, RawEntry } from './store.js'
import { verifyEntries, type VerifySummary } from './verify.js'

export interface Period {
  from?: Date
  to?: Date
}

export interface LoadedRecord {
  record: EvidenceRecord
  hash: string
}

/** True when the change happened (change_ts) within the period, bounds included. */
export function inPeriod(record: EvidenceRecord, period: Period): boolean {
  const t = Date.parse(record.change_ts)
  if (period.from && t < period.from.getTime()) return false
  if (period.to && t > period.to.getTime()) return false
  return true
}

/**
 * Reads a store once, verifying it as it goes, and returns its intact records with the
 * verification summary. Records after the first broken one are not returned: nothing built on
 * them (an export, a sample, a report) could be trusted.
 */
export async function loadVerified(store: EvidenceStore, options: { expect?: Head; onProgress?: (n: number) => void } = {}): Promise<{ records: LoadedRecord[]; verify: VerifySummary }> {
  const entries: RawEntry[] = []
  async function* tee(): AsyncIterable<RawEntry> {
    for await (const e of store.read()) {
      entries.push(e)
      yield e
    }
  }
  const pointer = await store.pointer()
  const verify = await verifyEntries(tee(), { store: store.url, pointer, expect: options.expect, onProgress: options.onProgress })
  const records = entries.slice(0, verify.records).map((e) => ({ record: JSON.parse(e.bytes.toString('utf8')) as EvidenceRecord, hash: recordHash(e.bytes) }))
  return { records, verify }
}
