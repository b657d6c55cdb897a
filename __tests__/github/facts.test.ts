import { afterEach, describe, expect, it } from '@jest/globals'
import { fileURLToPath } from 'node:url'
import { createGitHubClient, GitHubApiError } from '../../src/github/client.js'
import { fetchPullRequestFacts, normaliseLogin } from '../../src/github/facts.js'
import { loadScenario } from '../support/github-standin/scenario.js'
import { startStandIn, type StandIn } from '../support/github-standin/server.js'

const scenario = (name: string) => loadScenario(fileURLToPath(new URL(`../../__fixtures__/scenarios/${name}.yml`, import.meta.url)))
let standin: StandIn | undefined
afterEach(async () => {
  await standin?.close()
  standin = undefined
})

async function facts(name: string, maxPages?: number) {
  const s = scenario(name)
  standin = await startStandIn(s)
  const client = createGitHubClient({ token: 't', apiUrl: standin.url, graphqlUrl: `${standin.url}/graphql`, retries: 2, retryBaseMs: 1 })
  return fetchPullRequestFacts(client, 'acme', 'api', s.pull_request.number, maxPages)
}

describe('PR facts from the GitHub stand-in (real schema)', () => {
  it('compliant PR: one round trip, normalised facts', async () => {
    const f = await facts('compliant')
    expect(f.round_trips).toBe(1)
    expect(standin!.calls.map((c) => c.operation)).toEqual(['PullRequestFacts'])
    const pr = f.pull_request
    expect(pr).toMatchObject({ number: 42, author: { login: 'alice', type: 'User' }, head: { sha: standin!.headSha }, commits_complete: true, files_complete: true, checks_complete: true, reviews_complete: true })
    expect(pr.latest_reviews).toEqual([expect.objectContaining({ reviewer: { login: 'bob', type: 'User' }, state: 'APPROVED', commit_sha: standin!.headSha, can_push: true, association: 'MEMBER' })])
    expect(pr.checks.map((c) => [c.name, c.source, c.status, c.conclusion])).toEqual([
      ['build', 'check_run', 'COMPLETED', 'SUCCESS'],
      ['unit-tests', 'check_run', 'COMPLETED', 'SUCCESS'],
      ['change-gate', 'status', 'PENDING', null]
    ])
    expect(pr.contributors).toEqual(['alice'])
  })
  it('co-authors come from Co-authored-by and join the contributors', async () => {
    const pr = (await facts('co-author-approval')).pull_request
    expect(pr.commits[0]!.co_authors).toEqual([expect.objectContaining({ login: 'bob' })])
    expect(pr.contributors).toEqual(['alice', 'bob'])
  })
  it('bot reviewers keep their type; dismissed opinions leave no stance', async () => {
    expect((await facts('bot-approval')).pull_request.latest_reviews[0]!.reviewer).toEqual({ login: 'review-bot', type: 'Bot' })
    await standin!.close()
    const d = (await facts('dismissed-approval')).pull_request
    expect(d.latest_reviews).toEqual([])
    expect(d.reviews.map((r) => r.state)).toEqual(['APPROVED', 'DISMISSED'])
  })
  it('stale approval keeps the commit it was given on', async () => {
    const pr = (await facts('stale-approval')).pull_request
    expect(pr.latest_reviews[0]!.commit_sha).toBe(pr.commits[0]!.sha)
    expect(pr.head.sha).toBe(pr.commits[1]!.sha)
  })
  it('more than 100 commits: follow-up page, complete', async () => {
    const f = await facts('many-commits')
    expect(f.pull_request.commits).toHaveLength(150)
    expect(new Set(f.pull_request.commits.map((c) => c.sha)).size).toBe(150)
    expect(f.pull_request.commits_complete).toBe(true)
    expect(f.round_trips).toBe(2)
    expect(standin!.calls.map((c) => c.operation)).toEqual(['PullRequestFacts', 'PullRequestCommits'])
  })
  it('a page limit reached marks the facts incomplete instead of truncating silently', async () => {
    const f = await facts('many-commits', 0)
    expect(f.pull_request.commits).toHaveLength(100)
    expect(f.pull_request.commits_complete).toBe(false)
  })
  it('GraphQL failing after retries throws a GitHubApiError naming the endpoint', async () => {
    await expect(facts('graphql-failing')).rejects.toThrow(GitHubApiError)
    expect(standin!.calls.filter((c) => c.path === '/graphql')).toHaveLength(3)
  })
  it('normaliseLogin', () => {
    expect([normaliseLogin('dependabot[bot]'), normaliseLogin('dependabot'), normaliseLogin(null)]).toEqual(['dependabot', 'dependabot', 'ghost'])
  })
})
