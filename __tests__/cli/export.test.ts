import { describe, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DirStore } from '../../src/evidence/backends/dir.js'
import { csvCell } from '../../src/evidence/export.js'
import { draft, runCli } from '../evidence/helpers.js'

async function store(): Promise<{ root: string; url: string }> {
  const root = mkdtempSync(join(tmpdir(), 'cg-cli-export-'))
  const s = new DirStore(root)
  await s.append(draft(1, { change_ts: '2026-01-10T12:00:00Z', change_desc: '=HYPERLINK("http://evil","x")' }))
  await s.append(draft(2, { change_ts: '2026-02-10T12:00:00Z', change_desc: 'Fix "quotes", commas\nand lines', approved_by: ['bob', 'carol'] }))
  await s.append(draft(3, { change_ts: '2026-03-10T12:00:00Z', change_desc: '@SUM(A1)', rollback_plan: null }))
  return { root, url: `dir://${root}` }
}

/** Splits RFC 4180 text into rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++
      else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') row.push(cell), (cell = '')
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++
    else cell += c
  }
  return rows
}

describe('change-gate export', () => {
  test('CSV: change-log columns first, RFC 4180 quoting, formula guard, manifest on stderr', async () => {
    const { url } = await store()
    const r = await runCli(['export', '--store', url, '--format', 'csv'])
    expect(r.code).toBe(0)
    const rows = parseCsv(r.stdout)
    expect(rows[0]!.slice(0, 10)).toEqual(['change_id', 'change_ts', 'changed_by', 'approved_by', 'change_type', 'change_desc', 'affected_systems', 'ticket_reference', 'rollback_plan', 'change_outcome'])
    expect(rows).toHaveLength(4)
    const col = (name: string) => rows[0]!.indexOf(name)
    expect(rows[1]![col('change_desc')]).toBe('\'=HYPERLINK("http://evil","x")')
    expect(rows[2]![col('change_desc')]).toBe('Fix "quotes", commas\nand lines')
    expect(rows[2]![col('approved_by')]).toBe('bob; carol')
    expect(rows[3]![col('change_desc')]).toBe("'@SUM(A1)")
    expect(rows[3]![col('rollback_plan')]).toBe('')
    expect(rows[1]![col('record_hash')]).toMatch(/^[0-9a-f]{64}$/)
    const manifest = JSON.parse(/^# manifest (.*)$/m.exec(r.stderr)![1]!)
    expect(manifest).toMatchObject({ manifest: 'change-gate/export/v1', format: 'csv', rows: 3, first_seq: 1, last_seq: 3, verify: { ok: true, records: 3 } })
    expect(manifest.sha256).toBe(createHash('sha256').update(r.stdout).digest('hex'))
  })

  test('the period filters on change_ts; --output writes the file and its manifest', async () => {
    const { root, url } = await store()
    const out = join(root, 'q1.json')
    const r = await runCli(['export', '--store', url, '--format', 'json', '--from', '2026-02-01', '--to', '2026-03-10', '--output', out])
    expect(r.code).toBe(0)
    const manifest = JSON.parse(r.stdout)
    expect(manifest).toMatchObject({ rows: 2, first_seq: 2, last_seq: 3, period: { from: '2026-02-01T00:00:00.000Z', to: '2026-03-10T23:59:59.999Z' } })
    const text = readFileSync(out, 'utf8')
    expect(createHash('sha256').update(text).digest('hex')).toBe(manifest.sha256)
    expect(JSON.parse(text).map((x: { seq: number }) => x.seq)).toEqual([2, 3])
    expect(JSON.parse(readFileSync(out + '.manifest.json', 'utf8'))).toEqual(manifest)
  })

  test('usage errors: bad format, bad date', async () => {
    const { url } = await store()
    expect((await runCli(['export', '--store', url, '--format', 'xlsx'])).stderr).toMatch(/--format must be one of csv, json/)
    const bad = await runCli(['export', '--store', url, '--format', 'csv', '--from', 'last week'])
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/--from 'last week' is not a date/)])
  })

  test('csvCell guards every formula prefix and leaves plain text alone', () => {
    expect(['=1', '+1', '-1', '@a', '\tx', 'plain', 'a,b'].map(csvCell)).toEqual(["'=1", "'+1", "'-1", "'@a", "'\tx", 'plain', '"a,b"'])
  })
})
