import { describe, expect, test } from '@jest/globals'
import { builtins } from '../../../src/rego/builtins/aws.js'
import { context } from './support.js'
import { fromJSON, RegoSet, toJSON, type Value } from '../../../src/rego/value.js'

const ctx = context()
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const sign = (req: unknown, cfg: unknown, ts: number = 1451311705000000000): any =>
  toJSON(builtins[0].impl([fromJSON(req), fromJSON(cfg), ts], ctx) as Value)

const cfg = { aws_access_key: 'MYAWSACCESSKEYGOESHERE', aws_secret_access_key: 'MYAWSSECRETACCESSKEYGOESHERE', aws_service: 's3', aws_region: 'us-east-1' }
const cred = 'AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request'

describe('providers.aws.sign_req', () => {
  test('signs a bodiless S3 GET the way OPA does', () => {
    expect(sign({ method: 'get', url: 'http://example.com' }, cfg)).toEqual({
      method: 'get',
      url: 'http://example.com',
      headers: {
        Authorization: `${cred},SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=0047a7016c81e5c7f29cd522f97e911e04fc472fced0aee7916cbc287ad6c8e3`,
        host: 'example.com',
        'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'x-amz-date': '20151228T140825Z',
      },
    })
  })
  test('request headers, session tokens, bodies and unsigned payloads change what is signed', () => {
    const withHeader = sign({ method: 'get', url: 'http://example.com', headers: { foo: 'bar' } }, cfg).headers
    expect(withHeader.foo).toBe('bar')
    expect(withHeader.Authorization).toContain('SignedHeaders=foo;host;x-amz-content-sha256;x-amz-date,Signature=8f1dc7c9b9978356a0d0989fd26a95307f4f8a4aa264d8220647b7097d839952')
    const token = sign({ method: 'get', url: 'http://example.com' }, { ...cfg, aws_session_token: 'TOKEN' }).headers
    expect(token['x-amz-security-token']).toBe('TOKEN')
    expect(token.Authorization).toContain('x-amz-date;x-amz-security-token,')
    // a body is marshalled like Go's encoding/json (sets become sorted arrays)
    const body = sign({ method: 'get', url: 'http://example.com', body: { example: new RegoSet([4, 3, 2, 1]) } }, cfg).headers
    expect(body['x-amz-content-sha256']).toBe('bacff6243c850423883052ac3c336fd645994442933408dfd3f9e858e69bda07')
    const unsigned = sign({ method: 'get', url: 'https://example.com', headers: { foo: 'bar' } }, { ...cfg, disable_payload_signing: true }).headers
    expect(unsigned['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD')
    expect(unsigned.Authorization).toContain('Signature=c6e6db654e92172f71e18c714c123711de069ac6fd7df1348e5b28fd05532028')
    // other services get no content hash header
    expect(sign({ method: 'get', url: 'http://example.com' }, { ...cfg, aws_service: 'ec2' }).headers['x-amz-content-sha256']).toBeUndefined()
  })
  test('errors name the operand and the parameters', () => {
    expect(() => sign({}, cfg)).toThrow('operand 1 missing required request parameters(s): {"method", "url"}')
    expect(() => sign({ method: 1, url: 2 }, cfg)).toThrow('operand 1 invalid values for required request parameters(s): {"method", "url"}')
    expect(() => sign({ method: 'get', url: 'http://x' }, { example: 1 })).toThrow(
      'operand 2 missing required AWS config parameters(s): {"aws_access_key", "aws_region", "aws_secret_access_key", "aws_service"}'
    )
    expect(() => sign({ method: 'get', url: 'http://x' }, { ...cfg, aws_region: 5 })).toThrow('operand 2 invalid values for required AWS config parameters(s): {"aws_region"}')
    expect(() => sign({ method: 'get', url: 'http://x' }, { ...cfg, disable_payload_signing: 'yes' })).toThrow("operand 2 invalid value for 'disable_payload_signing' in AWS config")
    expect(() => sign({ method: 'get', url: 'http://x' }, cfg, 1.5)).toThrow('operand 3 could not convert time_ns value into a unix timestamp')
  })
})
