import { describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { assertDraft, assertRecord, recordProblems, RecordValidationError } from '../../src/evidence/record.js'
import { RECORD_SCHEMA } from '../../src/evidence/schema.js'
import { changeId } from '../../src/evidence/change-id.js'
import { GENESIS_HASH, idIndexPath, recordHash, recordPath, seqFromPath } from '../../src/evidence/chain.js'
import { draft } from './helpers.js'

describe('record schema', () => {
  test('the committed schemas/record.v1.schema.json is the schema the code validates with', () => {
    const file = JSON.parse(readFileSync(new URL('../../schemas/record.v1.schema.json', import.meta.url), 'utf8'))
    expect(file).toEqual(JSON.parse(JSON.stringify(RECORD_SCHEMA)))
  })

  test('a full record validates; a draft validates without seq and prev_hash', () => {
    const d = draft(1)
    expect(() => assertDraft(d)).not.toThrow()
    expect(recordProblems({ ...d, seq: 1, prev_hash: GENESIS_HASH })).toEqual([])
    expect(() => assertRecord({ ...d, seq: 1, prev_hash: GENESIS_HASH })).not.toThrow()
  })

  test('problems name the field and the fix', () => {
    const bad = { ...draft(1), kind: 'merged', approved_by: 'bob', extra: 1 } as unknown
    let err: unknown
    try {
      assertDraft(bad)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(RecordValidationError)
    const msg = (err as Error).message
    expect(msg).toMatch(/\/kind: must be equal to one of the allowed values/)
    expect(msg).toMatch(/\/approved_by: must be array/)
    expect(msg).toMatch(/must NOT have additional properties 'extra'/)
    expect(msg).toMatch(/schemas\/record\.v1\.schema\.json/)
  })

  test('a draft may not carry seq or prev_hash; a missing column is reported', () => {
    expect(() => assertDraft({ ...draft(1), seq: 4 })).toThrow(/\/seq: is assigned by the store/)
    const { change_outcome: _omit, ...rest } = draft(1)
    expect(() => assertDraft(rest)).toThrow(/must have required property 'change_outcome'/)
    expect(() => assertDraft([])).toThrow(/must be a JSON object/)
  })

  test('bad SHAs, digests and timestamps are rejected', () => {
    expect(recordProblems({ ...draft(1), seq: 1, prev_hash: GENESIS_HASH, merge_sha: 'xyz' })).toEqual([
      expect.stringMatching(/^\/merge_sha: must match pattern/)
    ])
    expect(recordProblems({ ...draft(1), seq: 1, prev_hash: GENESIS_HASH, policy_digest: 'abc' }).length).toBe(1)
    expect(recordProblems({ ...draft(1), seq: 1, prev_hash: GENESIS_HASH, change_ts: 'yesterday' }).length).toBe(1)
    expect(recordProblems({ ...draft(1), seq: 0, prev_hash: GENESIS_HASH }).length).toBe(1)
  })
})

describe('chain helpers and change_id', () => {
  test('record_hash is the SHA-256 of the bytes', () => {
    expect(recordHash(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(GENESIS_HASH).toBe('0'.repeat(64))
  })

  test('record paths are sharded and reversible', () => {
    expect(recordPath(1)).toBe('records/000/000/000000001.json')
    expect(recordPath(1000)).toBe('records/000/001/000001000.json')
    expect(recordPath(123456789)).toBe('records/123/456/123456789.json')
    expect(recordPath(987654321012)).toBe('records/987654/321/987654321012.json')
    expect(seqFromPath(recordPath(987654321012))).toBe(987654321012)
    for (let s = 1; s < 3000; s += 7) expect(seqFromPath(recordPath(s))).toBe(s)
    expect(seqFromPath('records/000/000/000000000.json')).toBeNull()
    expect(seqFromPath('records/000/001/000000001.json')).toBeNull()
    expect(seqFromPath('HEAD.json')).toBeNull()
    expect(() => recordPath(0)).toThrow(RangeError)
    expect(idIndexPath('x')).toMatch(/^ids\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/)
  })

  test('change_id is deterministic and distinguishes every part', () => {
    const base = { repository: 'acme/app', kind: 'deployment' as const, subject: 'c'.repeat(40), environment: 'prod', scope: 'run-1' }
    const id = changeId(base)
    expect(id).toMatch(/^deployment-[0-9a-f]{32}$/)
    expect(changeId({ ...base })).toBe(id)
    expect(changeId({ ...base, repository: 'ACME/App' })).toBe(id)
    const variants = [
      { ...base, repository: 'acme/other' },
      { ...base, kind: 'outcome' as const },
      { ...base, subject: 'd'.repeat(40) },
      { ...base, environment: 'staging' },
      { ...base, environment: null },
      { ...base, scope: 'run-2' }
    ].map(changeId)
    expect(new Set([id, ...variants]).size).toBe(7)
    expect(changeId({ repository: 'a/b', kind: 'merge', subject: 7 })).toBe(changeId({ repository: 'a/b', kind: 'merge', subject: '7' }))
  })
})
