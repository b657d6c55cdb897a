import { describe, expect, test } from '@jest/globals'
import { canonicalBytes } from '../../src/evidence/canonical.js'
import { nextRecord, type Head, type RawEntry } from '../../src/evidence/store.js'
import { verifyEntries, type VerifySummary } from '../../src/evidence/verify.js'
import { draft } from './helpers.js'

function log(n: number): RawEntry[] {
  const out: RawEntry[] = []
  let head: Head | null = null
  for (let i = 1; i <= n; i++) {
    const next = nextRecord(draft(i), head)
    out.push({ seq: i, bytes: next.bytes })
    head = { seq: i, hash: next.hash }
  }
  return out
}

const strip = (s: VerifySummary) => ({ ...s, duration_ms: 0, records_per_second: 0 })

async function both(entries: RawEntry[]): Promise<VerifySummary> {
  const single = await verifyEntries(entries, { workers: 0 })
  // One worker beside this thread (the default on two CPUs) and two.
  for (const workers of [1, 2]) {
    const parallel = await verifyEntries(entries, { workers })
    expect(strip(parallel)).toEqual(strip(single))
  }
  return single
}

describe('verification in worker threads gives the same answers as in one thread', () => {
  const base = log(7000)

  test('an intact log of several batches', async () => {
    expect(await both(base)).toMatchObject({ ok: true, records: 7000, last_seq: 7000 })
  })

  test('an edited field, a non-canonical record, a schema break, a gap, a reordering', async () => {
    const edit = base.slice()
    edit[4999] = { seq: 5000, bytes: Buffer.from(edit[4999]!.bytes.toString().replace('"changed_by":"alice"', '"changed_by":"eve"')) }
    expect((await both(edit)).first_broken).toMatchObject({ seq: 5001, code: 'broken_link' })

    const spaced = base.slice()
    spaced[3000] = { seq: 3001, bytes: Buffer.from(JSON.stringify(JSON.parse(spaced[3000]!.bytes.toString()), null, 1)) }
    expect((await both(spaced)).first_broken).toMatchObject({ seq: 3001, code: 'not_canonical' })

    const schema = base.slice()
    schema[6000] = { seq: 6001, bytes: canonicalBytes({ ...JSON.parse(schema[6000]!.bytes.toString()), kind: 'merged' }) }
    const s = await both(schema)
    expect(s.first_broken).toMatchObject({ seq: 6001, code: 'schema' })
    expect(s.first_broken!.message).toMatch(/\/kind: must be equal to one of the allowed values/)

    const gap = base.filter((e) => e.seq !== 4100)
    expect((await both(gap)).first_broken).toMatchObject({ seq: 4100, code: 'missing' })

    const swapped = base.slice()
    ;[swapped[2500], swapped[2501]] = [{ seq: 2501, bytes: base[2501]!.bytes }, { seq: 2502, bytes: base[2500]!.bytes }]
    expect((await both(swapped)).first_broken).toMatchObject({ seq: 2501, code: 'seq_mismatch' })

    const bad = base.slice()
    bad[2100] = { seq: 2101, bytes: Buffer.from('{"not json') }
    expect((await both(bad)).first_broken).toMatchObject({ seq: 2101, code: 'not_json' })
  })
})
