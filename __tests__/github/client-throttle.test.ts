import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createGitHubClient } from '../../src/github/client.js'

/** The throttle paces REST writes 1 s apart (GitHub's guidance) but never GraphQL queries (reads). */
let server: Server
let url = ''
const seen: string[] = []
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`)
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(req.url === '/graphql' ? JSON.stringify({ data: { ok: true } }) : '{}')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

describe('client throttling', () => {
  it('does not pace GraphQL queries against the following write', async () => {
    const client = createGitHubClient({ token: 't', apiUrl: url, retries: 0 })
    const t0 = performance.now()
    await client.graphql('query A { ok }')
    await client.graphql('query B { ok }')
    await client.request('POST /repos/{owner}/{repo}/statuses/{sha}', { owner: 'o', repo: 'r', sha: 'a'.repeat(40), state: 'success' })
    expect(performance.now() - t0).toBeLessThan(700)
    expect(seen).toEqual(['POST /graphql', 'POST /graphql', `POST /repos/o/r/statuses/${'a'.repeat(40)}`])
  })
  it('still paces REST writes about 1 s apart', async () => {
    const client = createGitHubClient({ token: 't', apiUrl: url, retries: 0 })
    await new Promise((r) => setTimeout(r, 1100))
    const t0 = performance.now()
    await client.request('POST /repos/{owner}/{repo}/statuses/{sha}', { owner: 'o', repo: 'r', sha: 'b'.repeat(40), state: 'success' })
    await client.request('POST /repos/{owner}/{repo}/statuses/{sha}', { owner: 'o', repo: 'r', sha: 'c'.repeat(40), state: 'success' })
    expect(performance.now() - t0).toBeGreaterThanOrEqual(900)
  })
})
