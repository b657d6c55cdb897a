/**
 * The infix operators: arithmetic (`+ - * / %`), comparison (`== != < <= > >=`) and the set
 * operators (`-` difference, `&` intersection, `|` union). The parser turns each infix into
 * a call of the builtin named here, as OPA does.
 */
import { compare, RegoSet, type Value } from '../value.js'
import { num, set, typeError } from './args.js'
import { opaArith, type ArithOp } from './bigfloat.js'
import { BuiltinError, type BuiltinDef } from './types.js'

/** OPA numbers are finite; an overflow to Infinity has no Rego representation. */
export function finite(n: number): number {
  if (!Number.isFinite(n)) throw new BuiltinError('arithmetic result is not a finite number')
  // -0 is not a Rego number; OPA prints and compares it as 0.
  return n === 0 ? 0 : n
}

/**
 * Integers compute exactly (JavaScript rounds an out-of-range integer result once, as
 * converting OPA's exact big integer would); anything else goes through OPA's 64-bit
 * big.Float arithmetic (see bigfloat.ts).
 */
function arith(name: string, sym: ArithOp, op: (a: number, b: number) => number): BuiltinDef {
  return {
    name,
    args: ['number', 'number'],
    result: 'number',
    impl: (a) => {
      const x = num(a, 0)
      const y = num(a, 1)
      if (Number.isSafeInteger(x) && Number.isSafeInteger(y)) return finite(op(x, y))
      return finite(opaArith(sym, x, y))
    },
  }
}

/** OPA's operand type error, with "one of {…}" when several types are accepted. */
export function operandTypes(i: number, v: Value, ...expected: string[]): BuiltinError {
  return typeError(i, expected.length === 1 ? expected[0] : `one of {${expected.join(', ')}}`, v)
}

function minus(a: Value[]): Value {
  const [x, y] = a
  if (typeof x === 'number' && typeof y === 'number') {
    return finite(Number.isSafeInteger(x) && Number.isSafeInteger(y) ? x - y : opaArith('-', x, y))
  }
  if (x instanceof RegoSet && y instanceof RegoSet) return new RegoSet(x.values().filter((v) => !y.has(v)))
  // The same operand blamed, with the same expectation, as OPA's builtinMinus.
  if (typeof x !== 'number' && !(x instanceof RegoSet)) throw operandTypes(0, x, 'number', 'set')
  if (typeof y === 'number') throw operandTypes(1, y, 'set')
  throw operandTypes(1, y, 'number')
}

function cmp(name: string, test: (c: number) => boolean): BuiltinDef {
  return { name, args: ['any', 'any'], result: 'boolean', impl: (a) => test(compare(a[0], a[1])) }
}

export const builtins: BuiltinDef[] = [
  arith('plus', '+', (x, y) => x + y),
  { name: 'minus', args: ['number|set[any]', 'number|set[any]'], result: 'number|set[any]', impl: minus },
  arith('mul', '*', (x, y) => x * y),
  {
    name: 'div',
    args: ['number', 'number'],
    result: 'number',
    impl: (a) => {
      const x = num(a, 0)
      const y = num(a, 1)
      if (y === 0) throw new BuiltinError('divide by zero')
      // OPA divides small integers exactly only when the result is an integer.
      if (Number.isSafeInteger(x) && Number.isSafeInteger(y) && x % y === 0) return finite(x / y)
      return finite(opaArith('/', x, y))
    },
  },
  {
    name: 'rem',
    args: ['number', 'number'],
    result: 'number',
    impl: (a) => {
      const x = num(a, 0)
      const y = num(a, 1)
      if (!Number.isInteger(x) || !Number.isInteger(y)) throw new BuiltinError('modulo on floating-point number')
      if (y === 0) throw new BuiltinError('modulo by zero')
      // JavaScript's % truncates toward zero like Go's big.Int.Rem; beyond 2^53 use BigInt.
      if (Number.isSafeInteger(x) && Number.isSafeInteger(y)) return finite(x % y)
      return Number(BigInt(x) % BigInt(y))
    },
  },
  cmp('equal', (c) => c === 0),
  cmp('neq', (c) => c !== 0),
  cmp('lt', (c) => c < 0),
  cmp('lte', (c) => c <= 0),
  cmp('gt', (c) => c > 0),
  cmp('gte', (c) => c >= 0),
  {
    name: 'and',
    args: ['set[any]', 'set[any]'],
    result: 'set[any]',
    impl: (a) => {
      const x = set(a, 0)
      const y = set(a, 1)
      return new RegoSet(x.values().filter((v) => y.has(v)))
    },
  },
  {
    name: 'or',
    args: ['set[any]', 'set[any]'],
    result: 'set[any]',
    impl: (a) => {
      const x = set(a, 0)
      const y = set(a, 1)
      return new RegoSet([...x.values(), ...y.values()])
    },
  },
]
