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
      const pr = payload.pull_request as { number: number; head: { sha: string }; merged: boolean }
      if (['opened', 'synchronize', 'reopened', 'edited', 'labeled', 'unlabeled', 'ready_for_review'].includes(payload.action!)) {
        seen++
        expect(plan).toMatchObject({ kind: 'pull_request', pulls: [{ number: pr.number, head_sha: pr.head.sha }] })
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
  it('push: ref and SHAs', () => {
    for (const payload of of('push')) expect(planEvent('push', payload)).toMatchObject({ kind: 'push', ref: payload.ref, after: payload.after })
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
