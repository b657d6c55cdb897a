import { afterEach, describe, expect, it } from '@jest/globals'
import { fileURLToPath } from 'node:url'
import { runGate, type Decide } from '../../src/action/gate.js'
import { extractDecision } from '../../src/engine/decision.js'
import { parseInputs } from '../../src/action/inputs.js'
import { createGitHubClient } from '../../src/github/client.js'
import { loadScenario, sha } from '../support/github-standin/scenario.js'
import { startStandIn, type StandIn } from '../support/github-standin/server.js'
import { recordingIO } from './recording-io.js'

/**
 * A stand-in for document + policies (the real ones are tested in the e2e test): deny unless a
 * non-author approved the head commit; error on a config file.
 */
const decide: Decide = async (facts, configText) => {
  if (configText !== null) throw new Error('invalid config: rules.second_approver.required_approvals must be an integer')
  const pr = facts.pull_request
  const ok = pr.latest_reviews.some((r) => r.state === 'APPROVED' && r.reviewer.login !== pr.author.login && r.commit_sha === pr.head.sha)
  const item = { code: 'approval/second-approver', title: 'Second approver', message: ok ? 'approved' : 'no approval from a second person on the head commit', control: 'CC8.1', severity: 'high', remediation: 'Ask a reviewer to approve.' }
  return { decision: extractDecision(ok ? { allow: true, violations: [], passed: [item] } : { allow: false, violations: [item] }) }
}

let standin: StandIn | undefined
afterEach(async () => {
  await standin?.close()
  standin = undefined
})

async function run(name: string, extra: Record<string, string> = {}, eventName = 'pull_request', payloadOf?: (head: string, n: number) => unknown) {
  const s = loadScenario(fileURLToPath(new URL(`../../__fixtures__/scenarios/${name}.yml`, import.meta.url)))
  standin ??= await startStandIn(s)
  const rec = recordingIO()
  const inputs = parseInputs((n) => ({ token: 't', ...extra })[n] ?? '')
  const client = createGitHubClient({ token: 't', apiUrl: standin.url, retries: 1, retryBaseMs: 1 })
  const payload = payloadOf ? payloadOf(standin.headSha, s.pull_request.number) : { action: 'synchronize', repository: { full_name: 'acme/api' }, pull_request: { number: s.pull_request.number, head: { sha: standin.headSha } } }
  const result = await runGate({ client, io: rec.io, inputs, decide }, { eventName, payload, now: new Date('2026-11-25T00:00:00Z'), runUrl: 'https://github.com/acme/api/actions/runs/9' })
  return { ...rec, result }
}

describe('runGate against the GitHub stand-in', () => {
  it('allow → one success status with the fixed context on the head SHA', async () => {
    const r = await run('compliant')
    expect(standin!.statuses).toEqual([{ sha: standin!.headSha, state: 'success', context: 'change-gate', description: 'All 1 change-management rules pass' }])
    expect(r.outputs.decision).toBe('allow')
    expect(JSON.parse(r.outputs['decision-json']!).decision).toBe('allow')
    expect(r.summaries[0]).toContain('change-gate: allow')
    expect(r.failures).toEqual([])
  })
  it('deny → failure status and a failed step (fail-on deny)', async () => {
    const r = await run('self-approval')
    expect(standin!.statuses.map((s) => s.state)).toEqual(['failure'])
    expect(standin!.statuses[0]!.description).toBe('Failed: approval/second-approver')
    expect(r.failures).toHaveLength(1)
  })
  it('GraphQL failing after retries → error status on the payload head SHA (fail closed)', async () => {
    const r = await run('graphql-failing')
    expect(standin!.statuses).toEqual([expect.objectContaining({ sha: standin!.headSha, state: 'error' })])
    expect(standin!.statuses[0]!.description).toMatch(/^Error: GitHub GraphQL request .* failed \(HTTP 502\)/)
    expect(standin!.statuses[0]!.description.length).toBeLessThanOrEqual(140)
    expect(r.outputs.decision).toBe('error')
    expect(r.failures[0]).toContain('error')
  })
  it('config is read from the base commit; an invalid one → error status', async () => {
    await run('invalid-config')
    const contents = standin!.calls.find((c) => c.path.startsWith('/repos/acme/api/contents/'))!
    expect(contents.path).toMatch(/ref=[0-9a-f]{40}$/)
    expect(contents.path).not.toContain(standin!.headSha)
    expect(standin!.statuses[0]!.state).toBe('error')
  })
  it('with the base SHA in the payload the config is read alongside the facts, once; a payload SHA the facts contradict is not trusted', async () => {
    const base = sha('invalid-config:base')
    const withBase = (b: string) => (head: string, n: number) => ({ action: 'synchronize', repository: { full_name: 'acme/api' }, pull_request: { number: n, head: { sha: head }, base: { sha: b } } })
    await run('invalid-config', {}, 'pull_request', withBase(base))
    const contents = standin!.calls.filter((c) => c.path.startsWith('/repos/acme/api/contents/'))
    expect(contents.map((c) => c.path.split('ref=')[1])).toEqual([base])
    // sent before the facts came back: among the first two requests, beside the GraphQL query
    expect(standin!.calls.slice(0, 2).map((c) => (c.operation ? 'graphql' : 'contents')).sort()).toEqual(['contents', 'graphql'])
    expect(standin!.statuses[0]!.state).toBe('error')

    standin!.calls.length = 0
    await run('invalid-config', {}, 'pull_request', withBase('0'.repeat(40)))
    const again = standin!.calls.filter((c) => c.path.startsWith('/repos/acme/api/contents/')).map((c) => c.path.split('ref=')[1])
    expect(again).toEqual(['0'.repeat(40), base])
  })
  it('sticky comment: created once, then updated in place', async () => {
    await run('self-approval', { comment: 'true' })
    await run('self-approval', { comment: 'true' })
    expect(standin!.comments).toHaveLength(1)
    expect(standin!.calls.filter((c) => c.method === 'PATCH')).toHaveLength(1)
    expect(standin!.comments[0]!.body.startsWith('<!-- change-gate:change-gate -->')).toBe(true)
  })
  it('an unhandled event: no status, a clear message', async () => {
    const r = await run('compliant', {}, 'issues')
    expect(standin!.statuses).toEqual([])
    expect(r.log.join('\n')).toContain("not handled: the 'issues' event is not handled")
    expect(r.failures).toEqual([])
  })
})

describe('runGate: other triggers', () => {
  it('check_suite completed without PRs in the payload (forks): PRs looked up by head SHA, re-evaluated', async () => {
    await run('compliant', {}, 'check_suite', (head) => ({ action: 'completed', repository: { full_name: 'acme/api' }, check_suite: { head_sha: head, pull_requests: [] } }))
    expect(standin!.calls[0]!.path).toBe(`/repos/acme/api/commits/${standin!.headSha}/pulls`)
    expect(standin!.statuses).toEqual([expect.objectContaining({ sha: standin!.headSha, state: 'success' })])
  })
  it('merge_group: ONE status on the group head, no comment', async () => {
    const groupSha = 'f'.repeat(40)
    const r = await run('self-approval', { comment: 'true' }, 'merge_group', (_h, n) => ({ action: 'checks_requested', repository: { full_name: 'acme/api' }, merge_group: { head_sha: groupSha, head_ref: `refs/heads/gh-readonly-queue/main/pr-${n}-${'a'.repeat(40)}`, head_commit: { message: 'x' } } }))
    expect(standin!.statuses).toEqual([expect.objectContaining({ sha: groupSha, state: 'failure' })])
    expect(standin!.comments).toEqual([])
    expect(r.outputs.decision).toBe('deny')
  })
})
