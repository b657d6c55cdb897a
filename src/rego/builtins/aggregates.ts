/**
 * Aggregates over collections: count, sum, product, max, min, sort.
 */
import { compare, RegoObject, RegoSet, typeName, type Value } from '../value.js'
import { opaFold } from './bigfloat.js'
import { finite, operandTypes } from './operators.js'
import { BuiltinError, type BuiltinDef } from './types.js'

/** OPA's message for a collection holding a member of the wrong type. */
export function elementError(i: number, collection: Value, got: Value, expected: string): BuiltinError {
  const t = typeName(collection)
  return new BuiltinError(`operand ${i + 1} must be ${t} of ${expected}s but got ${t} containing ${typeName(got)}`, 'eval_type_error')
}

/** Members of an array or a set, blaming the operand as OPA does ("one of {set, array}"). */
function members(a: Value[], i: number): Value[] {
  const v = a[i]
  if (Array.isArray(v)) return v
  if (v instanceof RegoSet) return v.values()
  throw operandTypes(i, v, 'set', 'array')
}

function numbers(a: Value[], i: number): number[] {
  return members(a, i).map((x) => {
    if (typeof x !== 'number') throw elementError(i, a[i], x, 'number')
    return x
  })
}

/** Strings count code points, as Go's utf8.RuneCountInString does. */
export function codePointLength(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) i++
    }
    n++
  }
  return n
}

/**
 * OPA sums and multiplies in 64-bit big.Float. While everything stays a safe integer the
 * exact JavaScript result is the same value; otherwise fold as OPA does (bigfloat.ts).
 */
function fold(op: '+' | '*', xs: number[]): number {
  let acc = op === '+' ? 0 : 1
  for (const x of xs) {
    const next = op === '+' ? acc + x : acc * x
    if (!Number.isSafeInteger(x) || !Number.isSafeInteger(next)) return finite(opaFold(op, xs))
    acc = next
  }
  return finite(acc)
}

function extreme(a: Value[], sign: 1 | -1): Value | undefined {
  const xs = members(a, 0)
  if (xs.length === 0) return undefined
  let best = xs[0]
  for (const x of xs) if (compare(x, best) * sign > 0) best = x
  return best
}

export const builtins: BuiltinDef[] = [
  {
    name: 'count',
    args: ['array[any]|object[any:any]|set[any]|string'],
    result: 'number',
    impl: (a) => {
      const v = a[0]
      if (typeof v === 'string') return codePointLength(v)
      if (Array.isArray(v)) return v.length
      if (v instanceof RegoSet || v instanceof RegoObject) return v.size
      throw operandTypes(0, v, 'array', 'object', 'set', 'string')
    },
  },
  { name: 'sum', args: ['array[number]|set[number]'], result: 'number', impl: (a) => fold('+', numbers(a, 0)) },
  { name: 'product', args: ['array[number]|set[number]'], result: 'number', impl: (a) => fold('*', numbers(a, 0)) },
  { name: 'max', args: ['array[any]|set[any]'], result: 'any', impl: (a) => extreme(a, 1) },
  { name: 'min', args: ['array[any]|set[any]'], result: 'any', impl: (a) => extreme(a, -1) },
  {
    name: 'sort',
    args: ['array[any]|set[any]'],
    result: 'array[any]',
    impl: (a) => {
      const v = a[0]
      if (v instanceof RegoSet) return [...v.values()]
      return [...members(a, 0)].sort(compare)
    },
  },
]
