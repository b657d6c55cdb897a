/**
 * The contract between the evaluator and the builtin functions.
 *
 * A builtin is a pure function over Rego values. It returns a value, or `undefined` when the
 * result is undefined; it throws a `BuiltinError` when its arguments are wrong or the operation
 * fails. The evaluator decides what an error means (undefined in OPA's default mode, an error
 * in strict mode); builtins never look at the mode.
 */
import type { Value } from '../value.js'

/**
 * A type in a builtin's signature, used for arity and compile-time type checks. Grammar:
 *   T := U ('|' U)*
 *   U := 'any' | 'null' | 'boolean' | 'number' | 'string'
 *      | 'array[' T ']' | 'set[' T ']' | 'object[' T ':' T ']'
 * e.g. 'string', 'number|string', 'array[any]|set[any]', 'object[string:any]'.
 */
export type TypeSpec = string

export interface BuiltinContext {
  /** Nanoseconds since the epoch, fixed for one evaluation (`time.now_ns`). Injectable. */
  readonly nowNs: bigint
  /** Per-evaluation cache, for builtins whose results must be stable within one query. */
  readonly cache: Map<string, unknown>
  /** Seeded or real randomness for `rand.intn`/`uuid.rfc4122`, in [0, 1). */
  readonly random: () => number
}

export type BuiltinImpl = (args: Value[], ctx: BuiltinContext) => Value | undefined

export interface BuiltinDef {
  /** The dotted name: `count`, `strings.replace_n`, `plus`. */
  readonly name: string
  /** Argument types; their number is the arity. */
  readonly args: readonly TypeSpec[]
  readonly result: TypeSpec
  readonly impl: BuiltinImpl
  /**
   * For relations such as `walk`: the builtin returns every output and the evaluator
   * iterates over them (`impl` returns an array of outputs).
   */
  readonly relation?: boolean
  /** Results are memoised per evaluation by arguments (`time.now_ns`, `rand.intn`). */
  readonly nondeterministic?: boolean
}

export type BuiltinErrorCode = 'eval_builtin_error' | 'eval_type_error'

export class BuiltinError extends Error {
  readonly code: BuiltinErrorCode
  constructor(message: string, code: BuiltinErrorCode = 'eval_builtin_error', options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'BuiltinError'
    this.code = code
  }
}
