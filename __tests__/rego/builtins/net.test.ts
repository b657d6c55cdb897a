import { describe, expect, test } from '@jest/globals'
import { builtins } from '../../../src/rego/builtins/net.js'
import type { BuiltinContext } from '../../../src/rego/builtins/types.js'
import type { Value } from '../../../src/rego/value.js'

const ctx: BuiltinContext = { nowNs: 0n, cache: new Map(), random: () => 0.5 }
function call(name: string, ...args: Value[]): Value | undefined {
  const def = builtins.find((b) => b.name === name)
  if (!def) throw new Error(`no builtin ${name}`)
  return def.impl(args, ctx)
}

describe('net builtins', () => {
  test('cidr_contains for IPv4 and IPv6 addresses and networks', () => {
    expect(call('net.cidr_contains', '10.0.0.0/8', '10.1.2.3')).toBe(true)
    expect(call('net.cidr_contains', '10.0.0.0/8', '11.0.0.1')).toBe(false)
    expect(call('net.cidr_contains', '10.0.0.0/8', '10.2.0.0/16')).toBe(true)
    expect(call('net.cidr_contains', '10.2.0.0/16', '10.0.0.0/8')).toBe(false)
    expect(call('net.cidr_contains', '2001:db8::/32', '2001:db8:1::1')).toBe(true)
    expect(call('net.cidr_contains', '2001:db8::/32', '2001:db9::1')).toBe(false)
    expect(call('net.cidr_contains', '::ffff:0:0/96', '::ffff:10.0.0.1')).toBe(true)
    expect(() => call('net.cidr_contains', 'nope', '10.0.0.1')).toThrow(/invalid CIDR/)
  })
  test('cidr_intersects and cidr_is_valid', () => {
    expect(call('net.cidr_intersects', '192.168.0.0/16', '192.168.1.0/24')).toBe(true)
    expect(call('net.cidr_intersects', '192.168.0.0/24', '192.168.1.0/24')).toBe(false)
    expect(call('net.cidr_is_valid', '10.0.0.0/33')).toBe(false)
    expect(call('net.cidr_is_valid', '10.0.0.0/24')).toBe(true)
    expect(call('net.cidr_is_valid', '10.0.0.1')).toBe(false)
  })
})
