import { describe, expect, test } from '@jest/globals'
import { DirStore } from '../../src/evidence/backends/dir.js'
import { GitLocalStore } from '../../src/evidence/backends/git-local.js'
import { GitHubStore } from '../../src/evidence/backends/git-github.js'
import { openStore } from '../../src/evidence/factory.js'
import { progress } from '../../src/cli/store.js'
import type { CliIO } from '../../src/cli/command.js'

describe('openStore', () => {
  test('dir: absolute and relative paths', () => {
    const a = openStore('dir:///var/evidence')
    expect(a).toBeInstanceOf(DirStore)
    expect((a as DirStore).root).toBe('/var/evidence')
    expect((openStore('dir:evidence', { cwd: '/work/x' }) as DirStore).root).toBe('/work/x/evidence')
    expect(() => openStore('dir:///x#main')).toThrow(/a dir: store has no branch/)
  })

  test('git+file: repository path and branch (default change-gate/evidence)', () => {
    const g = openStore('git+file:///srv/repo.git') as GitLocalStore
    expect(g).toBeInstanceOf(GitLocalStore)
    expect([g.repo, g.ref]).toEqual(['/srv/repo.git', 'refs/heads/change-gate/evidence'])
    expect((openStore('git+file:///srv/repo.git#audit/log') as GitLocalStore).ref).toBe('refs/heads/audit/log')
    expect((openStore('git+file:repo.git', { cwd: '/w' }) as GitLocalStore).repo).toBe('/w/repo.git')
    expect(() => openStore('git+file:///srv/repo.git#--force')).toThrow(/invalid evidence branch name/)
  })

  test('git+https: GitHub and GitHub Enterprise Server API URLs, token required', () => {
    const calls: string[] = []
    const fake = (async (url: string) => {
      calls.push(url)
      return new Response('{"message":"Not Found"}', { status: 404 })
    }) as unknown as typeof fetch
    const gh = openStore('git+https://github.com/acme/app.git', { token: 't', fetch: fake })
    expect(gh).toBeInstanceOf(GitHubStore)
    const ghes = openStore('git+https://ghe.example.com/acme/app.git#ev', { token: 't', fetch: fake })
    return Promise.all([gh.head(), ghes.head()]).then((heads) => {
      expect(heads).toEqual([null, null])
      expect(calls).toEqual([
        'https://api.github.com/repos/acme/app/git/ref/heads/change-gate/evidence',
        'https://ghe.example.com/api/v3/repos/acme/app/git/ref/heads/ev'
      ])
      expect(() => openStore('git+https://github.com/acme/app.git')).toThrow(/set GITHUB_TOKEN/)
      expect(() => openStore('git+https://github.com/acme')).toThrow(/expected git\+https:\/\/HOST\/OWNER\/REPO\.git/)
      expect(() => openStore('postgres://db/x')).toThrow(/unsupported evidence store URL/)
    })
  })
})

describe('progress', () => {
  const io = (isTTY: boolean) => {
    const err: string[] = []
    const value: CliIO = { stdout: () => {}, stderr: (t) => void err.push(t), env: {}, cwd: '/', isTTY }
    return { value, err }
  }
  test('rewrites one stderr line on a terminal and clears it at the end', () => {
    const t = io(true)
    const p = progress(t.value, 'verified')
    p.tick(10000)
    p.tick(20000)
    p.done()
    expect(t.err).toEqual(['\rverified 10,000 records...', '\rverified 20,000 records...', '\r\x1b[K'])
  })
  test('is silent when stderr is not a terminal', () => {
    const t = io(false)
    const p = progress(t.value, 'verified')
    p.tick(10000)
    p.done()
    expect(t.err).toEqual([])
  })
})
