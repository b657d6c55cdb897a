import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { fetchDeploymentFacts } from '../../src/github/deployment.js'
import { createWorld, type World } from './world.js'

// Real git processes and an HTTP stand-in per test: generous under a loaded machine.
jest.setTimeout(60_000)

let world: World | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

const facts = (w: World, environment: string, sha: string, extra: { version?: string } = {}, deploymentsApi = true) =>
  fetchDeploymentFacts(w.client, { owner: 'acme', repo: 'api', environment, sha, store: w.store, deploymentsApi, ...extra })

describe('deployment facts (stand-in + git evidence store)', () => {
  it('a clean release: the range since the last successful deployment, each commit mapped to its PR and merge record', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'Add billing')
    await w.recordDeployment('production', v1, { version: '1.0.0' })
    await w.mergeCompliant(2, 'Fix invoice totals')
    const head = await w.mergeCompliant(3, 'Add audit log', { strategy: 'merge', commits: 2 })
    const f = await facts(w, 'production', head)
    expect(f.previous).toEqual(expect.objectContaining({ sha: v1, version: '1.0.0', source: 'evidence' }))
    expect(f.range?.status).toBe('ahead')
    expect(f.rollback).toBe(false)
    expect(f.changes_complete).toBe(true)
    // squash #2, then #3's two branch commits and its merge commit
    expect(f.changes.map((c) => c.pull?.number)).toEqual([2, 3, 3, 3])
    expect(f.changes.every((c) => c.merge_record?.decision?.verdict === 'allow')).toBe(true)
    // merge SHAs resolve from the evidence store, #3's branch commits from the commit graph: no lookups
    expect(f.changes.map((c) => c.pull?.source)).toEqual(['merge_record', 'merge_graph', 'merge_graph', 'merge_record'])
    expect(w.standin.calls.filter((c) => /\/commits\/[0-9a-f]{40}\/pulls/.test(c.path))).toHaveLength(0)
  })

  it('rebase merges: the last rebased commit resolves from the record, the others ask GitHub', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1)
    const head = await w.mergeCompliant(2, 'Rebased', { strategy: 'rebase', commits: 3 })
    const f = await facts(w, 'production', head)
    expect(f.changes.map((c) => [c.pull?.number, c.pull?.source])).toEqual([
      [2, 'github'],
      [2, 'github'],
      [2, 'merge_record']
    ])
    expect(f.changes.every((c) => c.merge_record?.pr?.number === 2)).toBe(true)
    expect(f.round_trips).toBe(3) // Deployments cross-check + one compare page + one batched GraphQL lookup for both
    expect(w.standin.calls.filter((c) => c.operation === 'CommitPulls')).toHaveLength(1)
  })

  it('lookups are batched 50 commits per GraphQL query (validated by the stand-in against GitHub schema)', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1)
    for (let i = 0; i < 120; i++) w.history.push(`direct ${i}`)
    const f = await facts(w, 'production', w.history.main)
    expect(f.changes).toHaveLength(120)
    expect(f.changes.every((c) => c.pull === null)).toBe(true)
    expect(w.standin.calls.filter((c) => c.operation === 'CommitPulls').map((c) => Object.keys((c.body as { variables: object }).variables).length - 2)).toEqual([50, 50, 20])
    expect(f.round_trips).toBe(1 + 2 + 3) // cross-check, two compare pages, three lookups
  })

  it('a commit with more associated PRs than one page falls back to REST', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1)
    const pushed = w.history.push('shared commit')
    // eleven open PRs contain the commit; one merged PR brought it in
    for (let i = 0; i < 11; i++) w.history.pulls.push({ number: 100 + i, title: `open ${i}`, author: 'x', merged_at: null, merge_commit_sha: null, commits: [pushed], base: 'main' })
    w.history.pulls.push({ number: 200, title: 'the one', author: 'bob', merged_at: w.history.now(), merge_commit_sha: null, commits: [pushed], base: 'main' })
    const f = await facts(w, 'production', pushed)
    expect(f.changes[0]!.pull?.number).toBe(200)
    expect(w.standin.calls.some((c) => c.path.includes(`/commits/${pushed}/pulls`))).toBe(true)
  })

  it('a merge commit pushed without a merge record attributes nothing: its branch commits stay unreviewed', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1)
    const m = w.history.merge(2, 'Not through the gate', { strategy: 'merge', commits: 2 })
    w.history.pulls.pop() // no PR on GitHub either: a local merge pushed straight to main
    const f = await facts(w, 'production', m.merge_sha)
    expect(f.changes.map((c) => c.pull)).toEqual([null, null, null])
  })

  it('a direct push has no PR; a failed deployment is not a baseline', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'Add billing')
    await w.recordDeployment('production', v1)
    const v2 = await w.mergeCompliant(2, 'Refactor')
    await w.recordDeployment('production', v2, { outcome: 'FAILED' })
    const pushed = w.history.push('hotfix straight to main')
    const f = await facts(w, 'production', pushed)
    expect(f.previous?.sha).toBe(v1)
    expect(f.changes.map((c) => [c.commit.sha, c.pull?.number ?? null])).toEqual([
      [v2, 2],
      [pushed, null]
    ])
  })

  it('a denied deployment that shipped anyway is not a baseline either', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1)
    const bad = w.history.push('unreviewed')
    await w.recordDeployment('production', bad, { verdict: 'deny' })
    const f = await facts(w, 'production', bad)
    expect(f.previous?.sha).toBe(v1)
    expect(f.changes.map((c) => c.commit.sha)).toEqual([bad])
  })

  it('a rollback: the SHA is an ancestor of the last deployed one', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1)
    const v2 = await w.mergeCompliant(2, 'B')
    await w.recordDeployment('production', v2)
    const f = await facts(w, 'production', v1)
    expect(f.previous?.sha).toBe(v2)
    expect(f.range?.status).toBe('behind')
    expect(f.rollback).toBe(true)
    expect(f.changes).toEqual([])
  })

  it('the first deployment of an environment: no baseline in the store nor in the Deployments API', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('staging', v1)
    const f = await facts(w, 'production', v1)
    expect(f.previous).toBeNull()
    expect(f.changes).toEqual([])
    expect(f.changes_complete).toBe(true)
    expect(w.standin.calls.filter((c) => c.operation === 'EnvironmentDeployments')).toHaveLength(1)
  })

  it('falls back to the Deployments API when the store has no deployment (any success status counts)', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    w.history.deploy('production', v1, ['in_progress', 'success', 'inactive'])
    const v2 = await w.mergeCompliant(2, 'B')
    w.history.deploy('production', v2, ['in_progress', 'failure'])
    const head = await w.mergeCompliant(3, 'C')
    const f = await facts(w, 'production', head)
    expect(f.previous).toEqual(expect.objectContaining({ sha: v1, source: 'deployments_api', change_id: null }))
    expect(f.changes.map((c) => c.pull?.number)).toEqual([2, 3])
  })

  it('cross-check: a newer successful deployment GitHub knows of, of another SHA, is reported', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1)
    w.history.deploy('production', v1) // the gated deployment, as the job's environment created it
    const sneaky = await w.mergeCompliant(2, 'B')
    w.history.deploy('production', sneaky) // shipped by a workflow without the gate
    const head = await w.mergeCompliant(3, 'C')
    const f = await facts(w, 'production', head)
    expect(f.previous?.sha).toBe(v1)
    expect(f.unrecorded_deployment).toEqual({ sha: sneaky, at: expect.any(String) })
    expect(f.changes.map((c) => c.pull?.number)).toEqual([2, 3])
    const clean = await facts(w, 'production', head, {}, false)
    expect(clean.unrecorded_deployment).toBeNull()
  })

  it('more than 250 commits: compare is paged to the end, never cut at 250', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1)
    for (let i = 0; i < 200; i++) await w.mergeCompliant(10 + i, `Change ${i}`, { strategy: i % 2 ? 'squash' : 'merge', commits: 1 })
    const head = w.history.main
    const started = performance.now()
    const f = await facts(w, 'production', head)
    const ms = performance.now() - started
    expect(f.range?.ahead_by).toBe(300) // 100 squash PRs (1 commit each) + 100 merge-commit PRs (branch commit + merge)
    expect(f.changes).toHaveLength(300)
    expect(new Set(f.changes.map((c) => c.commit.sha)).size).toBe(300)
    expect(f.changes_complete).toBe(true)
    expect(f.changes.every((c) => c.pull !== null && c.merge_record !== null)).toBe(true)
    // 100 squash + 100 merge-commit PRs: everything resolves from the records and the graph;
    // the calls are the Deployments cross-check and three compare pages
    expect(f.round_trips).toBe(4)
    const compares = w.standin.calls.filter((c) => c.path.includes('/compare/'))
    expect(compares.map((c) => new URL(c.path, 'http://x').searchParams.get('page')).sort()).toEqual(['1', '2', '3'])
    process.stdout.write(`300-commit range: ${f.round_trips} GitHub round trips, ${ms.toFixed(0)} ms\n`)
  }, 60_000)

  it('a compare that lists fewer commits than it counts is incomplete (fail closed)', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1)
    const head = await w.mergeCompliant(2, 'B')
    const real = w.client
    w.client = {
      graphql: real.graphql,
      request: async <T>(route: string, params?: Record<string, unknown>) => {
        const res = await real.request<{ commits?: unknown[]; total_commits?: number }>(route, params)
        if (route.includes('/compare/')) res.data.total_commits = 5
        return res as unknown as { status: number; data: T }
      }
    }
    const f = await facts(w, 'production', head)
    expect(f.changes_complete).toBe(false)
    expect(f.problems.join('\n')).toMatch(/compare reported 5 commits .* but its pages held 1/)
  })

  it('rejects a SHA that is not a full commit SHA', async () => {
    const w = (world = await createWorld())
    await expect(facts(w, 'production', 'main')).rejects.toThrow(/not a full commit SHA/)
  })
})
