import { describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DirStore } from '../../src/evidence/backends/dir.js'
import { GitLocalStore } from '../../src/evidence/backends/git-local.js'
import { recordPath } from '../../src/evidence/chain.js'
import { draft, runCli } from '../evidence/helpers.js'

async function dirStore(n: number): Promise<{ root: string; url: string }> {
  const root = mkdtempSync(join(tmpdir(), 'cg-cli-verify-'))
  const s = new DirStore(root)
  for (let i = 1; i <= n; i++) await s.append(draft(i))
  return { root, url: `dir://${root}` }
}

describe('change-gate verify', () => {
  test('an intact log: exit 0, the head to keep, and a JSON summary', async () => {
    const { url } = await dirStore(4)
    const text = await runCli(['verify', '--store', url])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/^OK: 4 records verified in dir:\/\/.*\nhead 4:[0-9a-f]{64}\n/)
    const json = await runCli(['verify', '--store', url, '--format', 'json'])
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, records: 4, first_seq: 1, last_seq: 4, first_broken: null, stream: 'github.com/acme/app' })
  })

  test('a tampered log: exit 1 naming the first broken record', async () => {
    const { root, url } = await dirStore(4)
    const p = join(root, recordPath(2))
    writeFileSync(p, readFileSync(p, 'utf8').replace('"changed_by":"alice"', '"changed_by":"bob"'))
    const r = await runCli(['verify', '--store', url])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^BROKEN at record 3 \(broken_link\): .*record 2 was altered/)
    const json = JSON.parse((await runCli(['verify', '--store', url, '--format', 'json'])).stdout)
    expect(json).toMatchObject({ ok: false, records: 1, last_seq: 1, first_broken: { seq: 3, code: 'broken_link' } })
  })

  test('--expect proves a kept head is still there, on a git store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-cli-verify-git-'))
    const repo = join(dir, 'r.git')
    execFileSync('git', ['init', '-q', '--bare', repo])
    const s = new GitLocalStore(repo)
    for (let i = 1; i <= 3; i++) await s.append(draft(i))
    const head = /head (\d+:[0-9a-f]{64})/.exec((await runCli(['verify', '--store', `git+file://${repo}`])).stdout)![1]!
    expect((await runCli(['verify', '--store', `git+file://${repo}`, '--expect', head])).code).toBe(0)
    execFileSync('git', ['-C', repo, 'update-ref', 'refs/heads/change-gate/evidence', 'change-gate/evidence~1'])
    const r = await runCli(['verify', '--store', `git+file://${repo}`, '--expect', head])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/BROKEN at record 3 \(truncated\)/)
    expect((await runCli(['verify', '--store', `git+file://${repo}`, '--expect', '3:abc'])).code).toBe(2)
  })

  test('a store that cannot be opened is a runtime error (exit 2) with the fix', async () => {
    const r = await runCli(['verify', '--store', 'git+file:///nonexistent/cg/repo.git'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/does not exist\. Create the repository first/)
  })

  test('progress goes to stderr only on a terminal', async () => {
    const { url } = await dirStore(2)
    const r = await runCli(['verify', '--store', url], { isTTY: false })
    expect(r.stderr).toBe('')
  })
})
