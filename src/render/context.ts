/** What renderers know about the change besides the decision (all of it untrusted text). */
export interface RenderContext {
  /** owner/name */
  repository?: string
  pr_number?: number
  title?: string
  head_ref?: string
  head_sha?: string
  /** Status context of the gate, e.g. `change-gate`. */
  status_context?: string
  /** Link to the workflow run (job summary). */
  run_url?: string
}
