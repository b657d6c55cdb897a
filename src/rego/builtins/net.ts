/**
 * CIDR builtins over IPv4 and IPv6, with addresses as BigInt. No lookups: policies never
 * touch the network.
 */
import { isIPv4, isIPv6 } from 'node:net'
import { RegoObject, RegoSet, type Value } from '../value.js'
import { str, typeError } from './args.js'
import { BuiltinError, type BuiltinDef } from './types.js'

interface Net {
  readonly bits: 32 | 128
  readonly first: bigint
  readonly last: bigint
}

function parseAddr(s: string): { bits: 32 | 128; value: bigint } | null {
  if (isIPv4(s)) return { bits: 32, value: s.split('.').reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) }
  if (!isIPv6(s) || s.includes('%')) return null
  let text = s
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (tail) {
    const v4 = tail[1]!.split('.').map(Number)
    text = text.slice(0, tail.index) + `${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`
  }
  const [head, rest] = text.split('::') as [string, string | undefined]
  const a = head === '' ? [] : head.split(':')
  const b = rest === undefined || rest === '' ? [] : rest.split(':')
  const groups = rest === undefined ? a : [...a, ...Array<string>(8 - a.length - b.length).fill('0'), ...b]
  return { bits: 128, value: groups.reduce((acc, g) => (acc << 16n) | BigInt(`0x${g}`), 0n) }
}

function parseNet(s: string, operand: number, allowAddr: boolean): Net | null {
  const slash = s.indexOf('/')
  const addr = parseAddr(slash < 0 ? s : s.slice(0, slash))
  const prefix = slash < 0 ? undefined : s.slice(slash + 1)
  if (addr === null || (slash < 0 && !allowAddr) || (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) || Number(prefix ?? addr.bits) > addr.bits) {
    if (operand === 0) return null
    throw new BuiltinError(`invalid CIDR address: ${s}; expected e.g. 10.0.0.0/8 or 2001:db8::/32`)
  }
  const host = BigInt(addr.bits - Number(prefix ?? addr.bits))
  const mask = (1n << host) - 1n
  return { bits: addr.bits, first: addr.value & ~mask, last: (addr.value & ~mask) | mask }
}

function need(s: string, operand: number, allowAddr: boolean): Net {
  return parseNet(s, operand, allowAddr) as Net
}

/** Go's `net.IP.String()`: dotted IPv4; IPv6 in RFC 5952 form (the longest run of 2+ zero groups as `::`). */
export function formatAddr(bits: 32 | 128, value: bigint): string {
  if (bits === 32) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.')
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn))
  if (value >> 32n === 0xffffn) return `::ffff:${formatAddr(32, value & 0xffffffffn)}`
  let best = -1
  let bestLen = 1
  for (let i = 0; i < 8; ) {
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLen) {
      best = i
      bestLen = j - i
    }
    i = j === i ? i + 1 : j
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':')
  if (best < 0) return hex(groups)
  return `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLen))}`
}

const EXPAND_LIMIT = 1 << 20

function expand(s: string): RegoSet {
  const n = need(s, 1, false)
  const count = n.last - n.first + 1n
  if (count > BigInt(EXPAND_LIMIT)) {
    throw new BuiltinError(`${s} holds ${count} addresses, more than the ${EXPAND_LIMIT} net.cidr_expand returns; use a longer prefix`)
  }
  const out = new RegoSet()
  for (let a = n.first; a <= n.last; a++) out.add(formatAddr(n.bits, a))
  return out
}

/** Go's IPv4 default (classful) mask, which OPA applies to bare IPv4 addresses in cidr_merge. */
function classfulPrefix(first: number): number {
  if (first < 0x80) return 8
  if (first < 0xc0) return 16
  if (first < 0xe0) return 24
  throw new BuiltinError('a class D or E IPv4 address has no default mask; give a prefix length, e.g. 224.0.0.1/32')
}

interface Block {
  readonly bits: 32 | 128
  readonly first: bigint
  readonly last: bigint
  /** The text of an input network that was not merged with another. */
  readonly text?: string
}

function mergeInput(v: Value): Block {
  if (typeof v !== 'string') throw new BuiltinError('element must be string')
  const addr = parseAddr(v)
  if (addr !== null) {
    if (addr.bits === 128) throw new BuiltinError('IPv6 invalid: needs prefix length')
    const prefix = classfulPrefix(Number(addr.value >> 24n))
    const mask = (1n << BigInt(32 - prefix)) - 1n
    return { bits: 32, first: addr.value & ~mask, last: (addr.value & ~mask) | mask, text: `${v}/${prefix}` }
  }
  const n = parseNet(v, 1, false)!
  return { ...n, text: `${formatAddr(n.bits, n.first)}/${n.bits - bitLength(n.last - n.first)}` }
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length
}

/** The fewest CIDR blocks that exactly cover [first, last]. */
function rangeToCIDRs(bits: 32 | 128, first: bigint, last: bigint): string[] {
  const out: string[] = []
  let a = first
  while (a <= last) {
    let size = 0
    while (size < bits && (a & ((1n << BigInt(size + 1)) - 1n)) === 0n && a + (1n << BigInt(size + 1)) - 1n <= last) size++
    out.push(`${formatAddr(bits, a)}/${bits - size}`)
    a += 1n << BigInt(size)
  }
  return out
}

/**
 * Merges addresses and networks into the fewest CIDRs (OPA's algorithm: sort by last address,
 * then fold each block into its predecessor when they touch or overlap).
 */
function merge(items: Value[]): RegoSet {
  const result = new RegoSet()
  const blocks = items.map(mergeInput)
  for (const bits of [32, 128] as const) {
    const ranges: Block[] = blocks.filter((b) => b.bits === bits).sort((x, y) => (x.last < y.last ? -1 : x.last > y.last ? 1 : 0))
    const top = (1n << BigInt(bits)) - 1n
    for (let i = ranges.length - 1; i > 0; i--) {
      const cur = ranges[i]!
      const prev = ranges[i - 1]!
      // Go's previous-address helper wraps 0 around to all ones.
      const before = cur.first === 0n ? top : cur.first - 1n
      if (before <= prev.last) {
        ranges[i - 1] = { bits, first: prev.first < cur.first ? prev.first : cur.first, last: cur.last }
        ranges.splice(i, 1)
      }
    }
    for (const r of ranges) {
      if (r.text !== undefined) result.add(r.text)
      else for (const c of rangeToCIDRs(bits, r.first, r.last)) result.add(c)
    }
  }
  return result
}

/** `net.cidr_contains`, where `inner` may be an address or a network. */
function contains(outerText: string, innerText: string): boolean {
  const outer = need(outerText, 1, false)
  const inner = parseNet(innerText, 1, true)
  if (inner === null) throw new BuiltinError(`not a valid textual representation of an IP address or CIDR: ${innerText}`)
  return outer.bits === inner.bits && outer.first <= inner.first && inner.last <= outer.last
}

/** The (cidr, key) pairs of one cidr_contains_matches operand. */
function matchOperand(v: Value, operand: number): Array<[string, Value]> {
  const cidrOf = (x: Value): string => {
    const c = typeof x === 'string' ? x : Array.isArray(x) && x.length > 0 ? x[0] : undefined
    if (typeof c !== 'string') {
      if (typeof c === 'undefined') throw new BuiltinError(`operand ${operand}: element must be string or non-empty array`)
      throw typeError(operand - 1, 'string', c)
    }
    return c
  }
  if (typeof v === 'string') return [[v, v]]
  if (Array.isArray(v)) return v.map((x, i) => [cidrOf(x), i])
  if (v instanceof RegoSet) return v.values().map((x) => [cidrOf(x), x])
  if (v instanceof RegoObject) return v.entries().map(([k, x]) => [cidrOf(x), k])
  throw typeError(operand - 1, 'one of {string, array, set, object}', v)
}

export const builtins: BuiltinDef[] = [
  { name: 'net.cidr_expand', args: ['string'], result: 'set[string]', impl: (a) => expand(str(a, 0)) },
  {
    name: 'net.cidr_merge',
    args: ['array[string]|set[string]'],
    result: 'set[string]',
    impl: (a) => {
      const v = a[0]!
      if (Array.isArray(v)) return merge(v)
      if (v instanceof RegoSet) return merge(v.values())
      throw typeError(0, 'one of {array, set}', v)
    },
  },
  {
    name: 'net.cidr_contains_matches',
    args: ['any', 'any'],
    result: 'set[array[any]]',
    impl: (a) => {
      const out = new RegoSet()
      const rights = matchOperand(a[1]!, 2)
      for (const [c1, k1] of matchOperand(a[0]!, 1)) {
        for (const [c2, k2] of rights) if (contains(c1, c2)) out.add([k1, k2])
      }
      return out
    },
  },
  {
    name: 'net.cidr_is_valid',
    args: ['string'],
    result: 'boolean',
    impl: (a) => parseNet(str(a, 0), 0, false) !== null,
  },
  {
    name: 'net.cidr_contains',
    args: ['string', 'string'],
    result: 'boolean',
    impl: (a) => {
      const outer = need(str(a, 0), 1, false)
      const inner = need(str(a, 1), 2, true)
      return outer.bits === inner.bits && outer.first <= inner.first && inner.last <= outer.last
    },
  },
  {
    name: 'net.cidr_intersects',
    args: ['string', 'string'],
    result: 'boolean',
    impl: (a) => {
      const x = need(str(a, 0), 1, false)
      const y = need(str(a, 1), 2, false)
      return x.bits === y.bits && x.first <= y.last && y.first <= x.last
    },
  },
]
