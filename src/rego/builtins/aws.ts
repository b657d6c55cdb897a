/**
 * providers.aws.sign_req: AWS Signature Version 4 for a request object shaped like http.send's,
 * as OPA computes it (headers signed in lower case, `x-amz-content-sha256` for S3 and Glacier,
 * optional unsigned payloads, session tokens).
 */
import { createHash, createHmac } from 'node:crypto'
import { RegoObject, RegoSet, formatValue, toJSON, typeName, type Value } from '../value.js'
import { goJSON } from './json-text.js'
import { BuiltinError, type BuiltinDef } from './types.js'

const REQUIRED_CONFIG = ['aws_access_key', 'aws_region', 'aws_secret_access_key', 'aws_service']
const IGNORED_HEADERS = new Set(['authorization', 'user-agent', 'x-amzn-trace-id'])

function operandError(i: number, message: string): BuiltinError {
  return new BuiltinError(`operand ${i} ${message}`, 'eval_type_error')
}

const setText = (names: string[]): string => formatValue(new RegoSet(names))

const asString = (v: Value | undefined): string => (typeof v === 'string' ? v : '')

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex')
const hmac = (key: Buffer | string, msg: string): Buffer => createHmac('sha256', key).update(msg, 'utf8').digest()

/** Go's url.Parse for what signing needs: host (with port), escaped path and raw query. */
function splitURL(url: string): { host: string; path: string; query: string } {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?/.exec(url)
  if (!m) throw new BuiltinError(`parse ${JSON.stringify(url)}: invalid URL`)
  const authority = m[2] ?? ''
  const host = authority.includes('@') ? authority.slice(authority.lastIndexOf('@') + 1) : authority
  // Go keeps a valid escaping as written and escapes anything else.
  const rawPath = m[3]
  const path = /%(?![0-9A-Fa-f]{2})/.test(rawPath) ? encodeURI(rawPath) : rawPath.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/g, (c) => encodeURIComponent(c))
  return { host, path, query: m[4] ?? '' }
}

function signRequest(args: Value[]): Value {
  const req = args[0]
  if (!(req instanceof RegoObject)) throw operandError(1, `must be object but got ${typeName(req)}`)
  const config = args[1]
  if (!(config instanceof RegoObject)) throw operandError(1, `must be object but got ${typeName(config)}`)

  const missing = REQUIRED_CONFIG.filter((k) => !config.has(k))
  if (missing.length) throw operandError(2, `missing required AWS config parameters(s): ${setText(missing)}`)
  const invalid = REQUIRED_CONFIG.filter((k) => typeof config.get(k) !== 'string')
  if (invalid.length) throw operandError(2, `invalid values for required AWS config parameters(s): ${setText(invalid)}`)
  const service = asString(config.get('aws_service'))
  const accessKey = asString(config.get('aws_access_key'))
  const secretKey = asString(config.get('aws_secret_access_key'))
  const region = asString(config.get('aws_region'))
  const sessionToken = asString(config.get('aws_session_token'))

  const ts = args[2]
  if (typeof ts !== 'number') throw operandError(1, `must be number but got ${typeName(ts)}`)
  if (!Number.isInteger(ts) || Math.abs(ts) >= 2 ** 63) throw operandError(3, 'could not convert time_ns value into a unix timestamp')

  const missingReq = ['method', 'url'].filter((k) => !req.has(k))
  if (missingReq.length) throw operandError(1, `missing required request parameters(s): ${setText(missingReq)}`)
  let headers = new RegoObject()
  const h = req.get('headers')
  if (h !== undefined) {
    if (!(h instanceof RegoObject)) throw operandError(0, `must be object but got ${typeName(h)}`)
    headers = h
  }
  const badReq = ['method', 'url'].filter((k) => typeof req.get(k) !== 'string')
  if (badReq.length) throw operandError(1, `invalid values for required request parameters(s): ${setText(badReq)}`)
  const url = splitURL(req.get('url') as string)
  const method = req.get('method') as string

  const rawBody = req.get('raw_body')
  const body = req.get('body')
  const payload = rawBody !== undefined ? asString(rawBody) : body !== undefined ? goJSON(toJSON(body)) : ''

  let unsignedPayload = false
  const dps = config.get('disable_payload_signing')
  if (dps !== undefined) {
    if (typeof dps !== 'boolean') throw operandError(2, "invalid value for 'disable_payload_signing' in AWS config")
    unsignedPayload = dps
  }

  const when = new Date(Math.floor(ts / 1e6))
  const iso = when.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
  const date = iso.slice(0, 8)
  const contentHash = unsignedPayload ? 'UNSIGNED-PAYLOAD' : sha256Hex(Buffer.from(payload, 'utf8'))

  const awsHeaders = new Map<string, string>([
    ['host', url.host],
    ['x-amz-date', iso],
  ])
  if (service === 's3' || service === 'glacier') awsHeaders.set('x-amz-content-sha256', contentHash)
  if (sessionToken !== '') awsHeaders.set('x-amz-security-token', sessionToken)

  // Request headers are signed in lower case and win over the generated ones, as in OPA.
  const toSign = new Map(awsHeaders)
  const original: Array<[string, string]> = []
  for (const [k, v] of headers.entries()) {
    const name = asString(k)
    const value = asString(v)
    original.push([name, value])
    if (!IGNORED_HEADERS.has(name.toLowerCase())) toSign.set(name.toLowerCase(), value)
  }
  const names = [...toSign.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const canonical =
    `${method}\n${url.path}\n${url.query}\n` + names.map((n) => `${n}:${toSign.get(n)}\n`).join('') + `\n${names.join(';')}\n${contentHash}`
  const scope = `${date}/${region}/${service}/aws4_request`
  const stringToSign = `AWS4-HMAC-SHA256\n${iso}\n${scope}\n${sha256Hex(canonical)}`
  let key = hmac(`AWS4${secretKey}`, date)
  key = hmac(key, region)
  key = hmac(key, service)
  key = hmac(key, 'aws4_request')
  const signature = hmac(key, stringToSign).toString('hex')

  const signed = new RegoObject()
  for (const [k, v] of original) signed.set(k, v)
  signed.set('Authorization', `AWS4-HMAC-SHA256 Credential=${accessKey}/${scope},SignedHeaders=${names.join(';')},Signature=${signature}`)
  for (const [k, v] of awsHeaders) signed.set(k, v)
  const out = new RegoObject(req.entries())
  out.set('headers', signed)
  return out
}

export const builtins: BuiltinDef[] = [
  {
    name: 'providers.aws.sign_req',
    args: ['object[any:any]', 'object[any:any]', 'number'],
    result: 'object[any:any]',
    impl: (args) => signRequest(args),
  },
]
