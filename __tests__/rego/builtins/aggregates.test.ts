import { describe, expect, test } from '@jest/globals'
import { builtins } from '../../../src/rego/builtins/aggregates.js'
import { caller, set as s } from './support.js'
import { RegoObject, type Value } from '../../../src/rego/value.js'

const call = caller(builtins)

describe('aggregates', () => {
  test('count over every collection and strings by code point', () => {
    expect(call('count', [1, 2, 3, 4])).toBe(4)
    expect(call('count', s(1, 2, 2))).toBe(2)
    expect(call('count', new RegoObject([['v1', 'a'], ['v2', 'b']]))).toBe(2)
    expect(call('count', 'åäö')).toBe(3)
    expect(call('count', '😀x')).toBe(2)
    expect(() => call('count', 1)).toThrow('operand 1 must be one of {array, object, set, string} but got number')
  })
  test('sum and product', () => {
    expect(call('sum', [1, 2, 3, 4])).toBe(10)
    expect(call('sum', [49649733057, 1])).toBe(49649733058)
    expect(call('sum', [])).toBe(0)
    expect(call('sum', [0.1, 0.2, 0.3])).toBe(0.6)
    expect(call('product', [1.1, 1.1])).toBe(1.21)
    expect(call('sum', [2 ** 53, 2])).toBe(2 ** 53 + 2)
    expect(call('product', s(1, 2, 3, 4))).toBe(24)
    expect(call('product', [])).toBe(1)
    expect(() => call('sum', [1, 'a'])).toThrow('operand 1 must be array of numbers but got array containing string')
    expect(() => call('sum', s('a'))).toThrow('operand 1 must be set of numbers but got set containing string')
    expect(() => call('sum', 'a')).toThrow('operand 1 must be one of {set, array} but got string')
  })
  test('max and min by OPA order; undefined when empty', () => {
    expect(call('max', [1, 2, 3, 4])).toBe(4)
    expect(call('min', [3, 2, 1, 4, 6, -7, 10])).toBe(-7)
    expect(call('max', [1, 'a', null])).toBe('a')
    expect(call('min', s(1, 2))).toBe(1)
    expect(call('max', [])).toBeUndefined()
    expect(call('min', s())).toBeUndefined()
  })
  test('sort arrays and sets; input untouched', () => {
    const xs: Value[] = [4, 3, 'a', 1]
    expect(call('sort', xs)).toEqual([1, 3, 4, 'a'])
    expect(xs).toEqual([4, 3, 'a', 1])
    expect(call('sort', s(3, 1, 2))).toEqual([1, 2, 3])
    expect(() => call('sort', 1)).toThrow('operand 1 must be one of {set, array} but got number')
  })
})
