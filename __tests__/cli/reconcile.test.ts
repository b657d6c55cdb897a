import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DirStore } from '../../src/evidence/backends/dir.js'
import { changeId } from '../../src/evidence/change-id.js'
import { draft, runCli } from '../evidence/helpers.js'

/** A local stand-in for GitHub's REST API: the repository and its closed pull requests, 100 per page. */
interface FakePr { number: number; merged_at: string | null; updated_at: string; base: string }
let server: Server
let api: string
const requests: string[] = []
const prs: FakePr[] = []

beforeAll(async () => {
  // 230 closed PRs into main (every 10th closed without merging), 5 into release, newest update first.
  for (let n = 1; n <= 230; n++) {
    const day = new Date(Date.UTC(2026, 0, 1) + n * 3600_000 * 6).toISOString()
    prs.push({ number: n, merged_at: n % 10 === 0 ? null : day, updated_at: day, base: 'main' })
  }
  for (let n = 231; n <= 235; n++) prs.push({ number: n, merged_at: '2026-01-20T00:00:00Z', updated_at: '2026-01-20T00:00:00Z', base: 'release' })
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`)
    const url = new URL(req.url!, 'http://x')
    if (!/^(token|Bearer) t0ken$/.test(req.headers.authorization ?? '')) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Bad credentials' }))
      return
    }
    if (url.pathname === '/repos/acme/app') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ default_branch: 'main' }))
      return
    }
    if (url.pathname === '/repos/acme/app/pulls') {
      const base = url.searchParams.get('base')
      const page = Number(url.searchParams.get('page') ?? '1')
      const list = prs.filter((p) => p.base === base && url.searchParams.get('state') === 'closed').sort((a, b) => b.updated_at.localeCompare(a.updated_at))
      const slice = list.slice((page - 1) * 100, page * 100)
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (page * 100 < list.length) {
        const next = new URL(url)
        next.searchParams.set('page', String(page + 1))
        headers.link = `<${api}${next.pathname}${next.search}>; rel="next"`
      }
      res.writeHead(200, headers).end(JSON.stringify(slice.map((p) => ({
        number: p.number, html_url: `https://github.com/acme/app/pull/${p.number}`, merged_at: p.merged_at,
        updated_at: p.updated_at, merge_commit_sha: 'c'.repeat(40), base: { ref: p.base }
      }))))
      return
    }
    res.writeHead(404).end('{"message":"Not Found"}')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

async function storeWith(numbers: number[], extra: (s: DirStore) => Promise<void> = async () => {}): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'cg-cli-reconcile-'))
  const s = new DirStore(root)
  for (const n of numbers) {
    const merged = prs.find((p) => p.number === n)?.merged_at ?? '2026-01-15T00:00:00Z'
    await s.append(draft(n, { change_ts: merged }))
  }
  await extra(s)
  return `dir://${root}`
}

const env = () => ({ GITHUB_API_URL: api, GITHUB_TOKEN: 't0ken' })
const mergedIntoMain = () => prs.filter((p) => p.base === 'main' && p.merged_at).map((p) => p.number)

describe('change-gate reconcile', () => {
  test('a complete log: every merged PR (over 3 pages) has exactly one merge record', async () => {
    const url = await storeWith(mergedIntoMain())
    requests.length = 0
    const r = await runCli(['reconcile', '--store', url, '--repo', 'acme/app', '--from', '2026-01-01', '--to', '2026-03-31'], { env: env() })
    expect(r.stdout).toMatch(/207 merged pull requests in GitHub, 207 with exactly one merge record/)
    expect(r.stdout).toMatch(/OK: the log is complete/)
    expect(r.code).toBe(0)
    expect(requests.filter((q) => q.includes('/pulls')).length).toBe(3)
    expect(requests[0]).toMatch(/^GET \/repos\/acme\/app (token|Bearer) t0ken$/)
  })

  test('missing, duplicated and unmatched records are listed and exit 1', async () => {
    const numbers = mergedIntoMain().filter((n) => n !== 7 && n !== 151)
    const url = await storeWith(numbers, async (s) => {
      await s.append(draft(8, { change_id: changeId({ repository: 'acme/app', kind: 'merge', subject: 8, scope: 'rerun' }), change_ts: '2026-01-03T00:00:00Z' }))
      await s.append(draft(10, { change_ts: '2026-01-03T12:00:00Z' }))
    })
    const r = await runCli(['reconcile', '--store', url, '--repo', 'acme/app', '--from', '2026-01-01', '--to', '2026-03-31', '--format', 'json'], { env: env() })
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout)
    expect(out.missing.map((m: { number: number }) => m.number)).toEqual([7, 151])
    expect(out.duplicated).toEqual([{ number: 8, seqs: [expect.any(Number), expect.any(Number)] }])
    expect(out.unmatched.map((u: { number: number }) => u.number)).toEqual([10])
    expect(out.ok).toBe(false)
    const text = await runCli(['reconcile', '--store', url, '--repo', 'acme/app', '--from', '2026-01-01', '--to', '2026-03-31'], { env: env() })
    expect(text.stdout).toMatch(/MISSING    PR #7 merged .* has no merge record/)
    expect(text.stdout).toMatch(/DUPLICATED PR #8 has 2 merge records/)
    expect(text.stdout).toMatch(/UNMATCHED  record \d+ .* PR #10/)
  })

  test('the period and --base narrow the population', async () => {
    const url = await storeWith([231, 232, 233, 234, 235])
    const r = await runCli(['reconcile', '--store', url, '--repo', 'acme/app', '--base', 'release', '--from', '2026-01-20', '--to', '2026-01-20', '--format', 'json'], { env: env() })
    expect(JSON.parse(r.stdout)).toMatchObject({ base: 'release', merged_pull_requests: 5, matched: 5, ok: true })
    expect(r.code).toBe(0)
  })

  test('API errors and usage errors exit 2 with the reason', async () => {
    const url = await storeWith([1])
    const denied = await runCli(['reconcile', '--store', url, '--repo', 'acme/app', '--from', '2026-01-01', '--to', '2026-01-31'], { env: { GITHUB_API_URL: api, GITHUB_TOKEN: 'wrong' } })
    expect([denied.code, denied.stderr]).toEqual([2, expect.stringMatching(/HTTP 401\): Bad credentials\. Set GITHUB_TOKEN/)])
    expect((await runCli(['reconcile', '--store', url, '--repo', 'acme', '--from', '2026-01-01', '--to', '2026-01-31'], { env: env() })).stderr).toMatch(/--repo must be OWNER\/NAME/)
    expect((await runCli(['reconcile', '--store', url, '--repo', 'acme/app', '--to', '2026-01-31'], { env: env() })).stderr).toMatch(/--from is required/)
  })
})
