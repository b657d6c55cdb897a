import { describe, expect, test } from '@jest/globals'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DirStore } from '../../src/evidence/backends/dir.js'
import { SeededRandom } from '../../src/evidence/sample.js'
import { changeId } from '../../src/evidence/change-id.js'
import { draft, runCli } from '../evidence/helpers.js'

let shared: Promise<string> | undefined
function store(): Promise<string> {
  shared ??= (async () => {
    const root = mkdtempSync(join(tmpdir(), 'cg-cli-sample-'))
    const s = new DirStore(root)
    for (let i = 1; i <= 40; i++) await s.append(draft(i, { change_ts: `2026-${i <= 20 ? '01' : '02'}-${String((i % 20) + 1).padStart(2, '0')}T10:00:00Z` }))
    await s.append(draft(41, {
      kind: 'direct_push', change_id: changeId({ repository: 'acme/app', kind: 'direct_push', subject: 'f'.repeat(40) }),
      pr: null, approved_by: [], change_outcome: 'PUSHED', change_ts: '2026-02-25T10:00:00Z',
      decision: { verdict: 'deny', violations: [{ code: 'push/no-pull-request', message: 'commit ffffffffffff reached main without a merged pull request (pushed by alice)' }], exceptions: [] }
    }))
    await s.append(draft(42, { kind: 'deployment', change_id: 'deployment-x', environment: 'prod', change_outcome: 'DEPLOYING' }))
    return `dir://${root}`
  })()
  return shared
}

describe('change-gate sample', () => {
  test('the same seed gives the same sample; another seed another one', async () => {
    const url = await store()
    const a = JSON.parse((await runCli(['sample', '--store', url, '--size', '10', '--seed', 'audit-2026', '--format', 'json'])).stdout)
    const b = JSON.parse((await runCli(['sample', '--store', url, '--size', '10', '--seed', 'audit-2026', '--format', 'json'])).stdout)
    const c = JSON.parse((await runCli(['sample', '--store', url, '--size', '10', '--seed', 'audit-2027', '--format', 'json'])).stdout)
    expect(a.population).toBe(41)
    expect(a.sample).toHaveLength(10)
    expect(a.sample.map((s: { seq: number }) => s.seq)).toEqual(b.sample.map((s: { seq: number }) => s.seq))
    expect(a.sample.map((s: { seq: number }) => s.seq)).not.toEqual(c.sample.map((s: { seq: number }) => s.seq))
    const seqs = a.sample.map((s: { seq: number }) => s.seq)
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs)
    expect(new Set(seqs).size).toBe(10)
    expect(seqs).not.toContain(42)
  })

  test('period and kind filters; a direct push fails the approval check', async () => {
    const url = await store()
    const r = JSON.parse((await runCli(['sample', '--store', url, '--size', '5', '--seed', 's', '--from', '2026-02-01', '--kind', 'direct_push', '--format', 'json'])).stdout)
    expect(r.population).toBe(1)
    const checks = r.sample[0].checks
    expect(checks.find((c: { check: string }) => c.check === 'approval by someone other than the author')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/without a merged pull request/) })
    expect(checks.find((c: { check: string }) => c.check === 'policy verdict')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/push\/no-pull-request/) })
    const feb = JSON.parse((await runCli(['sample', '--store', url, '--size', '100', '--seed', 's', '--from', '2026-02-01', '--to', '2026-02-28', '--format', 'json'])).stdout)
    expect(feb.population).toBe(21)
    expect(feb.size).toBe(21)
  })

  test('text output lists each change with its checks', async () => {
    const url = await store()
    const r = await runCli(['sample', '--store', url, '--size', '2', '--seed', '1'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Sample of 2 from a population of 41/)
    expect(r.stdout).toMatch(/\[PASS\] approval by someone other than the author: approved by bob; author alice/)
    expect(r.stdout).toMatch(/\[CHECK\] ticket: open ABC-\d+ and confirm/)
  })

  test('--size and --seed are required', async () => {
    const url = await store()
    expect((await runCli(['sample', '--store', url, '--seed', 'x'])).stderr).toMatch(/--size is required/)
    expect((await runCli(['sample', '--store', url, '--size', '0', '--seed', 'x'])).stderr).toMatch(/positive integer/)
    expect((await runCli(['sample', '--store', url, '--size', '3'])).stderr).toMatch(/--seed is required/)
    expect((await runCli(['sample', '--store', url, '--size', '3', '--seed', 'x', '--kind', 'merges'])).code).toBe(2)
  })

  test('the random source is uniform enough and reproducible', () => {
    const r1 = new SeededRandom('x')
    const r2 = new SeededRandom('x')
    const draws = Array.from({ length: 6000 }, () => r1.int(6))
    expect(Array.from({ length: 6000 }, () => r2.int(6))).toEqual(draws)
    for (let k = 0; k < 6; k++) {
      const n = draws.filter((d) => d === k).length
      expect(n).toBeGreaterThan(850)
      expect(n).toBeLessThan(1150)
    }
  })
})
