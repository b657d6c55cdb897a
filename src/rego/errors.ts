import type { Location } from './ast.js'

/**
 * Error codes as OPA names them, so that messages and conformance expectations line up.
 * Parse and compile errors are raised before evaluation; `eval_*` errors during it.
 */
export type RegoErrorCode =
  | 'rego_parse_error'
  | 'rego_compile_error'
  | 'rego_type_error'
  | 'rego_unsafe_var_error'
  | 'rego_recursion_error'
  | 'eval_conflict_error'
  | 'eval_type_error'
  | 'eval_builtin_error'
  | 'eval_cancel_error'
  | 'eval_internal_error'

export class RegoError extends Error {
  readonly code: RegoErrorCode
  readonly location?: Location

  constructor(code: RegoErrorCode, message: string, location?: Location, options?: { cause?: unknown }) {
    super(location ? `${location.file}:${location.row}: ${code}: ${message}` : `${code}: ${message}`, options)
    this.name = 'RegoError'
    this.code = code
    this.location = location
  }
}

/** Several errors found at once (the compiler reports all it finds, as OPA does). */
export class RegoErrors extends Error {
  readonly errors: RegoError[]
  constructor(errors: RegoError[]) {
    super(errors.length === 1 ? errors[0].message : `${errors.length} errors occurred:\n${errors.map((e) => e.message).join('\n')}`)
    this.name = 'RegoErrors'
    this.errors = errors
  }
  get code(): RegoErrorCode {
    return this.errors[0].code
  }
}
