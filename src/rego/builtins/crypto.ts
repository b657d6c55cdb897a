/**
 * crypto.* builtins: digests, HMACs, X.509 certificates, CSRs, key pairs and private keys.
 *
 * Certificates are returned as Go's x509.Certificate marshals to JSON, for the fields policies
 * read (names, SANs, validity, key usage, basic constraints, key identifiers, raw DER, public
 * key). Big integers (serial numbers, RSA moduli) become Rego numbers, which hold them exactly
 * only below 2^53. Fields Go fills from rarely used extensions (name constraints, policies,
 * CRL distribution points) are null.
 */
import {
  X509Certificate,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto'
import { fromJSON, RegoSet, type Value } from '../value.js'
import { obj, str } from './args.js'
import { base64StdDecode, children, DERError, oidArcs, pemDecodeAll, pkixName, readTLV, topLevel, type TLV } from './pem.js'
import { BuiltinError, type BuiltinDef } from './types.js'

// ---- digests and MACs ----

const digest = (alg: string) => (args: Value[]): Value => createHash(alg).update(str(args, 0), 'utf8').digest('hex')
const hmac = (alg: string) => (args: Value[]): Value => {
  const message = str(args, 0)
  const key = str(args, 1)
  return createHmac(alg, Buffer.from(key, 'utf8')).update(message, 'utf8').digest('hex')
}

function hmacEqual(args: Value[]): boolean {
  const a = Buffer.from(str(args, 0), 'utf8')
  const b = Buffer.from(str(args, 1), 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}

// ---- numbers and bytes as Go marshals them ----

function bigNumber(hex: string): number {
  return hex === '' ? 0 : Number(BigInt('0x' + hex))
}

function b64(buf: Buffer, t: TLV, whole = false): string {
  return buf.subarray(whole ? t.start : t.contentStart, t.end).toString('base64')
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, 'Z')
}

function wrapStd(fn: () => Buffer): Buffer {
  try {
    return fn()
  } catch (e) {
    throw new BuiltinError((e as Error).message)
  }
}

// ---- public and private keys as Go marshals them ----

const KEY_ALGORITHM: Record<string, number> = { rsa: 1, 'rsa-pss': 1, dsa: 2, ec: 3, ed25519: 4 }

const fromB64url = (s: unknown): number => (typeof s === 'string' ? bigNumber(Buffer.from(s, 'base64url').toString('hex')) : 0)

function publicKeyJSON(key: KeyObject): unknown {
  const t = key.asymmetricKeyType
  if (t === 'ed25519') {
    const jwk = key.export({ format: 'jwk' })
    return Buffer.from(jwk.x as string, 'base64url').toString('base64')
  }
  if (t === 'rsa' || t === 'rsa-pss' || t === 'ec') {
    const jwk = key.export({ format: 'jwk' })
    if (t === 'ec') return { Curve: {}, X: fromB64url(jwk.x), Y: fromB64url(jwk.y) }
    return { N: fromB64url(jwk.n), E: fromB64url(jwk.e) }
  }
  return null
}

function privateKeyJSON(key: KeyObject): unknown {
  const jwk = key.export({ format: 'jwk' })
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return {
        N: fromB64url(jwk.n),
        E: fromB64url(jwk.e),
        D: fromB64url(jwk.d),
        Primes: [fromB64url(jwk.p), fromB64url(jwk.q)],
        Precomputed: { Dp: fromB64url(jwk.dp), Dq: fromB64url(jwk.dq), Qinv: fromB64url(jwk.qi), CRTValues: null },
      }
    case 'ec':
      return { Curve: {}, X: fromB64url(jwk.x), Y: fromB64url(jwk.y), D: fromB64url(jwk.d) }
    case 'ed25519':
      return Buffer.concat([Buffer.from(jwk.d as string, 'base64url'), Buffer.from(jwk.x as string, 'base64url')]).toString('base64')
    default:
      return null
  }
}

// ---- certificates ----

const SIGNATURE_ALGORITHM: Record<string, number> = {
  '1.2.840.113549.1.1.2': 1,
  '1.2.840.113549.1.1.4': 2,
  '1.2.840.113549.1.1.5': 3,
  '1.2.840.113549.1.1.11': 4,
  '1.2.840.113549.1.1.12': 5,
  '1.2.840.113549.1.1.13': 6,
  '1.2.840.10040.4.3': 7,
  '2.16.840.1.101.3.4.3.2': 8,
  '1.2.840.10045.4.1': 9,
  '1.2.840.10045.4.3.2': 10,
  '1.2.840.10045.4.3.3': 11,
  '1.2.840.10045.4.3.4': 12,
  '1.2.840.113549.1.1.10': 13,
  '1.3.101.112': 16,
}

const EXT_KEY_USAGE: Record<string, number> = {
  '2.5.29.37.0': 0,
  '1.3.6.1.5.5.7.3.1': 1,
  '1.3.6.1.5.5.7.3.2': 2,
  '1.3.6.1.5.5.7.3.3': 3,
  '1.3.6.1.5.5.7.3.4': 4,
  '1.3.6.1.5.5.7.3.5': 5,
  '1.3.6.1.5.5.7.3.6': 6,
  '1.3.6.1.5.5.7.3.7': 7,
  '1.3.6.1.5.5.7.3.8': 8,
  '1.3.6.1.5.5.7.3.9': 9,
  '1.3.6.1.4.1.311.10.3.3': 10,
  '2.16.840.1.113730.4.1': 11,
  '1.3.6.1.4.1.311.2.1.22': 12,
  '1.3.6.1.4.1.311.61.1.1': 13,
}

/** Subject alternative names from node's rendering (`DNS:a, URI:b, IP Address:c, email:d`). */
function altNames(x: X509Certificate): { dns: string[]; uri: string[]; ip: string[]; email: string[] } {
  const out = { dns: [] as string[], uri: [] as string[], ip: [] as string[], email: [] as string[] }
  const s = x.subjectAltName
  if (!s) return out
  const re = /(DNS|URI|IP Address|email):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/g
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const value = m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2]
    if (m[1] === 'DNS') out.dns.push(value)
    else if (m[1] === 'URI') out.uri.push(value)
    else if (m[1] === 'IP Address') out.ip.push(value)
    else out.email.push(value)
    if (m[0] === '') break
  }
  return out
}

function uriJSON(u: string): unknown {
  let parsed: URL | undefined
  try {
    parsed = new URL(u)
  } catch {
    parsed = undefined
  }
  return {
    Scheme: parsed ? parsed.protocol.replace(/:$/, '') : '',
    Opaque: '',
    User: null,
    Host: parsed ? parsed.host : '',
    Path: parsed ? decodeURIComponent(parsed.pathname) : u,
    RawPath: '',
    OmitHost: false,
    ForceQuery: false,
    RawQuery: parsed ? parsed.search.replace(/^\?/, '') : '',
    Fragment: parsed ? decodeURIComponent(parsed.hash.replace(/^#/, '')) : '',
    RawFragment: '',
  }
}

/** A certificate as Go's x509.Certificate JSON (see the file comment for the subset). */
function certificateJSON(der: Buffer, x: X509Certificate, withURIStrings: boolean): Record<string, unknown> {
  const cert = readTLV(der, 0)
  const [tbs, , sigT] = children(der, cert)
  const parts = children(der, tbs)
  let i = 0
  let version = 1
  if (parts[0].tag === 0xa0) {
    const v = children(der, parts[0])[0]
    version = der[v.contentStart] + 1
    i++
  }
  const serial = parts[i++]
  const sigAlg = parts[i++]
  const issuer = parts[i++]
  i++ // validity: node reads it for us
  const subject = parts[i++]
  const spki = parts[i++]
  const exts: Array<{ id: string; arcs: number[]; critical: boolean; value: TLV }> = []
  for (; i < parts.length; i++) {
    if (parts[i].tag !== 0xa3) continue
    for (const e of children(der, children(der, parts[i])[0])) {
      const f = children(der, e)
      const arcs = oidArcs(der, f[0])
      const critical = f.length === 3 && der[f[1].contentStart] !== 0
      exts.push({ id: arcs.join('.'), arcs, critical, value: f[f.length - 1] })
    }
  }
  const ext = (id: string) => exts.find((e) => e.id === id)

  let isCA = false
  let bcValid = false
  let maxPathLen = 0
  let maxPathLenZero = false
  const bc = ext('2.5.29.19')
  if (bc) {
    bcValid = true
    maxPathLen = -1
    for (const f of children(der, readTLV(der, bc.value.contentStart))) {
      if (f.tag === 0x01) isCA = der[f.contentStart] !== 0
      if (f.tag === 0x02) {
        maxPathLen = bigNumber(der.subarray(f.contentStart, f.end).toString('hex'))
        maxPathLenZero = maxPathLen === 0
      }
    }
  }
  let keyUsage = 0
  const ku = ext('2.5.29.15')
  if (ku) {
    const bits = readTLV(der, ku.value.contentStart)
    const bytes = der.subarray(bits.contentStart + 1, bits.end)
    for (let b = 0; b < bytes.length * 8 && b < 9; b++) if (bytes[b >> 3] & (0x80 >> (b & 7))) keyUsage |= 1 << b
  }
  const extKeyUsage: number[] = []
  const unknownEKU: number[][] = []
  const eku = ext('2.5.29.37')
  if (eku) {
    for (const o of children(der, readTLV(der, eku.value.contentStart))) {
      const arcs = oidArcs(der, o)
      const known = EXT_KEY_USAGE[arcs.join('.')]
      if (known === undefined) unknownEKU.push(arcs)
      else extKeyUsage.push(known)
    }
  }
  const ski = ext('2.5.29.14')
  const aki = ext('2.5.29.35')
  let akid: string | null = null
  if (aki) {
    const inner = children(der, readTLV(der, aki.value.contentStart)).find((t) => t.tag === 0x80)
    if (inner) akid = b64(der, inner)
  }
  const san = altNames(x)
  const aia = x.infoAccess ?? ''
  const ocsp = [...aia.matchAll(/OCSP - URI:(\S+)/g)].map((m) => m[1])
  const caIssuers = [...aia.matchAll(/CA Issuers - URI:(\S+)/g)].map((m) => m[1])
  const sigBits = der.subarray(sigT.contentStart + 1, sigT.end)
  const sigOid = oidArcs(der, children(der, sigAlg)[0]).join('.')

  const out: Record<string, unknown> = {
    Raw: der.subarray(cert.start, cert.end).toString('base64'),
    RawTBSCertificate: b64(der, tbs, true),
    RawSubjectPublicKeyInfo: b64(der, spki, true),
    RawSubject: b64(der, subject, true),
    RawIssuer: b64(der, issuer, true),
    Signature: sigBits.toString('base64'),
    SignatureAlgorithm: SIGNATURE_ALGORITHM[sigOid] ?? 0,
    PublicKeyAlgorithm: KEY_ALGORITHM[x.publicKey.asymmetricKeyType ?? ''] ?? 0,
    PublicKey: publicKeyJSON(x.publicKey),
    Version: version,
    SerialNumber: bigNumber(der.subarray(serial.contentStart, serial.end).toString('hex')),
    Issuer: pkixName(der, issuer),
    Subject: pkixName(der, subject),
    NotBefore: rfc3339(new Date(x.validFrom)),
    NotAfter: rfc3339(new Date(x.validTo)),
    KeyUsage: keyUsage,
    Extensions: exts.length ? exts.map((e) => ({ Id: e.arcs, Critical: e.critical, Value: b64(der, e.value) })) : null,
    ExtraExtensions: null,
    UnhandledCriticalExtensions: null,
    ExtKeyUsage: extKeyUsage.length ? extKeyUsage : null,
    UnknownExtKeyUsage: unknownEKU.length ? unknownEKU : null,
    BasicConstraintsValid: bcValid,
    IsCA: isCA,
    MaxPathLen: maxPathLen,
    MaxPathLenZero: maxPathLenZero,
    SubjectKeyId: ski ? b64(der, readTLV(der, ski.value.contentStart)) : null,
    AuthorityKeyId: akid,
    OCSPServer: ocsp.length ? ocsp : null,
    IssuingCertificateURL: caIssuers.length ? caIssuers : null,
    DNSNames: san.dns.length ? san.dns : null,
    EmailAddresses: san.email.length ? san.email : null,
    IPAddresses: san.ip.length ? san.ip : null,
    URIs: san.uri.length ? san.uri.map(uriJSON) : null,
    PermittedDNSDomainsCritical: false,
    PermittedDNSDomains: null,
    ExcludedDNSDomains: null,
    PermittedIPRanges: null,
    ExcludedIPRanges: null,
    PermittedEmailAddresses: null,
    ExcludedEmailAddresses: null,
    PermittedURIDomains: null,
    ExcludedURIDomains: null,
    CRLDistributionPoints: null,
    PolicyIdentifiers: null,
    Policies: null,
  }
  if (withURIStrings) out.URIStrings = san.uri.length ? san.uri : null
  return out
}

interface ParsedCert {
  der: Buffer
  x: X509Certificate
}

/** Go's x509.ParseCertificates over concatenated DER. */
function parseDERCertificates(der: Buffer): ParsedCert[] {
  const out: ParsedCert[] = []
  try {
    for (const t of topLevel(der)) {
      const one = der.subarray(t.start, t.end)
      out.push({ der: Buffer.from(one), x: new X509Certificate(one) })
    }
  } catch (e) {
    if (e instanceof BuiltinError) throw e
    throw new BuiltinError('x509: malformed certificate')
  }
  return out
}

function certsFromPEM(text: string): ParsedCert[] {
  const ders: Buffer[] = []
  for (const b of pemDecodeAll(text)) {
    if (b.type !== 'CERTIFICATE') throw new BuiltinError(`PEM block type is '${b.type}', expected CERTIFICATE`)
    ders.push(b.der)
  }
  return parseDERCertificates(Buffer.concat(ders))
}

/** PEM text, base64 of PEM, or base64 of DER, as OPA accepts certificates. */
function certsFromString(input: string): ParsedCert[] {
  if (input.startsWith('-----BEGIN')) return certsFromPEM(input)
  const bytes = wrapStd(() => base64StdDecode(input))
  if (bytes.subarray(0, 10).toString('latin1') === '-----BEGIN') return certsFromPEM(bytes.toString('latin1'))
  return parseDERCertificates(bytes)
}

const EKU_OID: Record<string, string> = {
  KeyUsageAny: '2.5.29.37.0',
  KeyUsageServerAuth: '1.3.6.1.5.5.7.3.1',
  KeyUsageClientAuth: '1.3.6.1.5.5.7.3.2',
  KeyUsageCodeSigning: '1.3.6.1.5.5.7.3.3',
  KeyUsageEmailProtection: '1.3.6.1.5.5.7.3.4',
  KeyUsageIPSECEndSystem: '1.3.6.1.5.5.7.3.5',
  KeyUsageIPSECTunnel: '1.3.6.1.5.5.7.3.6',
  KeyUsageIPSECUser: '1.3.6.1.5.5.7.3.7',
  KeyUsageTimeStamping: '1.3.6.1.5.5.7.3.8',
  KeyUsageOCSPSigning: '1.3.6.1.5.5.7.3.9',
  KeyUsageMicrosoftServerGatedCrypto: '1.3.6.1.4.1.311.10.3.3',
  KeyUsageNetscapeServerGatedCrypto: '2.16.840.1.113730.4.1',
  KeyUsageMicrosoftCommercialCodeSigning: '1.3.6.1.4.1.311.2.1.22',
  KeyUsageMicrosoftKernelCodeSigning: '1.3.6.1.4.1.311.61.1.1',
}

interface VerifyOptions {
  dnsName?: string
  timeMs?: number
  keyUsages?: string[]
}

function usagesAllowed(x: X509Certificate, wanted: string[]): boolean {
  const have = x.keyUsage
  if (!have || have.length === 0 || have.includes(EKU_OID.KeyUsageAny)) return true
  return wanted.some((w) => w === EKU_OID.KeyUsageAny || have.includes(w))
}

/**
 * Go's chain verification as OPA drives it: the first certificate is the root, the last the
 * leaf, the others intermediates. Returns the chain from leaf to root, or undefined.
 */
function verifyChain(certs: ParsedCert[], opts: VerifyOptions): ParsedCert[] | undefined {
  if (certs.length < 2) return undefined
  const root = certs[0]
  const intermediates = certs.slice(1, -1)
  const leaf = certs[certs.length - 1]
  const now = opts.timeMs ?? Date.now()
  const usages = opts.keyUsages && opts.keyUsages.length ? opts.keyUsages : [EKU_OID.KeyUsageServerAuth]
  const timely = (c: ParsedCert): boolean => Date.parse(c.x.validFrom) <= now && now <= Date.parse(c.x.validTo)
  if (opts.dnsName !== undefined && opts.dnsName !== '' && leaf.x.checkHost(opts.dnsName) === undefined) return undefined

  const search = (cur: ParsedCert, chain: ParsedCert[]): ParsedCert[] | undefined => {
    if (!timely(cur) || !usagesAllowed(cur.x, usages)) return undefined
    if (cur.der.equals(root.der)) return chain
    if (chain.length > 10) return undefined
    for (const cand of [root, ...intermediates]) {
      if (chain.some((c) => c.der.equals(cand.der))) continue
      if (!cand.x.ca || !cur.x.checkIssued(cand.x)) continue
      let ok = false
      try {
        ok = cur.x.verify(cand.x.publicKey)
      } catch {
        ok = false
      }
      if (!ok) continue
      const found = search(cand, [...chain, cand])
      if (found) return found
    }
    return undefined
  }
  return search(leaf, [leaf])
}

function parseVerifyOptions(o: Value): VerifyOptions {
  const opts: VerifyOptions = {}
  for (const [k, v] of obj([o], 0).entries()) {
    if (typeof k !== 'string') continue
    switch (k) {
      case 'DNSName':
        if (typeof v !== 'string') throw new BuiltinError("'DNSName' should be a string")
        opts.dnsName = v.replace(/^"+|"+$/g, '')
        break
      case 'CurrentTime':
        if (typeof v !== 'number') throw new BuiltinError("'CurrentTime' should be a number")
        if (!Number.isInteger(v)) throw new BuiltinError("'CurrentTime' should be a valid int64 number")
        opts.timeMs = v / 1e6
        break
      case 'MaxConstraintComparisons':
        if (typeof v !== 'number') throw new BuiltinError("'MaxConstraintComparisons' should be a number")
        break
      case 'KeyUsages': {
        if (!Array.isArray(v) && !(v instanceof RegoSet)) throw new BuiltinError("'KeyUsages' should be an Array or Set")
        const invalid: string[] = []
        opts.keyUsages = []
        for (const u of Array.isArray(v) ? v : v.values()) {
          if (typeof u !== 'string') continue
          const name = u.replace(/^"+|"+$/g, '')
          if (EKU_OID[name]) opts.keyUsages.push(EKU_OID[name])
          else invalid.push(name)
        }
        if (invalid.length) throw new BuiltinError(`invalid entries for 'KeyUsages' found: [${invalid.join(' ')}]`)
        break
      }
      default:
        throw new BuiltinError('invalid key option')
    }
  }
  return opts
}

// ---- private keys ----

function parsePrivateKeyBlock(type: string, der: Buffer): KeyObject | undefined {
  const kind = type === 'RSA PRIVATE KEY' ? 'pkcs1' : type === 'PRIVATE KEY' ? 'pkcs8' : type === 'EC PRIVATE KEY' ? 'sec1' : undefined
  if (!kind) return undefined
  try {
    return createPrivateKey({ key: der, format: 'der', type: kind })
  } catch (e) {
    throw new BuiltinError(`x509: failed to parse private key (${type}): ${(e as Error).message}`)
  }
}

/** Private keys in PEM text (or base64 of it), as OPA collects them. */
function privateKeysFromPEM(data: string): KeyObject[] {
  let text = data
  try {
    text = base64StdDecode(data).toString('latin1')
  } catch {
    text = data
  }
  const keys: KeyObject[] = []
  for (const b of pemDecodeAll(text)) {
    const k = parsePrivateKeyBlock(b.type, b.der)
    if (k) keys.push(k)
  }
  return keys
}

// ---- CSRs and key pairs ----

function certificateRequest(input: string): Value {
  let bytes: Buffer
  if (input.startsWith('-----BEGIN CERTIFICATE REQUEST-----')) bytes = Buffer.from(input, 'latin1')
  else bytes = wrapStd(() => base64StdDecode(input))
  const block = pemDecodeAll(bytes.toString('latin1'))[0]
  if (block && block.type !== 'CERTIFICATE REQUEST') throw new BuiltinError('invalid PEM-encoded certificate signing request')
  const der = block ? block.der : bytes
  try {
    const csr = readTLV(der, 0)
    const [info, sigAlg, sig] = children(der, csr)
    const [versionT, subject, spki] = children(der, info)
    const key = createPublicKey({ key: der.subarray(spki.start, spki.end), format: 'der', type: 'spki' })
    const sigOid = oidArcs(der, children(der, sigAlg)[0]).join('.')
    return fromJSON({
      Raw: der.subarray(csr.start, csr.end).toString('base64'),
      RawTBSCertificateRequest: b64(der, info, true),
      RawSubjectPublicKeyInfo: b64(der, spki, true),
      RawSubject: b64(der, subject, true),
      Version: der[versionT.contentStart],
      Signature: der.subarray(sig.contentStart + 1, sig.end).toString('base64'),
      SignatureAlgorithm: SIGNATURE_ALGORITHM[sigOid] ?? 0,
      PublicKeyAlgorithm: KEY_ALGORITHM[key.asymmetricKeyType ?? ''] ?? 0,
      PublicKey: publicKeyJSON(key),
      Subject: pkixName(der, subject),
      Attributes: null,
      Extensions: null,
      ExtraExtensions: null,
      DNSNames: null,
      EmailAddresses: null,
      IPAddresses: null,
      URIs: null,
    })
  } catch (e) {
    if (e instanceof BuiltinError) throw e
    throw new BuiltinError(e instanceof DERError ? `asn1: ${e.message}` : `x509: malformed certificate request: ${(e as Error).message}`)
  }
}

function keyPair(certInput: string, keyInput: string): Value {
  const BEGIN = '-----BEGIN '
  let certText = certInput.startsWith(BEGIN) ? certInput : undefined
  let keyText = keyInput.startsWith(BEGIN) ? keyInput : undefined
  let certDER: Buffer | undefined
  let keyDER: Buffer | undefined
  if (certText === undefined) {
    const raw = wrapStd(() => base64StdDecode(certInput))
    if (raw.subarray(0, BEGIN.length).toString('latin1') === BEGIN) certText = raw.toString('latin1')
    else certDER = raw
  }
  if (keyText === undefined) {
    const raw = wrapStd(() => base64StdDecode(keyInput))
    if (raw.subarray(0, 10).toString('latin1') === '-----BEGIN') keyText = raw.toString('latin1')
    else keyDER = raw
  }
  const certs: Buffer[] = certDER ? [certDER] : pemDecodeAll(certText ?? '').filter((b) => b.type === 'CERTIFICATE').map((b) => b.der)
  if (certs.length === 0) throw new BuiltinError('tls: failed to find any PEM data in certificate input')
  let key: KeyObject | undefined
  if (keyDER) {
    key = parsePrivateKeyBlock('PRIVATE KEY', keyDER)
  } else {
    const block = pemDecodeAll(keyText ?? '').find((b) => b.type === 'PRIVATE KEY' || b.type.endsWith(' PRIVATE KEY'))
    if (!block) throw new BuiltinError('tls: failed to find any PEM data in key input')
    key = parsePrivateKeyBlock(block.type, block.der)
  }
  if (!key) throw new BuiltinError('tls: failed to parse private key')
  const leaf = parseDERCertificates(certs[0])[0]
  const certSpki = leaf.x.publicKey.export({ format: 'der', type: 'spki' })
  const keySpki = createPublicKey(key).export({ format: 'der', type: 'spki' })
  if (!certSpki.equals(keySpki)) throw new BuiltinError('tls: private key does not match public key')
  return fromJSON({
    Certificate: certs.map((c) => c.toString('base64')),
    PrivateKey: privateKeyJSON(key),
    SupportedSignatureAlgorithms: null,
    OCSPStaple: null,
    SignedCertificateTimestamps: null,
    Leaf: certificateJSON(leaf.der, leaf.x, false),
  })
}

function rsaPrivateKeyJWK(input: string): Value {
  if (input === '') throw new BuiltinError('input PEM data was empty')
  let text = input
  if (!input.startsWith('-----BEGIN')) text = wrapStd(() => base64StdDecode(input)).toString('latin1')
  const keys = privateKeysFromPEM(text)
  if (keys.length === 0) return null
  return fromJSON(keys[0].export({ format: 'jwk' }))
}

// ---- registry ----

/** [verified, chain as JSON] for the PEM/base64 certificates of `input`; unparsable input is [false, []], as in OPA. */
function parseAndVerify(input: string, options: VerifyOptions, withURIStrings: boolean): Value {
  let certs: ParsedCert[]
  try {
    certs = certsFromString(input)
  } catch (e) {
    if (e instanceof BuiltinError) return [false, []]
    throw e
  }
  const chain = verifyChain(certs, options)
  return chain ? [true, fromJSON(chain.map((c) => certificateJSON(c.der, c.x, withURIStrings)))] : [false, []]
}

export const builtins: BuiltinDef[] = [
  { name: 'crypto.md5', args: ['string'], result: 'string', impl: digest('md5') },
  { name: 'crypto.sha1', args: ['string'], result: 'string', impl: digest('sha1') },
  { name: 'crypto.sha256', args: ['string'], result: 'string', impl: digest('sha256') },
  { name: 'crypto.hmac.md5', args: ['string', 'string'], result: 'string', impl: hmac('md5') },
  { name: 'crypto.hmac.sha1', args: ['string', 'string'], result: 'string', impl: hmac('sha1') },
  { name: 'crypto.hmac.sha256', args: ['string', 'string'], result: 'string', impl: hmac('sha256') },
  { name: 'crypto.hmac.sha512', args: ['string', 'string'], result: 'string', impl: hmac('sha512') },
  { name: 'crypto.hmac.equal', args: ['string', 'string'], result: 'boolean', impl: hmacEqual },
  {
    name: 'crypto.x509.parse_certificates',
    args: ['string'],
    result: 'array[object[string:any]]',
    impl: (args) => fromJSON(certsFromString(str(args, 0)).map((c) => certificateJSON(c.der, c.x, true))),
  },
  {
    name: 'crypto.x509.parse_and_verify_certificates',
    args: ['string'],
    result: 'array[any]',
    impl: (args) => parseAndVerify(str(args, 0), {}, true),
  },
  {
    name: 'crypto.x509.parse_and_verify_certificates_with_options',
    args: ['string', 'object[string:any]'],
    result: 'array[any]',
    impl: (args) => {
      const input = str(args, 0)
      obj(args, 1)
      return parseAndVerify(input, parseVerifyOptions(args[1]), false)
    },
  },
  {
    name: 'crypto.x509.parse_certificate_request',
    args: ['string'],
    result: 'object[string:any]',
    impl: (args) => certificateRequest(str(args, 0)),
  },
  {
    name: 'crypto.x509.parse_keypair',
    args: ['string', 'string'],
    result: 'object[string:any]',
    impl: (args) => keyPair(str(args, 0), str(args, 1)),
  },
  {
    name: 'crypto.x509.parse_rsa_private_key',
    args: ['string'],
    result: 'object[string:any]',
    impl: (args) => rsaPrivateKeyJWK(str(args, 0)),
  },
  {
    name: 'crypto.parse_private_keys',
    args: ['string'],
    result: 'array[object[string:any]]',
    impl: (args) => {
      const input = str(args, 0)
      if (input === '') return null
      return fromJSON(privateKeysFromPEM(input).map(privateKeyJSON))
    },
  },
]
