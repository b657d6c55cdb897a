/**
 * Type checks (`is_*`, `type_name`), `to_number`, and the numeric builtins: rounding, ranges,
 * bitwise operations and `units.*`.
 */
import { RegoObject, RegoSet, typeName, type Value } from '../value.js'
import { int, num, str } from './args.js'
import { finite, operandTypes } from './operators.js'
import { BuiltinError, type BuiltinDef } from './types.js'

/** Longest list `numbers.range*` builds: beyond this a policy is almost surely wrong. */
const MAX_RANGE = 10_000_000

function is(name: string, test: (v: Value) => boolean): BuiltinDef {
  return { name, args: ['any'], result: 'boolean', impl: (a) => test(a[0]) }
}

// Go's strconv.ParseFloat syntax: decimal, or hexadecimal with a mandatory p exponent
// (underscores are allowed between digits only after a base prefix).
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const HEX = /^([+-]?)0[xX]((?:_?[0-9a-fA-F])*)(?:\.((?:_?[0-9a-fA-F])*))?[pP]([+-]?\d+)$/

function hexFloat(v: string): number | undefined {
  const m = HEX.exec(v)
  if (!m) return undefined
  const int = m[2].replaceAll('_', '')
  const frac = (m[3] ?? '').replaceAll('_', '')
  if (int === '' && frac === '') return undefined
  const mant = Number(BigInt('0x' + (int + frac || '0')))
  const x = mant * 2 ** (Number(m[4]) - 4 * frac.length)
  return m[1] === '-' ? -x : x
}

// Strings Go would parse as infinities or NaN, which OPA refuses as a type error.
const INF_NAN = /^[+-]*(inf|infinity|nan)$/i

function toNumber(a: Value[]): Value {
  const v = a[0]
  if (v === null) return 0
  if (typeof v === 'boolean') return v ? 1 : 0
  if (typeof v === 'number') return v
  if (typeof v === 'string') {
    if (INF_NAN.test(v)) throw operandTypes(0, v, 'valid number string')
    const hex = hexFloat(v)
    if (hex === undefined && !DECIMAL.test(v)) throw new BuiltinError(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`)
    const n = hex ?? Number(v)
    if (!Number.isFinite(n)) throw new BuiltinError(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: value out of range`)
    return finite(n)
  }
  throw operandTypes(0, v, 'null', 'boolean', 'number', 'string')
}

/** Half away from zero, like OPA's round (Go's math.Round). */
function roundHalfAway(x: number): number {
  const a = Math.abs(x)
  let r = Math.floor(a)
  if (a - r >= 0.5) r += 1
  return finite(x < 0 ? -r : r)
}

/**
 * OPA's ceil and floor truncate toward zero and then step by one unless the truncation's sign
 * says otherwise. Because a truncated value in (-1, 0) is +0, OPA's ceil(-0.5) is 1 and its
 * floor(-0.5) is 0; we keep that, since a policy must decide here as it does in OPA.
 */
function opaCeil(x: number): number {
  const t = Math.trunc(x)
  return finite(t < 0 || t === x ? t : t + 1)
}

function opaFloor(x: number): number {
  const t = Math.trunc(x)
  return finite(t >= 0 || t === x ? t : t - 1)
}

function range(from: number, to: number, step: number): number[] {
  const n = Math.floor(Math.abs(to - from) / step) + 1
  if (n > MAX_RANGE) throw new BuiltinError(`range of ${n} numbers is larger than the limit of ${MAX_RANGE}`)
  const out: number[] = []
  const dir = to >= from ? 1 : -1
  for (let i = 0; i < n; i++) out.push(from + dir * i * step)
  return out
}

/** Integers as BigInt for the bitwise builtins, which OPA computes on arbitrary-size integers. */
function big(a: Value[], i: number): bigint {
  return BigInt(int(a, i))
}

function bits(name: string, op: (x: bigint, y: bigint) => bigint): BuiltinDef {
  return { name, args: ['number', 'number'], result: 'number', impl: (a) => Number(op(big(a, 0), big(a, 1))) }
}

function shift(a: Value[]): bigint {
  const n = big(a, 1)
  if (n < 0n) throw new BuiltinError('operand 2 must be an unsigned integer number but got a negative integer', 'eval_type_error')
  // Any wider shift overflows a double anyway; refuse it before BigInt allocates the result.
  if (n > 2048n) throw new BuiltinError('operand 2 is too large a shift')
  return n
}

// ---- units ---------------------------------------------------------------------------------

/** An exact rational: numerator / denominator, denominator > 0. */
interface Rat {
  n: bigint
  d: bigint
}

/** Splits "4.5e1GiB" into amount "4.5e1" and unit "GiB", reading an `e` as exponent only when a digit or sign follows. */
function splitAmount(s: string): [string, string] {
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if ((c >= '0' && c <= '9') || c === '.' || c === '+' || c === '-') continue
    if (c === 'e' || c === 'E') {
      const next = s[i + 1]
      if (next !== undefined && ((next >= '0' && next <= '9') || next === '+' || next === '-')) {
        if (next === '+' || next === '-') i++
        continue
      }
    }
    return [s.slice(0, i), s.slice(i)]
  }
  return [s, '']
}

const AMOUNT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/

/** Parses a decimal amount exactly, or returns undefined if it is not one. */
function parseAmount(s: string): Rat | undefined {
  const m = AMOUNT.exec(s)
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined
  const frac = m[3] ?? ''
  const exp = Number(m[4] ?? '0') - frac.length
  if (Math.abs(exp) > 400) return undefined
  let n = BigInt((m[2] || '0') + frac)
  if (m[1] === '-') n = -n
  return exp >= 0 ? { n: n * 10n ** BigInt(exp), d: 1n } : { n, d: 10n ** BigInt(-exp) }
}

/** The value of a rational as a Rego number: exact when integral, else 10 decimals (Go's Rat.FloatString(10)). */
function ratToNumber(r: Rat): number {
  if (r.n % r.d === 0n) return Number(r.n / r.d)
  const neg = r.n < 0n
  const abs = neg ? -r.n : r.n
  const scaled = abs * 10n ** 10n
  let q = scaled / r.d
  if ((scaled % r.d) * 2n >= r.d) q += 1n // halves round away from zero
  const digits = q.toString().padStart(11, '0')
  return Number(`${neg ? '-' : ''}${digits.slice(0, -10)}.${digits.slice(-10)}`)
}

const DECIMAL_PREFIX: Record<string, bigint> = { k: 10n ** 3n, m: 10n ** 6n, g: 10n ** 9n, t: 10n ** 12n, p: 10n ** 15n, e: 10n ** 18n }
const BINARY_PREFIX: Record<string, bigint> = { k: 1n << 10n, m: 1n << 20n, g: 1n << 30n, t: 1n << 40n, p: 1n << 50n, e: 1n << 60n }

/** units.parse: SI and binary suffixes; `m` is milli and `M` mega, so only the suffix's tail is case-folded. */
function unitsParse(a: Value[]): number {
  const s = str(a, 0).replaceAll('"', '')
  if (s.includes(' ')) throw new BuiltinError('spaces not allowed in resource strings')
  const [amount, rawUnit] = splitAmount(s)
  if (amount === '') throw new BuiltinError('no amount provided')
  const unit = rawUnit.length > 1 ? rawUnit[0] + rawUnit.slice(1).toLowerCase() : rawUnit
  let mul: Rat
  if (unit === '') mul = { n: 1n, d: 1n }
  else if (unit === 'm') mul = { n: 1n, d: 1000n }
  else if (/^[kKMgGtTpPeE]$/.test(unit)) mul = { n: DECIMAL_PREFIX[unit.toLowerCase()], d: 1n }
  else if (/^[kKmMgGtTpPeE]i$/.test(unit)) mul = { n: BINARY_PREFIX[unit[0].toLowerCase()], d: 1n }
  else throw new BuiltinError(`unit ${unit} not recognized`)
  const x = parseAmount(amount)
  if (!x) throw new BuiltinError('could not parse amount to a number')
  return ratToNumber({ n: x.n * mul.n, d: x.d * mul.d })
}

/** units.parse_bytes: case-insensitive byte suffixes; the result is truncated to whole bytes. */
function unitsParseBytes(a: Value[]): number {
  const s = str(a, 0).toLowerCase().replaceAll('"', '')
  if (s.includes(' ')) throw new BuiltinError('spaces not allowed in resource strings')
  const [amount, unit] = splitAmount(s)
  if (amount === '') throw new BuiltinError('no byte amount provided')
  let mul: bigint
  const m = /^([kmgtpe])(i?)b?$/.exec(unit)
  if (unit === '') mul = 1n
  else if (m) mul = (m[2] ? BINARY_PREFIX : DECIMAL_PREFIX)[m[1]]
  else throw new BuiltinError(`byte unit ${unit} not recognized`)
  const x = parseAmount(amount)
  if (!x) throw new BuiltinError('could not parse byte amount to a number')
  return Number((x.n * mul) / x.d)
}

export const builtins: BuiltinDef[] = [
  is('is_number', (v) => typeof v === 'number'),
  is('is_string', (v) => typeof v === 'string'),
  is('is_boolean', (v) => typeof v === 'boolean'),
  is('is_array', (v) => Array.isArray(v)),
  is('is_set', (v) => v instanceof RegoSet),
  is('is_object', (v) => v instanceof RegoObject),
  is('is_null', (v) => v === null),
  { name: 'type_name', args: ['any'], result: 'string', impl: (a) => typeName(a[0]) },
  { name: 'to_number', args: ['null|boolean|number|string'], result: 'number', impl: toNumber },
  { name: 'abs', args: ['number'], result: 'number', impl: (a) => Math.abs(num(a, 0)) },
  { name: 'round', args: ['number'], result: 'number', impl: (a) => roundHalfAway(num(a, 0)) },
  { name: 'ceil', args: ['number'], result: 'number', impl: (a) => opaCeil(num(a, 0)) },
  { name: 'floor', args: ['number'], result: 'number', impl: (a) => opaFloor(num(a, 0)) },
  {
    name: 'numbers.range',
    args: ['number', 'number'],
    result: 'array[number]',
    impl: (a) => range(int(a, 0), int(a, 1), 1),
  },
  {
    name: 'numbers.range_step',
    args: ['number', 'number', 'number'],
    result: 'array[number]',
    impl: (a) => {
      const from = int(a, 0)
      const to = int(a, 1)
      const step = int(a, 2)
      if (step <= 0) throw new BuiltinError('step must be a positive number above zero')
      return range(from, to, step)
    },
  },
  bits('bits.and', (x, y) => x & y),
  bits('bits.or', (x, y) => x | y),
  bits('bits.xor', (x, y) => x ^ y),
  { name: 'bits.negate', args: ['number'], result: 'number', impl: (a) => Number(~big(a, 0)) },
  { name: 'bits.lsh', args: ['number', 'number'], result: 'number', impl: (a) => finite(Number(big(a, 0) << shift(a))) },
  { name: 'bits.rsh', args: ['number', 'number'], result: 'number', impl: (a) => Number(big(a, 0) >> shift(a)) },
  { name: 'units.parse', args: ['string'], result: 'number', impl: unitsParse },
  { name: 'units.parse_bytes', args: ['string'], result: 'number', impl: unitsParseBytes },
]
