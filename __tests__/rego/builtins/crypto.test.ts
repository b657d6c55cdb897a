import { describe, expect, test } from '@jest/globals'
import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import { builtins } from '../../../src/rego/builtins/crypto.js'
import { caller } from './support.js'
import { fromJSON, toJSON, type Value } from '../../../src/rego/value.js'

const call = caller(builtins)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (v: Value | undefined): any => (v === undefined ? undefined : toJSON(v))

// ---- a tiny DER writer, so the tests mint their own certificates ----
function tlv(tag: number, body: Buffer): Buffer {
  const n = body.length
  const len = n < 128 ? Buffer.from([n]) : n < 256 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff])
  return Buffer.concat([Buffer.from([tag]), len, body])
}
const seq = (...xs: Buffer[]): Buffer => tlv(0x30, Buffer.concat(xs))
const set = (...xs: Buffer[]): Buffer => tlv(0x31, Buffer.concat(xs))
const int = (n: number): Buffer => tlv(0x02, Buffer.from([n]))
const bool = (b: boolean): Buffer => tlv(0x01, Buffer.from([b ? 0xff : 0]))
const octets = (b: Buffer): Buffer => tlv(0x04, b)
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s))
const time = (s: string): Buffer => tlv(0x18, Buffer.from(s)) // GeneralizedTime
function oid(s: string): Buffer {
  const [a, b, ...rest] = s.split('.').map(Number)
  const out = [a * 40 + b]
  for (const r of rest) {
    const bytes = [r & 0x7f]
    for (let v = r >> 7; v > 0; v >>= 7) bytes.unshift((v & 0x7f) | 0x80)
    out.push(...bytes)
  }
  return tlv(0x06, Buffer.from(out))
}
const name = (cn: string, org: string): Buffer => seq(set(seq(oid('2.5.4.10'), utf8(org))), set(seq(oid('2.5.4.3'), utf8(cn))))
const ext = (id: string, critical: boolean, value: Buffer): Buffer => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value))
const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'))

function mint(opts: { serial: number; subject: Buffer; issuer: Buffer; key: KeyObject; signer: KeyObject; ca: boolean; san?: Buffer; notAfter?: string }): string {
  const spki = opts.key.export({ format: 'der', type: 'spki' })
  const exts = [ext('2.5.29.19', true, seq(...(opts.ca ? [bool(true)] : [])))]
  if (opts.san) exts.push(ext('2.5.29.17', false, opts.san))
  if (!opts.ca) exts.push(ext('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))))
  const tbs = seq(
    tlv(0xa0, int(2)),
    int(opts.serial),
    ECDSA_SHA256,
    opts.issuer,
    seq(time('20200101000000Z'), time(opts.notAfter ?? '20991231235959Z')),
    opts.subject,
    spki,
    tlv(0xa3, seq(...exts))
  )
  const sig = sign('sha256', tbs, opts.signer)
  const der = seq(tbs, ECDSA_SHA256, tlv(0x03, Buffer.concat([Buffer.from([0]), sig])))
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`
}

const rootKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const leafKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const rootName = name('Test Root', 'Example')
const root = mint({ serial: 1, subject: rootName, issuer: rootName, key: rootKeys.publicKey, signer: rootKeys.privateKey, ca: true })
const san = seq(tlv(0x82, Buffer.from('www.example.com')), tlv(0x86, Buffer.from('spiffe://example.com/svc')))
const leaf = mint({ serial: 2, subject: name('www.example.com', 'Example'), issuer: rootName, key: leafKeys.publicKey, signer: rootKeys.privateKey, ca: false, san })

describe('digests and MACs', () => {
  test('hex digests of the UTF-8 bytes', () => {
    expect(call('crypto.sha256', 'lorem ipsum')).toBe('5e2bf57d3f40c4b6df69daf1936cb766f832374b4fc0259a7cbff06e2f70f269')
    expect(call('crypto.sha1', 'lorem ipsum')).toBe('bfb7759a67daeb65410490b4d98bb9da7d1ea2ce')
    expect(call('crypto.md5', 'lorem ipsum')).toBe('80a751fde577028640c419000e33eba6')
    expect(call('crypto.hmac.md5', 'foo', 'bar')).toBe('31b6db9e5eb4addb42f1a6ca07367adc')
    expect(call('crypto.hmac.sha1', 'foo', 'bar')).toBe('85d155c55ed286a300bd1cf124de08d87e914f3a')
    expect(call('crypto.hmac.sha256', 'foo', 'bar')).toBe('147933218aaabc0b8b10a2b3a5c34684c8d94341bcf10a4736dc7270f7741851')
    expect(call('crypto.hmac.sha1', 'åäöçß🥲♙Ω', '秘密の')).toBe('81759c39013935fcf0de833d44c8018d7c1455dd')
  })
  test('hmac.equal compares in constant time and handles different lengths', () => {
    expect(call('crypto.hmac.equal', 'abcd', 'abcd')).toBe(true)
    expect(call('crypto.hmac.equal', 'abcd', 'abce')).toBe(false)
    expect(call('crypto.hmac.equal', 'abcd', 'ab')).toBe(false)
    expect(() => call('crypto.hmac.equal', 'a', 1)).toThrow('operand 2 must be string but got number')
  })
})

describe('crypto.x509', () => {
  test('parse_certificates returns Go field names, from PEM, base64 PEM and base64 DER', () => {
    const [c] = json(call('crypto.x509.parse_certificates', leaf))
    expect(c.Subject.CommonName).toBe('www.example.com')
    expect(c.Subject.Organization).toEqual(['Example'])
    expect(c.Subject.Names).toEqual([
      { Type: [2, 5, 4, 10], Value: 'Example' },
      { Type: [2, 5, 4, 3], Value: 'www.example.com' },
    ])
    expect(c.Issuer.CommonName).toBe('Test Root')
    expect(c.DNSNames).toEqual(['www.example.com'])
    expect(c.URIStrings).toEqual(['spiffe://example.com/svc'])
    expect(c.URIs[0]).toMatchObject({ Scheme: 'spiffe', Host: 'example.com', Path: '/svc' })
    expect([c.Version, c.SerialNumber, c.IsCA, c.BasicConstraintsValid, c.ExtKeyUsage, c.PublicKeyAlgorithm, c.SignatureAlgorithm]).toEqual([3, 2, false, true, [1], 3, 10])
    expect(c.NotBefore).toBe('2020-01-01T00:00:00Z')
    const both = json(call('crypto.x509.parse_certificates', Buffer.from(root + leaf).toString('base64')))
    expect(both.map((x: { Subject: { CommonName: string } }) => x.Subject.CommonName)).toEqual(['Test Root', 'www.example.com'])
    const der = Buffer.concat([root, leaf].map((p) => Buffer.from(p.replace(/-----[^-]+-----|\s/g, ''), 'base64')))
    expect(json(call('crypto.x509.parse_certificates', der.toString('base64')))).toHaveLength(2)
    expect(() => call('crypto.x509.parse_certificates', 'YmFkc3RyaW5n')).toThrow('x509: malformed certificate')
  })
  test('parse_and_verify_certificates checks the chain root-first and returns it leaf-first', () => {
    const [ok, chain] = json(call('crypto.x509.parse_and_verify_certificates', root + leaf))
    expect(ok).toBe(true)
    expect(chain.map((x: { Subject: { CommonName: string } }) => x.Subject.CommonName)).toEqual(['www.example.com', 'Test Root'])
    expect(json(call('crypto.x509.parse_and_verify_certificates', leaf + root))).toEqual([false, []])
    expect(json(call('crypto.x509.parse_and_verify_certificates', leaf))).toEqual([false, []])
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const forged = mint({ serial: 3, subject: name('evil', 'Example'), issuer: rootName, key: other.publicKey, signer: other.privateKey, ca: false })
    expect(json(call('crypto.x509.parse_and_verify_certificates', root + forged))).toEqual([false, []])
    const expired = mint({ serial: 4, subject: name('old', 'Example'), issuer: rootName, key: leafKeys.publicKey, signer: rootKeys.privateKey, ca: false, notAfter: '20210101000000Z' })
    expect(json(call('crypto.x509.parse_and_verify_certificates', root + expired))).toEqual([false, []])
  })
  test('parse_and_verify_certificates_with_options: DNS name, time and key usages', () => {
    expect(json(call('crypto.x509.parse_and_verify_certificates_with_options', root + leaf, fromJSON({ DNSName: 'www.example.com' })))[0]).toBe(true)
    expect(json(call('crypto.x509.parse_and_verify_certificates_with_options', root + leaf, fromJSON({ DNSName: 'other.example.com' })))[0]).toBe(false)
    expect(json(call('crypto.x509.parse_and_verify_certificates_with_options', root + leaf, fromJSON({ CurrentTime: Date.UTC(2010, 0, 1) * 1e6 })))[0]).toBe(false)
    expect(json(call('crypto.x509.parse_and_verify_certificates_with_options', root + leaf, fromJSON({ KeyUsages: ['KeyUsageClientAuth'] })))[0]).toBe(false)
    expect(() => call('crypto.x509.parse_and_verify_certificates_with_options', root + leaf, fromJSON({ Nope: 1 }))).toThrow('invalid key option')
  })
  test('parse_keypair matches the key to the certificate', () => {
    const keyPem = leafKeys.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string
    const kp = json(call('crypto.x509.parse_keypair', leaf, keyPem))
    expect(kp.Certificate[0]).toBe(leaf.replace(/-----[^-]+-----|\s/g, ''))
    expect(kp.Leaf.Subject.CommonName).toBe('www.example.com')
    expect(typeof kp.PrivateKey.D).toBe('number')
    const b64 = (s: string) => Buffer.from(s).toString('base64')
    expect(json(call('crypto.x509.parse_keypair', b64(leaf), b64(keyPem))).Certificate).toHaveLength(1)
    const wrong = rootKeys.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string
    expect(() => call('crypto.x509.parse_keypair', leaf, wrong)).toThrow('tls: private key does not match public key')
  })
  test('parse_certificate_request reads the subject', () => {
    const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const info = seq(int(0), name('csr.example.com', 'Example'), keys.publicKey.export({ format: 'der', type: 'spki' }), tlv(0xa0, Buffer.alloc(0)))
    const der = seq(info, ECDSA_SHA256, tlv(0x03, Buffer.concat([Buffer.from([0]), sign('sha256', info, keys.privateKey)])))
    const pem = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`
    expect(json(call('crypto.x509.parse_certificate_request', pem)).Subject.CommonName).toBe('csr.example.com')
    expect(json(call('crypto.x509.parse_certificate_request', der.toString('base64'))).Subject.Organization).toEqual(['Example'])
    expect(() => call('crypto.x509.parse_certificate_request', 'foobar')).toThrow('illegal base64')
  })
})

describe('private keys', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
  const pkcs1 = rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }) as string
  test('parse_private_keys collects RSA, PKCS#8 and EC keys; empty input is null', () => {
    const ec = leafKeys.privateKey.export({ format: 'pem', type: 'sec1' }) as string
    const keys = json(call('crypto.parse_private_keys', pkcs1 + ec))
    expect(keys).toHaveLength(2)
    expect(keys[0].E).toBe(65537)
    expect(keys[0].Primes).toHaveLength(2)
    expect(json(call('crypto.parse_private_keys', Buffer.from(ec).toString('base64')))).toHaveLength(1)
    expect(json(call('crypto.parse_private_keys', 'nope'))).toEqual([])
    expect(call('crypto.parse_private_keys', '')).toBeNull()
  })
  test('parse_rsa_private_key returns the JWK', () => {
    const jwk = json(call('crypto.x509.parse_rsa_private_key', pkcs1))
    expect(jwk.kty).toBe('RSA')
    expect(createPublicKey({ key: jwk, format: 'jwk' }).export({ format: 'jwk' }).n).toBe(jwk.n)
    expect(() => call('crypto.x509.parse_rsa_private_key', '')).toThrow('input PEM data was empty')
  })
})
