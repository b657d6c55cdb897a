import { describe, expect, test } from '@jest/globals'
import { builtins } from '../../../src/rego/builtins/types-builtins.js'
import { caller } from './support.js'
import { RegoObject, RegoSet, type Value } from '../../../src/rego/value.js'

const call = caller(builtins)

describe('type builtins', () => {
  test('is_* answer true or false for every type', () => {
    const samples: Value[] = [null, true, 1.5, 's', [1], new RegoSet([1]), new RegoObject([['a', 1]])]
    const names = ['is_null', 'is_boolean', 'is_number', 'is_string', 'is_array', 'is_set', 'is_object']
    names.forEach((name, i) => {
      expect(samples.map((v) => call(name, v))).toEqual(samples.map((_, j) => i === j))
    })
    expect(samples.map((v) => call('type_name', v))).toEqual(['null', 'boolean', 'number', 'string', 'array', 'set', 'object'])
  })
  test('to_number', () => {
    expect(call('to_number', '-42.0')).toBe(-42)
    expect(call('to_number', false)).toBe(0)
    expect(call('to_number', true)).toBe(1)
    expect(call('to_number', null)).toBe(0)
    expect(call('to_number', 100.1)).toBe(100.1)
    expect(call('to_number', '1e3')).toBe(1000)
    expect(() => call('to_number', 'broken')).toThrow('invalid syntax')
    expect(call('to_number', '0x1p4')).toBe(16)
    expect(call('to_number', '-0X1.8p1')).toBe(-3)
    expect(() => call('to_number', '0x10')).toThrow('invalid syntax')
    expect(() => call('to_number', '1_000')).toThrow('invalid syntax')
    expect(() => call('to_number', '1e400')).toThrow('value out of range')
    expect(() => call('to_number', '-Infinity')).toThrow(expect.objectContaining({ code: 'eval_type_error' }))
    expect(() => call('to_number', 'iNf')).toThrow(expect.objectContaining({ code: 'eval_type_error' }))
    expect(() => call('to_number', [1])).toThrow('operand 1 must be one of {null, boolean, number, string} but got array')
  })
})

describe('numeric builtins', () => {
  test('round half away from zero, ceil, floor, abs', () => {
    expect([0.5, 1.5, 2.5, -0.5, -2.5, 2.4999].map((x) => call('round', x))).toEqual([1, 2, 3, -1, -3, 2])
    expect(call('floor', -1.001)).toBe(-2)
    expect(call('floor', 99.99999)).toBe(99)
    expect(call('ceil', 1.01)).toBe(2)
    expect(call('ceil', -1.5)).toBe(-1)
    expect(call('floor', -1.5)).toBe(-2)
    // OPA truncates first and +0 has no sign, so values in (-1, 0) come out like this in OPA.
    expect(call('ceil', -0.5)).toBe(1)
    expect(call('floor', -0.5)).toBe(0)
    expect(call('abs', -4)).toBe(4)
  })
  test('numbers.range and range_step, ascending and descending', () => {
    expect(call('numbers.range', 0, 0)).toEqual([0])
    expect(call('numbers.range', 3, 1)).toEqual([3, 2, 1])
    expect(call('numbers.range', 49649733057, 49649733059)).toEqual([49649733057, 49649733058, 49649733059])
    expect(() => call('numbers.range', 3.14, 4)).toThrow('operand 1 must be integer number but got floating-point number')
    expect(call('numbers.range_step', 0, 10, 3)).toEqual([0, 3, 6, 9])
    expect(call('numbers.range_step', 0, -10, 5)).toEqual([0, -5, -10])
    expect(() => call('numbers.range_step', 0, 10, 0)).toThrow('step must be a positive number')
  })
  test('bits', () => {
    expect(call('bits.and', 50, 0)).toBe(0)
    expect(call('bits.or', 7, 9)).toBe(15)
    expect(call('bits.xor', 42, 3)).toBe(41)
    expect(call('bits.negate', 42)).toBe(-43)
    expect(call('bits.rsh', 8, 3)).toBe(1)
    expect(call('bits.lsh', 9223372036854775807, 1)).toBe(18446744073709552000)
    expect(() => call('bits.lsh', 7, -1)).toThrow('operand 2 must be an unsigned integer number but got a negative integer')
    expect(() => call('bits.and', 7.2, 42)).toThrow('operand 1 must be integer number but got floating-point number')
  })
  test('units.parse: exact decimals, milli vs mega, binary suffixes', () => {
    expect(call('units.parse', '500m')).toBe(0.5)
    expect(call('units.parse', '0.0000005M')).toBe(0.5)
    expect(call('units.parse', '1.1Ki')).toBe(1126.4)
    expect(call('units.parse', '-3.5E2m')).toBe(-0.35)
    expect(call('units.parse', '"100TI"')).toBe(109951162777600)
    expect(call('units.parse', '5E')).toBe(5e18)
    expect(call('units.parse', '10Ei')).toBe(11529215046068469760)
    expect(() => call('units.parse', 'G')).toThrow('no amount provided')
    expect(() => call('units.parse', '0.0.0')).toThrow('could not parse amount to a number')
    expect(() => call('units.parse', ' 327Mi ')).toThrow('spaces not allowed in resource strings')
    expect(() => call('units.parse', '5x')).toThrow('unit x not recognized')
  })
  test('units.parse_bytes: case-insensitive, truncated to whole bytes', () => {
    expect(call('units.parse_bytes', '10KIB')).toBe(10240)
    expect(call('units.parse_bytes', '1.1KiB')).toBe(1126)
    expect(call('units.parse_bytes', '1e-2KB')).toBe(10)
    expect(call('units.parse_bytes', '.0')).toBe(0)
    expect(call('units.parse_bytes', '3.2E2MiB')).toBe(335544320)
    expect(() => call('units.parse_bytes', '12zb')).toThrow('byte unit zb not recognized')
  })
})
