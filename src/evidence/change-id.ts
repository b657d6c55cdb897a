import { canonicalize } from './canonical.js'
import { sha256Hex } from './chain.js'
import type { RecordKind } from './record.js'

export interface ChangeIdParts {
  /** owner/name */
  repository: string
  kind: RecordKind
  /** What the record is about: a PR number, a commit SHA, a deployment's change_id. */
  subject: string | number
  environment?: string | null
  /**
   * What makes two events distinct beyond the subject: e.g. the workflow run id for a deployment
   * (a re-run attempt of the same run keeps it, so it finds its record; a new run gets a new one).
   * Leave it out when the subject alone identifies the change (a PR merges once).
   */
  scope?: string | null
}

/**
 * A deterministic change_id: the same event always gives the same id, so a retried or re-run job
 * finds the record it already wrote instead of appending a second one.
 * Format: `<kind>-<32 hex>` (128 bits of SHA-256 over the canonical parts).
 */
export function changeId(parts: ChangeIdParts): string {
  const repository = parts.repository.toLowerCase()
  const material = canonicalize({
    v: 1,
    repository,
    kind: parts.kind,
    subject: String(parts.subject),
    environment: parts.environment ?? null,
    scope: parts.scope ?? null
  })
  return `${parts.kind}-${sha256Hex(material).slice(0, 32)}`
}
