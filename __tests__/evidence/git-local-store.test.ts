import { describe, expect, test } from '@jest/globals'
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { GitLocalStore } from '../../src/evidence/backends/git-local.js'
import { recordPath } from '../../src/evidence/chain.js'
import { verifyStore } from '../../src/evidence/verify.js'
import { storeContract } from './contract.js'
import { draft } from './helpers.js'

const BRANCH = 'change-gate/evidence'

function bareRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cg-git-'))
  const repo = join(dir, 'repo.git')
  execFileSync('git', ['init', '-q', '--bare', repo])
  return repo
}

function sh(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'mallory', GIT_AUTHOR_EMAIL: 'm@example.com', GIT_COMMITTER_NAME: 'mallory', GIT_COMMITTER_EMAIL: 'm@example.com' }
  })
}

/** A working clone of the evidence branch, the way someone tampering with it would work. */
function clone(repo: string): string {
  const work = join(mkdtempSync(join(tmpdir(), 'cg-work-')), 'w')
  execFileSync('git', ['clone', '-q', '-b', BRANCH, repo, work])
  return work
}

async function filled(n: number): Promise<{ repo: string; store: GitLocalStore }> {
  const repo = bareRepo()
  const store = new GitLocalStore(repo)
  for (let i = 1; i <= n; i++) await store.append(draft(i))
  return { repo, store }
}

describe('git-local backend (real git)', () => {
  storeContract(async () => {
    const repo = bareRepo()
    return { store: new GitLocalStore(repo), another: () => new GitLocalStore(repo) }
  })

  test('the branch is an orphan with one commit per record, each adding one record file', async () => {
    const { repo } = await filled(3)
    const commits = sh(repo, 'rev-list', BRANCH).trim().split('\n')
    expect(commits).toHaveLength(3)
    expect(sh(repo, 'rev-list', '--max-parents=0', BRANCH).trim()).toBe(commits[2])
    const added = sh(repo, 'diff-tree', '--no-commit-id', '--name-status', '-r', commits[0]!).trim().split('\n')
    expect(added.filter((l) => l.startsWith('A\trecords/'))).toEqual([`A\t${recordPath(3)}`])
    expect(added).toContain('M\tHEAD.json')
    expect(sh(repo, 'show', `${BRANCH}:HEAD.json`)).toMatch(/^\{"hash":"[0-9a-f]{64}","seq":3,"stream":"github.com\/acme\/app"\}\n$/)
  })

  test('20 writer processes appending concurrently lose no record and leave a valid chain', async () => {
    const repo = bareRepo()
    const worker = fileURLToPath(new URL('./support/append-worker.ts', import.meta.url))
    const perWriter = 2
    const goFile = join(mkdtempSync(join(tmpdir(), 'cg-go-')), 'go')
    let ready = 0
    let release: () => void = () => {}
    const allReady = new Promise<void>((r) => (release = r))
    const runs = Array.from({ length: 20 }, (_, w) => new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', worker, repo, String(w), String(perWriter), goFile], { stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      let err = ''
      let counted = false
      child.stdout.on('data', (c) => {
        out += c
        if (!counted && out.startsWith('ready\n')) {
          counted = true
          if (++ready === 20) release()
        }
      })
      child.stderr.on('data', (c) => (err += c))
      child.on('close', (code) => (code === 0 ? resolve(out.slice('ready\n'.length)) : reject(new Error(`writer ${w} exited ${code}: ${err}`))))
    }))
    // A writer that dies before it is ready fails the test instead of leaving it waiting.
    await Promise.race([allReady, Promise.all(runs)])
    writeFileSync(goFile, 'go')
    const outputs = await Promise.all(runs)
    const attempts = outputs.map((o) => JSON.parse(o).attempts as number)
    const store = new GitLocalStore(repo)
    const summary = await verifyStore(store)
    expect(summary).toMatchObject({ ok: true, records: 20 * perWriter })
    // Every writer's every record is there exactly once.
    const ids = new Set<string>()
    for await (const e of store.read()) ids.add(JSON.parse(e.bytes.toString()).change_id)
    for (let w = 0; w < 20; w++) for (let i = 0; i < perWriter; i++) expect(ids.has(draft(1000 * (w + 1) + i).change_id)).toBe(true)
    // The writers really raced: some had to retry.
    expect(attempts.reduce((a, b) => a + b, 0)).toBeGreaterThan(20 * perWriter)
    expect(Number(sh(repo, 'rev-list', '--count', BRANCH).trim())).toBe(20 * perWriter)
  }, 180000)

  test('an edited field (pushed as a new commit) is caught, naming the record', async () => {
    const { repo, store } = await filled(5)
    const work = clone(repo)
    const p = join(work, recordPath(3))
    writeFileSync(p, readFileSync(p, 'utf8').replace('"approved_by":["bob"]', '"approved_by":["eve"]'))
    sh(work, 'commit', '-qam', 'fix approver')
    sh(work, 'push', '-q', 'origin', BRANCH)
    const s = await verifyStore(store)
    expect(s.first_broken).toMatchObject({ seq: 4, code: 'broken_link' })
    expect(s.first_broken!.message).toMatch(/record 3 was altered/)
  })

  test('a deleted record is caught as missing', async () => {
    const { repo, store } = await filled(5)
    const work = clone(repo)
    sh(work, 'rm', '-q', recordPath(2))
    sh(work, 'commit', '-qm', 'remove')
    sh(work, 'push', '-q', 'origin', BRANCH)
    expect((await verifyStore(store)).first_broken).toMatchObject({ seq: 2, code: 'missing' })
  })

  test('reordered records are caught', async () => {
    const { repo, store } = await filled(5)
    const work = clone(repo)
    const a = join(work, recordPath(3))
    const b = join(work, recordPath(4))
    const [ta, tb] = [readFileSync(a), readFileSync(b)]
    writeFileSync(a, tb)
    writeFileSync(b, ta)
    sh(work, 'commit', '-qam', 'swap')
    sh(work, 'push', '-q', 'origin', BRANCH)
    expect((await verifyStore(store)).first_broken).toMatchObject({ seq: 3, code: 'seq_mismatch' })
  })

  test('rewritten history (amend an old commit, replay the rest, force-push) is caught', async () => {
    const { repo, store } = await filled(5)
    const work = clone(repo)
    const commits = sh(work, 'rev-list', '--reverse', 'HEAD').trim().split('\n')
    sh(work, 'checkout', '-q', commits[1]!)
    const p = join(work, recordPath(2))
    writeFileSync(p, readFileSync(p, 'utf8').replace('"ticket_reference":["ABC-2"]', '"ticket_reference":["ABC-999"]'))
    sh(work, 'commit', '-q', '--amend', '-am', 'rewritten')
    for (const c of commits.slice(2)) sh(work, 'cherry-pick', c)
    sh(work, 'push', '-q', '--force', 'origin', `HEAD:refs/heads/${BRANCH}`)
    const s = await verifyStore(store)
    expect(s.first_broken).toMatchObject({ seq: 3, code: 'broken_link' })
  })

  test('a consistent forgery force-pushed over the branch is caught against the head an auditor kept', async () => {
    const { repo, store } = await filled(4)
    const kept = (await store.head())!
    const forgedRepo = bareRepo()
    const forged = new GitLocalStore(forgedRepo)
    for (let i = 1; i <= 4; i++) await forged.append(i === 2 ? { ...draft(2), approved_by: ['eve'] } : draft(i))
    sh(forgedRepo, 'push', '-q', '--force', repo, `${BRANCH}:${BRANCH}`)
    expect((await verifyStore(store)).ok).toBe(true)
    expect((await verifyStore(store, { expect: kept })).first_broken).toMatchObject({ seq: 4, code: 'anchor_mismatch' })
  })

  test('dropping the newest records (force-push to an older commit) is caught against a kept head', async () => {
    const { repo, store } = await filled(4)
    const kept = (await store.head())!
    sh(repo, 'update-ref', `refs/heads/${BRANCH}`, `${BRANCH}~2`)
    expect((await verifyStore(store)).ok).toBe(true)
    expect((await verifyStore(store, { expect: kept })).first_broken).toMatchObject({ seq: 3, code: 'truncated' })
  })

  test('an edit of the newest record is caught by HEAD.json', async () => {
    const { repo, store } = await filled(3)
    const work = clone(repo)
    const p = join(work, recordPath(3))
    writeFileSync(p, readFileSync(p, 'utf8').replace('"changed_by":"alice"', '"changed_by":"bob"'))
    sh(work, 'commit', '-qam', 'edit')
    sh(work, 'push', '-q', 'origin', BRANCH)
    expect((await verifyStore(store)).first_broken).toMatchObject({ seq: 3, code: 'head_mismatch' })
  })

  test('a missing repository fails with a message that says how to fix it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-none-'))
    rmSync(dir, { recursive: true })
    await expect(new GitLocalStore(dir).append(draft(1))).rejects.toThrow(/does not exist\. Create the repository first \(git init --bare/)
    expect(() => new GitLocalStore(dir, '-delete')).toThrow(/invalid evidence branch name/)
  })
})
