/**
 * io.jwt.* builtins: decoding, signature verification (HMAC, RSA PKCS#1 v1.5 and PSS, ECDSA,
 * Ed25519) against PEM certificates, PEM public keys and JWK(S), full `decode_verify` with
 * OPA's constraint semantics, and signing from JWKs. Messages follow OPA's.
 */
import {
  X509Certificate,
  constants,
  createHmac,
  createPrivateKey,
  createPublicKey,
  sign as cryptoSign,
  timingSafeEqual,
  verify as cryptoVerify,
  type KeyObject,
} from 'node:crypto'
import { RegoObject, fromJSON, toJSON, typeName, type Value } from '../value.js'
import { obj, str } from './args.js'
import { BuiltinError, type BuiltinContext, type BuiltinDef } from './types.js'
import { pemDecode } from './pem.js'
import { goJSON } from './json-text.js'

// ---- encoding helpers ----

const B64URL = /^[A-Za-z0-9_-]$/

/**
 * OPA's base64url decoding: padding is optional (RFC 7515 appendix C) and errors name the
 * offending byte the way Go's decoder does.
 */
export function base64UrlDecode(input: string): Buffer {
  let s = input
  if (!s.endsWith('=')) {
    switch (s.length % 4) {
      case 2:
        s += '=='
        break
      case 3:
        s += '='
        break
      case 1:
        throw new BuiltinError(`illegal base64url string: ${input}`)
    }
  }
  const body = s.replace(/=+$/, '')
  for (let i = 0; i < body.length; i++) {
    if (!B64URL.test(body[i])) throw new BuiltinError(`illegal base64 data at input byte ${i}`)
  }
  if (s.length % 4 !== 0 || s.length - body.length > 2) throw new BuiltinError(`illegal base64 data at input byte ${body.length}`)
  return Buffer.from(body, 'base64url')
}

function b64url(b: Buffer | string): string {
  return (typeof b === 'string' ? Buffer.from(b, 'utf8') : b).toString('base64url')
}

function jsonObject(text: string): RegoObject {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    throw new BuiltinError(`invalid JSON: ${(e as Error).message}`)
  }
  const v = fromJSON(parsed)
  if (!(v instanceof RegoObject)) throw new BuiltinError('decoded JSON type was not an Object')
  return v
}

// ---- the token ----

interface Token {
  header: string
  payload: string
  signature: string
}

function splitToken(v: Value): Token {
  if (typeof v !== 'string') throw new BuiltinError(`operand 1 must be string but got ${typeName(v)}`, 'eval_type_error')
  if (!v.includes('.')) throw new BuiltinError('encoded JWT had no period separators')
  const parts = v.split('.')
  if (parts.length !== 3) throw new BuiltinError(`encoded JWT must have 3 sections, found ${parts.length}`)
  return { header: parts[0], payload: parts[1], signature: parts[2] }
}

function wrap<T>(prefix: string, fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    if (e instanceof BuiltinError) throw new BuiltinError(`${prefix}: ${e.message}`)
    throw e
  }
}

function decodeHeader(t: Token): RegoObject {
  const text = wrap('JWT header had invalid encoding', () => base64UrlDecode(t.header)).toString('utf8')
  const header = wrap('bad JWT header', () => jsonObject(text))
  if (header.has('enc')) throw new BuiltinError('JWT is a JWE object, which is not supported')
  return header
}

function decodePayloadText(t: Token): string {
  return wrap('JWT payload had invalid encoding', () => base64UrlDecode(t.payload)).toString('utf8')
}

function decodeSignature(t: Token): Buffer {
  return base64UrlDecode(t.signature)
}

interface Header {
  alg: string
  kid: string
  cty: string
  crit: Set<string>
  unknown: string[]
}

function parseHeader(h: RegoObject): Header {
  const out: Header = { alg: '', kid: '', cty: '', crit: new Set(), unknown: [] }
  for (const [k, v] of h.entries()) {
    const key = k as string
    switch (key) {
      case 'alg':
      case 'kid':
      case 'typ':
      case 'cty':
        if (typeof v !== 'string') throw new BuiltinError(`${key}: must be a string`)
        if (key !== 'typ') out[key] = v
        break
      case 'crit': {
        if (!Array.isArray(v)) throw new BuiltinError('crit: must be a list')
        for (const e of v) if (typeof e === 'string') out.crit.add(e)
        if (out.crit.size === 0) throw new BuiltinError('crit: must be a nonempty list')
        break
      }
      default:
        out.unknown.push(key)
    }
  }
  return out
}

function headerValid(h: Header): boolean {
  if (h.alg === '') return false
  return !h.unknown.some((u) => h.crit.has(u))
}

// ---- keys ----

const ALGORITHMS = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'HS256', 'HS384', 'HS512', 'EdDSA'])

interface VerificationKey {
  key: KeyObject | Buffer
  alg: string
  kid: string
}

function jwkToKey(jwk: Record<string, unknown>): KeyObject | Buffer {
  if (jwk.kty === 'oct') {
    if (typeof jwk.k !== 'string') throw new Error('oct key requires "k"')
    return Buffer.from(jwk.k, 'base64url')
  }
  if (jwk.kty !== 'RSA' && jwk.kty !== 'EC' && jwk.kty !== 'OKP') throw new Error(`unsupported key type ${JSON.stringify(jwk.kty)}`)
  return createPublicKey({ key: jwk as never, format: 'jwk' })
}

function parseJWKs(text: string): Array<Record<string, unknown>> {
  const parsed = JSON.parse(text) as unknown
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('JWK must be a JSON object')
  const rec = parsed as Record<string, unknown>
  if (Array.isArray(rec.keys)) return rec.keys as Array<Record<string, unknown>>
  return [rec]
}

/** Verification keys from a PEM certificate, a PEM public key, a JWK or a JWK set. */
function keysFromCertOrJWK(text: string): VerificationKey[] {
  const block = pemDecode(text)
  if (block) {
    if (block.rest.length > 0) throw new BuiltinError('extra data after a PEM certificate block')
    if (block.type === 'CERTIFICATE') {
      try {
        return [{ key: new X509Certificate(block.der).publicKey, alg: '', kid: '' }]
      } catch (e) {
        throw new BuiltinError(`failed to parse a PEM certificate: ${(e as Error).message}`)
      }
    }
    if (block.type === 'PUBLIC KEY') {
      try {
        return [{ key: createPublicKey({ key: block.der, format: 'der', type: 'spki' }), alg: '', kid: '' }]
      } catch (e) {
        throw new BuiltinError(`failed to parse a PEM public key: ${(e as Error).message}`)
      }
    }
    throw new BuiltinError('failed to extract a Key from the PEM certificate')
  }
  let jwks: Array<Record<string, unknown>>
  const keys: VerificationKey[] = []
  try {
    jwks = parseJWKs(text)
    for (const k of jwks) {
      const alg = typeof k.alg === 'string' ? k.alg : ''
      if (alg !== '' && !ALGORITHMS.has(alg)) continue // keys for algorithms we do not know are skipped
      keys.push({ key: jwkToKey(k), alg, kid: typeof k.kid === 'string' ? k.kid : '' })
    }
  } catch (e) {
    throw new BuiltinError(`failed to parse a JWK key (set): ${(e as Error).message}`)
  }
  return keys
}

// ---- signatures ----

const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' }

function isKeyObject(k: KeyObject | Buffer): k is KeyObject {
  return !Buffer.isBuffer(k)
}

/** Verifies `data` under `alg` with `key`; false for a wrong key type or a bad signature. */
function verifyAlg(alg: string, key: KeyObject | Buffer, data: Buffer, sig: Buffer): boolean {
  const family = alg.slice(0, 2)
  const hash = HASH[alg.slice(2)]
  try {
    if (family === 'HS' && hash) {
      if (isKeyObject(key)) return false
      const mac = createHmac(hash, key).update(data).digest()
      return mac.length === sig.length && timingSafeEqual(mac, sig)
    }
    if (!isKeyObject(key)) return false
    if (alg === 'EdDSA') return key.asymmetricKeyType === 'ed25519' && cryptoVerify(null, data, key, sig)
    if (!hash) return false
    if (family === 'RS' && key.asymmetricKeyType === 'rsa') {
      return cryptoVerify(hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, sig)
    }
    if (family === 'PS' && (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss')) {
      return cryptoVerify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, sig)
    }
    if (family === 'ES' && key.asymmetricKeyType === 'ec') {
      return cryptoVerify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, sig)
    }
    return false
  } catch {
    return false
  }
}

function signAlg(alg: string, jwk: Record<string, unknown>, data: Buffer): Buffer {
  const family = alg.slice(0, 2)
  const hash = HASH[alg.slice(2)]
  const fail = (why: string): never => {
    throw new BuiltinError(`failed to sign payload with algorithm ${alg}: ${why}`)
  }
  if (family === 'HS' && hash) {
    if (jwk.kty !== 'oct' || typeof jwk.k !== 'string') fail('an HMAC algorithm needs a symmetric ("oct") key')
    return createHmac(hash, Buffer.from(jwk.k as string, 'base64url')).update(data).digest()
  }
  let key: KeyObject
  try {
    key = createPrivateKey({ key: jwk as never, format: 'jwk' })
  } catch (e) {
    return fail(`the JWK is not a usable private key (${(e as Error).message})`)
  }
  if (alg === 'EdDSA') {
    if (key.asymmetricKeyType !== 'ed25519') fail('EdDSA needs an Ed25519 ("OKP") key')
    return cryptoSign(null, data, key)
  }
  if (family === 'RS' && key.asymmetricKeyType === 'rsa') return cryptoSign(hash, data, { key, padding: constants.RSA_PKCS1_PADDING })
  if (family === 'PS' && key.asymmetricKeyType === 'rsa') {
    return cryptoSign(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST })
  }
  if (family === 'ES' && key.asymmetricKeyType === 'ec') return cryptoSign(hash, data, { key, dsaEncoding: 'ieee-p1363' })
  return fail(`key type ${key.asymmetricKeyType ?? 'unknown'} does not match the algorithm`)
}

// ---- verify_* builtins ----

/** The algorithm family a verify_* builtin checks, whatever the token's header says. */
function verifyWithKeys(args: Value[], alg: string): boolean {
  const token = splitToken(args[0])
  const keys = keysFromCertOrJWK(str(args, 1))
  const sig = decodeSignature(token)
  const header = parseHeader(decodeHeader(token))
  const data = Buffer.from(`${token.header}.${token.payload}`, 'utf8')
  if (header.kid !== '') {
    const k = keys.find((x) => x.kid === header.kid)
    if (k) return verifyAlg(alg, k.key, data, sig)
  }
  for (const k of keys) {
    if (k.alg !== '' && k.alg !== header.alg) continue
    if (verifyAlg(alg, k.key, data, sig)) return true
  }
  return false
}

function verifyHMAC(args: Value[], hash: string): boolean {
  const jwt = str(args, 0)
  const secret = str(args, 1)
  const token = splitToken(jwt)
  const mac = createHmac(hash, Buffer.from(secret, 'utf8')).update(`${token.header}.${token.payload}`).digest()
  const sig = decodeSignature(token)
  return mac.length === sig.length && timingSafeEqual(mac, sig)
}

// ---- decode_verify ----

interface Constraints {
  secret: string
  alg: string
  iss: string
  aud: string
  keys: VerificationKey[] | undefined
  time: number
}

function timeFrom(v: Value): number {
  if (typeof v !== 'number') throw new BuiltinError('token time constraint: must be a number')
  if (v < 0) throw new BuiltinError('token time constraint: must not be negative')
  return v
}

function parseConstraints(o: RegoObject, ctx: BuiltinContext): Constraints {
  const c: Constraints = { secret: '', alg: '', iss: '', aud: '', keys: undefined, time: -1 }
  for (const [k, v] of o.entries()) {
    const name = typeof k === 'string' ? k : JSON.stringify(toJSON(k))
    switch (name) {
      case 'cert':
        if (typeof v !== 'string') throw new BuiltinError('cert constraint: must be a string')
        c.keys = keysFromCertOrJWK(v)
        break
      case 'secret':
      case 'alg':
      case 'iss':
      case 'aud':
        if (typeof v !== 'string') throw new BuiltinError(`${name} constraint: must be a string`)
        c[name] = v
        break
      case 'time':
        c.time = timeFrom(v)
        break
      default:
        throw new BuiltinError(`unknown token validation constraint: ${name}`)
    }
  }
  if (c.time === -1) c.time = Number(ctx.nowNs)
  const n = (c.keys !== undefined ? 1 : 0) + (c.secret !== '' ? 1 : 0)
  if (n > 1) throw new BuiltinError('duplicate key constraints')
  if (n < 1) throw new BuiltinError('no key constraint')
  return c
}

function constraintsVerify(c: Constraints, h: Header, token: Token, sig: Buffer): boolean {
  const data = Buffer.from(`${token.header}.${token.payload}`, 'utf8')
  if (c.keys !== undefined) {
    if (h.kid !== '') {
      const k = c.keys.find((x) => x.kid === h.kid)
      if (k) return verifyAlg(h.alg, k.key, data, sig)
    }
    return c.keys.some((k) => (k.alg === '' || k.alg === h.alg) && verifyAlg(h.alg, k.key, data, sig))
  }
  return verifyAlg(h.alg, Buffer.from(c.secret, 'utf8'), data, sig)
}

function validAudience(c: Constraints, aud: Value): boolean {
  if (typeof aud === 'string') return aud === c.aud
  if (!Array.isArray(aud)) return false
  return aud.some((e) => typeof e === 'string' && e === c.aud)
}

function decodeVerify(args: Value[], ctx: BuiltinContext): Value {
  const unverified = [false, new RegoObject(), new RegoObject()]
  const c = parseConstraints(obj(args, 1), ctx)
  let current: Value = args[0]
  let header: RegoObject
  let payloadText: string
  for (;;) {
    const token = splitToken(current)
    header = decodeHeader(token)
    const h = parseHeader(header)
    if (!headerValid(h)) return unverified
    if (c.alg !== '' && c.alg !== h.alg) return unverified
    const sig = decodeSignature(token)
    if (!constraintsVerify(c, h, token, sig)) return unverified
    payloadText = decodePayloadText(token)
    if (h.cty.toLowerCase() === 'jwt') {
      current = payloadText // a nested token: verify the inner one with the same constraints
      continue
    }
    break
  }
  const payload = jsonObject(payloadText)
  if (c.iss !== '') {
    const iss = payload.get('iss')
    if (iss === undefined || iss !== c.iss) return unverified
  }
  const aud = payload.get('aud')
  if (aud !== undefined) {
    if (!validAudience(c, aud)) return unverified
  } else if (c.aud !== '') {
    return unverified
  }
  const seconds = c.time / 1e9
  const exp = payload.get('exp')
  if (exp !== undefined) {
    if (typeof exp !== 'number') throw new BuiltinError('exp value must be a number')
    if (!(seconds < exp)) return unverified
  }
  const nbf = payload.get('nbf')
  if (nbf !== undefined) {
    if (typeof nbf !== 'number') throw new BuiltinError('nbf value must be a number')
    if (seconds < nbf) return unverified
  }
  return [true, header, payload]
}

// ---- decode ----

function decode(v: Value): Value {
  const token = splitToken(v)
  const header = decodeHeader(token)
  let payloadText = decodePayloadText(token)
  const cty = header.get('cty')
  if (cty === 'JWT') {
    // A nested token, quoted the way jwt.io does it.
    payloadText = payloadText.replace(/^["']+/, '').replace(/["']+$/, '')
    return decode(payloadText)
  }
  const payload = jsonObject(payloadText)
  const sig = wrap('JWT signature had invalid encoding', () => base64UrlDecode(token.signature))
  return [header, payload, sig.toString('hex')]
}

// ---- encode_sign ----

/** The value at `"alg"` as jwx's header parser reports it (messages kept for parity). */
function headerAlg(headerText: string): string {
  const trimmed = headerText.trim()
  const fail = (why: string): never => {
    throw new BuiltinError(`missing or invalid 'alg' header: ${why}`)
  }
  if (trimmed === '') fail('cannot parse JSON: cannot parse empty string')
  if (!trimmed.startsWith('{')) fail('jwsbb: header "alg" not found')
  let parsed: unknown
  try {
    parsed = JSON.parse(trimmed)
  } catch {
    return fail('cannot parse JSON')
  }
  const alg = (parsed as Record<string, unknown>).alg
  if (alg === undefined) fail('jwsbb: header "alg" not found')
  if (typeof alg !== 'string') fail('jwsbb: header "alg" is not a string')
  return alg as string
}

function headerTyp(headerText: string): string | undefined {
  try {
    const typ = (JSON.parse(headerText) as Record<string, unknown>).typ
    return typeof typ === 'string' ? typ : undefined
  } catch {
    return undefined
  }
}

function isJSON(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

function encodeSign(headerText: string, payloadText: string, jwkText: string): string {
  let jwks: Array<Record<string, unknown>>
  try {
    jwks = parseJWKs(jwkText)
  } catch (e) {
    throw new BuiltinError(`failed to parse JWK: ${(e as Error).message}`)
  }
  if (jwks.length === 0) throw new BuiltinError('no keys found in JWK set')
  const alg = headerAlg(headerText)
  if (!ALGORITHMS.has(alg)) throw new BuiltinError(`unknown JWS algorithm: ${alg}`)
  const typ = headerTyp(headerText)
  if ((typ === undefined || typ === 'JWT') && !isJSON(payloadText)) throw new BuiltinError('type is JWT but payload is not JSON')
  const signingInput = `${b64url(headerText)}.${b64url(payloadText)}`
  const sig = signAlg(alg, jwks[0], Buffer.from(signingInput, 'utf8'))
  return `${signingInput}.${b64url(sig)}`
}

// ---- registry ----

function verifier(name: string, alg: string): BuiltinDef {
  return { name, args: ['string', 'string'], result: 'boolean', impl: (args) => verifyWithKeys(args, alg) }
}

function hmacVerifier(name: string, hash: string): BuiltinDef {
  return { name, args: ['string', 'string'], result: 'boolean', impl: (args) => verifyHMAC(args, hash) }
}

export const builtins: BuiltinDef[] = [
  { name: 'io.jwt.decode', args: ['string'], result: 'array[any]', impl: (args) => decode(args[0]) },
  { name: 'io.jwt.decode_verify', args: ['string', 'object[string:any]'], result: 'array[any]', impl: (args, ctx) => decodeVerify(args, ctx) },
  hmacVerifier('io.jwt.verify_hs256', 'sha256'),
  hmacVerifier('io.jwt.verify_hs384', 'sha384'),
  hmacVerifier('io.jwt.verify_hs512', 'sha512'),
  verifier('io.jwt.verify_rs256', 'RS256'),
  verifier('io.jwt.verify_rs384', 'RS384'),
  verifier('io.jwt.verify_rs512', 'RS512'),
  verifier('io.jwt.verify_ps256', 'PS256'),
  verifier('io.jwt.verify_ps384', 'PS384'),
  verifier('io.jwt.verify_ps512', 'PS512'),
  verifier('io.jwt.verify_es256', 'ES256'),
  verifier('io.jwt.verify_es384', 'ES384'),
  verifier('io.jwt.verify_es512', 'ES512'),
  verifier('io.jwt.verify_eddsa', 'EdDSA'),
  {
    name: 'io.jwt.encode_sign',
    args: ['object[string:any]', 'object[string:any]', 'object[string:any]'],
    result: 'string',
    impl: (args) => {
      const [h, p, k] = [obj(args, 0), obj(args, 1), obj(args, 2)].map((o) => goJSON(toJSON(o)))
      return encodeSign(h, p, k)
    },
    nondeterministic: true,
  },
  {
    name: 'io.jwt.encode_sign_raw',
    args: ['string', 'string', 'string'],
    result: 'string',
    impl: (args) => {
      const jwk = str(args, 2)
      return encodeSign(str(args, 0), str(args, 1), jwk)
    },
    nondeterministic: true,
  },
]
