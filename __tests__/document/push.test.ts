import { describe, expect, it } from '@jest/globals'
import { Ajv } from 'ajv'
import { buildPushDocument, coAuthorsOf, type PushFacts } from '../../src/document/push.js'
import { INPUT_SCHEMA } from '../../src/document/schema.js'

const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(INPUT_SCHEMA)

const facts = (over: Partial<PushFacts> = {}): PushFacts => ({
  repository: { owner: 'acme', name: 'api', full_name: 'acme/api', default_branch: 'main' },
  ref: 'refs/heads/main',
  before: '3'.repeat(40),
  after: '2'.repeat(40),
  forced: true,
  pusher: 'mallory',
  commits: [
    { sha: '1'.repeat(40), message: 'Merge pull request #42', timestamp: '2026-11-24T16:00:00Z', author: { login: 'alice', email: 'alice@example.com', name: 'Alice' }, committer: { login: 'web-flow', email: 'noreply@github.com', name: 'GitHub' }, pull_request: { number: 42 } },
    { sha: '2'.repeat(40), message: 'bump\n\nCo-authored-by: Eve <EVE@Example.com>\nco-authored-by: Mallory <mallory@example.com>', timestamp: '2026-11-24T17:00:00Z', author: { login: 'mallory', email: 'mallory@example.com', name: 'Mallory' }, committer: { login: null, email: 'mallory@laptop.local', name: 'Mallory' }, pull_request: null }
  ],
  commits_complete: true,
  ...over
})
const ctx = { now: new Date('2026-11-25T10:00:00Z'), event: { name: 'push', actor: 'mallory', run_id: '9', run_url: 'https://github.com/acme/api/actions/runs/9' } }

describe('buildPushDocument (kind direct_push)', () => {
  it('carries the push and every commit with its pull request; validates against schemas/input.v1.schema.json', () => {
    const doc = buildPushDocument(facts(), ctx)
    expect(validate(doc)).toBe(true)
    expect(validate.errors ?? null).toBeNull()
    expect(doc).toMatchObject({ schema: 'change-gate/input/v1', kind: 'direct_push', now: '2026-11-25T10:00:00.000Z', event: { name: 'push', action: null, actor: 'mallory', sha: '2'.repeat(40), run_id: '9' } })
    expect(doc.push).toMatchObject({ ref: 'refs/heads/main', branch: 'main', forced: true, pusher: 'mallory', commits_complete: true })
    expect(doc.push.commits.map((c) => c.pull_request)).toEqual([{ number: 42 }, null])
    // Co-authors from the trailers: by email (no account lookup), the author himself left out.
    expect(doc.push.commits[1]!.co_authors).toEqual([{ login: null, email: 'eve@example.com', name: 'Eve' }])
  })

  it('the schema rejects a push document without its completeness flag or with a PR field on it', () => {
    const doc = JSON.parse(JSON.stringify(buildPushDocument(facts(), ctx)))
    delete doc.push.commits_complete
    expect(validate(doc)).toBe(false)
    const mixed = { ...buildPushDocument(facts(), ctx), pull_request: {} }
    expect(validate(mixed)).toBe(false)
  })

  it('coAuthorsOf reads Co-authored-by trailers case-insensitively, de-duplicated by email', () => {
    expect(coAuthorsOf('x\n\nCo-authored-by: A <a@x.io>\nCO-AUTHORED-BY: A again <A@x.io>\nCo-authored-by: <b@x.io>')).toEqual([
      { login: null, email: 'a@x.io', name: 'A' },
      { login: null, email: 'b@x.io', name: null }
    ])
    expect(coAuthorsOf('no trailers: Co-authored-by: inline <c@x.io> text')).toEqual([])
  })
})
