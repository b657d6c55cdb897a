import { describe, expect, test } from '@jest/globals'
import { generateKeyPairSync } from 'node:crypto'
import { builtins } from '../../../src/rego/builtins/tokens.js'
import { caller, context } from './support.js'
import { fromJSON, toJSON, type Value } from '../../../src/rego/value.js'

// 2020-01-01T00:00:00Z
const call = caller(builtins, context(1577836800n * 1000000000n))
const json = (v: Value | undefined): any => (v === undefined ? undefined : toJSON(v)) // eslint-disable-line @typescript-eslint/no-explicit-any
const o = (x: unknown): Value => fromJSON(x)

// RFC 7515 appendix A.1's HS256 key, used by OPA's own cases.
const hsKey = { kty: 'oct', k: 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow' }

describe('io.jwt.decode', () => {
  test('splits, decodes and hex-encodes the signature', () => {
    const t = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJuZXciOiJJIGFtIGEgdXNlciBjcmVhdGVkIGZpZWxkIiwiaXNzIjoib3BhIn0.6UmjsclVDGD9jcmX_F8RJzVgHtUZuLu2pxkF_UEQCrE'
    expect(json(call('io.jwt.decode', t))).toEqual([
      { alg: 'HS256', typ: 'JWT' },
      { iss: 'opa', new: 'I am a user created field' },
      'e949a3b1c9550c60fd8dc997fc5f112735601ed519b8bbb6a71905fd41100ab1',
    ])
  })
  test('errors name the broken part', () => {
    expect(() => call('io.jwt.decode', 'abc')).toThrow('encoded JWT had no period separators')
    expect(() => call('io.jwt.decode', 'a.b')).toThrow('encoded JWT must have 3 sections, found 2')
    expect(() => call('io.jwt.decode', 'eyJhbGciOiJIU^%zI1NiI+sInR5cCI6IkpXVCJ9.e30.')).toThrow('JWT header had invalid encoding: illegal base64 data at input byte 13')
    const jwe = Buffer.from('{"alg":"HS256","enc":"x"}').toString('base64url')
    expect(() => call('io.jwt.decode', `${jwe}.e30.`)).toThrow('JWT is a JWE object, which is not supported')
  })
})

describe('signing and verifying', () => {
  test('HS256: encode_sign matches RFC 7515 and verifies', () => {
    const token = call('io.jwt.encode_sign_raw', '{"typ":"JWT",\r\n "alg":"HS256"}', '{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}', JSON.stringify(hsKey))
    expect(token).toBe(
      'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'
    )
    const t2 = call('io.jwt.encode_sign_raw', '{"alg":"HS256"}', '{}', JSON.stringify({ kty: 'oct', k: Buffer.from('s3cret').toString('base64url') })) as string
    expect(call('io.jwt.verify_hs256', t2, 's3cret')).toBe(true)
    expect(call('io.jwt.verify_hs256', t2, 'wrong')).toBe(false)
    expect(call('io.jwt.verify_hs384', t2, 's3cret')).toBe(false)
  })
  test('encode_sign marshals like Go (sorted keys) and checks the header', () => {
    const t = call('io.jwt.encode_sign', o({ typ: 'JWT', alg: 'HS256' }), o({ b: 1, a: '<' }), o(hsKey)) as string
    expect(Buffer.from(t.split('.')[0], 'base64url').toString()).toBe('{"alg":"HS256","typ":"JWT"}')
    expect(Buffer.from(t.split('.')[1], 'base64url').toString()).toBe('{"a":"\\u003c","b":1}')
    expect(() => call('io.jwt.encode_sign_raw', '{"alg":"dummy"}', '{}', JSON.stringify(hsKey))).toThrow('unknown JWS algorithm: dummy')
    expect(() => call('io.jwt.encode_sign_raw', '{}', '{}', JSON.stringify(hsKey))).toThrow(`missing or invalid 'alg' header: jwsbb: header "alg" not found`)
    expect(() => call('io.jwt.encode_sign_raw', '{"alg":"HS256"}', 'e', JSON.stringify(hsKey))).toThrow('type is JWT but payload is not JSON')
  })
  test.each([
    ['RS256', 'rsa', 'io.jwt.verify_rs256'],
    ['PS384', 'rsa', 'io.jwt.verify_ps384'],
    ['ES256', 'ec', 'io.jwt.verify_es256'],
    ['ES512', 'ec', 'io.jwt.verify_es512'],
    ['EdDSA', 'ed25519', 'io.jwt.verify_eddsa'],
  ] as const)('%s round trip with JWK, PEM public key and JWKS', (alg, type, verify) => {
    const opts = type === 'rsa' ? { modulusLength: 2048 } : type === 'ec' ? { namedCurve: alg === 'ES512' ? 'P-521' : 'P-256' } : {}
    const { privateKey, publicKey } = generateKeyPairSync(type as 'rsa', opts as { modulusLength: number })
    const jwk = privateKey.export({ format: 'jwk' })
    const token = call('io.jwt.encode_sign', o({ alg }), o({ sub: 'x' }), o(jwk)) as string
    const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string
    expect(call(verify, token, pem)).toBe(true)
    const pubJwk = publicKey.export({ format: 'jwk' })
    expect(call(verify, token, JSON.stringify({ keys: [{ ...pubJwk, alg, kid: 'k1' }] }))).toBe(true)
    // a key declared for another algorithm is not tried
    expect(call(verify, token, JSON.stringify({ keys: [{ ...pubJwk, alg: 'HS256' }] }))).toBe(false)
    const tampered = token.replace(/\.[^.]+\./, `.${Buffer.from('{"sub":"y"}').toString('base64url')}.`)
    expect(call(verify, tampered, pem)).toBe(false)
    expect(json(call('io.jwt.decode_verify', token, o({ cert: pem })))).toEqual([true, { alg }, { sub: 'x' }])
  })
  test('PEM problems are errors', () => {
    expect(() => call('io.jwt.verify_rs256', 'a.b.c', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\nEXTRA')).toThrow(
      'extra data after a PEM certificate block'
    )
    expect(() => call('io.jwt.verify_rs256', 'a.b.c', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')).toThrow('failed to parse a PEM certificate')
  })
})

describe('io.jwt.decode_verify', () => {
  const sign = (payload: unknown, header: unknown = { alg: 'HS256' }): string =>
    call('io.jwt.encode_sign', o(header), o(payload), o({ kty: 'oct', k: Buffer.from('42').toString('base64url') })) as string
  const unverified = [false, {}, {}]
  test('checks secret, alg, iss, aud, exp and nbf against the clock in the context', () => {
    const now = 1577836800
    expect(json(call('io.jwt.decode_verify', sign({ iss: 'a' }), o({ secret: '42' })))).toEqual([true, { alg: 'HS256' }, { iss: 'a' }])
    expect(json(call('io.jwt.decode_verify', sign({ iss: 'a' }), o({ secret: '43' })))).toEqual(unverified)
    expect(json(call('io.jwt.decode_verify', sign({ iss: 'a' }), o({ secret: '42', alg: 'HS512' })))).toEqual(unverified)
    expect(json(call('io.jwt.decode_verify', sign({ iss: 'a' }), o({ secret: '42', iss: 'b' })))).toEqual(unverified)
    expect(json(call('io.jwt.decode_verify', sign({}), o({ secret: '42', iss: 'b' })))).toEqual(unverified)
    expect(json(call('io.jwt.decode_verify', sign({ aud: ['x', 'y'] }), o({ secret: '42', aud: 'y' })))[0]).toBe(true)
    expect(json(call('io.jwt.decode_verify', sign({ aud: 'x' }), o({ secret: '42' })))).toEqual(unverified)
    expect(json(call('io.jwt.decode_verify', sign({ exp: now + 10 }), o({ secret: '42' })))[0]).toBe(true)
    expect(json(call('io.jwt.decode_verify', sign({ exp: now }), o({ secret: '42' })))).toEqual(unverified)
    expect(json(call('io.jwt.decode_verify', sign({ exp: now }), o({ secret: '42', time: (now - 1) * 1e9 })))[0]).toBe(true)
    expect(json(call('io.jwt.decode_verify', sign({ nbf: now + 10 }), o({ secret: '42' })))).toEqual(unverified)
  })
  test('constraint and claim errors', () => {
    expect(() => call('io.jwt.decode_verify', sign({}), o({}))).toThrow('no key constraint')
    expect(() => call('io.jwt.decode_verify', sign({}), o({ secret: '42', cert: '{"kty":"oct","k":"NDI"}' }))).toThrow('duplicate key constraints')
    expect(() => call('io.jwt.decode_verify', sign({}), o({ secret: '42', foo: 1 }))).toThrow('unknown token validation constraint: foo')
    expect(() => call('io.jwt.decode_verify', sign({ exp: null }), o({ secret: '42' }))).toThrow('exp value must be a number')
    expect(() => call('io.jwt.decode_verify', sign({ nbf: 'x' }), o({ secret: '42' }))).toThrow('nbf value must be a number')
  })
  test('unknown critical header parameters make the token invalid', () => {
    expect(json(call('io.jwt.decode_verify', sign({}, { alg: 'HS256', crit: ['foo'], foo: 1 }), o({ secret: '42' })))).toEqual(unverified)
  })
})
