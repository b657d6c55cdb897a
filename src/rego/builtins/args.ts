/**
 * Argument checks shared by every builtin. Messages follow OPA's wording
 * (`operand 2 must be string but got number`); the evaluator prefixes the builtin's name.
 */
import { RegoObject, RegoSet, typeName, type Value } from '../value.js'
import { BuiltinError } from './types.js'

export function typeError(index: number, expected: string, got: Value): BuiltinError {
  return new BuiltinError(`operand ${index + 1} must be ${expected} but got ${typeName(got)}`, 'eval_type_error')
}

export function str(args: Value[], i: number): string {
  const v = args[i]
  if (typeof v !== 'string') throw typeError(i, 'string', v)
  return v
}

export function num(args: Value[], i: number): number {
  const v = args[i]
  if (typeof v !== 'number') throw typeError(i, 'number', v)
  return v
}

/** A number that must be an integer. */
export function int(args: Value[], i: number): number {
  const v = num(args, i)
  if (!Number.isInteger(v)) throw new BuiltinError(`operand ${i + 1} must be integer number but got floating-point number`, 'eval_type_error')
  return v
}

export function bool(args: Value[], i: number): boolean {
  const v = args[i]
  if (typeof v !== 'boolean') throw typeError(i, 'boolean', v)
  return v
}

export function arr(args: Value[], i: number): Value[] {
  const v = args[i]
  if (!Array.isArray(v)) throw typeError(i, 'array', v)
  return v
}

export function set(args: Value[], i: number): RegoSet {
  const v = args[i]
  if (!(v instanceof RegoSet)) throw typeError(i, 'set', v)
  return v
}

export function obj(args: Value[], i: number): RegoObject {
  const v = args[i]
  if (!(v instanceof RegoObject)) throw typeError(i, 'object', v)
  return v
}

/** Members of an array or a set (OPA's "collection" operands). */
export function arrOrSet(args: Value[], i: number): Value[] {
  const v = args[i]
  if (Array.isArray(v)) return v
  if (v instanceof RegoSet) return v.values()
  throw typeError(i, 'one of {array, set}', v)
}
