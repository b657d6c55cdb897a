import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createDecide, sourcesDigest } from '../../src/action/decide.js'
import type { DecideContext } from '../../src/action/gate.js'
import { builtinPoliciesDir } from '../../src/engine/builtin-policies.js'
import type { PolicyEngine, PolicySource } from '../../src/engine/types.js'
import type { GitHubClient } from '../../src/github/client.js'
import { GitHubApiError } from '../../src/github/client.js'
import { fetchPullRequestFacts } from '../../src/github/facts.js'
import { createGitHubClient } from '../../src/github/client.js'
import { loadScenario } from '../support/github-standin/scenario.js'
import { startStandIn } from '../support/github-standin/server.js'

const tmp = mkdtempSync(join(tmpdir(), 'cg-decide-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))
const builtin = join(tmp, 'policies')
mkdirSync(join(builtin, 'change_gate/main'), { recursive: true })
writeFileSync(join(builtin, 'change_gate/main/main.rego'), 'package change_gate.main\n')

/** A client answering the contents API for a custom policy folder on one base SHA. */
function contentsClient(files: Record<string, string>, seen: string[]): GitHubClient {
  return {
    graphql: async () => {
      throw new Error('not used')
    },
    request: async <T,>(route: string, params: Record<string, unknown> = {}) => {
      seen.push(`${route} ${String(params.path)}@${String(params.ref)}`)
      const path = String(params.path)
      if (files[path] !== undefined) return { status: 200, data: { type: 'file', path, encoding: 'base64', content: Buffer.from(files[path]!).toString('base64') } as T }
      const children = Object.keys(files).filter((f) => f.startsWith(`${path}/`))
      if (children.length) return { status: 200, data: children.map((f) => ({ type: 'file', path: f })) as T }
      throw new GitHubApiError('Not Found', { status: 404 })
    }
  }
}

function fakeEngine(onData: (d: unknown) => void, decision: unknown): PolicyEngine {
  return { kind: 'rego', setData: onData, evaluate: async () => decision }
}

async function facts() {
  const s = loadScenario(new URL('../../__fixtures__/scenarios/compliant.yml', import.meta.url).pathname)
  const standin = await startStandIn(s)
  try {
    return await fetchPullRequestFacts(createGitHubClient({ token: 't', apiUrl: standin.url }), 'acme', 'api', 42)
  } finally {
    await standin.close()
  }
}

const ctx = (kind: DecideContext['kind'] = 'pull_request'): DecideContext => ({ kind, now: new Date('2026-11-25T10:00:00Z'), event: { kind: 'pull_request', event: 'pull_request', action: 'synchronize', repo: { owner: 'acme', repo: 'api' }, pulls: [{ number: 42 }] }, runUrl: 'https://x/runs/1', runId: '1', actor: 'alice' })

describe('createDecide (the real Decide of the action)', () => {
  it('built-in policies first, then custom ones read from the BASE commit; the config reaches data; the digest covers every source', async () => {
    const f = await facts()
    const seen: string[] = []
    let loaded: PolicySource[] = []
    let data: unknown
    const client = contentsClient({ 'policy/extra.rego': 'package change_gate.custom.extra\n' }, seen)
    const decide = createDecide({
      client, builtinDir: builtin, customPoliciesPath: 'policy', bundle: '', workspace: tmp, configPath: '.github/change-gate.yml', statusContext: 'my-gate',
      loadRego: (sources) => ((loaded = sources), fakeEngine((d) => (data = d), { allow: true, violations: [] }))
    })
    const out = await decide(f, 'rules:\n  second_approver:\n    required_approvals: 2\n', ctx('merge'))
    expect(loaded.map((s) => s.source)).toEqual(['package change_gate.main\n', 'package change_gate.custom.extra\n'])
    expect(seen.every((s) => s.endsWith(`@${f.pull_request.base.sha}`))).toBe(true)
    expect(out.policyDigest).toBe(sourcesDigest(loaded))
    expect(out.decision.decision).toBe('allow')
    expect((data as { change_gate: { config: { rules: { second_approver: { required_approvals: number }; passing_tests: { ignore_checks: string[] } } } } }).change_gate.config.rules.second_approver.required_approvals).toBe(2)
    expect((data as { change_gate: { config: { rules: { passing_tests: { ignore_checks: string[] } } } } }).change_gate.config.rules.passing_tests.ignore_checks).toContain('my-gate')
    expect(out.document).toMatchObject({ kind: 'merge', now: '2026-11-25T10:00:00.000Z', event: { name: 'pull_request', action: 'synchronize', actor: 'alice', run_id: '1', run_url: 'https://x/runs/1' }, pull_request: { number: 42 } })
    expect(out.reviewWithinHours).toBe(24)
    // the engine is loaded once per policy set
    await decide(f, null, ctx())
    expect(seen.filter((s) => s.includes('extra.rego'))).toHaveLength(1)
  })

  it('an invalid config throws a ConfigError naming the key (the gate turns it into an error status)', async () => {
    const decide = createDecide({ client: contentsClient({}, []), builtinDir: builtin, customPoliciesPath: '', bundle: '', workspace: tmp, configPath: '.github/change-gate.yml', statusContext: 'change-gate', loadRego: () => fakeEngine(() => undefined, { allow: true, violations: [] }) })
    await expect(decide(await facts(), 'rules:\n  second_approver:\n    required_approvals: "two"\n', ctx())).rejects.toThrow(/invalid config .*rules\.second_approver\.required_approvals/)
  })

  it('a custom policy folder missing on the base branch fails closed', async () => {
    const decide = createDecide({ client: contentsClient({}, []), builtinDir: builtin, customPoliciesPath: 'policy', bundle: '', workspace: tmp, configPath: 'c', statusContext: 'change-gate', loadRego: () => fakeEngine(() => undefined, { allow: true, violations: [] }) })
    await expect(decide(await facts(), null, ctx())).rejects.toThrow(/no .rego policies under 'policy' on the base commit/)
  })

  it('an engine that cannot decide gives an error decision, never allow', async () => {
    const decide = createDecide({ client: contentsClient({}, []), builtinDir: builtin, customPoliciesPath: '', bundle: '', workspace: tmp, configPath: 'c', statusContext: 'change-gate', loadRego: () => fakeEngine(() => undefined, undefined) })
    const out = await decide(await facts(), null, ctx())
    expect(out.decision.decision).toBe('error')
  })
})

describe('builtinPoliciesDir', () => {
  it('finds policies/ beside dist/ (the bundle) and from src/engine/ (the sources)', () => {
    const root = join(tmp, 'pkg')
    mkdirSync(join(root, 'policies/change_gate'), { recursive: true })
    mkdirSync(join(root, 'dist'))
    expect(builtinPoliciesDir(pathToFileURL(join(root, 'dist/index.js')).href)).toBe(join(root, 'policies/'))
    expect(builtinPoliciesDir(pathToFileURL(join(root, 'src/engine/builtin-policies.ts')).href)).toBe(join(root, 'policies/'))
    expect(builtinPoliciesDir()).toMatch(/\/policies\/$/)
  })
  it('no policies folder is an error, not an empty policy set', () => {
    expect(() => builtinPoliciesDir(pathToFileURL(join(tmp, 'a/b/nowhere/dist/cli.js')).href)).toThrow(/built-in policies were not found/)
  })
})

describe('createDecide.prepare', () => {
  it('starts loading the built-in engine before any facts, once; the decision reuses it', async () => {
    let loads = 0
    const decide = createDecide({ client: contentsClient({}, []), builtinDir: builtin, customPoliciesPath: '', bundle: '', workspace: tmp, configPath: 'c', statusContext: 'change-gate', loadRego: () => (loads++, fakeEngine(() => undefined, { allow: true, violations: [] })) })
    decide.prepare()
    await new Promise((r) => setTimeout(r, 50))
    expect(loads).toBe(1)
    expect((await decide(await facts(), null, ctx())).decision.decision).toBe('allow')
    expect(loads).toBe(1)
  })
  it('a load failure started by prepare is reported by the decision, not as an unhandled rejection', async () => {
    const decide = createDecide({ client: contentsClient({}, []), builtinDir: join(tmp, 'missing'), customPoliciesPath: '', bundle: '', workspace: tmp, configPath: 'c', statusContext: 'change-gate', loadRego: () => fakeEngine(() => undefined, undefined) })
    decide.prepare()
    await new Promise((r) => setTimeout(r, 20))
    await expect(decide(await facts(), null, ctx())).rejects.toThrow(/cannot read the policy folder/)
  })
  it('does nothing when custom policies depend on the base commit', async () => {
    let loads = 0
    const decide = createDecide({ client: contentsClient({}, []), builtinDir: builtin, customPoliciesPath: 'policy', bundle: '', workspace: tmp, configPath: 'c', statusContext: 'change-gate', loadRego: () => (loads++, fakeEngine(() => undefined, undefined)) })
    decide.prepare()
    await new Promise((r) => setTimeout(r, 20))
    expect(loads).toBe(0)
  })
})
