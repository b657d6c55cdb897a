import { describe, expect, test } from '@jest/globals'
import { builtins } from '../../../src/rego/builtins/encoding.js'
import type { BuiltinContext } from '../../../src/rego/builtins/types.js'
import type { Value } from '../../../src/rego/value.js'

const ctx: BuiltinContext = { nowNs: 0n, cache: new Map(), random: () => 0.5 }
function call(name: string, ...args: Value[]): Value | undefined {
  const def = builtins.find((b) => b.name === name)
  if (!def) throw new Error(`no builtin ${name}`)
  return def.impl(args, ctx)
}

describe('encoding builtins', () => {
  test('base64 round trip and validity', () => {
    expect(call('base64.encode', 'hello?>')).toBe('aGVsbG8/Pg==')
    expect(call('base64.decode', 'aGVsbG8/Pg==')).toBe('hello?>')
    expect(call('base64.is_valid', 'aGVsbG8=')).toBe(true)
    expect(call('base64.is_valid', 'aGVsbG8')).toBe(false)
    expect(() => call('base64.decode', 'a$==')).toThrow(/illegal base64/)
  })
  test('base64url with and without padding', () => {
    expect(call('base64url.encode', 'hello?>')).toBe('aGVsbG8_Pg==')
    expect(call('base64url.encode_no_pad', 'hello?>')).toBe('aGVsbG8_Pg')
    expect(call('base64url.decode', 'aGVsbG8_Pg')).toBe('hello?>')
    expect(call('base64url.decode', 'aGVsbG8_Pg==')).toBe('hello?>')
  })
  test('json marshal sorts keys and escapes like Go; unmarshal and is_valid', () => {
    const v = call('json.unmarshal', '{"b":[1,2],"a":"<x>"}')
    expect(call('json.marshal', v as Value)).toBe('{"a":"\\u003cx\\u003e","b":[1,2]}')
    expect(call('json.is_valid', '{"a":')).toBe(false)
    expect(call('json.is_valid', '[true]')).toBe(true)
    expect(() => call('json.unmarshal', '{')).toThrow(/not valid JSON/)
  })
  test('hex', () => {
    expect(call('hex.encode', 'lorem')).toBe('6c6f72656d')
    expect(call('hex.decode', '6c6f72656d')).toBe('lorem')
    expect(() => call('hex.decode', 'abc')).toThrow(/invalid hex/)
    expect(() => call('hex.encode', 1)).toThrow(/operand 1 must be string/)
  })
})
