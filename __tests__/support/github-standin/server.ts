/**
 * A local GitHub stand-in: executes our GraphQL with graphql-js against GitHub's published schema
 * (resolvers fed from a scenario), and answers the REST endpoints the gate uses (commit statuses,
 * issue comments, contents of the config file). Records every call.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { graphql } from 'graphql'
import { buildModel } from './model.js'
import type { Scenario } from './scenario.js'
import { githubSchema } from './schema.js'

export interface RecordedCall {
  method: string
  path: string
  body?: unknown
  /** GraphQL operation name, for POST /graphql. */
  operation?: string
}

/** Extra REST routes (e.g. deploy-routes.ts): `rest` is the path after /repos/{owner}/{repo}; undefined = not mine. */
export type RestRoute = (req: { method: string; rest: string; query: URLSearchParams; body: unknown }) => { status: number; body: unknown } | undefined

export interface StandIn {
  url: string
  calls: RecordedCall[]
  statuses: Array<{ sha: string; state: string; context: string; description: string }>
  comments: Array<{ id: number; body: string; user: { login: string; type: string } }>
  headSha: string
  close(): Promise<void>
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify(body))
}

export interface StandInOptions {
  routes?: RestRoute[]
  /** Extra GraphQL fields of the scenario's Repository object (e.g. `object(oid:)` for commits). */
  repositoryFields?: Record<string, unknown>
}

export async function startStandIn(scenario: Scenario, options: StandInOptions = {}): Promise<StandIn> {
  const schema = githubSchema()
  const model = buildModel(scenario)
  const baseRepository = model.root.repository as (args: { owner: string; name: string }) => Record<string, unknown> | null
  const rootValue = options.repositoryFields ? { ...model.root, repository: (args: { owner: string; name: string }) => { const r = baseRepository(args); return r && { ...r, ...options.repositoryFields } } } : model.root
  const owner = scenario.repository?.owner ?? 'acme'
  const repo = scenario.repository?.name ?? 'api'
  const calls: RecordedCall[] = []
  const statuses: StandIn['statuses'] = []
  const comments: StandIn['comments'] = []
  let nextComment = 1000

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const text = await readBody(req)
      const body = text ? JSON.parse(text) : undefined
      const path = url.pathname.replace(/^\/api\/v3/, '')
      const call: RecordedCall = { method: req.method ?? 'GET', path: path + url.search, ...(body !== undefined ? { body } : {}) }
      calls.push(call)
      if (!/^(token|bearer) /i.test(req.headers.authorization ?? '')) return send(res, 401, { message: 'Requires authentication' })
      if (req.method === 'POST' && (path === '/graphql' || path === '/api/graphql')) {
        call.operation = /query\s+(\w+)/.exec(body?.query ?? '')?.[1]
        if (scenario.graphql_fail) return send(res, 502, { message: 'Bad Gateway' })
        const result = await graphql({ schema, source: body.query, variableValues: body.variables, rootValue })
        return send(res, 200, result)
      }
      const repoPrefix = `/repos/${owner}/${repo}`
      if (!path.startsWith(repoPrefix)) return send(res, 404, { message: 'Not Found' })
      const rest = path.slice(repoPrefix.length)
      for (const route of options.routes ?? []) {
        const out = route({ method: req.method ?? 'GET', rest, query: url.searchParams, body })
        if (out) return send(res, out.status, out.body)
      }
      let m: RegExpExecArray | null
      if (req.method === 'POST' && (m = /^\/statuses\/([0-9a-f]{40})$/.exec(rest))) {
        if (typeof body?.description === 'string' && body.description.length > 140) return send(res, 422, { message: 'description is too long (maximum is 140 characters)' })
        statuses.push({ sha: m[1]!, state: body.state, context: body.context, description: body.description })
        return send(res, 201, { id: statuses.length, ...body })
      }
      if ((m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
        if (req.method === 'GET') return send(res, 200, comments)
        if (req.method === 'POST') {
          if (String(body?.body ?? '').length > 65536) return send(res, 422, { message: 'Body is too long (maximum is 65536 characters)' })
          const c = { id: nextComment++, body: String(body.body), user: { login: 'github-actions[bot]', type: 'Bot' } }
          comments.push(c)
          return send(res, 201, c)
        }
      }
      if (req.method === 'PATCH' && (m = /^\/issues\/comments\/(\d+)$/.exec(rest))) {
        const c = comments.find((x) => x.id === Number(m![1]))
        if (!c) return send(res, 404, { message: 'Not Found' })
        c.body = String(body.body)
        return send(res, 200, c)
      }
      if (req.method === 'GET' && (m = /^\/contents\/(.+)$/.exec(rest))) {
        const file = decodeURIComponent(m[1]!)
        if (file === '.github/change-gate.yml' && scenario.config !== undefined) {
          return send(res, 200, { type: 'file', path: file, encoding: 'base64', content: Buffer.from(scenario.config).toString('base64') })
        }
        return send(res, 404, { message: 'Not Found' })
      }
      if (req.method === 'GET' && (m = /^\/commits\/([0-9a-f]{40})\/pulls$/.exec(rest))) {
        return send(res, 200, m[1] === model.headSha ? [{ number: scenario.pull_request.number, head: { sha: model.headSha } }] : [])
      }
      return send(res, 404, { message: `the stand-in does not serve ${req.method} ${path}` })
    } catch (err) {
      return send(res, 500, { message: err instanceof Error ? err.message : String(err) })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    statuses,
    comments,
    headSha: model.headSha,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())))
  }
}
