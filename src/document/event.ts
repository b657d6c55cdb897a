import type { DocumentEvent } from './types.js'

/** The event as a builder is given it: only the name is required. */
export interface EventContext {
  name: string
  action?: string | null
  actor?: string | null
  sha?: string | null
  run_id?: string | number | null
  run_url?: string | null
}

/** The document's `event`: absent fields as null, the run id as a string, `sha` chosen by the builder. */
export function documentEvent(e: EventContext, sha: string | null): DocumentEvent {
  return {
    name: e.name,
    action: e.action ?? null,
    actor: e.actor ?? null,
    sha,
    run_id: e.run_id === undefined || e.run_id === null ? null : String(e.run_id),
    run_url: e.run_url ?? null
  }
}
