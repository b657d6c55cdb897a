/**
 * The JSON Schema of an evidence record (change-gate/record/v1). `schemas/record.v1.schema.json`
 * is this object written out; a test keeps the two identical.
 */

const nullableString = { type: ['string', 'null'] } as const
const sha = { type: ['string', 'null'], pattern: '^[0-9a-f]{40}([0-9a-f]{24})?$' } as const
const digest = { type: ['string', 'null'], pattern: '^sha256:[0-9a-f]{64}$' } as const
const timestamp = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$'
} as const
const stringList = { type: 'array', items: { type: 'string' } } as const
const decisionItem = {
  type: 'object',
  required: ['code'],
  properties: {
    code: { type: 'string', minLength: 1 },
    title: { type: 'string' },
    message: { type: 'string' },
    control: { type: 'string' },
    severity: { type: 'string' },
    remediation: { type: 'string' }
  },
  additionalProperties: true
} as const

export const RECORD_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://change-gate.dev/schemas/record.v1.schema.json',
  title: 'change-gate evidence record v1',
  description:
    'One entry of the CC8.1 change log. Stored as RFC 8785 canonical JSON; record_hash = SHA-256 of the stored bytes; prev_hash links to the previous record of the stream.',
  type: 'object',
  required: [
    'schema', 'kind', 'stream', 'seq', 'prev_hash', 'recorded_at',
    'change_id', 'change_ts', 'changed_by', 'approved_by', 'change_type', 'change_desc',
    'affected_systems', 'ticket_reference', 'rollback_plan', 'change_outcome',
    'repository', 'pr', 'base_sha', 'head_sha', 'merge_sha', 'environment', 'decision',
    'policy_digest', 'input_digest', 'run_url', 'links'
  ],
  additionalProperties: false,
  properties: {
    schema: { const: 'change-gate/record/v1' },
    kind: { enum: ['merge', 'direct_push', 'deployment', 'outcome', 'retro_review', 'exception'] },
    stream: { type: 'string', minLength: 1, maxLength: 512 },
    seq: { type: 'integer', minimum: 1 },
    prev_hash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    recorded_at: timestamp,
    change_id: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9._:/@-]+$' },
    change_ts: timestamp,
    changed_by: { type: 'string' },
    approved_by: stringList,
    change_type: stringList,
    change_desc: { type: 'string' },
    affected_systems: stringList,
    ticket_reference: stringList,
    rollback_plan: nullableString,
    change_outcome: {
      enum: ['MERGED', 'PUSHED', 'DEPLOYING', 'BLOCKED', 'SUCCESS', 'FAILED', 'ROLLED_BACK', 'REVIEWED', 'EXCEPTION', null]
    },
    repository: { type: 'string', pattern: '^[^/\\s]+/[^/\\s]+$' },
    pr: {
      type: ['object', 'null'],
      required: ['number', 'url'],
      additionalProperties: false,
      properties: { number: { type: 'integer', minimum: 1 }, url: nullableString }
    },
    base_sha: sha,
    head_sha: sha,
    merge_sha: sha,
    environment: nullableString,
    decision: {
      type: ['object', 'null'],
      required: ['verdict', 'violations', 'exceptions'],
      additionalProperties: false,
      properties: {
        verdict: { enum: ['allow', 'deny', 'pending', 'error'] },
        violations: { type: 'array', items: decisionItem },
        exceptions: { type: 'array', items: decisionItem }
      }
    },
    policy_digest: digest,
    input_digest: digest,
    run_url: nullableString,
    review_due_at: { ...timestamp, type: ['string', 'null'] },
    links: { type: 'object', additionalProperties: { type: 'string' } }
  }
} as const
