import { describe, expect, it } from '@jest/globals'
import { Ajv } from 'ajv'
import { readFileSync } from 'node:fs'
import { DEFAULT_CONFIG, parseConfig } from '../../src/config/index.js'
import { buildPullRequestDocument, latestReviews } from '../../src/document/build.js'
import { INPUT_SCHEMA } from '../../src/document/schema.js'
import type { InputDocument } from '../../src/document/types.js'
import type { GitHubPullRequestFacts, ReviewFacts } from '../../src/github/facts.js'
import { scenarioFacts, scenarioNames } from './scenario-facts.js'

const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(INPUT_SCHEMA)
const ctx = { kind: 'pull_request' as const, now: new Date('2026-11-25T10:00:00Z'), event: { name: 'pull_request', action: 'synchronize', actor: 'alice', run_id: 9, run_url: 'https://github.com/acme/api/actions/runs/9' } }

const HEAD = 'b'.repeat(40)
function facts(over: Partial<GitHubPullRequestFacts['pull_request']> = {}): GitHubPullRequestFacts {
  return {
    repository: { owner: 'acme', name: 'api', full_name: 'acme/api', default_branch: 'main' },
    pull_request: {
      number: 7, url: 'https://github.com/acme/api/pull/7', title: 'add things', body: '', draft: false, labels: [],
      base: { ref: 'main', sha: 'a'.repeat(40) }, head: { ref: 'feature/x', sha: HEAD }, author: { login: 'alice', type: 'User' },
      merged: false, merged_by: null, merge_commit_sha: null,
      commits: [{ sha: HEAD, parents: ['a'.repeat(40)], is_merge: false, message: 'work', author: { login: 'alice', email: 'a@x' }, committer: { login: null, email: 'ci@x' }, co_authors: [], verified: true }],
      commits_complete: true, files: [], files_complete: true, reviews: [], reviews_complete: true, latest_reviews: [], review_requests: [], contributors: [], checks: [], checks_complete: true,
      ...over
    },
    round_trips: 1
  }
}
const review = (login: string, state: string, submitted_at: string, type = 'User'): ReviewFacts => ({ id: `${login}${submitted_at}`, reviewer: { login, type }, state, submitted_at, commit_sha: HEAD, association: 'MEMBER', can_push: true })

describe('the input document of every scenario', () => {
  const names = scenarioNames()
  it('there are the 15 scenarios', () => expect(names).toHaveLength(15))
  for (const name of names) {
    it(`${name}: validates against the input schema`, async () => {
      const { scenario, facts: f } = await scenarioFacts(name)
      if (!f) {
        expect(scenario.graphql_fail).toBe(true)
        return
      }
      const doc = buildPullRequestDocument(f, DEFAULT_CONFIG, ctx)
      const ok = validate(doc)
      expect(validate.errors ?? []).toEqual([])
      expect(ok).toBe(true)
      expect(doc).toMatchObject({ schema: 'change-gate/input/v1', kind: 'pull_request', now: '2026-11-25T10:00:00.000Z', event: { name: 'pull_request', run_id: '9', sha: f.pull_request.head.sha } })
      expect(doc.pull_request.sections['rollback plan']).toBe(doc.change.rollback_plan)
    })
  }
  it('the documents carry what the policies decide on', async () => {
    const get = async (n: string) => buildPullRequestDocument((await scenarioFacts(n)).facts!, DEFAULT_CONFIG, ctx)
    expect((await get('compliant')).change).toMatchObject({ tickets: [{ key: 'ABC-123', source: 'title' }, { key: 'ABC-123', source: 'commits' }], affected_systems: ['acme/api'] })
    expect((await get('ticket-in-code-block')).change.tickets).toEqual([])
    expect((await get('no-ticket')).change.tickets).toEqual([])
    expect((await get('rollback-na')).change.rollback_plan).toBe('N/A')
    expect((await get('co-author-approval')).pull_request.contributors).toEqual(['alice', 'bob'])
    expect((await get('dismissed-approval')).pull_request.latest_reviews).toEqual([])
    const stale = await get('stale-approval')
    expect(stale.pull_request.latest_reviews.map((r) => r.commit_sha)).toEqual([stale.pull_request.commits[0]!.sha])
  })
})

describe('buildPullRequestDocument', () => {
  it('classifies the changed paths and names the affected systems from config', () => {
    const config = parseConfig('affected_systems:\n  billing: ["services/billing/**"]\n  web: ["web/**"]\n', 'c.yml')
    const files = ['db/migrations/0042_add_users.sql', '.github/workflows/ci.yml', 'infra/main.tf', 'CODEOWNERS', 'services/billing/app.ts', 'README.md'].map((path) => ({ path, status: 'MODIFIED', additions: 1, deletions: 0 }))
    const doc = buildPullRequestDocument(facts({ files }), config, ctx)
    expect(doc.change.types).toEqual(['DDL', 'PIPELINE', 'ACCESS', 'INFRASTRUCTURE', 'APPLICATION'])
    expect(doc.change.paths_by_type).toEqual({
      DDL: ['db/migrations/0042_add_users.sql'],
      PIPELINE: ['.github/workflows/ci.yml'],
      ACCESS: ['CODEOWNERS'],
      INFRASTRUCTURE: ['infra/main.tf'],
      APPLICATION: ['README.md', 'services/billing/app.ts']
    })
    expect(doc.change.affected_systems).toEqual(['billing'])
    expect(doc.change.classification).toEqual({ method: 'paths' })
    expect(validate(doc)).toBe(true)
  })
  it('a PR without files has no change type', () => {
    expect(buildPullRequestDocument(facts(), DEFAULT_CONFIG, ctx).change.types).toEqual([])
  })
  it('tickets: configured sources and project keys; code in bodies and commit messages does not count', () => {
    const body = 'Fixes `OPS-9` and\n```\nOPS-10 in a log\n```\nsee PAY-77\n\n## Rollback plan\nflip the flag'
    const f = facts({ title: 'PAY-1 and UTF-8', body, head: { ref: 'PAY-2-branch', sha: HEAD }, commits: [{ ...facts().pull_request.commits[0]!, message: 'PAY-3 `PAY-4`' }] })
    const all = buildPullRequestDocument(f, DEFAULT_CONFIG, ctx).change.tickets
    expect(all).toEqual([
      { key: 'PAY-1', source: 'title' }, { key: 'UTF-8', source: 'title' }, { key: 'PAY-2', source: 'branch' }, { key: 'PAY-77', source: 'body' }, { key: 'PAY-3', source: 'commits' }
    ])
    const limited = parseConfig('rules:\n  ticket_reference:\n    sources: [body, commits]\n    project_keys: [PAY]\n', 'c.yml')
    expect(buildPullRequestDocument(f, limited, ctx).change.tickets).toEqual([{ key: 'PAY-77', source: 'body' }, { key: 'PAY-3', source: 'commits' }])
    const snow = parseConfig('rules:\n  ticket_reference:\n    patterns: ["\\\\bCHG[0-9]{7}\\\\b"]\n', 'c.yml')
    expect(buildPullRequestDocument(facts({ title: 'CHG0012345 rotate keys' }), snow, ctx).change.tickets).toEqual([{ key: 'CHG0012345', source: 'title' }])
    expect(buildPullRequestDocument(facts({ title: 'fix `ABC-9` parsing' }), DEFAULT_CONFIG, ctx).change.tickets).toEqual([])
  })
  it('rollback plan: the first configured section present, template comments removed', () => {
    const doc = buildPullRequestDocument(facts({ body: '## Rollback\n<!-- how to undo -->\nRedeploy v1.2.3 from the release page.\n## Notes\nx' }), DEFAULT_CONFIG, ctx)
    expect(doc.change.rollback_plan).toBe('Redeploy v1.2.3 from the release page.')
    expect(buildPullRequestDocument(facts({ body: 'no headings' }), DEFAULT_CONFIG, ctx).change.rollback_plan).toBeNull()
  })
  it('merge kind and event defaults', () => {
    const doc = buildPullRequestDocument(facts(), DEFAULT_CONFIG, { kind: 'merge', now: new Date('2026-01-02T03:04:05Z'), event: { name: 'pull_request' } })
    expect(doc.kind).toBe('merge')
    expect(doc.event).toEqual({ name: 'pull_request', action: null, actor: null, sha: HEAD, run_id: null, run_url: null })
  })
  it('contributors: authors, committers and co-authors; email when no account is linked', () => {
    const c = { ...facts().pull_request.commits[0]!, co_authors: [{ login: 'bob', email: 'b@x' }] }
    expect(buildPullRequestDocument(facts({ commits: [c] }), DEFAULT_CONFIG, ctx).pull_request.contributors).toEqual(['alice', 'bob', 'ci@x'])
  })
  it('is pure: the facts are not modified and equal inputs give equal documents', () => {
    const f = facts({ body: '## Rollback plan\nredeploy the previous tag from the releases page' })
    const before = JSON.stringify(f)
    const a = buildPullRequestDocument(f, DEFAULT_CONFIG, ctx) as InputDocument
    a.pull_request.commits[0]!.parents.push('x')
    expect(JSON.stringify(f)).toBe(before)
    expect(buildPullRequestDocument(f, DEFAULT_CONFIG, ctx)).toEqual(buildPullRequestDocument(f, DEFAULT_CONFIG, ctx))
  })
})

describe('latestReviews', () => {
  it('keeps the latest opinion per reviewer, drops dismissed stances, ignores comments', () => {
    const out = latestReviews([
      review('bob', 'CHANGES_REQUESTED', '2026-01-01T00:00:00Z'),
      review('bob', 'COMMENTED', '2026-01-03T00:00:00Z'),
      review('bob', 'APPROVED', '2026-01-02T00:00:00Z'),
      review('carol', 'APPROVED', '2026-01-01T00:00:00Z'),
      review('carol', 'DISMISSED', '2026-01-02T00:00:00Z'),
      review('dave', 'COMMENTED', '2026-01-01T00:00:00Z')
    ])
    expect(out.map((r) => [r.reviewer.login, r.state])).toEqual([['bob', 'APPROVED']])
  })
})

describe('schemas/input.v1.schema.json', () => {
  it('is the schema the code validates with', () => {
    expect(JSON.parse(readFileSync(new URL('../../schemas/input.v1.schema.json', import.meta.url), 'utf8'))).toEqual(JSON.parse(JSON.stringify(INPUT_SCHEMA)))
  })
  it('rejects a document missing a completeness flag', () => {
    const doc = JSON.parse(JSON.stringify(buildPullRequestDocument(facts(), DEFAULT_CONFIG, ctx)))
    delete doc.pull_request.checks_complete
    expect(validate(doc)).toBe(false)
  })
})
