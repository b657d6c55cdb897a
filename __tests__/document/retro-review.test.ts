import { describe, expect, it } from '@jest/globals'
import { Ajv } from 'ajv'
import { DEFAULT_CONFIG } from '../../src/config/index.js'
import { buildRetroReviewDocument } from '../../src/document/retro-review.js'
import { INPUT_SCHEMA } from '../../src/document/schema.js'
import { scenarioFacts } from './scenario-facts.js'

const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(INPUT_SCHEMA)

describe('buildRetroReviewDocument (kind retro_review)', () => {
  it('is the merged PR\'s document plus the review to judge, and validates against schemas/input.v1.schema.json', async () => {
    const facts = (await scenarioFacts('compliant')).facts!
    const review = { reviewer: { login: 'bob', type: 'User' }, review_id: '77', submitted_at: '2026-11-25T08:00:00Z', reviewed_change_id: 'merge-abc' }
    const doc = buildRetroReviewDocument(facts, DEFAULT_CONFIG, { now: new Date('2026-11-25T09:00:00Z'), event: { name: 'pull_request_review', action: 'submitted' } }, review)
    expect(validate(doc)).toBe(true)
    expect(doc.kind).toBe('retro_review')
    expect(doc.retro_review).toEqual(review)
    expect(doc.pull_request.number).toBe(facts.pull_request.number)
    // a retro_review field on a pull_request document, or a retro_review document without it, is rejected
    expect(validate({ ...doc, kind: 'merge' })).toBe(false)
    const { retro_review: _r, ...without } = doc
    expect(validate(without)).toBe(false)
  })
})
