/**
 * The one policy-engine interface the product uses. Two implementations: the embedded Rego
 * interpreter (`.rego` sources) and OPA Wasm (bundles built with `opa build -t wasm`).
 * Both return plain JSON values and raise `PolicyEngineError` with a stable code.
 */

export interface PolicySource {
  /** A path or name shown in error messages. */
  file: string
  source: string
}

export interface EvaluateOptions {
  /** The instant `time.now_ns()` returns; defaults to the real clock. */
  now?: Date
  /** Raise builtin errors instead of treating them as undefined (OPA's strict mode). */
  strictBuiltinErrors?: boolean
}

export interface PolicyEngine {
  readonly kind: 'rego' | 'wasm'
  /** Replaces the base document `data` (merged under the policies' own data). */
  setData(data: unknown): void
  /**
   * Evaluates an entrypoint such as `change_gate/main/decision` or `data.change_gate.main.decision`.
   * Resolves to the value, or `undefined` when the entrypoint is undefined.
   */
  evaluate(entrypoint: string, input: unknown, options?: EvaluateOptions): Promise<unknown>
}

export type PolicyEngineErrorCode = 'load_error' | 'compile_error' | 'eval_error' | 'not_found'

export class PolicyEngineError extends Error {
  readonly code: PolicyEngineErrorCode
  /** The engine's own code, e.g. `rego_parse_error`, `eval_conflict_error`. */
  readonly detail?: string
  constructor(code: PolicyEngineErrorCode, message: string, options?: { cause?: unknown; detail?: string }) {
    super(message, options)
    this.name = 'PolicyEngineError'
    this.code = code
    this.detail = options?.detail
  }
}
