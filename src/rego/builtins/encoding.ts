/**
 * Encoding builtins: base64, base64url and hex (OPA 1.x names and errors).
 */
import { fromJSON, toJSON, type Value } from '../value.js'
import { str } from './args.js'
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

/** Go's encoding/json text: object keys sorted, `<`, `>` and `&` escaped as \u003c etc. */
export function goJSON(x: unknown): string {
  if (x === null || typeof x !== 'object') {
    return JSON.stringify(x).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  }
  if (Array.isArray(x)) return `[${x.map(goJSON).join(',')}]`
  const rec = x as Record<string, unknown>
  const keys = Object.keys(rec).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${keys.map((k) => `${goJSON(k)}:${goJSON(rec[k])}`).join(',')}}`
}

function unmarshal(s: string): Value {
  try {
    return fromJSON(JSON.parse(s))
  } catch (err) {
    throw new BuiltinError(`json.unmarshal: input is not valid JSON: ${(err as Error).message}`)
  }
}

export const builtins: BuiltinDef[] = [
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
  {
    name: 'hex.decode',
    args: ['string'],
    result: 'string',
    impl: (a) => {
      const s = str(a, 0)
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(s)) throw new BuiltinError(`invalid hex string ${JSON.stringify(s.slice(0, 40))}: expected pairs of hex digits`)
      return Buffer.from(s, 'hex').toString('utf8')
    },
  },
]
