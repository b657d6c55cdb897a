import { canonicalize } from './canonical.js'
import type { RecordDraft } from './record.js'
import { EvidenceStoreError, type AppendResult, type EvidenceStore } from './store.js'

/**
 * Appends a record for the action or a pipeline, and fails loudly: when the store cannot take it,
 * the error carries the whole record (canonical JSON), so the job log and summary keep it for
 * `change-gate append` later. Nothing is dropped silently.
 */
export async function appendOrFail(store: EvidenceStore, draft: RecordDraft): Promise<AppendResult> {
  try {
    return await store.append(draft)
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    let json: string
    try {
      json = canonicalize(draft)
    } catch {
      json = JSON.stringify(draft)
    }
    throw new EvidenceStoreError(
      `the ${draft.kind} record ${draft.change_id} could not be appended to ${store.url}: ${reason}\n` +
        `Save this record and append it with 'change-gate append --store ${store.url} FILE' once the store is reachable:\n${json}`,
      { cause: err }
    )
  }
}
