import { describe, expect, test } from '@jest/globals'
import { builtins } from '../../../src/rego/builtins/collections.js'
import { caller, set as s } from './support.js'
import { fromJSON, RegoObject } from '../../../src/rego/value.js'

const call = caller(builtins)
const j = (x: unknown) => fromJSON(x)

describe('arrays and sets of sets', () => {
  test('concat, reverse, flatten one level', () => {
    expect(call('array.concat', [1, 2], [3, 4])).toEqual([1, 2, 3, 4])
    expect(() => call('array.concat', [1], j({ a: 1 }))).toThrow('operand 2 must be array but got object')
    expect(call('array.reverse', [1, 2, 3])).toEqual([3, 2, 1])
    expect(call('array.flatten', j([[[1], [2, 3, []]], [[4, 5]], 6]))).toEqual(j([[1], [2, 3, []], [4, 5], 6]))
    expect(() => call('array.flatten', 42)).toThrow('operand 1 must be array but got number')
  })
  test('slice clamps both indexes', () => {
    expect(call('array.slice', [1, 2, 3, 4, 5], 1, 3)).toEqual([2, 3])
    expect(call('array.slice', [1, 2, 3, 4, 5], -4, -1)).toEqual([])
    expect(call('array.slice', [1, 2, 3, 4, 5], 4, 1)).toEqual([])
    expect(call('array.slice', [1, 2, 3, 4, 5], -1, 2)).toEqual([1, 2])
    expect(call('array.slice', [1, 2, 3], 1000, 2000)).toEqual([])
    expect(() => call('array.slice', [1], 0.5, 1)).toThrow('operand 2 must be integer number')
  })
  test('union and intersection of a set of sets', () => {
    expect(call('union', s(s(1, 2, 3), s(2, 3, 4), s(4, 5, 6)))).toEqual(s(1, 2, 3, 4, 5, 6))
    expect(call('union', s())).toEqual(s())
    expect(call('intersection', s(s(1, 2, 3), s(2)))).toEqual(s(2))
    expect(call('intersection', s())).toEqual(s())
    expect(() => call('union', s(1))).toThrow('operand 1 must be set but got number')
  })
})

describe('objects', () => {
  test('object.get with keys and paths through objects, arrays and sets', () => {
    expect(call('object.get', j({ a: 'b' }), 'a', 'c')).toBe('b')
    expect(call('object.get', j({ a: 'b' }), 'x', 'c')).toBe('c')
    expect(call('object.get', new RegoObject([[1, 2]]), 1, 3)).toBe(2)
    expect(call('object.get', j({ a: 1 }), [], 2)).toEqual(j({ a: 1 }))
    expect(call('object.get', j({ a: { b: [{ c: 1 }] } }), ['a', 'b', 0, 'c'], 2)).toBe(1)
    expect(call('object.get', j({ a: { b: [1, 2, 3] } }), ['a', 'b', 'a'], 2)).toBe(2)
    expect(call('object.get', j({ a: s('x') }), ['a', 'x'], 2)).toBe('x')
    expect(() => call('object.get', 'x', ['a'], 2)).toThrow('operand 1 must be object but got string')
  })
  test('object.keys, remove and filter accept arrays, sets and objects of keys', () => {
    expect(call('object.keys', j({ a: 1, b: 2 }))).toEqual(s('a', 'b'))
    const o = j({ a: 1, b: { c: 3 }, d: 4 })
    expect(call('object.remove', o, s('b', 'd'))).toEqual(j({ a: 1 }))
    expect(call('object.remove', o, ['d', 'b'])).toEqual(j({ a: 1 }))
    expect(call('object.remove', o, j({ b: 1, d: '' }))).toEqual(j({ a: 1 }))
    expect(call('object.filter', o, ['a', 'zz'])).toEqual(j({ a: 1 }))
    const nonString = new RegoObject([['a', 1], [[[7]], 2]])
    expect(call('object.filter', nonString, s([[7]]))).toEqual(new RegoObject([[[[7]], 2]]))
    expect(() => call('object.remove', j({ a: 1 }), 1)).toThrow('operand 2 must be one of {object, set, array} but got number')
    expect(() => call('object.filter', null, ['a'])).toThrow('operand 1 must be object but got null')
  })
  test('object.union merges objects recursively, right side wins', () => {
    expect(call('object.union', j({ a: { b: { c: 1 } }, e: 1 }), j({ a: { b: 'foo', b1: 'bar' }, d: 7, e: 17 }))).toEqual(
      j({ a: { b: 'foo', b1: 'bar' }, d: 7, e: 17 })
    )
    expect(call('object.union', j({ a: { x: 1 } }), j({ a: { y: 2 } }))).toEqual(j({ a: { x: 1, y: 2 } }))
    expect(call('object.union_n', j([{ a: 1, b: 2 }, { a: 'a', d: 4 }, { a: 'final' }]))).toEqual(j({ a: 'final', b: 2, d: 4 }))
    expect(() => call('object.union', j({}), [1])).toThrow('operand 2 must be object but got array')
    expect(() => call('object.union_n', j({}))).toThrow('operand 1 must be array but got object')
  })
  test('object.subset', () => {
    expect(call('object.subset', j({ a: { b: 1, c: [1, 2, 3] }, d: 1 }), j({ a: { c: [2, 3] } }))).toBe(true)
    expect(call('object.subset', j({ a: 1 }), j({ a: 2 }))).toBe(false)
    expect(call('object.subset', s(1, 2, 3), s(1, 3))).toBe(true)
    expect(call('object.subset', [1, 2, 3], [2, 3])).toBe(true)
    expect(call('object.subset', [1, 2, 3], [1, 3])).toBe(false)
    expect(call('object.subset', [3, 1], s(1, 3))).toBe(true)
    expect(() => call('object.subset', j({}), [1])).toThrow('must be of the same type')
  })
})

describe('json paths', () => {
  const doc = j({ a: { b: { c: 7, d: 8 } }, e: 9 })
  test('json.filter keeps named paths; shorter paths win; arrays by index', () => {
    expect(call('json.filter', doc, s('a/b/c', 'e'))).toEqual(j({ a: { b: { c: 7 } }, e: 9 }))
    expect(call('json.filter', doc, [['a', 'b', 'c'], '/e'])).toEqual(j({ a: { b: { c: 7 } }, e: 9 }))
    expect(call('json.filter', j({ a: { b: 7 } }), s('a', 'a/b'))).toEqual(j({ a: { b: 7 } }))
    expect(call('json.filter', j({ a: [{ b: 7, c: 8 }, { d: 9 }] }), s('a/0/b', 'a/1'))).toEqual(j({ a: [{ b: 7 }, { d: 9 }] }))
    expect(call('json.filter', j({ 'a/b': 1, 'c~': 2 }), s('a~1b', 'c~0'))).toEqual(j({ 'a/b': 1, 'c~': 2 }))
  })
  test('json.remove drops named paths and closes array gaps', () => {
    expect(call('json.remove', doc, s('a/b/c', 'e'))).toEqual(j({ a: { b: { d: 8 } } }))
    expect(call('json.remove', j({ a: { b: 7 }, c: 1 }), s('a', 'a/b'))).toEqual(j({ c: 1 }))
    expect(call('json.remove', j({ a: [{ 1: ['b', 'c', 'd'] }, { x: 'y' }] }), s('a/0/1/2'))).toEqual(
      j({ a: [{ 1: ['b', 'c'] }, { x: 'y' }] })
    )
    expect(() => call('json.remove', [1], s('a'))).toThrow('operand 1 must be object but got array')
    expect(() => call('json.remove', doc, true)).toThrow('operand 2 must be one of {set, array} but got boolean')
    expect(() => call('json.remove', doc, s(1))).toThrow(
      'operand 2 must be one of {set, array} containing string paths or array of path segments but got number'
    )
  })
  test('json.patch applies RFC 6902 operations atomically', () => {
    const p = (...ops: unknown[]) => j(ops)
    expect(call('json.patch', j({ foo: ['bar', 'baz'] }), p({ op: 'add', path: '/foo/1', value: 'qux' }))).toEqual(
      j({ foo: ['bar', 'qux', 'baz'] })
    )
    expect(call('json.patch', j({ foo: [1] }), p({ op: 'add', path: '/foo/-', value: 2 }))).toEqual(j({ foo: [1, 2] }))
    expect(call('json.patch', j({ q: { bar: 2 } }), p({ op: 'add', path: '/a/b', value: 1 }))).toBeUndefined()
    expect(call('json.patch', j({ foo: [1, 2] }), p({ op: 'remove', path: '/foo/01' }))).toBeUndefined()
    expect(call('json.patch', j({ a: 1, b: 2 }), p({ op: 'move', from: '/a', path: '/c' }))).toEqual(j({ b: 2, c: 1 }))
    expect(call('json.patch', j({ a: 1 }), p({ op: 'copy', from: '/a', path: '/b' }, { op: 'test', path: '/b', value: 1 }))).toEqual(
      j({ a: 1, b: 1 })
    )
    expect(call('json.patch', j({ a: 1 }), p({ op: 'test', path: '/a', value: 2 }))).toBeUndefined()
    expect(call('json.patch', j({ a: 1 }), p({ op: 'replace', path: '', value: 5 }))).toBe(5)
    // Sets: the path's last segment is the member itself.
    expect(call('json.patch', j({ foo: s('a', 'b') }), p({ op: 'add', path: 'foo/d', value: 'd' }))).toEqual(j({ foo: s('a', 'b', 'd') }))
    expect(call('json.patch', j({ foo: s('a', 'b') }), p({ op: 'add', path: 'foo/d', value: 'e' }))).toBeUndefined()
    expect(call('json.patch', s([1]), p({ op: 'add', path: [[1], 1], value: 2 }))).toEqual(s([1, 2]))
    expect(() => call('json.patch', j({}), p({ op: 'add', path: '/a' }))).toThrow("missing 'value' attribute")
    expect(() => call('json.patch', j({}), p({ op: 'frob', path: '/a' }))).toThrow('JSON-Patch objects')
  })
})

describe('graphs', () => {
  const g = j({ a: ['b', 'c'], b: ['d'], c: ['d'], d: [], e: ['f'], f: ['e'], x: ['x'] })
  test('graph.reachable walks from the initial vertices; unknown vertices are not reached', () => {
    expect(call('graph.reachable', g, s('b', 'e'))).toEqual(s('b', 'd', 'e', 'f'))
    expect(call('graph.reachable', j({}), s('a'))).toEqual(s())
    expect(call('graph.reachable', j({ a: s('b'), b: s('c'), c: s('a') }), ['a'])).toEqual(s('a', 'b', 'c'))
    expect(() => call('graph.reachable', 1, [1])).toThrow('operand 1 must be object but got number')
    expect(() => call('graph.reachable', j({ a: [] }), 'a')).toThrow('operand 2 must be {array, set} but got string')
  })
  test('graph.reachable_paths stops at leaves, cycles and missing vertices', () => {
    expect(call('graph.reachable_paths', g, s('b', 'e'))).toEqual(s(['b', 'd'], ['e', 'f']))
    expect(call('graph.reachable_paths', j({ a: ['b', 'c'], b: ['c'], c: [] }), s('a'))).toEqual(s(['a', 'b', 'c'], ['a', 'c']))
    expect(call('graph.reachable_paths', j({ a: ['b'], b: ['nonexistent'] }), s('a', 'b'))).toEqual(s(['a', 'b'], ['b']))
    expect(call('graph.reachable_paths', j({ a: null }), ['a'])).toEqual(s(['a']))
  })
})

describe('object.union_n members', () => {
  test('a non-object member is named as OPA names it', () => {
    expect(() => call('object.union_n', [j({}), 1])).toThrow('operand 1 must be array of objects but got array containing number')
    expect(call('object.union_n', j([{ a: { b: 2 } }, { a: 4 }, { a: { c: 3 } }]))).toEqual(j({ a: { c: 3 } }))
  })
})

describe('error codes follow OPA: operand errors are type errors', () => {
  test('json.patch and object.subset operand errors', () => {
    const code = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        return (e as { code?: string }).code
      }
      return 'no error'
    }
    expect(code(() => call('json.patch', j({}), j([{ op: 'add', path: '/a' }])))).toBe('eval_type_error')
    expect(code(() => call('json.patch', j({}), [1]))).toBe('eval_type_error')
    expect(code(() => call('object.subset', j({}), 1))).toBe('eval_type_error')
  })
})
