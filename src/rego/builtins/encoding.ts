/**
 * Encoding builtins: base64, base64url and hex (OPA 1.x names and errors).
 */
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

export const builtins: BuiltinDef[] = [
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
