import { describe, expect, it } from '@jest/globals'
import { parse, validate } from 'graphql'
import { githubSchema } from '../support/github-standin/schema.js'
import { PAGE_QUERIES, PULL_REQUEST_QUERY } from '../../src/github/queries.js'

const schema = githubSchema()

const documents: Record<string, string> = { pullRequest: PULL_REQUEST_QUERY, ...PAGE_QUERIES }

describe("GraphQL documents against GitHub's published schema", () => {
  for (const [name, doc] of Object.entries(documents)) {
    it(`${name} validates`, () => {
      expect(validate(schema, parse(doc)).map((e) => e.message)).toEqual([])
    })
    it(`${name}: every connection asks for first: N ≤ 100`, () => {
      expect(doc).not.toMatch(/first:\s*(\d{4,}|[2-9]\d\d|1[1-9]\d|10[1-9])/)
    })
  }
  it('a wrong field is caught (the check can fail)', () => {
    const bad = PULL_REQUEST_QUERY.replace('headRefOid', 'headSha')
    expect(validate(schema, parse(bad)).length).toBeGreaterThan(0)
  })
  it('isRequired always gets pullRequestNumber', () => {
    for (const doc of Object.values(documents)) {
      for (const m of doc.matchAll(/isRequired(\([^)]*\))?/g)) expect(m[1]).toBe('(pullRequestNumber: $number)')
    }
  })
})
