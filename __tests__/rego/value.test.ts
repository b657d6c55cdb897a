import { describe, expect, it } from '@jest/globals'
import { compare, equals, fromJSON, formatValue, RegoObject, RegoSet, toJSON } from '../../src/rego/value.js'

describe('values', () => {
  it('orders types as OPA does: null < boolean < number < string < array < object < set', () => {
    const vs = [new RegoSet([1]), new RegoObject([['a', 1]]), [1], 'a', 1, true, null]
    const sorted = [...vs].sort(compare)
    expect(sorted.map((v) => formatValue(v))).toEqual(['null', 'true', '1', '"a"', '[1]', '{"a": 1}', '{1}'])
  })

  it('treats structurally equal sets and objects as equal, whatever the insertion order', () => {
    expect(equals(new RegoSet([1, 2, [3]]), new RegoSet([[3], 2, 1]))).toBe(true)
    expect(equals(fromJSON({ a: 1, b: [1] }), fromJSON({ b: [1], a: 1 }))).toBe(true)
    expect(equals(fromJSON({ a: 1 }), fromJSON({ a: '1' }))).toBe(false)
    expect(new RegoSet([1, 1.0, 2]).size).toBe(2)
  })

  it('round-trips JSON, with sets as sorted arrays', () => {
    const v = new RegoObject([['s', new RegoSet(['b', 'a'])], ['n', null]])
    expect(toJSON(v)).toEqual({ n: null, s: ['a', 'b'] })
    expect(toJSON(fromJSON({ x: [1, { y: 'z' }] }))).toEqual({ x: [1, { y: 'z' }] })
  })
})
