import { afterAll, describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GitHubStore } from '../../src/evidence/backends/git-github.js'
import { GitLocalStore } from '../../src/evidence/backends/git-local.js'
import { openStore } from '../../src/evidence/factory.js'
import { verifyStore } from '../../src/evidence/verify.js'
import { storeContract } from './contract.js'
import { startFakeGitHub, type FakeGitHub } from './support/fake-github.js'
import { draft } from './helpers.js'

const servers: FakeGitHub[] = []
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()))
})

async function setup(): Promise<{ repo: string; gh: FakeGitHub; make: () => GitHubStore }> {
  const repo = join(mkdtempSync(join(tmpdir(), 'cg-gh-')), 'app.git')
  execFileSync('git', ['init', '-q', '--bare', repo])
  const gh = await startFakeGitHub(repo, 'acme', 'app', 'tok')
  servers.push(gh)
  const make = () => openStore('git+https://github.com/acme/app.git', { token: 'tok', apiUrl: gh.url, retry: { baseDelayMs: 5 } }) as GitHubStore
  return { repo, gh, make }
}

describe('git-github backend (Git Data API, against a stand-in over real git)', () => {
  storeContract(async () => {
    const { make } = await setup()
    return { store: make(), another: make }
  }, { writers: 4, each: 2 })

  test('writes the same layout as the local git backend: each verifies what the other wrote', async () => {
    const { repo, make } = await setup()
    const api = make()
    await api.append(draft(1))
    await api.append(draft(2))
    const local = new GitLocalStore(repo)
    await local.append(draft(3))
    await api.append(draft(4))
    expect(await verifyStore(local)).toMatchObject({ ok: true, records: 4 })
    expect(await verifyStore(api)).toMatchObject({ ok: true, records: 4 })
    expect(execFileSync('git', ['-C', repo, 'rev-list', '--count', 'change-gate/evidence'], { encoding: 'utf8' }).trim()).toBe('4')
    expect(execFileSync('git', ['-C', repo, 'rev-list', '--max-parents=0', 'change-gate/evidence'], { encoding: 'utf8' }).trim().split('\n')).toHaveLength(1)
  })

  test('an append sends a constant number of requests, with base_tree and a fast-forward-only ref update', async () => {
    const { gh, make } = await setup()
    const store = make()
    for (let i = 1; i <= 3; i++) await store.append(draft(i))
    gh.requests.length = 0
    await store.append(draft(4))
    expect(gh.requests.filter((r) => r.startsWith('PATCH'))).toEqual(['PATCH /repos/acme/app/git/refs/heads/change-gate/evidence'])
    expect(gh.requests.filter((r) => r === 'POST /repos/acme/app/git/trees')).toHaveLength(1)
    expect(gh.requests.length).toBeLessThanOrEqual(11)
  })

  test('a bad token fails with the status and what to do', async () => {
    const { gh } = await setup()
    const store = openStore('git+https://github.com/acme/app.git#change-gate/evidence', { token: 'wrong', apiUrl: gh.url })
    await expect(store.append(draft(1))).rejects.toThrow(/answered 401 Bad credentials\. The token is missing or invalid\./)
    expect(() => openStore('git+https://github.com/acme/app.git', {})).toThrow(/needs a GitHub token .* set GITHUB_TOKEN/)
  })
})
