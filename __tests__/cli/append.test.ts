import { describe, expect, test } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { draft, runCli } from '../evidence/helpers.js'

function setup(): { dir: string; store: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cg-cli-append-'))
  return { dir, store: `dir://${join(dir, 'store')}` }
}

describe('change-gate append', () => {
  test('appends a valid record, and a second append of the same change_id writes nothing', async () => {
    const { dir, store } = setup()
    writeFileSync(join(dir, 'r.json'), JSON.stringify(draft(1)))
    const first = await runCli(['append', '--store', store, join(dir, 'r.json')])
    expect(first).toMatchObject({ code: 0 })
    expect(first.stdout).toMatch(/^appended record 1 \(merge-[0-9a-f]{32}\) to dir:\/\//)
    const again = await runCli(['append', '--store', store, '--format', 'json', join(dir, 'r.json')])
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({ created: false, seq: 1, change_id: draft(1).change_id })
  })

  test('works against a git repository (relative paths resolve from the cwd)', async () => {
    const { dir } = setup()
    execFileSync('git', ['init', '-q', '--bare', join(dir, 'ev.git')])
    writeFileSync(join(dir, 'r.json'), JSON.stringify(draft(2)))
    const r = await runCli(['append', '--store', 'git+file:ev.git#audit/log', 'r.json'], { cwd: dir })
    expect(r.code).toBe(0)
    expect(execFileSync('git', ['-C', join(dir, 'ev.git'), 'rev-list', '--count', 'audit/log'], { encoding: 'utf8' }).trim()).toBe('1')
  })

  test('an invalid record is refused with exit 2, naming the field, and nothing is written', async () => {
    const { dir, store } = setup()
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...draft(1), approved_by: 'bob', seq: 3 }))
    const r = await runCli(['append', '--store', store, join(dir, 'bad.json')])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/\/seq: is assigned by the store/)
    expect(r.stderr).toMatch(/\/approved_by: must be array/)
    const v = await runCli(['verify', '--store', store, '--format', 'json'])
    expect(JSON.parse(v.stdout).records).toBe(0)
  })

  test('usage errors exit 2: missing file, not JSON, no --store, unknown store URL', async () => {
    const { dir, store } = setup()
    writeFileSync(join(dir, 'x.json'), '{nope')
    expect((await runCli(['append', '--store', store])).code).toBe(2)
    const notJson = await runCli(['append', '--store', store, join(dir, 'x.json')])
    expect([notJson.code, notJson.stderr]).toEqual([2, expect.stringMatching(/is not JSON/)])
    writeFileSync(join(dir, 'r.json'), JSON.stringify(draft(1)))
    const noStore = await runCli(['append', join(dir, 'r.json')])
    expect([noStore.code, noStore.stderr]).toEqual([2, expect.stringMatching(/--store is required/)])
    const badUrl = await runCli(['append', '--store', 's4://x', join(dir, 'r.json')])
    expect([badUrl.code, badUrl.stderr]).toEqual([2, expect.stringMatching(/unsupported evidence store URL 's4:\/\/x'.*git\+file/)])
    expect((await runCli(['append', '--store', store, '--bogus', join(dir, 'r.json')])).code).toBe(2)
  })
})
