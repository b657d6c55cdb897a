import { describe, expect, test } from '@jest/globals'
import { builtins, formatAddr } from '../../../src/rego/builtins/net.js'
import { caller } from './support.js'
import { RegoObject, RegoSet, type Value } from '../../../src/rego/value.js'

const call = caller(builtins)

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
  test('cidr_expand lists every address, host and broadcast included', () => {
    expect((call('net.cidr_expand', '192.168.1.1/30') as RegoSet).values()).toEqual(['192.168.1.0', '192.168.1.1', '192.168.1.2', '192.168.1.3'])
    expect((call('net.cidr_expand', '172.16.100.255/31') as RegoSet).values()).toEqual(['172.16.100.254', '172.16.100.255'])
    expect((call('net.cidr_expand', '2001:db8::/127') as RegoSet).values()).toEqual(['2001:db8::', '2001:db8::1'])
    expect(() => call('net.cidr_expand', '192.168.1.1/33')).toThrow('invalid CIDR address: 192.168.1.1/33')
    expect(() => call('net.cidr_expand', '10.0.0.0/4')).toThrow(/use a longer prefix/)
  })
  test('IPv6 addresses print in Go\'s compressed form', () => {
    expect(formatAddr(128, 0n)).toBe('::')
    expect(formatAddr(128, 1n)).toBe('::1')
    expect(formatAddr(128, 0x20010db8000000000001000000000001n)).toBe('2001:db8::1:0:0:1')
    expect(formatAddr(128, 0x20010db8000100010001000100010001n)).toBe('2001:db8:1:1:1:1:1:1')
    expect(formatAddr(128, 0xffff0a000001n)).toBe('::ffff:10.0.0.1')
  })
  test('cidr_merge folds duplicates, contained and adjacent networks', () => {
    const merged = (xs: Value[]): Value[] => (call('net.cidr_merge', xs) as RegoSet).values()
    expect(merged(['192.0.128.0/24', '192.0.129.0/24'])).toEqual(['192.0.128.0/23'])
    expect(merged(['10.0.0.0/8', '10.1.0.0/16', '10.1.0.0/16'])).toEqual(['10.0.0.0/8'])
    expect(merged(['192.0.128.0/24', '192.0.130.0/24'])).toEqual(['192.0.128.0/24', '192.0.130.0/24'])
    expect(merged(['192.0.2.0/25', '192.0.2.128/26', '192.0.2.192/26'])).toEqual(['192.0.2.0/24'])
    expect(merged(['10.0.0.1/32', '10.0.0.2/32'])).toEqual(['10.0.0.1/32', '10.0.0.2/32'])
    expect(merged(['10.0.0.0/32', '10.0.0.1/32', '10.0.0.2/32'])).toEqual(['10.0.0.0/31', '10.0.0.2/32'])
    expect(merged(['2601:600:8a80:207e:a57d:7567:e2c9:e7b3/64', '2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128'])).toEqual(['2601:600:8a80:207e::/64'])
    expect(merged(['2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128'])).toEqual(['2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128'])
    expect(merged(['192.168.1.1'])).toEqual(['192.168.1.1/24'])
    expect(merged([])).toEqual([])
    expect(() => merged(['2601:600::1'])).toThrow('IPv6 invalid: needs prefix length')
    expect(() => merged([1])).toThrow('element must be string')
  })
  test('cidr_contains_matches pairs the keys of matching elements', () => {
    const pairs = (a: Value, b: Value): Value[] => (call('net.cidr_contains_matches', a, b) as RegoSet).values()
    expect(pairs('1.1.1.0/24', '1.1.1.1')).toEqual([['1.1.1.0/24', '1.1.1.1']])
    expect(pairs(['1.1.2.0/24', '1.1.1.0/24'], ['1.1.1.1', '1.1.2.1'])).toEqual([
      [0, 1],
      [1, 0],
    ])
    expect(pairs([['1.1.2.0/24', 1], '1.1.1.0/24'], ['1.1.1.1', '1.1.2.1'])).toEqual([
      [0, 1],
      [1, 0],
    ])
    expect(pairs(new RegoSet([['1.1.1.0/24', 'bar']]), new RegoSet([['1.1.1.1', 'baz']]))).toEqual([[['1.1.1.0/24', 'bar'], ['1.1.1.1', 'baz']]])
    expect(pairs(new RegoObject([['k1', '1.1.1.1/24'], ['k2', ['1.1.1.2/24', 1]]]), '1.1.1.128')).toEqual([
      ['k1', '1.1.1.128'],
      ['k2', '1.1.1.128'],
    ])
    expect(() => pairs(['1.1.2.0/24'], ['1.1.1.1', 1])).toThrow('operand 2: element must be string or non-empty array')
    expect(() => pairs(['1.1.2.0/24'], new RegoSet([[]]))).toThrow('operand 2: element must be string or non-empty array')
  })
})
