/**
 * Encoding builtins: base64, base64url, hex, JSON (with options), YAML, URL query strings,
 * and JSON Schema (OPA 1.x names, results shaped as OPA returns them).
 */
import { RegoObject, fromJSON, keyOf, toJSON, typeName, type Value } from '../value.js'
import { obj, str } from './args.js'
import { goJSON, goJSONIndent } from './json-text.js'
import { matchSchema, verifySchema } from './json-schema.js'
import { urlDecode, urlDecodeObject, urlEncode, urlEncodeObject } from './urlquery.js'
import { yamlIsValid, yamlMarshal, yamlUnmarshal } from './yaml.js'
import { BuiltinError, type BuiltinDef } from './types.js'

const STD = /^[A-Za-z0-9+/]*={0,2}$/
const URL = /^[A-Za-z0-9_-]*={0,2}$/

function utf8(s: string): Buffer {
  return Buffer.from(s, 'utf8')
}

/** Strict standard base64: length a multiple of 4 and only the standard alphabet. */
function decodeStd(s: string): string {
  if (s.length % 4 !== 0 || !STD.test(s)) throw new BuiltinError('illegal base64 data: input is not valid standard base64; check the padding and alphabet')
  return Buffer.from(s, 'base64').toString('utf8')
}

function unmarshal(s: string): Value {
  try {
    return fromJSON(JSON.parse(s))
  } catch (err) {
    throw new BuiltinError(`input is not valid JSON: ${(err as Error).message}`)
  }
}

/** json.marshal_with_options: `pretty`, `indent` and `prefix`; indent or prefix imply pretty. */
function marshalWithOptions(x: Value, options: RegoObject): string {
  let prefix = ''
  let indent = '\t'
  let implicit = false
  let explicit: boolean | undefined
  for (const [k, v] of options.entries()) {
    if (k === 'prefix' || k === 'indent') {
      if (typeof v !== 'string') throw new BuiltinError(`operand 2 ${k} must be string but got ${typeName(v)}`, 'eval_type_error')
      if (k === 'prefix') prefix = v
      else indent = v
      implicit = true
    } else if (k === 'pretty') {
      if (typeof v !== 'boolean') throw new BuiltinError(`operand 2 pretty must be boolean but got ${typeName(v)}`, 'eval_type_error')
      explicit = v
    } else {
      throw new BuiltinError(`object contained unknown key ${typeof k === 'string' ? JSON.stringify(k) : keyOf(k)}; allowed keys are "pretty", "indent" and "prefix"`, 'eval_type_error')
    }
  }
  const pretty = explicit ?? implicit
  return pretty ? goJSONIndent(toJSON(x), prefix, indent) : goJSON(toJSON(x))
}

export const builtins: BuiltinDef[] = [
  {
    name: 'json.marshal_with_options',
    args: ['any', 'object[string:any]'],
    result: 'string',
    impl: (a) => marshalWithOptions(a[0]!, obj(a, 1)),
  },
  { name: 'yaml.marshal', args: ['any'], result: 'string', impl: (a) => yamlMarshal(a[0]!) },
  { name: 'yaml.unmarshal', args: ['string'], result: 'any', impl: (a) => yamlUnmarshal(str(a, 0)) },
  { name: 'yaml.is_valid', args: ['any'], result: 'boolean', impl: (a) => typeof a[0] === 'string' && yamlIsValid(a[0]) },
  { name: 'urlquery.encode', args: ['string'], result: 'string', impl: (a) => urlEncode(str(a, 0)) },
  { name: 'urlquery.decode', args: ['string'], result: 'string', impl: (a) => urlDecode(str(a, 0)) },
  { name: 'urlquery.encode_object', args: ['object[string:any]'], result: 'string', impl: (a) => urlEncodeObject(obj(a, 0)) },
  { name: 'urlquery.decode_object', args: ['string'], result: 'object[string:array[string]]', impl: (a) => urlDecodeObject(str(a, 0)) },
  {
    name: 'json.verify_schema',
    args: ['string|object[any:any]'],
    result: 'array[any]',
    impl: (a) => verify(a[0]!),
  },
  {
    name: 'json.match_schema',
    args: ['string|object[any:any]', 'string|object[any:any]'],
    result: 'array[any]',
    impl: (a) => matchSchema(jsonOperand(a[0]!), jsonOperand(a[1]!)),
  },
  { name: 'json.marshal', args: ['any'], result: 'string', impl: (a) => goJSON(toJSON(a[0])) },
  { name: 'json.unmarshal', args: ['string'], result: 'any', impl: (a) => unmarshal(str(a, 0)) },
  {
    name: 'json.is_valid',
    args: ['string'],
    result: 'boolean',
    impl: (a) => {
      try {
        JSON.parse(str(a, 0))
        return true
      } catch {
        return false
      }
    },
  },
  { name: 'base64.encode', args: ['string'], result: 'string', impl: (a) => utf8(str(a, 0)).toString('base64') },
  { name: 'base64.decode', args: ['string'], result: 'string', impl: (a) => decodeStd(str(a, 0)) },
  {
    name: 'base64.is_valid',
    args: ['string'],
    result: 'boolean',
    impl: (a) => {
      const s = str(a, 0)
      return s.length % 4 === 0 && STD.test(s)
    },
  },
  {
    name: 'base64url.encode',
    args: ['string'],
    result: 'string',
    impl: (a) => utf8(str(a, 0)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_'),
  },
  { name: 'base64url.encode_no_pad', args: ['string'], result: 'string', impl: (a) => utf8(str(a, 0)).toString('base64url') },
  {
    name: 'base64url.decode',
    args: ['string'],
    result: 'string',
    impl: (a) => {
      const s = str(a, 0)
      if (!URL.test(s) || s.length % 4 === 1) throw new BuiltinError('illegal base64 data: input is not valid base64url')
      return Buffer.from(s, 'base64url').toString('utf8')
    },
  },
  { name: 'hex.encode', args: ['string'], result: 'string', impl: (a) => utf8(str(a, 0)).toString('hex') },
  { name: 'hex.decode', args: ['string'], result: 'string', impl: (a) => hexDecode(str(a, 0)) },
]

/** Go's hex.DecodeString, with its errors: the first invalid byte, else an odd length. */
function hexDecode(s: string): string {
  const bytes = Buffer.from(s, 'utf8')
  const bad = (b: number): BuiltinError => {
    const ch = String.fromCodePoint(b)
    const shown = b >= 0x20 && b !== 0x7f && !(b >= 0x80 && b < 0xa0) ? ` '${ch}'` : ''
    return new BuiltinError(`encoding/hex: invalid byte: U+${b.toString(16).toUpperCase().padStart(4, '0')}${shown}`)
  }
  const isHex = (b: number): boolean => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
  let j = 1
  for (; j < bytes.length; j += 2) {
    if (!isHex(bytes[j - 1]!)) throw bad(bytes[j - 1]!)
    if (!isHex(bytes[j]!)) throw bad(bytes[j]!)
  }
  if (bytes.length % 2 === 1) {
    if (!isHex(bytes[j - 1]!)) throw bad(bytes[j - 1]!)
    throw new BuiltinError('encoding/hex: odd length hex string')
  }
  return Buffer.from(s, 'hex').toString('utf8')
}

/** A schema or document given as JSON text or as an object, as OPA accepts them. */
function jsonOperand(v: Value): Value {
  if (typeof v === 'string') {
    try {
      return fromJSON(JSON.parse(v))
    } catch (err) {
      throw new BuiltinError(`invalid JSON string: ${(err as Error).message}`)
    }
  }
  if (v instanceof RegoObject) return v
  throw new BuiltinError(`wrong type, expected string or object but got ${typeName(v)}`)
}

/** json.verify_schema never fails: every problem becomes `[false, "jsonschema: …"]`. */
function verify(v: Value): Value {
  try {
    return verifySchema(jsonOperand(v))
  } catch (err) {
    return [false, `jsonschema: ${(err as Error).message}`]
  }
}
