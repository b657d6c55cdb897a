import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { EventError, mergeGroupPulls, planEvent } from '../../src/github/events.js'

interface EventDoc {
  name: string
  examples: Array<Record<string, unknown> & { action?: string }>
}
const examples: EventDoc[] = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../node_modules/@octokit/webhooks-examples/api.github.com/index.json', import.meta.url)), 'utf8')
)
const of = (name: string) => examples.find((e) => e.name === name)!.examples

describe("planEvent on GitHub's published webhook examples", () => {
  it('pull_request: handled activity types evaluate the PR on its head SHA', () => {
    let seen = 0
    for (const payload of of('pull_request')) {
      const plan = planEvent('pull_request', payload)
      const pr = payload.pull_request as { number: number; head: { sha: string }; base: { sha: string }; merged: boolean }
      if (['opened', 'synchronize', 'reopened', 'edited', 'labeled', 'unlabeled', 'ready_for_review'].includes(payload.action!)) {
        seen++
        expect(plan).toMatchObject({ kind: 'pull_request', pulls: [{ number: pr.number, head_sha: pr.head.sha, base_sha: pr.base.sha }] })
      } else if (payload.action === 'closed') {
        expect(plan.kind).toBe(pr.merged ? 'merged' : 'ignored')
      } else {
        expect(plan.kind).toBe('ignored')
        if (plan.kind === 'ignored') expect(plan.reason).toContain('handled activity types')
      }
    }
    expect(seen).toBeGreaterThanOrEqual(10)
  })
  it('pull_request_review: submitted and dismissed re-evaluate', () => {
    for (const payload of of('pull_request_review')) {
      expect(planEvent('pull_request_review', payload)).toMatchObject({ kind: 'pull_request', repo: { owner: 'Codertocat', repo: 'Hello-World' } })
    }
  })
  it('merge_group: the queued PR from the queue ref, status on the group head', () => {
    for (const payload of of('merge_group')) {
      const plan = planEvent('merge_group', payload)
      expect(plan).toMatchObject({ kind: 'merge_group', status_sha: (payload.merge_group as { head_sha: string }).head_sha })
      if (plan.kind === 'merge_group') expect(plan.pulls.map((p) => p.number)).toContain(104)
    }
  })
  it('check_suite / workflow_run completed: the head SHA and the PRs listed', () => {
    for (const name of ['check_suite', 'workflow_run'] as const) {
      for (const payload of of(name)) {
        const plan = planEvent(name, payload)
        if (payload.action === 'completed') {
          expect(plan).toMatchObject({ kind: 'checks_completed', sha: (payload[name] as { head_sha: string }).head_sha })
        } else expect(plan.kind).toBe('ignored')
      }
    }
  })
  it('push: branch pushes carry ref, SHAs, pusher and commits; tags and deletions are ignored', () => {
    let branches = 0
    for (const payload of of('push')) {
      const plan = planEvent('push', payload)
      const ref = String(payload.ref)
      if (ref.startsWith('refs/heads/') && payload.deleted !== true) {
        branches++
        const commits = payload.commits as Array<{ id: string }>
        expect(plan).toMatchObject({ kind: 'push', ref, after: payload.after, default_branch: 'master', pusher: 'Codertocat', commits_complete: true })
        if (plan.kind === 'push') expect(plan.commits.map((c) => c.sha)).toEqual(commits.map((c) => c.id))
      } else expect(plan.kind).toBe('ignored')
    }
    expect(branches).toBeGreaterThanOrEqual(1)
  })
  it('push: a payload listing 2048 commits is marked incomplete (GitHub cuts the list there)', () => {
    const commits = Array.from({ length: 2048 }, (_, i) => ({ id: i.toString(16).padStart(40, '0'), message: 'm', timestamp: '2026-01-01T00:00:00Z', author: { username: 'a' } }))
    const plan = planEvent('push', { ref: 'refs/heads/main', before: 'b'.repeat(40), after: 'a'.repeat(40), commits, pusher: { name: 'a' }, repository: { full_name: 'o/r', default_branch: 'main' } })
    expect(plan).toMatchObject({ kind: 'push', commits_complete: false })
  })
  it('pull_request closed+merged: merge commit, merge time and merger (login normalised)', () => {
    const payload = { action: 'closed', repository: { full_name: 'acme/api' }, pull_request: { number: 7, merged: true, merged_at: '2026-11-24T10:00:00Z', merge_commit_sha: 'c'.repeat(40), merged_by: { login: 'merge-bot[bot]' }, head: { sha: 'd'.repeat(40) } } }
    expect(planEvent('pull_request', payload)).toEqual({ kind: 'merged', event: 'pull_request', action: 'closed', repo: { owner: 'acme', repo: 'api' }, pulls: [{ number: 7, head_sha: 'd'.repeat(40) }], merge_commit_sha: 'c'.repeat(40), merged_at: '2026-11-24T10:00:00Z', merged_by: 'merge-bot' })
  })
  it('pull_request_review on a merged PR: an approval is a retroactive review; anything else is ignored', () => {
    const base = of('pull_request_review')[0]!
    const pr = { ...(base.pull_request as object), state: 'closed', merged_at: '2026-11-24T10:00:00Z' }
    const approved = { ...base, action: 'submitted', pull_request: pr, review: { ...(base.review as object), id: 5, state: 'approved', submitted_at: '2026-11-25T09:00:00Z' } }
    expect(planEvent('pull_request_review', approved)).toMatchObject({ kind: 'retro_review', review: { id: 5, reviewer: 'Codertocat', reviewer_type: 'User', submitted_at: '2026-11-25T09:00:00Z' } })
    expect(planEvent('pull_request_review', { ...approved, review: { ...(approved.review as object), state: 'commented' } }).kind).toBe('ignored')
    expect(planEvent('pull_request_review', { ...approved, action: 'dismissed' }).kind).toBe('ignored')
  })
  it('anything else: a clear not-handled message', () => {
    const plan = planEvent('issues', of('issues')[0])
    expect(plan.kind).toBe('ignored')
    if (plan.kind === 'ignored') expect(plan.reason).toContain("'issues' event is not handled")
  })
  it('a broken payload is an error, not a crash', () => {
    expect(() => planEvent('pull_request', { action: 'opened', repository: { full_name: 'a/b' } })).toThrow(EventError)
    expect(() => planEvent('pull_request', { action: 'opened', pull_request: { number: 1 } })).toThrow(/GITHUB_REPOSITORY/)
    expect(planEvent('pull_request', { action: 'opened', pull_request: { number: 1 } }, 'a/b')).toMatchObject({ repo: { owner: 'a', repo: 'b' } })
  })
})

describe('mergeGroupPulls', () => {
  it('reads the queue ref and merge commit messages', () => {
    expect(mergeGroupPulls('refs/heads/gh-readonly-queue/main/pr-7-0123abc', 'Merge pull request #5 from x\n\nfeat: y (#9)')).toEqual([5, 7, 9])
    expect(mergeGroupPulls('refs/heads/main', 'nothing')).toEqual([])
  })
})
