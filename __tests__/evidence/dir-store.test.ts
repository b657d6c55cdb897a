import { describe, expect, test } from '@jest/globals'
import { mkdtempSync, promises as fs } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DirStore } from '../../src/evidence/backends/dir.js'
import { recordPath } from '../../src/evidence/chain.js'
import { verifyStore } from '../../src/evidence/verify.js'
import { storeContract } from './contract.js'
import { draft } from './helpers.js'

function fresh(): string {
  return mkdtempSync(join(tmpdir(), 'cg-dir-'))
}

describe('dir backend', () => {
  storeContract(async () => {
    const root = fresh()
    return { store: new DirStore(root), another: () => new DirStore(root) }
  })

  async function filled(n: number): Promise<{ root: string; store: DirStore }> {
    const root = fresh()
    const store = new DirStore(root)
    for (let i = 1; i <= n; i++) await store.append(draft(i))
    return { root, store }
  }

  test('an edited field is caught at the next record, naming the altered one', async () => {
    const { root, store } = await filled(5)
    const p = join(root, recordPath(3))
    await fs.writeFile(p, (await fs.readFile(p, 'utf8')).replace('"approved_by":["bob"]', '"approved_by":["eve"]'))
    const s = await verifyStore(store)
    expect(s.ok).toBe(false)
    expect(s.first_broken).toMatchObject({ seq: 4, code: 'broken_link' })
    expect(s.first_broken!.message).toMatch(/record 3 was altered/)
    expect(s.records).toBe(2) // record 3 is the suspect: only 1..2 are vouched for
  })

  test('an edit of the last record is caught by the head pointer', async () => {
    const { root, store } = await filled(3)
    const p = join(root, recordPath(3))
    await fs.writeFile(p, (await fs.readFile(p, 'utf8')).replace('"changed_by":"alice"', '"changed_by":"mallory"'))
    const s = await verifyStore(store)
    expect(s.first_broken).toMatchObject({ seq: 3, code: 'head_mismatch' })
  })

  test('a re-formatted record is caught as not canonical', async () => {
    const { root, store } = await filled(3)
    const p = join(root, recordPath(2))
    await fs.writeFile(p, JSON.stringify(JSON.parse(await fs.readFile(p, 'utf8')), null, 2))
    expect((await verifyStore(store)).first_broken).toMatchObject({ seq: 2, code: 'not_canonical' })
  })

  test('a deleted record is caught as missing', async () => {
    const { root, store } = await filled(5)
    await fs.rm(join(root, recordPath(2)))
    expect((await verifyStore(store)).first_broken).toMatchObject({ seq: 2, code: 'missing' })
  })

  test('deleting the tail is caught by the head pointer and by an expected head', async () => {
    const { root, store } = await filled(5)
    const head = (await store.head())!
    await fs.rm(join(root, recordPath(5)))
    expect((await verifyStore(store)).first_broken).toMatchObject({ seq: 5, code: 'head_mismatch' })
    await fs.rm(join(root, 'HEAD.json'))
    expect((await verifyStore(store)).ok).toBe(true)
    expect((await verifyStore(store, { expect: head })).first_broken).toMatchObject({ seq: 5, code: 'truncated' })
  })

  test('swapped records are caught as reordered', async () => {
    const { root, store } = await filled(5)
    const a = join(root, recordPath(2))
    const b = join(root, recordPath(3))
    const [ba, bb] = [await fs.readFile(a), await fs.readFile(b)]
    await fs.writeFile(a, bb)
    await fs.writeFile(b, ba)
    expect((await verifyStore(store)).first_broken).toMatchObject({ seq: 2, code: 'seq_mismatch' })
  })

  test('a consistently rewritten log is caught only against an expected head', async () => {
    const { root, store } = await filled(3)
    const head = (await store.head())!
    const other = fresh()
    const forged = new DirStore(other)
    await forged.append(draft(1))
    await forged.append({ ...draft(2), approved_by: ['eve'] })
    await forged.append(draft(3))
    await fs.rm(join(root, 'records'), { recursive: true })
    await fs.cp(join(other, 'records'), join(root, 'records'), { recursive: true })
    await fs.cp(join(other, 'HEAD.json'), join(root, 'HEAD.json'))
    expect((await verifyStore(store)).ok).toBe(true)
    expect((await verifyStore(store, { expect: head })).first_broken).toMatchObject({ seq: 3, code: 'anchor_mismatch' })
  })
})
