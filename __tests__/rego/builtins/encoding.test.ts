import { describe, expect, test } from '@jest/globals'
import { builtins } from '../../../src/rego/builtins/encoding.js'
import { caller } from './support.js'
import { RegoObject, RegoSet, toJSON, type Value } from '../../../src/rego/value.js'

const call = caller(builtins)

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
    expect(() => call('hex.decode', 'abc')).toThrow('encoding/hex: odd length hex string')
    expect(() => call('hex.decode', 'fghijkl')).toThrow("encoding/hex: invalid byte: U+0067 'g'")
    expect(() => call('hex.decode', 'abz')).toThrow("encoding/hex: invalid byte: U+007A 'z'")
    expect(() => call('hex.encode', 1)).toThrow(/operand 1 must be string/)
  })
  test('urlquery.encode/decode follow Go query escaping', () => {
    expect(call('urlquery.encode', 'a=b+1')).toBe('a%3Db%2B1')
    expect(call('urlquery.encode', 'a b~é/')).toBe('a+b~%C3%A9%2F')
    expect(call('urlquery.encode', '')).toBe('')
    expect(call('urlquery.decode', 'a%3Db%2B1')).toBe('a=b+1')
    expect(call('urlquery.decode', 'a+b%C3%A9x')).toBe('a béx')
    expect(() => call('urlquery.decode', 'a%zz')).toThrow('invalid URL escape "%zz"')
    expect(() => call('urlquery.decode', 'a%4')).toThrow('invalid URL escape "%4"')
  })
  test('urlquery.encode_object sorts keys and repeats array and set values', () => {
    expect(call('urlquery.encode_object', new RegoObject())).toBe('')
    expect(call('urlquery.encode_object', new RegoObject([['c', 'd'], ['a', 'b']]))).toBe('a=b&c=d')
    expect(call('urlquery.encode_object', new RegoObject([['a', 'c=b+1']]))).toBe('a=c%3Db%2B1')
    expect(call('urlquery.encode_object', new RegoObject([['a', ['b+1', 'c+2']]]))).toBe('a=b%2B1&a=c%2B2')
    expect(call('urlquery.encode_object', new RegoObject([['a', new RegoSet(['z', 'b+1'])]]))).toBe('a=b%2B1&a=z')
    expect(() => call('urlquery.encode_object', new RegoObject([['a', 1]]))).toThrow(/only string or array of strings/)
    expect(() => call('urlquery.encode_object', new RegoObject([['a', [1]]]))).toThrow(/only array of strings/)
  })
  test('urlquery.decode_object collects repeated keys; a bare key gets ""', () => {
    const decoded = (s: string): unknown => toJSON(call('urlquery.decode_object', s)!)
    expect(decoded('a=value_a1&b=value_b&a=value_a2')).toEqual({ a: ['value_a1', 'value_a2'], b: ['value_b'] })
    expect(decoded('a=value_a1&b')).toEqual({ a: ['value_a1'], b: [''] })
    expect(decoded('')).toEqual({})
    expect(decoded('a=1&&b=%20')).toEqual({ a: ['1'], b: [' '] })
    expect(() => decoded('a=1;b=2')).toThrow(/semicolon/)
    expect(() => decoded('a=%zz')).toThrow(/invalid URL escape/)
  })
  test('json.marshal_with_options: compact unless pretty, indent or prefix', () => {
    const opts = (o: Array<[string, Value]>): RegoObject => new RegoObject(o)
    const v = [1234567890, 2000000, 1000000000]
    expect(call('json.marshal_with_options', v, opts([]))).toBe('[1234567890,2000000,1000000000]')
    expect(call('json.marshal_with_options', v, opts([['pretty', true]]))).toBe('[\n\t1234567890,\n\t2000000,\n\t1000000000\n]')
    expect(call('json.marshal_with_options', v, opts([['indent', '  ']]))).toBe('[\n  1234567890,\n  2000000,\n  1000000000\n]')
    expect(call('json.marshal_with_options', v, opts([['pretty', false], ['prefix', 'NO!'], ['indent', 'BAD!']]))).toBe('[1234567890,2000000,1000000000]')
    expect(call('json.marshal_with_options', new RegoObject([['foo', 'bar'], ['bar', 'baz']]), opts([['prefix', 'J> ']]))).toBe(
      'J> {\nJ> \t"bar": "baz",\nJ> \t"foo": "bar"\nJ> }'
    )
    expect(call('json.marshal_with_options', [], opts([['indent', '    '], ['prefix', '---']]))).toBe('---[]')
    expect(call('json.marshal_with_options', [[[]]], opts([['indent', ' ']]))).toBe('[\n [\n  []\n ]\n]')
    expect(() => call('json.marshal_with_options', [], opts([['include_winning_lottery_numbers', true]]))).toThrow(
      'object contained unknown key "include_winning_lottery_numbers"'
    )
    expect(() => call('json.marshal_with_options', [], opts([['indent', 2]]))).toThrow(/indent must be string/)
  })
  test('yaml.unmarshal reads YAML 1.1 like go-yaml v2', () => {
    const y = (s: string): unknown => toJSON(call('yaml.unmarshal', s)!)
    expect(y('a: 1\nb: [x, "y"]\nc: yes\nd: 2001-12-14\ne: ~\n')).toEqual({ a: 1, b: ['x', 'y'], c: true, d: '2001-12-14', e: null })
    expect(y('base: &b {x: 1}\nderived:\n  <<: *b\n  z: 2\n')).toEqual({ base: { x: 1 }, derived: { x: 1, z: 2 } })
    expect(y('')).toBeNull()
    expect(y('---\nfirst: 1\n---\nsecond: 2\n')).toEqual({ first: 1 })
    expect(() => call('yaml.unmarshal', '[1,2,3')).toThrow(/^yaml: line 1: did not find expected ',' or '\]'/)
    expect(() => call('yaml.unmarshal', 'a: .inf')).toThrow(/cannot be represented in JSON/)
    expect(call('yaml.is_valid', 'a: [1')).toBe(false)
    expect(call('yaml.is_valid', 'a: 1')).toBe(true)
    expect(call('yaml.is_valid', 5)).toBe(false)
  })
  test('yaml.marshal sorts keys, does not indent sequences and quotes ambiguous strings', () => {
    const doc = new RegoObject([
      ['b', [1, new RegoObject([['x', 'yes']])]],
      ['a', '123'],
      ['c', null],
    ])
    expect(call('yaml.marshal', doc)).toBe("a: '123'\nb:\n- 1\n- x: 'yes'\nc: null\n")
    expect(toJSON(call('yaml.unmarshal', call('yaml.marshal', doc) as string)!)).toEqual(toJSON(doc))
    const nums = new RegoObject([['a', 1.5], ['b', 1234567.5], ['c', 1e21], ['d', 0.00001], ['e', 7]])
    expect(call('yaml.marshal', nums)).toBe('a: 1.5\nb: 1.2345675e+06\nc: 1e+21\nd: 1e-05\ne: 7\n')
  })
  test('json.verify_schema reports gojsonschema messages', () => {
    const schema = new RegoObject([['type', 'boolean']])
    expect(call('json.verify_schema', schema)).toEqual([true, null])
    expect(call('json.verify_schema', '{"type": "boolean"}')).toEqual([true, null])
    const bad = '{"type": "unknown_type"}'
    expect(call('json.verify_schema', bad)).toEqual([
      false,
      'jsonschema: has a primitive type that is NOT VALID -- given: /unknown_type/ Expected valid values are:[array boolean integer number null object string]',
    ])
    const nested = call('json.verify_schema', '{"properties": {"a": {"type": ["string", "text"]}}}') as Value[]
    expect(nested[0]).toBe(false)
    expect(nested[1]).toMatch(/given: \/text\//)
    const other = call('json.verify_schema', '{"minLength": "x"}') as Value[]
    expect(other[0]).toBe(false)
    expect(other[1]).toMatch(/^jsonschema: /)
    expect(call('json.verify_schema', 'not json')).toEqual([false, expect.stringMatching(/^jsonschema: invalid JSON string/)])
    expect(call('json.verify_schema', 5)).toEqual([false, 'jsonschema: wrong type, expected string or object but got number'])
  })
  test('json.match_schema returns OPA-shaped errors', () => {
    const schema = '{"properties": {"id": {"type": "integer"}, "tags": {"type": "array", "maxItems": 1}}, "required": ["id"], "additionalProperties": false}'
    expect(call('json.match_schema', new RegoObject([['id', 5]]), schema)).toEqual([true, []])
    expect(call('json.match_schema', '{"id": 5}', schema)).toEqual([true, []])
    const result = call('json.match_schema', new RegoObject([['id', 'foo']]), schema) as Value[]
    expect(result[0]).toBe(false)
    expect(toJSON(result[1]!)).toEqual([
      { desc: 'Invalid type. Expected: integer, given: string', error: 'id: Invalid type. Expected: integer, given: string', field: 'id', type: 'invalid_type' },
    ])
    const many = toJSON((call('json.match_schema', new RegoObject([['x', 1], ['tags', [1, 2]]]), schema) as Value[])[1]!) as Array<Record<string, string>>
    expect(many.map((e) => e.error).sort()).toEqual([
      '(root): Additional property x is not allowed',
      '(root): id is required',
      'tags: Array must have at most 1 items',
    ])
    expect(() => call('json.match_schema', '{', schema)).toThrow(/invalid JSON string/)
    expect(() => call('json.match_schema', [1], schema)).toThrow('wrong type, expected string or object')
    expect(() => call('json.match_schema', new RegoObject(), '{"type": "unknown"}')).toThrow(
      'has a primitive type that is NOT VALID -- given: /unknown/ Expected valid values are:[array boolean integer number null object string]'
    )
  })
})
