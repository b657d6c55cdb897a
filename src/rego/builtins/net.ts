/**
 * CIDR builtins over IPv4 and IPv6, with addresses as BigInt. No lookups: policies never
 * touch the network.
 */
import { isIPv4, isIPv6 } from 'node:net'
import { str } from './args.js'
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

export const builtins: BuiltinDef[] = [
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
