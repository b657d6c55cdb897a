// A small stand-in for GitHub's Git Data REST API over a real local bare repository: refs,
// commits, trees (with base_tree), blobs and contents, answered with git plumbing. PATCH of a ref
// with force:false refuses anything that is not a fast-forward with 422, as GitHub does.
import { execFileSync } from 'node:child_process'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface FakeGitHub {
  url: string
  requests: string[]
  close(): Promise<void>
}

function git(repo: string, args: string[], input?: string | Buffer, env: Record<string, string> = {}): string {
  return execFileSync('git', ['-C', repo, ...args], {
    input,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, GIT_AUTHOR_NAME: 'gh', GIT_AUTHOR_EMAIL: 'gh@example.com', GIT_COMMITTER_NAME: 'gh', GIT_COMMITTER_EMAIL: 'gh@example.com', ...env }
  }).trim()
}

function tryGit(repo: string, args: string[]): string | null {
  try {
    return git(repo, args)
  } catch {
    return null
  }
}

export async function startFakeGitHub(repo: string, owner: string, name: string, token: string): Promise<FakeGitHub> {
  const requests: string[] = []
  const prefix = `/repos/${owner}/${name}`
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
  }
  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const url = new URL(req.url!, 'http://x')
    requests.push(`${req.method} ${url.pathname}`)
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { message: 'Bad credentials' })
    if (!url.pathname.startsWith(prefix + '/')) return send(res, 404, { message: 'Not Found' })
    const path = url.pathname.slice(prefix.length)
    const body = raw ? JSON.parse(raw) : {}
    let m: RegExpExecArray | null
    if (req.method === 'GET' && (m = /^\/git\/ref\/(heads\/.+)$/.exec(path))) {
      const ref = `refs/${decodeURIComponent(m[1]!)}`
      const sha = tryGit(repo, ['rev-parse', '--verify', '--quiet', ref])
      return sha ? send(res, 200, { ref, object: { sha, type: 'commit' } }) : send(res, 404, { message: 'Not Found' })
    }
    if (req.method === 'GET' && (m = /^\/git\/commits\/([0-9a-f]{40})$/.exec(path))) {
      const tree = tryGit(repo, ['rev-parse', `${m[1]}^{tree}`])
      return tree ? send(res, 200, { sha: m[1], tree: { sha: tree } }) : send(res, 404, { message: 'Not Found' })
    }
    if (req.method === 'GET' && (m = /^\/contents\/(.+)$/.exec(path))) {
      const ref = url.searchParams.get('ref') ?? 'HEAD'
      const type = tryGit(repo, ['cat-file', '-t', `${ref}:${decodeURIComponent(m[1]!)}`])
      if (type !== 'blob') return type ? send(res, 200, []) : send(res, 404, { message: 'Not Found' })
      const content = execFileSync('git', ['-C', repo, 'cat-file', 'blob', `${ref}:${decodeURIComponent(m[1]!)}`])
      return send(res, 200, { type: 'file', encoding: 'base64', content: content.toString('base64') })
    }
    if (req.method === 'POST' && path === '/git/blobs') {
      const bytes = body.encoding === 'base64' ? Buffer.from(body.content, 'base64') : Buffer.from(body.content, 'utf8')
      return send(res, 201, { sha: git(repo, ['hash-object', '-w', '--stdin'], bytes) })
    }
    if (req.method === 'POST' && path === '/git/trees') {
      const dir = mkdtempSync(join(tmpdir(), 'fake-gh-index-'))
      const env = { GIT_INDEX_FILE: join(dir, 'index') }
      try {
        if (body.base_tree) git(repo, ['read-tree', body.base_tree], undefined, env)
        else git(repo, ['read-tree', '--empty'], undefined, env)
        for (const e of body.tree as { path: string; mode: string; sha: string }[]) {
          git(repo, ['update-index', '--add', '--cacheinfo', `${e.mode},${e.sha},${e.path}`], undefined, env)
        }
        return send(res, 201, { sha: git(repo, ['write-tree'], undefined, env) })
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
    if (req.method === 'POST' && path === '/git/commits') {
      const args = ['commit-tree', body.tree, ...(body.parents as string[]).flatMap((p) => ['-p', p]), '-m', body.message]
      return send(res, 201, { sha: git(repo, args) })
    }
    if (req.method === 'POST' && path === '/git/refs') {
      if (tryGit(repo, ['rev-parse', '--verify', '--quiet', body.ref])) return send(res, 422, { message: 'Reference already exists' })
      git(repo, ['update-ref', body.ref, body.sha, '0'.repeat(40)])
      return send(res, 201, { ref: body.ref, object: { sha: body.sha } })
    }
    if (req.method === 'PATCH' && (m = /^\/git\/refs\/(heads\/.+)$/.exec(path))) {
      const ref = `refs/${decodeURIComponent(m[1]!)}`
      const current = tryGit(repo, ['rev-parse', '--verify', '--quiet', ref])
      if (!current) return send(res, 422, { message: 'Reference does not exist' })
      if (!body.force && tryGit(repo, ['merge-base', '--is-ancestor', current, body.sha]) === null) {
        return send(res, 422, { message: 'Update is not a fast forward' })
      }
      git(repo, ['update-ref', ref, body.sha, current])
      return send(res, 200, { ref, object: { sha: body.sha } })
    }
    if (req.method === 'GET' && (m = /^\/git\/trees\/([0-9a-f]{40})$/.exec(path))) {
      const out = tryGit(repo, ['ls-tree', m[1]!])
      if (out === null) return send(res, 404, { message: 'Not Found' })
      const tree = out ? out.split('\n').map((l) => {
        const [meta, p] = l.split('\t') as [string, string]
        const [mode, type, sha] = meta.split(' ') as [string, string, string]
        return { path: p, mode, type, sha }
      }) : []
      return send(res, 200, { sha: m[1], tree, truncated: false })
    }
    if (req.method === 'GET' && (m = /^\/git\/blobs\/([0-9a-f]{40})$/.exec(path))) {
      const content = execFileSync('git', ['-C', repo, 'cat-file', 'blob', m[1]!])
      return send(res, 200, { sha: m[1], encoding: 'base64', content: content.toString('base64') })
    }
    return send(res, 404, { message: `Not Found: ${req.method} ${path}` })
  }
  const server: Server = createServer((req, res) => {
    let raw = ''
    req.on('data', (c) => (raw += c))
    req.on('end', () => {
      try {
        handle(req, res, raw)
      } catch (err) {
        send(res, 500, { message: (err as Error).message })
      }
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r()))
  }
}
