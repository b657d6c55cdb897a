import { describe, expect, test } from '@jest/globals'
import { Ajv } from 'ajv'
import { GENESIS_HASH } from '../../src/evidence/chain.js'
import { recordShapeOk } from '../../src/evidence/schema-check.js'
import { RECORD_SCHEMA } from '../../src/evidence/schema.js'
import { draft } from './helpers.js'

// The compiled check lets records through without ajv, so it must never say yes where ajv says
// no. It is held to exact agreement on valid records and on many single edits of them.
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(RECORD_SCHEMA)

const base = (n: number) => ({ ...draft(n), seq: n, prev_hash: GENESIS_HASH }) as Record<string, unknown>

const odd: unknown[] = [
  null, true, 0, -1, 1.5, 2 ** 53, Number.NaN, '', 'x', 'MERGED', 'merge', '😀', '\ud800', 'a'.repeat(201), '😀'.repeat(150),
  'a'.repeat(40), 'A'.repeat(40), 'a'.repeat(64), 'sha256:' + 'a'.repeat(64), 'sha256:' + 'a'.repeat(63), '2026-01-01T00:00:00Z',
  '2026-01-01T00:00:00.123+02:00', '2026-01-01 00:00:00Z', 'owner/repo', 'owner/re po', 'o/r/x', 'merge-abc:1@x/y', 'a b',
  [], ['x'], [1], [null], {}, { code: 'x' }, { code: '' }, { number: 1, url: null }, { number: 0, url: null }, { number: 1 },
  { verdict: 'allow', violations: [], exceptions: [] }, { verdict: 'allow', violations: [{ code: 'a', extra: 1 }], exceptions: [] },
  { verdict: 'allow', violations: [{ code: 'a', title: 1 }], exceptions: [] }, { verdict: 'maybe', violations: [], exceptions: [] },
  { a: 'b' }, { a: 1 }, { verdict: 'deny', violations: [], exceptions: [], more: 1 }
]

describe('the compiled record check agrees with ajv', () => {
  test('on valid records', () => {
    for (let n = 1; n < 50; n++) expect(recordShapeOk(base(n))).toBe(true)
  })

  test('on every field replaced by each odd value, removed, or an extra field added', () => {
    const disagreements: string[] = []
    let rejected = 0
    const fields = [...Object.keys(RECORD_SCHEMA.properties), 'extra', '__proto__']
    for (const field of fields) {
      const variants: Record<string, unknown>[] = odd.map((v) => ({ ...base(3), [field]: v }))
      const removed = base(3)
      delete removed[field]
      variants.push(removed)
      for (const nested of ['pr', 'decision']) {
        for (const v of odd) {
          const inner = { ...(base(3)[nested] as Record<string, unknown> ?? {}), [field]: v }
          variants.push({ ...base(3), [nested]: inner })
        }
      }
      for (const v of variants) {
        const expected = ajv(v)
        if (!expected) rejected++
        if (recordShapeOk(v) !== expected) disagreements.push(`${field}: ${JSON.stringify(v[field])}`)
      }
    }
    const proto = JSON.parse(JSON.stringify(base(2)).replace('{', '{"__proto__":1,'))
    if (recordShapeOk(proto) !== ajv(proto)) disagreements.push('__proto__ key')
    expect(disagreements).toEqual([])
    expect(rejected).toBeGreaterThan(500)
  })
})
