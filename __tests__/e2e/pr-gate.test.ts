/**
 * End to end: the BUNDLED action (built from src into a temporary dist/, with policies/ beside it as
 * in the action checkout) runs as a separate process the way a runner starts it — GITHUB_EVENT_PATH,
 * GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, INPUT_*, API URLs at the GitHub stand-in, which executes our
 * GraphQL against GitHub's published schema and records the REST calls. Every scenario runs twice:
 * as an open PR (the one commit status, outputs, summary) and as its merge (the merge record in a
 * real bare git repository).
 */
import { afterAll, beforeAll, describe, expect, it, test } from '@jest/globals'
import { execFile, execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openStore } from '../../src/evidence/factory.js'
import type { EvidenceRecord } from '../../src/evidence/record.js'
import { loadScenario, sha, type Scenario } from '../support/github-standin/scenario.js'
import { startStandIn, type RestRoute, type StandIn } from '../support/github-standin/server.js'
import { buildBundledAction, TOKEN, type ActionRun, type BundledAction } from '../support/bundled-action.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const SCENARIOS = join(ROOT, '__fixtures__/scenarios')
let bundled: BundledAction
beforeAll(() => {
  bundled = buildBundledAction('cg-e2e-')
}, 120_000)
afterAll(() => bundled.remove())

type RunResult = ActionRun & { standin: StandIn }

async function runAction(scenario: Scenario, eventName: string, payload: (head: string) => unknown, extraEnv: Record<string, string> = {}, routes: RestRoute[] = []): Promise<RunResult> {
  const standin = await startStandIn(scenario, { routes })
  try {
    const env = { GITHUB_RUN_ID: '9', GITHUB_ACTOR: 'alice', 'INPUT_STATUS-CONTEXT': 'change-gate', ...extraEnv }
    return { ...(await bundled.run({ event: eventName, payload: payload(standin.headSha), apiUrl: standin.url, env })), standin }
  } finally {
    await standin.close()
  }
}

let stores = 0
function bareStore(): string {
  const repo = join(bundled.dir, `evidence-${++stores}.git`)
  execFileSync('git', ['init', '-q', '--bare', repo])
  return `git+file://${repo}#change-gate/evidence`
}

async function storedRecords(url: string): Promise<EvidenceRecord[]> {
  const out: EvidenceRecord[] = []
  for await (const e of openStore(url).read()) out.push(JSON.parse(e.bytes.toString('utf8')))
  return out
}

const scenarios = readdirSync(SCENARIOS).filter((f) => f.endsWith('.yml')).sort().map((f) => loadScenario(join(SCENARIOS, f)))

const codes = (items: Array<{ code: string }>) => [...new Set(items.map((i) => i.code))].sort()

// As GitHub sends them: head and base SHAs of the PR (the stand-in's base is sha('<name>:base')).
const opened = (s: Scenario) => (head: string) => ({ action: 'synchronize', repository: { full_name: 'acme/api', default_branch: 'main' }, pull_request: { number: s.pull_request.number, head: { sha: head }, base: { sha: sha(`${s.name}:base`) } } })
const merged = (s: Scenario) => (head: string) => ({
  action: 'closed',
  repository: { full_name: 'acme/api', default_branch: 'main' },
  pull_request: { number: s.pull_request.number, merged: true, merged_at: '2026-11-24T16:00:00Z', merge_commit_sha: 'e'.repeat(40), merged_by: { login: 'carol' }, head: { sha: head }, base: { sha: sha(`${s.name}:base`) } }
})

describe('the bundled action, run as a runner runs it, over every scenario', () => {
  it('has the 15 scenarios of issue 3', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(15)
    expect(scenarios.every((s) => s.expect)).toBe(true)
  })

  for (const s of scenarios) {
    const want = s.expect!
    test(`${s.name}: pull_request → one ${want.state} status, decision ${want.decision}`, async () => {
      const r = await runAction(s, 'pull_request', opened(s))
      // the description is in the comparison so a failure shows why
      expect(r.standin.statuses.map((x) => ({ sha: x.sha, state: x.state, context: x.context, description: x.state === want.state ? '' : x.description }))).toEqual([{ sha: r.standin.headSha, state: want.state, context: 'change-gate', description: '' }])
      const description = r.standin.statuses[0]!.description
      expect(description.length).toBeLessThanOrEqual(140)
      for (const code of want.violations ?? []) expect(description).toContain(code)
      for (const code of want.pending ?? []) expect(description).toContain(code)
      if (want.description_contains) expect(description).toContain(want.description_contains)
      expect(r.outputs.decision).toBe(want.decision)
      const json = JSON.parse(r.outputs['decision-json']!)
      expect(json.decision).toBe(want.decision)
      if (want.violations) expect(codes(json.violations)).toEqual([...want.violations].sort())
      if (want.pending) expect(codes(json.pending)).toEqual([...want.pending].sort())
      if (want.decision === 'allow') expect(json.violations).toEqual([])
      expect(r.summary).toContain(`change-gate: ${want.decision}`)
      for (const code of want.violations ?? []) expect(r.summary).toContain(code)
      // the config is read once, at the base commit (the payload's, confirmed by the facts)
      expect(r.standin.calls.filter((c) => c.path.includes('/contents/')).map((c) => c.path.split('ref=')[1])).toEqual([sha(`${s.name}:base`)])
      // the step fails on deny and error (fail-on: deny), passes on allow and pending
      expect(r.code).toBe(want.decision === 'deny' || want.decision === 'error' ? 1 : 0)
      // the token is masked (the runner hides it) and appears nowhere else in the log
      expect(r.stdout).toContain(`::add-mask::${TOKEN}`)
      expect(r.stdout.replaceAll(`::add-mask::${TOKEN}`, '')).not.toContain(TOKEN)
    }, 60_000)

    if (s.graphql_fail) {
      test(`${s.name}: merged while GitHub fails → no record, the job fails saying to re-run`, async () => {
        const store = bareStore()
        const r = await runAction(s, 'pull_request', merged(s), { 'INPUT_EVIDENCE-STORE': store })
        expect(r.code).toBe(1)
        expect(r.stdout).toMatch(/could not be recorded.*Re-run this job/)
        expect(await storedRecords(store)).toEqual([])
        expect(r.standin.statuses).toEqual([])
      }, 60_000)
      continue
    }
    test(`${s.name}: merged → a merge record with verdict ${want.decision}, no status`, async () => {
      const store = bareStore()
      const r = await runAction(s, 'pull_request', merged(s), { 'INPUT_EVIDENCE-STORE': store })
      expect(r.standin.statuses).toEqual([])
      const records = await storedRecords(store)
      expect(records).toHaveLength(1)
      const rec = records[0]!
      expect(rec).toMatchObject({ kind: 'merge', seq: 1, repository: 'acme/api', stream: 'github.com/acme/api', pr: { number: s.pull_request.number }, changed_by: s.pull_request.author, merge_sha: 'e'.repeat(40), head_sha: r.standin.headSha, change_ts: '2026-11-24T16:00:00Z', run_url: 'https://github.com/acme/api/actions/runs/9' })
      expect(rec.decision!.verdict).toBe(want.decision)
      if (want.violations) expect(codes(rec.decision!.violations)).toEqual([...want.violations].sort())
      if (want.decision === 'error') expect(rec.input_digest).toBeNull()
      else {
        expect(rec.input_digest).toMatch(/^sha256:[0-9a-f]{64}$/)
        expect(rec.policy_digest).toMatch(/^sha256:[0-9a-f]{64}$/)
      }
      expect(r.outputs['record-change-id']).toBe(rec.change_id)
      expect(r.summary).toContain(rec.change_id)
      // a merge that already happened fails the job only when the gate could not decide
      expect(r.code).toBe(want.decision === 'error' ? 1 : 0)
    }, 60_000)
  }

  it('a re-run of a merge finds its record and appends nothing', async () => {
    const s = scenarios.find((x) => x.name === 'compliant')!
    const store = bareStore()
    await runAction(s, 'pull_request', merged(s), { 'INPUT_EVIDENCE-STORE': store })
    const again = await runAction(s, 'pull_request', merged(s), { 'INPUT_EVIDENCE-STORE': store })
    expect(again.stdout).toContain('already recorded')
    expect(await storedRecords(store)).toHaveLength(1)
  }, 60_000)

  it('an event the gate does not handle: exit 0, no status, a clear message', async () => {
    const r = await runAction(scenarios[0]!, 'issues', () => ({ action: 'opened', repository: { full_name: 'acme/api' } }))
    expect(r.code).toBe(0)
    expect(r.standin.statuses).toEqual([])
    expect(r.stdout).toContain("not handled: the 'issues' event is not handled")
  }, 60_000)

  it('an invalid input fails the step with the fix, before any API call', async () => {
    const r = await runAction(scenarios[0]!, 'pull_request', opened(scenarios[0]!), { 'INPUT_FAIL-ON': 'sometimes' })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain("Invalid input 'fail-on': 'sometimes'. Expected one of: deny, error, never.")
    expect(r.standin.calls).toEqual([])
  }, 60_000)
})

describe('change-log records through the bundled action', () => {
  const body = [
    '## Emergency justification',
    'Payments fail for every customer since 09:10 UTC; this restores the previous gateway timeout.',
    '',
    '## Rollback plan',
    'Set the payments_timeout flag back to 30s in LaunchDarkly and redeploy the previous image tag.'
  ].join('\n')
  const breakGlass: Scenario = {
    name: 'break-glass',
    pull_request: { number: 60, title: 'PAY-77 restore the payment gateway timeout', author: 'alice', labels: ['emergency-change'], body },
    checks: [{ name: 'build' }]
  }

  it('break glass: the open PR passes with an exception; its merge record carries it with a review due in 24 h; a qualifying approval later appends retro_review', async () => {
    const store = bareStore()
    const open = await runAction(breakGlass, 'pull_request', opened(breakGlass))
    expect(open.standin.statuses.map((x) => x.state)).toEqual(['success'])
    const json = JSON.parse(open.outputs['decision-json']!)
    expect(json.decision).toBe('allow')
    expect(codes(json.exceptions)).toContain('approval/second-approver')

    const merge = await runAction(breakGlass, 'pull_request', merged(breakGlass), { 'INPUT_EVIDENCE-STORE': store })
    expect(merge.code).toBe(0)
    const [rec] = await storedRecords(store)
    expect(rec).toMatchObject({ kind: 'merge', pr: { number: 60 }, decision: { verdict: 'allow' }, review_due_at: '2026-11-25T16:00:00.000Z', ticket_reference: ['PAY-77'] })
    expect(codes(rec!.decision!.exceptions)).toContain('approval/second-approver')

    // After the merge bob reviews and approves: the stand-in now lists his approval.
    const reviewed: Scenario = { ...breakGlass, reviews: [{ author: 'bob', state: 'APPROVED' }] }
    const review = (login: string) => (head: string) => ({
      action: 'submitted',
      repository: { full_name: 'acme/api' },
      pull_request: { number: 60, state: 'closed', merged_at: '2026-11-24T16:00:00Z', head: { sha: head } },
      review: { id: 9001, state: 'approved', submitted_at: '2026-11-25T09:30:00Z', user: { login, type: 'User' } }
    })
    const byAuthor = await runAction({ ...breakGlass, reviews: [{ author: 'alice', state: 'APPROVED' }] }, 'pull_request_review', review('alice'), { 'INPUT_EVIDENCE-STORE': store })
    expect(byAuthor.stdout).toMatch(/retro-review\/qualified: the approval by alice does not settle .*is the author of the pull request/)
    const byBob = await runAction(reviewed, 'pull_request_review', review('bob'), { 'INPUT_EVIDENCE-STORE': store })
    expect(byBob.code).toBe(0)
    expect(byBob.standin.statuses).toEqual([])
    const records = await storedRecords(store)
    expect(records.map((r) => r.kind)).toEqual(['merge', 'retro_review'])
    expect(records[1]).toMatchObject({ approved_by: ['bob'], changed_by: 'alice', links: { reviewed: rec!.change_id }, prev_hash: expect.stringMatching(/^[0-9a-f]{64}$/) })
  }, 120_000)

  it('a push to the default branch: a direct_push record for each commit no merged PR brought', async () => {
    const store = bareStore()
    const viaPr = '1'.repeat(40)
    const direct = '2'.repeat(40)
    const pulls: RestRoute = ({ method, rest }) => {
      const m = /^\/commits\/([0-9a-f]{40})\/pulls$/.exec(rest)
      if (method !== 'GET' || !m) return undefined
      return { status: 200, body: m[1] === viaPr ? [{ number: 42, merged_at: '2026-11-24T16:00:00Z', base: { ref: 'main' } }] : [] }
    }
    const push = () => ({
      ref: 'refs/heads/main', before: '3'.repeat(40), after: direct, forced: false,
      repository: { full_name: 'acme/api', default_branch: 'main' }, pusher: { name: 'mallory' },
      commits: [
        { id: viaPr, message: 'Merge pull request #42 from acme/users', timestamp: '2026-11-24T16:00:00Z', author: { username: 'alice' } },
        { id: direct, message: 'bump timeout', timestamp: '2026-11-24T17:00:00Z', author: { username: 'mallory' } }
      ]
    })
    const r = await runAction(scenarios[0]!, 'push', push, { 'INPUT_EVIDENCE-STORE': store }, [pulls])
    expect(r.code).toBe(0)
    const records = await storedRecords(store)
    expect(records).toEqual([expect.objectContaining({ kind: 'direct_push', head_sha: direct, changed_by: 'mallory', decision: expect.objectContaining({ verdict: 'deny' }) })])
    // The violation is the built-in policy's (rules/push/no_pull_request), decided on a direct_push document.
    expect(records[0]!.decision!.violations).toEqual([expect.objectContaining({ code: 'push/no-pull-request', title: 'Change without a pull request', message: 'commit 222222222222 reached main without a merged pull request (pushed by mallory)' })])
    expect(records[0]!.policy_digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(records[0]!.input_digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(r.outputs.decision).toBe('deny')
    expect(r.summary).toContain('1 commit(s) reached the branch without a merged pull request')
    expect(r.summary).toContain('`push/no-pull-request`')
    expect(r.standin.statuses).toEqual([])
  }, 60_000)
})

describe('the bundled CLI, live from a PR through the stand-in', () => {
  async function cli(s: Scenario, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const standin = await startStandIn(s)
    try {
      const env = { PATH: process.env.PATH ?? '', GITHUB_TOKEN: 't', GITHUB_API_URL: standin.url, GITHUB_GRAPHQL_URL: `${standin.url}/graphql`, CHANGE_GATE_RETRY_BASE_MS: '1' }
      return await new Promise((resolve) => {
        execFile(process.execPath, [join(bundled.dir, 'dist/cli.js'), 'eval', '--repo', 'acme/api', '--pr', String(s.pull_request.number), ...args], { env, cwd: bundled.dir, timeout: 60_000 }, (err, stdout, stderr) => {
          resolve({ code: err ? Number((err as { code?: number }).code ?? 99) : 0, stdout, stderr })
        })
      })
    } finally {
      await standin.close()
    }
  }
  const byName = (n: string) => scenarios.find((x) => x.name === n)!

  it('eval --repo --pr honours GITHUB_API_URL / GITHUB_GRAPHQL_URL and the base branch config: allow → 0, deny → 1, invalid config → 2', async () => {
    const allow = await cli(byName('compliant'), ['--format', 'json'])
    expect(allow.code).toBe(0)
    expect(JSON.parse(allow.stdout).decision).toBe('allow')
    const deny = await cli(byName('no-ticket'), ['--format', 'json'])
    expect(deny.code).toBe(1)
    expect(JSON.parse(deny.stdout).violations.map((v: { code: string }) => v.code)).toEqual(['ticket/reference'])
    const error = await cli(byName('invalid-config'), ['--format', 'json'])
    expect(error.code).toBe(2)
    expect(error.stderr).toContain('rules.second_approver.required_approvals')
  }, 120_000)
})
