import { expect, test } from '@jest/globals'
import type { EvidenceStore } from '../../src/evidence/store.js'
import { verifyStore } from '../../src/evidence/verify.js'
import { GENESIS_HASH } from '../../src/evidence/chain.js'
import { draft } from './helpers.js'

/** The guarantees every backend keeps, run against a fresh empty store from `make`. */
export function storeContract(make: () => Promise<{ store: EvidenceStore; another: () => EvidenceStore }>, race = { writers: 10, each: 2 }): void {
  test('an empty store has no head and verifies with 0 records', async () => {
    const { store } = await make()
    expect(await store.head()).toBeNull()
    const summary = await verifyStore(store)
    expect(summary).toMatchObject({ ok: true, records: 0, first_broken: null })
  })

  test('appends assign dense seq and chain prev_hash; records read back byte for byte', async () => {
    const { store } = await make()
    const results = []
    for (let i = 1; i <= 5; i++) results.push(await store.append(draft(i)))
    expect(results.map((r) => r.record.seq)).toEqual([1, 2, 3, 4, 5])
    expect(results.map((r) => r.created)).toEqual([true, true, true, true, true])
    expect(results[0]!.record.prev_hash).toBe(GENESIS_HASH)
    for (let i = 1; i < 5; i++) expect(results[i]!.record.prev_hash).toBe(results[i - 1]!.hash)
    expect(await store.head()).toEqual({ seq: 5, hash: results[4]!.hash })
    const read = []
    for await (const e of store.read()) read.push(e)
    expect(read.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5])
    expect(read.map((e) => e.bytes.toString())).toEqual(results.map((r) => r.bytes.toString()))
    const range = []
    for await (const e of store.read({ from: 2, to: 3 })) range.push(e.seq)
    expect(range).toEqual([2, 3])
    expect(await verifyStore(store)).toMatchObject({ ok: true, records: 5, last_seq: 5, head_hash: results[4]!.hash, stream: 'github.com/acme/app' })
  })

  test('a re-run with the same change_id appends nothing and returns the stored record', async () => {
    const { store, another } = await make()
    const first = await store.append(draft(1))
    await store.append(draft(2))
    const again = await another().append({ ...draft(1), recorded_at: '2026-04-01T00:00:00Z' })
    expect(again.created).toBe(false)
    expect(again.hash).toBe(first.hash)
    expect(again.record.seq).toBe(1)
    expect((await store.head())!.seq).toBe(2)
    expect((await store.find(draft(2).change_id))!.record.seq).toBe(2)
    expect(await store.find('merge-none')).toBeNull()
  })

  test('an invalid draft is refused before anything is written, naming the field', async () => {
    const { store } = await make()
    await expect(store.append({ ...draft(1), change_outcome: 'DONE' as never })).rejects.toThrow(/\/change_outcome/)
    expect(await store.head()).toBeNull()
  })

  test('a draft of another stream is refused', async () => {
    const { store } = await make()
    await store.append(draft(1))
    await expect(store.append({ ...draft(2), stream: 'github.com/acme/other' })).rejects.toThrow(/holds stream 'github.com\/acme\/app'/)
  })

  test('separate store instances racing lose no record and leave a valid chain', async () => {
    const { store, another } = await make()
    const writers = Array.from({ length: race.writers }, () => another())
    const results = await Promise.all(writers.map(async (w, i) => {
      const out = []
      for (let k = 0; k < race.each; k++) out.push(await w.append(draft(100 * (k + 1) + i)))
      return out
    }))
    const total = race.writers * race.each
    const seqs = results.flat().map((r) => r.record.seq).sort((a, b) => a - b)
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1))
    const summary = await verifyStore(store)
    expect(summary).toMatchObject({ ok: true, records: total })
  }, 180000)
}
