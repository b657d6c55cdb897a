import { describe, expect, test } from '@jest/globals'
import { builtins } from '../../../src/rego/builtins/glob.js'
import { caller } from './support.js'
import type { Value } from '../../../src/rego/value.js'

const call = caller(builtins)
const match = (pattern: string, delims: Value, s: string): Value | undefined => call('glob.match', pattern, delims, s)

describe('glob.match', () => {
  test('* stops at delimiters; [] means the default "."; null means none', () => {
    expect(match('*.github.com', ['.'], 'api.github.com')).toBe(true)
    expect(match('*.github.com', ['.'], 'api.not-github.com')).toBe(false)
    expect(match('*', [], 'foo')).toBe(true)
    expect(match('*', [], 'foo.bar')).toBe(false)
    expect(match('*', null, 'foo.bar')).toBe(true)
    expect(match('foo*', null, 'foo.bar')).toBe(true)
    expect(match('*', ['/'], 'a.b')).toBe(true)
    expect(match('*', ['/'], 'a/b')).toBe(false)
  })
  test('** crosses delimiters; ? is one non-delimiter character', () => {
    expect(match('**.com', ['.'], 'a.b.c.com')).toBe(true)
    expect(match('?at', [], 'fat')).toBe(true)
    expect(match('?at', [], 'at')).toBe(false)
    expect(match('?at', ['f'], 'fat')).toBe(false)
    expect(match('?at', ['f'], 'bat')).toBe(true)
  })
  test('character lists, ranges and negation', () => {
    expect(match('[abc]at', [], 'cat')).toBe(true)
    expect(match('[!abc]at', [], 'cat')).toBe(false)
    expect(match('[a-c]at', [], 'bat')).toBe(true)
    expect(match('[!a-c]at', [], 'fat')).toBe(true)
    expect(match('[!a-c]at', [], 'bat')).toBe(false)
    expect(match('[\\]]x', [], ']x')).toBe(true)
  })
  test('alternatives nest and may hold any glob syntax', () => {
    expect(match('{cat,bat,[fr]at}', [], 'bat')).toBe(true)
    expect(match('{cat,bat,[fr]at}', [], 'rat')).toBe(true)
    expect(match('{cat,bat,[fr]at}', [], 'mat')).toBe(false)
    expect(match('a{b,{c,d}e}', [], 'ade')).toBe(true)
    expect(match('a,b}', [], 'a,b}')).toBe(true)
  })
  test('regex metacharacters and escapes are literal', () => {
    expect(match('a.b+c(d)', null, 'a.b+c(d)')).toBe(true)
    expect(match('a.b', null, 'axb')).toBe(false)
    expect(match('\\*', null, '*')).toBe(true)
    expect(match('\\*', null, 'x')).toBe(false)
  })
  test('errors: bad delimiters and unterminated ranges', () => {
    expect(() => match('*', 'x' as Value, 'a')).toThrow(/operand 2 must be one of \{array, null\}/)
    expect(() => match('*', [1], 'a')).toThrow(/array of strings/)
    expect(() => match('[a-', [], 'a')).toThrow(/invalid glob/)
    expect(() => match('[a-bc]', [], 'a')).toThrow(/invalid glob/)
  })
  test('matching is linear: a pathological glob finishes quickly', () => {
    const start = Date.now()
    expect(match('*a*a*a*a*a*a*a*a*a*a*b', null, 'a'.repeat(5000))).toBe(false)
    expect(Date.now() - start).toBeLessThan(2000)
  })
})

describe('glob.quote_meta', () => {
  test('escapes every glob metacharacter so the result matches literally', () => {
    expect(call('glob.quote_meta', '*.github.com')).toBe('\\*.github.com')
    expect(call('glob.quote_meta', '{a,b}[c]?\\')).toBe('\\{a,b\\}\\[c\\]\\?\\\\')
    const q = call('glob.quote_meta', '{a*}') as string
    expect(match(q, null, '{a*}')).toBe(true)
    expect(match(q, null, 'a')).toBe(false)
  })
})
