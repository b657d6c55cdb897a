import { describe, expect, test } from '@jest/globals'
import { builtins } from '../../../src/rego/builtins/regex.js'
import type { BuiltinContext } from '../../../src/rego/builtins/types.js'
import type { Value } from '../../../src/rego/value.js'

const ctx: BuiltinContext = { nowNs: 0n, cache: new Map(), random: () => 0.5 }
function call(name: string, ...args: Value[]): Value | undefined {
  const def = builtins.find((b) => b.name === name)
  if (!def) throw new Error(`no builtin ${name}`)
  return def.impl(args, ctx)
}

describe('regex builtins', () => {
  test('regex.match finds a match anywhere (unanchored, RE2)', () => {
    expect(call('regex.match', '^[a-z]+$', 'abc')).toBe(true)
    expect(call('regex.match', 'b+', 'abbc')).toBe(true)
    expect(call('regex.match', '^x', 'abc')).toBe(false)
  })
  test('regex.match rejects an invalid pattern and a non-string operand', () => {
    expect(() => call('regex.match', '(', 'a')).toThrow(/invalid regular expression/)
    expect(() => call('regex.match', 'a', 1)).toThrow(/operand 2 must be string/)
  })
  test('regex.is_valid', () => {
    expect(call('regex.is_valid', 'a+')).toBe(true)
    expect(call('regex.is_valid', '(')).toBe(false)
    expect(call('regex.is_valid', '(?=x)')).toBe(false)
    expect(call('regex.is_valid', 5)).toBe(false)
  })
  test('regex.replace expands $1 like Go', () => {
    expect(call('regex.replace', 'xabbyab', 'a(b+)', '<$1>')).toBe('x<bb>y<b>')
    expect(call('regex.replace', 'abc', 'z', 'q')).toBe('abc')
  })
})
