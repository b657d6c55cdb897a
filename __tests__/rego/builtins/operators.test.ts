import { describe, expect, test } from '@jest/globals'
import { builtins } from '../../../src/rego/builtins/operators.js'
import { caller, set as s } from './support.js'
import { RegoObject } from '../../../src/rego/value.js'

const call = caller(builtins)

describe('arithmetic operators', () => {
  test('plus, minus, mul, div on numbers', () => {
    expect(call('plus', 49649733057, 1)).toBe(49649733058)
    expect(call('div', 7, 2)).toBe(3.5)
    expect(call('minus', 1, 4)).toBe(-3)
    expect(call('mul', 3, 4)).toBe(12)
    expect(call('div', 1, 4)).toBe(0.25)
    expect(Object.is(call('mul', -1, 0), 0)).toBe(true)
  })
  test('type errors name the operand like OPA', () => {
    expect(() => call('plus', 'a', 1)).toThrow('operand 1 must be number but got string')
    expect(() => call('minus', s(1), 1)).toThrow('operand 2 must be set but got number')
    expect(() => call('minus', 1, s(1))).toThrow('operand 2 must be number but got set')
    expect(() => call('minus', 'x', 1)).toThrow('operand 1 must be one of {number, set} but got string')
    expect(() => call('minus', s(1), 'x')).toThrow('operand 2 must be number but got string')
  })
  test('division and modulo by zero, modulo on floats', () => {
    expect(() => call('div', 1, 0)).toThrow('divide by zero')
    expect(call('rem', 7, 4)).toBe(3)
    expect(call('rem', -7, 4)).toBe(-3)
    expect(() => call('rem', 1.1, 1)).toThrow('modulo on floating-point number')
    expect(() => call('rem', 1, 0)).toThrow('modulo by zero')
  })
  test('set difference, intersection, union', () => {
    expect(call('minus', s(1, 2, 3, 4), s(1, 3))).toEqual(s(2, 4))
    expect(call('and', s(3, 2, 3), s(3, 4))).toEqual(s(3))
    expect(call('or', s(1, 2), s(2, 3))).toEqual(s(1, 2, 3))
    expect(() => call('and', [1], s(1))).toThrow('operand 1 must be set but got array')
  })
})

describe('non-integer arithmetic follows OPA (64-bit big.Float over the decimal text)', () => {
  test('decimal fractions come out as OPA writes them, not as doubles would', () => {
    expect(call('plus', 0.1, 0.2)).toBe(0.3)
    expect(call('mul', 0.1, 3)).toBe(0.3)
    expect(call('minus', 1, 0.9)).toBe(0.1)
    expect(call('mul', 1.1, 1.1)).toBe(1.21)
    expect(call('div', 1, 3)).toBe(1 / 3)
    expect(call('div', 2, 3)).toBe(2 / 3)
  })
  test('integers stay exact; an overflow to infinity is an error', () => {
    expect(call('mul', 3037000499, 3037000499)).toBe(3037000499 * 3037000499)
    expect(() => call('plus', 1e308, 1e308)).toThrow('not a finite number')
  })
})

describe('comparison operators', () => {
  test('numbers compare by value, other types by OPA order', () => {
    expect(call('equal', 1, 1.0)).toBe(true)
    expect(call('equal', 0, 1)).toBe(false)
    expect(call('neq', 0, 1)).toBe(true)
    expect(call('lt', -1, 0)).toBe(true)
    expect(call('lte', 1, -1)).toBe(false)
    expect(call('gte', 1, 1)).toBe(true)
    expect(call('gt', 1, 2)).toBe(false)
    // null < boolean < number < string < array < object < set
    expect(call('lt', 'a', [0])).toBe(true)
    expect(call('lt', new RegoObject([['a', 1]]), s())).toBe(true)
    expect(call('gt', true, null)).toBe(true)
    expect(call('equal', new RegoObject([['a', s(1, 2)]]), new RegoObject([['a', s(2, 1)]]))).toBe(true)
  })
})
