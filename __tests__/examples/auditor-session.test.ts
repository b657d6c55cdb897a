/**
 * The auditor's session of the README ("For auditors") runs as written: examples/audit-session.sh,
 * whose command lines the README shows verbatim, runs against the BUILT CLI (bundled from src into
 * a temporary dist/) from a folder laid out like the repository root, with a HOME that has no git
 * identity. Reconcile runs against a local stand-in for GitHub's REST API through GITHUB_API_URL,
 * as it would against GitHub Enterprise Server.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile, execFileSync } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RecordDraft } from '../../src/evidence/record.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const SCRIPT = readFileSync(join(ROOT, 'examples/audit-session.sh'), 'utf8')
const DRAFTS: RecordDraft[] = readdirSync(join(ROOT, 'examples/evidence')).sort().map((f) => JSON.parse(readFileSync(join(ROOT, 'examples/evidence', f), 'utf8')))

let tmp = ''
let server: Server
let api = ''
const apiRequests: string[] = []
let session: { code: number; stdout: string; stderr: string }

/** Lines a shell runs: neither blank nor a comment. */
function commandLines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))
}

function run(file: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: join(tmp, 'repo'), env, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr })
    })
  })
}

function env(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: join(tmp, 'home'),
    GIT_CONFIG_NOSYSTEM: '1',
    WORK: join(tmp, 'work'),
    GITHUB_TOKEN: 'ghs_auditor',
    RECONCILE_REPO: 'acme/payments-api',
    GITHUB_API_URL: api
  }
}

/** GitHub's answer for acme/payments-api: the PRs the example's merge records are for, merged into main. */
function startApi(): Promise<void> {
  const merged = DRAFTS.filter((d) => d.kind === 'merge').map((d) => ({
    number: d.pr!.number, html_url: d.pr!.url, merged_at: d.change_ts, updated_at: d.change_ts, merge_commit_sha: d.merge_sha, base: { ref: 'main' }
  }))
  server = createServer((req, res) => {
    apiRequests.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`)
    const url = new URL(req.url!, 'http://x')
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    if (!/^(token|Bearer) ghs_auditor$/.test(req.headers.authorization ?? '')) return json(401, { message: 'Bad credentials' })
    if (url.pathname === '/repos/acme/payments-api') return json(200, { default_branch: 'main' })
    if (url.pathname === '/repos/acme/payments-api/pulls' && url.searchParams.get('base') === 'main') return json(200, [...merged].reverse())
    return json(404, { message: 'Not Found' })
  })
  return new Promise((r) => server.listen(0, '127.0.0.1', () => {
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    r()
  }))
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cg-audit-session-'))
  // The repository root after `npm ci && npm run build`: dist/ built from src, the examples beside it.
  const repo = join(tmp, 'repo')
  mkdirSync(repo)
  mkdirSync(join(tmp, 'home'))
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--outdir', join(repo, 'dist')], { cwd: ROOT, stdio: 'pipe' })
  for (const d of ['examples', 'policies', 'schemas']) symlinkSync(join(ROOT, d), join(repo, d))
  await startApi()
  session = await run('sh', ['examples/audit-session.sh'], env())
}, 180_000)
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()))
  rmSync(tmp, { recursive: true, force: true })
})

describe('the README shows the session script as it runs', () => {
  it("the README's 'For auditors' block has exactly the command lines of examples/audit-session.sh", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('## For auditors'))
    const block = /```sh\n([\s\S]*?)```/.exec(section.slice(0, section.indexOf('\n## ', 3) > 0 ? section.indexOf('\n## ', 3) : undefined))
    expect(block).not.toBeNull()
    const script = SCRIPT.slice(SCRIPT.indexOf('set -eu\n') + 'set -eu\n'.length)
    expect(commandLines(block![1]!)).toEqual(commandLines(script))
  })

  it('the example drafts are what scripts/make-example-evidence.ts builds with the record builders', () => {
    const out = join(tmp, 'regenerated')
    execFileSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'scripts/make-example-evidence.ts'), out], { cwd: ROOT, stdio: 'pipe' })
    for (const f of readdirSync(join(ROOT, 'examples/evidence'))) {
      expect(readFileSync(join(out, f), 'utf8')).toBe(readFileSync(join(ROOT, 'examples/evidence', f), 'utf8'))
    }
    expect(readdirSync(out).sort()).toEqual(readdirSync(join(ROOT, 'examples/evidence')).sort())
  }, 60_000)
})

describe('examples/audit-session.sh on the embedded default store (git+file://, change-gate/evidence)', () => {
  const storeUrl = () => `git+file://${join(tmp, 'work', 'evidence.git')}#change-gate/evidence`

  it('runs to the end (exit 0) with nothing on stderr', () => {
    expect(session.stderr).toBe('')
    expect(session.code).toBe(0)
  })

  it('verify: every appended record, the whole chain, then the head to keep', () => {
    expect(session.stdout).toContain(`OK: ${DRAFTS.length} records verified in ${storeUrl()} (seq 1..${DRAFTS.length}, stream github.com/acme/payments-api)`)
    expect(session.stdout).toMatch(new RegExp(`^head ${DRAFTS.length}:[0-9a-f]{64}$`, 'm'))
  })

  it('reconcile: through GITHUB_API_URL, every merged PR of the quarter has exactly one merge record', () => {
    const merges = DRAFTS.filter((d) => d.kind === 'merge').length
    expect(session.stdout).toContain(`${merges} merged pull requests in GitHub, ${merges} with exactly one merge record`)
    expect(session.stdout).toContain('OK: the log is complete for the period.')
    expect(apiRequests.some((r) => r.startsWith('GET /repos/acme/payments-api/pulls?state=closed&base=main') && r.endsWith(' ghs_auditor'))).toBe(true)
  })

  it('sample: the same seed draws the same changes, with the same checks, when run again', async () => {
    const first = /^Sample of [\s\S]*?(?=^\{"manifest")/m.exec(session.stdout)?.[0]
    expect(first).toMatch(/^Sample of 3 from a population of \d+ .*seed 'soc2-2026-q1'/)
    expect(first).toMatch(/\[(PASS|FAIL|CHECK)\] approval by someone other than the author/)
    // Draw again twice from a second store built by the session's own first lines (the first store
    // was tampered with at the end of the session).
    const lines = commandLines(SCRIPT.slice(SCRIPT.indexOf('set -eu\n')))
    const prelude = lines.slice(0, lines.findIndex((l) => l.startsWith('for f in examples/evidence/')) + 1)
    const sample = lines.find((l) => l.startsWith('node dist/cli.js sample '))!
    const other = { ...env(), WORK: join(tmp, 'work2') }
    const again = await run('sh', ['-c', [...prelude, sample].join('\n')], other)
    const twice = await run('sh', ['-c', [...prelude.filter((l) => l.startsWith('WORK=') || l.startsWith('STORE=')), sample].join('\n')], other)
    expect(again.code).toBe(0)
    expect(twice.code).toBe(0)
    const here = (text: string) => text.split(join(tmp, 'work2')).join(join(tmp, 'work'))
    expect(here(again.stdout)).toBe(first)
    expect(twice.stdout).toBe(again.stdout)
  })

  it('export: a CSV of the quarter, change-log columns first, and a manifest that counts its rows', () => {
    const manifest = JSON.parse(/^\{"manifest".*$/m.exec(session.stdout)![0])
    expect(manifest).toMatchObject({ manifest: 'change-gate/export/v1', format: 'csv', rows: DRAFTS.length, first_seq: 1, last_seq: DRAFTS.length, verify: { ok: true } })
    const csv = readFileSync(join(tmp, 'work', 'changes-q1.csv'), 'utf8')
    expect(csv.split('\n')[0]).toMatch(/^change_id,change_ts,changed_by,approved_by,change_type,change_desc,affected_systems,ticket_reference,rollback_plan,change_outcome,/)
    expect(csv.trimEnd().split('\n')).toHaveLength(DRAFTS.length + 1)
  })

  it('report: the break-glass merge is the one not independently approved, and its review is not overdue', () => {
    expect(session.stdout).toContain('Approval coverage: 4 of 5 merges approved by someone other than the author (80.0%)')
    expect(session.stdout).toContain('Exceptions (break glass): 1, reviewed 1')
    expect(session.stdout).toContain('Overdue retroactive reviews: 0')
  })

  it('tampering: an edited record pushed to the branch makes verify exit 1, naming the record', async () => {
    expect(session.stdout).toMatch(/^BROKEN at record 5 \(broken_link\): .*record 4 was altered/m)
    expect(session.stdout).toMatch(/^verify exited 1$/m)
    const again = await run(process.execPath, ['dist/cli.js', 'verify', '--store', storeUrl()], env())
    expect(again.code).toBe(1)
    expect(again.stdout).toContain('record 4 was altered')
  })
})
