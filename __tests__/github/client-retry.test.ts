import { afterEach, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createGitHubClient, GitHubApiError } from '../../src/github/client.js'

/** Retries are for server errors, never for answers that will not change (404 for a missing config file). */
let server: Server | undefined
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())))

async function answering(statuses: number[]): Promise<{ url: string; hits: () => number }> {
  let n = 0
  server = createServer((req, res) => {
    const status = statuses[Math.min(n, statuses.length - 1)]!
    n++
    req.resume()
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(status === 200 ? JSON.stringify({ data: { ok: true }, type: 'file' }) : JSON.stringify({ message: `status ${status}` }))
  })
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, hits: () => n }
}

describe('client retries', () => {
  it('a 404 is answered at once, not retried (a repository without .github/change-gate.yml)', async () => {
    const s = await answering([404])
    const client = createGitHubClient({ token: 't', apiUrl: s.url, retryBaseMs: 1 })
    const err = await client.request('GET /repos/{owner}/{repo}/contents/{path}', { owner: 'o', repo: 'r', path: 'x' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(GitHubApiError)
    expect((err as GitHubApiError).status).toBe(404)
    expect(s.hits()).toBe(1)
  })
  it('a 502 is retried (3 times by default) and then fails', async () => {
    const s = await answering([502])
    const client = createGitHubClient({ token: 't', apiUrl: s.url, retryBaseMs: 1 })
    await expect(client.graphql('query A { ok }')).rejects.toThrow(/HTTP 502/)
    expect(s.hits()).toBe(4)
  })
  it('a server error that clears is retried into a success', async () => {
    const s = await answering([502, 200])
    const client = createGitHubClient({ token: 't', apiUrl: s.url, retryBaseMs: 1 })
    await expect(client.graphql('query A { ok }')).resolves.toEqual({ ok: true })
    expect(s.hits()).toBe(2)
  })
})
