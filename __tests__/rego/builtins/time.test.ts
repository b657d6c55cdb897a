import { describe, expect, test } from '@jest/globals'
import { builtins, parseRFC3339 } from '../../../src/rego/builtins/time.js'
import type { BuiltinContext } from '../../../src/rego/builtins/types.js'
import type { Value } from '../../../src/rego/value.js'

const ctx: BuiltinContext = { nowNs: 1_700_000_000_000_000_000n, cache: new Map(), random: () => 0.5 }
function call(name: string, ...args: Value[]): Value | undefined {
  const def = builtins.find((b) => b.name === name)
  if (!def) throw new Error(`no builtin ${name}`)
  return def.impl(args, ctx)
}

describe('time builtins', () => {
  test('time.now_ns comes from the context', () => {
    expect(call('time.now_ns')).toBe(1.7e18)
  })
  test('parse_rfc3339 is exact in BigInt, with offsets and fractions', () => {
    expect(parseRFC3339('1970-01-01T00:00:00Z')).toBe(0n)
    expect(parseRFC3339('2017-06-02T19:00:00.123456789-07:00')).toBe(1496455200123456789n)
    expect(parseRFC3339('0001-01-01T00:00:00Z')).toBe(-62135596800000000000n)
    expect(call('time.parse_rfc3339_ns', '1970-01-01T00:00:01.5Z')).toBe(1_500_000_000)
  })
  test('parse_rfc3339 rejects malformed and out-of-range text', () => {
    expect(() => call('time.parse_rfc3339_ns', '2017-06-02')).toThrow(/RFC 3339/)
    expect(() => call('time.parse_rfc3339_ns', '2017-02-30T00:00:00Z')).toThrow(/out of range/)
  })
})
