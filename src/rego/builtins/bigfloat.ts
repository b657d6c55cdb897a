/**
 * OPA's float arithmetic. OPA keeps numbers as decimal text and, when an operand is not a
 * small integer, computes with Go's big.Float at 64 bits of mantissa (the precision
 * `SetString` gives), then writes the shortest text for that 64-bit result. We hold doubles,
 * so we take each operand's shortest decimal text (what OPA would hold for a literal or a JSON
 * number), round it to 64 bits, compute, round the result to 64 bits, and return the nearest
 * double. That is why `0.1 + 0.2 == 0.3` and `0.1 * 3 == 0.3` hold here as they do in OPA,
 * where plain doubles would say false.
 */

/** m × 2^e with |m| < 2^64 (m = 0 for zero). */
interface Big64 {
  m: bigint
  e: number
}

const PREC = 64n

function bitLength(n: bigint): number {
  if (n === 0n) return 0
  const hex = n.toString(16)
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0], 16)))
}

const POW10: bigint[] = []
function pow10(k: number): bigint {
  if (k < 64) return (POW10[k] ??= 10n ** BigInt(k))
  return 10n ** BigInt(k)
}

/** Rounds the positive rational n/d × 2^e to `prec` bits, halves to even. */
function roundRat(n: bigint, d: bigint, e: number, prec: bigint): Big64 {
  if (n === 0n) return { m: 0n, e: 0 }
  // Scale so that the quotient has exactly `prec` bits.
  let k = Number(prec) - (bitLength(n) - bitLength(d))
  let q: bigint
  let r: bigint
  for (;;) {
    const nn = k >= 0 ? n << BigInt(k) : n
    const dd = k >= 0 ? d : d << BigInt(-k)
    q = nn / dd
    r = nn % dd
    const bl = bitLength(q)
    if (bl === Number(prec)) {
      const twice = r * 2n
      if (twice > dd || (twice === dd && (q & 1n) === 1n)) q += 1n
      if (bitLength(q) > Number(prec)) {
        q >>= 1n
        k -= 1
      }
      return { m: q, e: e - k }
    }
    k += Number(prec) - bl
  }
}

function round64(neg: boolean, n: bigint, d: bigint, e: number): Big64 {
  const r = roundRat(n, d, e, PREC)
  return neg ? { m: -r.m, e: r.e } : r
}

/** The 64-bit value of a double's shortest decimal text. */
function fromDouble(x: number): Big64 {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x))
  if (!m) throw new Error(`not a finite number: ${x}`)
  const frac = m[3] ?? ''
  const exp10 = Number(m[4] ?? '0') - frac.length
  const digits = BigInt(m[2] + frac)
  if (exp10 >= 0) return round64(m[1] === '-', digits * pow10(exp10), 1n, 0)
  return round64(m[1] === '-', digits, pow10(-exp10), 0)
}

/** The double nearest to a 64-bit value (halves to even). */
function toDouble(x: Big64): number {
  if (x.m === 0n) return 0
  const neg = x.m < 0n
  const r = roundRat(neg ? -x.m : x.m, 1n, x.e, 53n)
  // r.m has 53 bits: exact as a double; scale in two steps to stay within 2^±1023.
  const half = Math.trunc(r.e / 2)
  const v = Number(r.m) * 2 ** half * 2 ** (r.e - half)
  return neg ? -v : v
}

function add(a: Big64, b: Big64): Big64 {
  if (a.m === 0n) return b
  if (b.m === 0n) return a
  const e = Math.min(a.e, b.e)
  const sum = (a.m << BigInt(a.e - e)) + (b.m << BigInt(b.e - e))
  return sum < 0n ? round64(true, -sum, 1n, e) : round64(false, sum, 1n, e)
}

function mul(a: Big64, b: Big64): Big64 {
  const p = a.m * b.m
  return p < 0n ? round64(true, -p, 1n, a.e + b.e) : round64(false, p, 1n, a.e + b.e)
}

function quo(a: Big64, b: Big64): Big64 {
  const neg = a.m < 0n !== b.m < 0n
  const n = a.m < 0n ? -a.m : a.m
  const d = b.m < 0n ? -b.m : b.m
  return round64(neg, n, d, a.e - b.e)
}

export type ArithOp = '+' | '-' | '*' | '/'

/** `a op b` as OPA computes it for non-integer operands; division by zero is the caller's check. */
export function opaArith(op: ArithOp, a: number, b: number): number {
  const x = fromDouble(a)
  const y = fromDouble(b)
  switch (op) {
    case '+':
      return toDouble(add(x, y))
    case '-':
      return toDouble(add(x, { m: -y.m, e: y.e }))
    case '*':
      return toDouble(mul(x, y))
    case '/':
      return toDouble(quo(x, y))
  }
}

/** Sum or product of many numbers, accumulated at 64 bits as OPA's sum/product do. */
export function opaFold(op: '+' | '*', xs: number[]): number {
  let acc: Big64 = op === '+' ? { m: 0n, e: 0 } : fromDouble(1)
  for (const x of xs) acc = op === '+' ? add(acc, fromDouble(x)) : mul(acc, fromDouble(x))
  return toDouble(acc)
}
