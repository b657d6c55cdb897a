import { describe, expect, test } from '@jest/globals'
import { builtins } from '../../../src/rego/builtins/regex.js'
import { caller } from './support.js'

const call = caller(builtins)

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
  test('regex.replace expands templates exactly as Go does', () => {
    expect(call('regex.replace', 'xabbyab', 'a(b+)', '$1x')).toBe('xy') // group "1x" does not exist
    expect(call('regex.replace', 'xabbyab', 'a(b+)', '${1}x')).toBe('xbbxybx')
    expect(call('regex.replace', 'xab', 'a(b+)', '$$')).toBe('x$')
    expect(call('regex.replace', 'xab', 'a(?P<n>b+)', '<$n>')).toBe('x<b>')
    expect(call('regex.replace', 'ab', 'a(b)', '[$2]')).toBe('[]')
    expect(call('regex.replace', 'ab', 'a', '$')).toBe('$b')
    expect(call('regex.replace', 'ab', 'a', '${1')).toBe('${1b')
    expect(call('regex.replace', 'baaac', 'a*', '-')).toBe('-b-c-')
  })
})

describe('regex builtins with Go semantics', () => {
  test('regex.split keeps leading and trailing empty strings like Go', () => {
    expect(call('regex.split', 'a', 'banana')).toEqual(['b', 'n', 'n', ''])
    expect(call('regex.split', '^[a-z]+', 'foobar baz')).toEqual(['', ' baz'])
    expect(call('regex.split', '[a-z]+$', 'foobar baz')).toEqual(['foobar ', ''])
    expect(call('regex.split', '^[a-z ]+$', 'foobar baz')).toEqual(['', ''])
    expect(call('regex.split', '^[a-z]+$', 'foobar baz')).toEqual(['foobar baz'])
    expect(call('regex.split', 'x', '')).toEqual([''])
    expect(call('regex.split', 'z+', 'pizza')).toEqual(['pi', 'a'])
  })
  test('regex.find_n honours n and skips an empty match right after a match', () => {
    expect(call('regex.find_n', 'a.', 'paranormal', -1)).toEqual(['ar', 'an', 'al'])
    expect(call('regex.find_n', 'a.', 'paranormal', 2)).toEqual(['ar', 'an'])
    expect(call('regex.find_n', 'a.', 'paranormal', 0)).toEqual([])
    expect(call('regex.find_n', 'bork', 'paranormal', -1)).toEqual([])
    expect(call('regex.find_n', 'a*', 'baaac', -1)).toEqual(['', 'aaa', ''])
    expect(() => call('regex.find_n', 'a', 'a', 1.5)).toThrow(/integer/)
  })
  test('regex.find_all_string_submatch_n reports unmatched groups as ""', () => {
    expect(call('regex.find_all_string_submatch_n', 'a(x*)b', '-ab-axb-', -1)).toEqual([
      ['ab', ''],
      ['axb', 'x'],
    ])
    expect(call('regex.find_all_string_submatch_n', 'a(x*)b|(q)', 'q', -1)).toEqual([['q', '', 'q']])
    expect(call('regex.find_all_string_submatch_n', '[^aouiye]([aouiye])([^aouiye])?', 'somestri', 1)).toEqual([['som', 'o', 'm']])
    expect(call('regex.find_all_string_submatch_n', 'a', '-', -1)).toEqual([])
  })
  test('regex.template_match: literal text outside delimiters, regex inside, anchored', () => {
    expect(call('regex.template_match', 'urn:foo:{.*}', 'urn:foo:bar:baz', '{', '}')).toBe(true)
    expect(call('regex.template_match', 'urn:foo:<.*>', 'urn:foo:bar:baz', '<', '>')).toBe(true)
    expect(call('regex.template_match', 'urn:foo.<[0-9]+>', 'urn:fooX12', '<', '>')).toBe(false)
    expect(call('regex.template_match', 'urn:<[0-9]+>', 'urn:12x', '<', '>')).toBe(false)
    expect(() => call('regex.template_match', 'urn:<a', 'urn:a', '<', '>')).toThrow(/unbalanced/)
    expect(() => call('regex.template_match', 'x', 'x', '<<', '>')).toThrow(/exactly one character/)
  })
  test('regex.globs_match decides whether two globs share a string', () => {
    expect(call('regex.globs_match', 'a.a.[0-9]+z', '.b.b2359825792*594823z')).toBe(true)
    expect(call('regex.globs_match', '[a-z]+\\[[0-9]+\\]', 'foo\\[1\\]')).toBe(true)
    expect(call('regex.globs_match', 'b.*', 'bar')).toBe(true)
    expect(call('regex.globs_match', 'a+', 'b*')).toBe(false)
    expect(call('regex.globs_match', 'a*b', 'aaac')).toBe(false)
    expect(call('regex.globs_match', 'a*', 'b*')).toBe(true) // both match ""
    expect(call('regex.globs_match', '[ab]c*', '[bd]')).toBe(true)
    expect(call('regex.globs_match', '[ab]', '[cd]')).toBe(false)
    expect(() => call('regex.globs_match', 'pqrs]', '[a-b]+')).toThrow(
      "input:pqrs], pos:5, set-close ']' with no preceding '[': the input provided is invalid"
    )
    expect(() => call('regex.globs_match', '*a', 'a')).toThrow(/flag '\*' must be preceded/)
    expect(() => call('regex.globs_match', '[ab', 'a')).toThrow(/without matching/)
  })
})
