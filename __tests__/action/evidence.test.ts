import { afterEach, describe, expect, it } from '@jest/globals'
import { Ajv } from 'ajv'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createDecide } from '../../src/action/decide.js'
import { runGate, type Decide } from '../../src/action/gate.js'
import { builtinPoliciesDir } from '../../src/engine/builtin-policies.js'
import { loadRegoEngine } from '../../src/engine/rego.js'
import type { PolicySource } from '../../src/engine/types.js'
import { parseInputs } from '../../src/action/inputs.js'
import { parseConfig } from '../../src/config/index.js'
import { buildPullRequestDocument, buildPushDocument, INPUT_SCHEMA } from '../../src/document/index.js'
import { extractDecision } from '../../src/engine/decision.js'
import { changeId } from '../../src/evidence/change-id.js'
import { openStore } from '../../src/evidence/factory.js'
import { recordProblems, type EvidenceRecord } from '../../src/evidence/record.js'
import { digestOf } from '../../src/evidence/records.js'
import { verifyStore } from '../../src/evidence/verify.js'
import { createGitHubClient } from '../../src/github/client.js'
import { loadScenario } from '../support/github-standin/scenario.js'
import { startStandIn, type RestRoute, type StandIn } from '../support/github-standin/server.js'
import { startFakeGitHub } from '../evidence/support/fake-github.js'
import { recordingIO } from './recording-io.js'

/** A real document (domain builder) and a scripted verdict; `exceptions` makes it a break-glass pass. */
function decider(options: { exceptions?: boolean } = {}): Decide {
  return async (facts, configText, ctx) => {
    const config = parseConfig(configText, '.github/change-gate.yml')
    const document = buildPullRequestDocument(facts, config, { kind: ctx.kind, now: ctx.now, event: { name: ctx.event.event, action: ctx.event.action, run_url: ctx.runUrl ?? null } })
    const item = { code: 'approval/second-approver', title: 'Second approver', message: 'no second approver', control: 'CC8.1', severity: 'high', remediation: 'Ask a reviewer.' }
    const raw = options.exceptions ? { allow: true, violations: [], exceptions: [item] } : { allow: true, violations: [], passed: [item] }
    return { decision: extractDecision(raw), document, policyDigest: `sha256:${'9'.repeat(64)}`, reviewWithinHours: config.break_glass.review_within_hours }
  }
}

const validateInput = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(INPUT_SCHEMA)

const temps: string[] = []
let standin: StandIn | undefined
afterEach(async () => {
  await standin?.close()
  standin = undefined
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true })
})

function bareRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cg-action-evidence-'))
  temps.push(dir)
  execFileSync('git', ['init', '-q', '--bare', join(dir, 'evidence.git')])
  return `git+file://${join(dir, 'evidence.git')}#change-gate/evidence`
}

async function records(url: string): Promise<EvidenceRecord[]> {
  const out: EvidenceRecord[] = []
  for await (const e of openStore(url).read()) out.push(JSON.parse(e.bytes.toString('utf8')))
  return out
}

async function run(name: string, eventName: string, payloadOf: (head: string, n: number) => unknown, store: string, decide: Decide = decider(), routes: RestRoute[] = [], storeOptions: Parameters<typeof openStore>[1] = {}, customRego?: string) {
  const s = loadScenario(fileURLToPath(new URL(`../../__fixtures__/scenarios/${name}.yml`, import.meta.url)))
  standin ??= await startStandIn(s, { routes })
  const rec = recordingIO()
  const inputs = parseInputs((n) => ({ token: 't', 'evidence-store': store })[n] ?? '')
  const client = createGitHubClient({ token: 't', apiUrl: standin.url, retries: 1, retryBaseMs: 1 })
  const payload = payloadOf(standin.headSha, s.pull_request.number)
  const ctx = { eventName, payload, now: new Date('2026-11-25T00:00:00Z'), runUrl: 'https://github.com/acme/api/actions/runs/9', host: 'github.com' }
  // Pushes and retroactive reviews are decided by the real built-in policies on the embedded engine.
  const loadRego = (sources: PolicySource[]) => loadRegoEngine(customRego ? [...sources, { file: 'custom.rego', source: customRego }] : sources)
  const evaluate = createDecide({ client, loadRego, builtinDir: builtinPoliciesDir(), customPoliciesPath: '', bundle: '', workspace: process.cwd(), configPath: inputs.configPath, statusContext: inputs.statusContext }).evaluate
  const go = () => runGate({ client, io: rec.io, inputs, decide, evaluate, evidence: () => openStore(store, storeOptions) }, ctx)
  return { ...rec, go }
}

const merged = (head: string, n: number) => ({
  action: 'closed',
  repository: { full_name: 'acme/api' },
  pull_request: { number: n, merged: true, merged_at: '2026-11-24T16:00:00Z', merge_commit_sha: 'e'.repeat(40), merged_by: { login: 'carol' }, head: { sha: head } }
})

describe('merge records', () => {
  it('a merged PR: evaluated as of the merge, one merge record with the frozen decision; a re-run appends nothing', async () => {
    const store = bareRepo()
    const r = await run('compliant', 'pull_request', merged, store)
    const first = await r.go()
    expect(first.records).toEqual([expect.objectContaining({ kind: 'merge', created: true, seq: 1, change_id: changeId({ repository: 'acme/api', kind: 'merge', subject: 42 }) })])
    // no status on the merged head; the summary and the outputs carry the verdict
    expect(standin!.statuses).toEqual([])
    expect(r.outputs.decision).toBe('allow')
    expect(r.summaries.join('\n')).toContain('Change-log records')
    const [rec] = await records(store)
    expect(rec).toMatchObject({ kind: 'merge', seq: 1, changed_by: 'alice', approved_by: ['bob'], change_ts: '2026-11-24T16:00:00Z', merge_sha: 'e'.repeat(40), head_sha: standin!.headSha, ticket_reference: ['ABC-123'], policy_digest: `sha256:${'9'.repeat(64)}`, decision: { verdict: 'allow', violations: [], exceptions: [] } })
    expect(rec!.rollback_plan).toContain('LaunchDarkly')
    // the input digest is of the document the policies saw, built at the merge instant
    const facts = await (await import('../../src/github/facts.js')).fetchPullRequestFacts(createGitHubClient({ token: 't', apiUrl: standin!.url }), 'acme', 'api', 42)
    const doc = buildPullRequestDocument(facts, parseConfig(null, 'x'), { kind: 'merge', now: new Date('2026-11-24T16:00:00Z'), event: { name: 'pull_request', action: 'closed', run_url: 'https://github.com/acme/api/actions/runs/9' } })
    expect(rec!.input_digest).toBe(digestOf(doc))

    const again = await r.go()
    expect(again.records).toEqual([expect.objectContaining({ kind: 'merge', created: false, seq: 1 })])
    expect(await records(store)).toHaveLength(1)
    expect((await verifyStore(openStore(store))).ok).toBe(true)
    expect(r.failures).toEqual([])
  })

  it('the default store: the repository\'s evidence branch through the Git Data API with the workflow token', async () => {
    const local = bareRepo()
    const repoPath = local.slice('git+file://'.length, local.indexOf('#'))
    const gh = await startFakeGitHub(repoPath, 'acme', 'api', 'ghs_workflow')
    try {
      const r = await run('compliant', 'pull_request', merged, 'git+https://github.com/acme/api.git#change-gate/evidence', decider(), [], { token: 'ghs_workflow', apiUrl: gh.url })
      const res = await r.go()
      expect(res.records).toEqual([expect.objectContaining({ kind: 'merge', created: true, seq: 1 })])
      expect(gh.requests.some((q) => /PATCH|POST .*\/git\/refs/.test(q))).toBe(true)
      // the same branch read back locally: one verified merge record
      expect((await records(local)).map((x) => x.kind)).toEqual(['merge'])
      expect((await verifyStore(openStore(local))).ok).toBe(true)
    } finally {
      await gh.close()
    }
  })

  it('a merged PR the policies deny is recorded as deny, and the job is not failed for a merge that already happened', async () => {
    const store = bareRepo()
    const deny: Decide = async (facts, configText, ctx) => {
      const d = await decider()(facts, configText, ctx)
      return { ...d, decision: extractDecision({ allow: false, violations: [{ code: 'ticket/reference', message: 'no ticket' }] }) }
    }
    const r = await run('no-ticket', 'pull_request', merged, store, deny)
    await r.go()
    expect((await records(store))[0]!.decision).toMatchObject({ verdict: 'deny', violations: [expect.objectContaining({ code: 'ticket/reference' })] })
    expect(r.outputs.decision).toBe('deny')
    expect(r.failures).toEqual([])
  })

  it('an invalid config at merge time: the record says error (no digest of a document that was never built), and the job fails', async () => {
    const store = bareRepo()
    const r = await run('invalid-config', 'pull_request', merged, store)
    await r.go()
    const [rec] = await records(store)
    expect(rec).toMatchObject({ kind: 'merge', decision: { verdict: 'error' }, input_digest: null, changed_by: 'alice' })
    expect(r.failures[0]).toMatch(/error — invalid config/)
  })

  it('GraphQL failing at merge time: nothing appended, a clear error saying to re-run', async () => {
    const store = bareRepo()
    const r = await run('graphql-failing', 'pull_request', merged, store)
    await expect(r.go()).rejects.toThrow(/the merge of #55 could not be recorded: .*GraphQL.*Re-run this job/s)
    expect(await records(store)).toEqual([])
  })

  it('a store that cannot take the record fails with the record in the message (for change-gate append)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-missing-'))
    temps.push(dir)
    const store = `git+file://${join(dir, 'no-such.git')}`
    const r = await run('compliant', 'pull_request', merged, store)
    await expect(r.go()).rejects.toThrow(/the merge record merge-[0-9a-f]{32} could not be appended to .*change-gate append/s)
  })
})

describe('break glass and retroactive reviews', () => {
  const review = (login: string, type = 'User') => (head: string, n: number) => ({
    action: 'submitted',
    repository: { full_name: 'acme/api' },
    pull_request: { number: n, state: 'closed', merged_at: '2026-11-24T16:00:00Z', head: { sha: head } },
    review: { id: 77, state: 'approved', submitted_at: '2026-11-25T08:00:00Z', user: { login, type } }
  })

  it('a break-glass merge records its exceptions with a review due date; a qualifying approval appends retro_review linked to it', async () => {
    const store = bareRepo()
    const r = await run('compliant', 'pull_request', merged, store, decider({ exceptions: true }))
    await r.go()
    const [mergeRec] = await records(store)
    expect(mergeRec).toMatchObject({ decision: { verdict: 'allow', exceptions: [expect.objectContaining({ code: 'approval/second-approver' })] }, review_due_at: '2026-11-25T16:00:00.000Z' })
    expect(r.log.join('\n')).toContain('merged through break glass')

    // the PR author's own approval does not settle it
    const byAuthor = await run('compliant', 'pull_request_review', review('alice'), store)
    expect((await byAuthor.go()).records).toEqual([])
    expect(byAuthor.log.join('\n')).toMatch(/retro-review\/qualified: the approval by alice does not settle .*is the author of the pull request/)

    const byBob = await run('compliant', 'pull_request_review', review('bob'), store)
    const res = await byBob.go()
    expect(res.records).toEqual([expect.objectContaining({ kind: 'retro_review', created: true, seq: 2 })])
    expect(standin!.statuses).toEqual([])
    const all = await records(store)
    expect(all[1]).toMatchObject({ kind: 'retro_review', approved_by: ['bob'], changed_by: 'alice', links: { reviewed: mergeRec!.change_id }, change_ts: '2026-11-25T08:00:00Z' })
    // The policy decided that bob qualifies; the record keeps that decision and what it judged.
    expect(all[1]!.decision).toEqual({ verdict: 'allow', violations: [], exceptions: [] })
    expect(all[1]!.policy_digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(all[1]!.input_digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(recordProblems(all[1])).toEqual([])
    expect((await verifyStore(openStore(store))).ok).toBe(true)
    // re-run: found, not appended again
    expect((await byBob.go()).records).toEqual([expect.objectContaining({ created: false, seq: 2 })])
    expect(await records(store)).toHaveLength(2)
  })

  it('an approval on a merge without exceptions records nothing', async () => {
    const store = bareRepo()
    await (await run('compliant', 'pull_request', merged, store)).go()
    const r = await run('compliant', 'pull_request_review', review('bob'), store)
    expect((await r.go()).records).toEqual([])
    expect(r.log.join('\n')).toContain('no retroactive review is owed')
  })

  it('a retroactive approval by a reviewer who cannot push does not qualify (the policy decides, with the second-approver checks)', async () => {
    const store = bareRepo()
    await (await run('compliant', 'pull_request', merged, store, decider({ exceptions: true }))).go()
    await standin!.close()
    standin = undefined
    // the same PR, but bob's approval comes from an account without push access
    const s = loadScenario(fileURLToPath(new URL('../../__fixtures__/scenarios/compliant.yml', import.meta.url)))
    for (const r of s.reviews ?? []) if (r.author === 'bob') Object.assign(r, { can_push: false, association: 'CONTRIBUTOR' })
    standin = await startStandIn(s)
    const r = await run('compliant', 'pull_request_review', review('bob'), store)
    expect((await r.go()).records).toEqual([])
    expect(r.log.join('\n')).toMatch(/does not settle .*cannot push to the repository/)
  })

  it('a bot approval does not settle a break-glass exception', async () => {
    const store = bareRepo()
    await (await run('compliant', 'pull_request', merged, store, decider({ exceptions: true }))).go()
    const r = await run('compliant', 'pull_request_review', review('renovate[bot]', 'Bot'), store)
    expect((await r.go()).records).toEqual([])
    expect(r.log.join('\n')).toMatch(/not a human account/)
  })
})

describe('direct pushes', () => {
  const viaPr = 'a'.repeat(40)
  const direct = 'b'.repeat(40)
  const pulls: RestRoute = ({ method, rest }) => {
    const m = /^\/commits\/([0-9a-f]{40})\/pulls$/.exec(rest)
    if (method !== 'GET' || !m) return undefined
    return { status: 200, body: m[1] === viaPr ? [{ number: 42, merged_at: '2026-11-24T16:00:00Z', base: { ref: 'main' } }] : [] }
  }
  const push = (ref = 'refs/heads/main') => () => ({
    ref,
    before: 'c'.repeat(40),
    after: direct,
    forced: false,
    repository: { full_name: 'acme/api', default_branch: 'main' },
    pusher: { name: 'mallory' },
    commits: [
      { id: viaPr, message: 'Merge pull request #42', timestamp: '2026-11-24T16:00:00Z', author: { username: 'alice' } },
      { id: direct, message: 'hotfix: bump the timeout\n\nno review', timestamp: '2026-11-24T17:00:00Z', author: { username: 'mallory' } }
    ]
  })

  it('a push to the default branch: a direct_push record (with the violation) for the commit no merged PR brought', async () => {
    const store = bareRepo()
    const r = await run('compliant', 'push', push(), store, decider(), [pulls])
    const res = await r.go()
    expect(res.records).toEqual([expect.objectContaining({ kind: 'direct_push', created: true })])
    const [rec] = await records(store)
    expect(rec).toMatchObject({ kind: 'direct_push', head_sha: direct, changed_by: 'mallory', change_desc: 'hotfix: bump the timeout', change_ts: '2026-11-24T17:00:00Z', links: { ref: 'refs/heads/main' }, decision: { verdict: 'deny', violations: [expect.objectContaining({ code: 'push/no-pull-request' })] } })
    // The violation is the policy's (its METADATA and message), and the record freezes what it saw.
    expect(rec!.decision!.violations).toEqual([{ code: 'push/no-pull-request', title: 'Change without a pull request', message: 'commit bbbbbbbbbbbb reached main without a merged pull request (pushed by mallory)', control: 'CC8.1', severity: 'high', remediation: expect.stringContaining('Protect the branch') }])
    expect(rec!.policy_digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    const doc = buildPushDocument(
      { repository: { owner: 'acme', name: 'api', full_name: 'acme/api', default_branch: 'main' }, ref: 'refs/heads/main', before: 'c'.repeat(40), after: direct, forced: false, pusher: 'mallory', commits_complete: true,
        commits: [
          { sha: viaPr, message: 'Merge pull request #42', timestamp: '2026-11-24T16:00:00Z', author: { login: 'alice', email: null, name: null }, committer: { login: null, email: null, name: null }, pull_request: { number: 42 } },
          { sha: direct, message: 'hotfix: bump the timeout\n\nno review', timestamp: '2026-11-24T17:00:00Z', author: { login: 'mallory', email: null, name: null }, committer: { login: null, email: null, name: null }, pull_request: null }
        ] },
      { now: new Date('2026-11-25T00:00:00Z'), event: { name: 'push', action: null, actor: null, run_id: null, run_url: 'https://github.com/acme/api/actions/runs/9' } }
    )
    expect(validateInput(doc)).toBe(true)
    expect(rec!.input_digest).toBe(digestOf(doc))
    expect(recordProblems(rec)).toEqual([])
    expect(r.outputs.decision).toBe('deny')
    expect(r.failures).toEqual([])
    expect(standin!.calls.filter((c) => c.path.includes('/pulls')).map((c) => c.path.split('?')[0])).toEqual([`/repos/acme/api/commits/${viaPr}/pulls`, `/repos/acme/api/commits/${direct}/pulls`])
    expect(r.summaries.join('\n')).toContain('1 commit(s) reached the branch without a merged pull request')
    expect((await r.go()).records).toEqual([expect.objectContaining({ created: false })])
    expect(await records(store)).toHaveLength(1)
  })

  it('a push the policies cannot decide (it created the default branch: no earlier config) still records the commit, with verdict error, and fails the job', async () => {
    const store = bareRepo()
    const created = () => ({ ...push()(), before: '0'.repeat(40) })
    const r = await run('compliant', 'push', created, store, decider(), [pulls])
    const res = await r.go()
    expect(res.records).toEqual([expect.objectContaining({ kind: 'direct_push', created: true })])
    const [rec] = await records(store)
    expect(rec).toMatchObject({ kind: 'direct_push', head_sha: direct, decision: { verdict: 'error' }, input_digest: null })
    expect(r.outputs.decision).toBe('error')
    expect(r.failures[0]).toMatch(/error — the push created main, the default branch: there is no earlier commit to read the config and policies from/)
  })

  it('a team rule on pushes decides too: a forced push of merged-PR commits that the policies deny is recorded under its new tip', async () => {
    const store = bareRepo()
    const noForce = [
      '# METADATA',
      '# title: No forced pushes',
      '# custom:',
      '#   code: acme/no-force-push',
      '#   remediation: Push without --force.',
      'package change_gate.custom.no_force_push',
      'import data.change_gate.lib',
      'violations contains lib.result(rego.metadata.chain(), sprintf("forced push to %s", [input.push.branch])) if {',
      '\tinput.kind == "direct_push"',
      '\tinput.push.forced == true',
      '}'
    ].join('\n')
    const forced = () => ({ ...push()(), after: viaPr, forced: true, commits: [{ id: viaPr, message: 'Merge pull request #42', timestamp: '2026-11-24T16:00:00Z', author: { username: 'alice' } }] })
    const r = await run('compliant', 'push', forced, store, decider(), [pulls], {}, noForce)
    const res = await r.go()
    expect(res.records).toEqual([expect.objectContaining({ kind: 'direct_push', created: true })])
    const [rec] = await records(store)
    expect(rec).toMatchObject({ head_sha: viaPr, decision: { verdict: 'deny', violations: [expect.objectContaining({ code: 'acme/no-force-push', message: 'forced push to main' })] } })
    expect(r.log.join('\n')).toContain('the policies deny the push')
    // without the forced flag the same push is allowed and leaves no record
    const store2 = bareRepo()
    const plain = () => ({ ...forced(), forced: false })
    const r2 = await run('compliant', 'push', plain, store2, decider(), [pulls], {}, noForce)
    expect((await r2.go()).records).toEqual([])
    expect(r2.outputs.decision).toBe('allow')
  })

  it('the config is read from the branch tip before the push (a push cannot weaken the gate that judges it)', async () => {
    const store = bareRepo()
    const r = await run('compliant', 'push', push(), store, decider(), [pulls])
    await r.go()
    expect(standin!.calls.some((c) => c.path.includes('/contents/') && c.path.includes(`ref=${'c'.repeat(40)}`))).toBe(true)
  })

  it('a push to an unprotected branch records nothing (GitHub says protected: false)', async () => {
    const store = bareRepo()
    const branches: RestRoute = ({ rest }) => (rest === '/branches/feature%2Fx' || rest === '/branches/feature/x' ? { status: 200, body: { name: 'feature/x', protected: false } } : undefined)
    const r = await run('compliant', 'push', push('refs/heads/feature/x'), store, decider(), [branches, pulls])
    expect((await r.go()).records).toEqual([])
    expect(await records(store)).toEqual([])
  })
})
