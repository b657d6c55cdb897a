/**
 * The JSON Schema of the policy input document (change-gate/input/v1, DESIGN §4): the contract
 * policy authors write against. `schemas/input.v1.schema.json` is this object written out; a test
 * keeps the two identical and validates every document the builder produces against it.
 */

const str = { type: 'string' } as const
const nstr = { type: ['string', 'null'] } as const
const bool = { type: 'boolean' } as const
const int = { type: 'integer', minimum: 0 } as const
const strings = { type: 'array', items: str } as const
const changeType = { enum: ['DDL', 'PIPELINE', 'ACCESS', 'INFRASTRUCTURE', 'APPLICATION'] } as const
const timestamp = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$' } as const

function obj(properties: Record<string, unknown>, description?: string) {
  return { type: 'object', ...(description ? { description } : {}), required: Object.keys(properties), properties, additionalProperties: false }
}

const actor = obj({ login: { type: 'string', description: "GraphQL's form: no [bot] suffix; deleted accounts are 'ghost'." }, type: { type: 'string', description: 'User, Bot, Mannequin, ...' } })
const identity = {
  type: 'object',
  required: ['login', 'email'],
  properties: { login: { ...nstr, description: 'null when the commit identity has no linked account' }, email: { ...nstr, description: 'lower-cased' }, name: nstr },
  additionalProperties: false
} as const
const ref = obj({ ref: str, sha: str })

const review = obj({
  id: str,
  reviewer: actor,
  state: { type: 'string', description: 'APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING' },
  submitted_at: { type: ['string', 'null'] },
  commit_sha: { ...nstr, description: 'The commit the review was given on.' },
  association: { type: 'string', description: 'OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, ...' },
  can_push: { ...bool, description: 'The reviewer can push to the repository.' }
})

const repository = obj({ owner: str, name: str, full_name: str, default_branch: str })
const event = obj({ name: str, action: nstr, actor: nstr, sha: nstr, run_id: nstr, run_url: nstr })
const now = { ...timestamp, description: 'The evaluation instant (RFC 3339). Policies never read the clock.' }

function pullRequestShape(kind: object, extra: Record<string, unknown> = {}) {
  return obj({
    schema: { const: 'change-gate/input/v1' },
    kind,
    now,
    repository,
    event,
    pull_request: obj({
      number: { type: 'integer', minimum: 1 },
      url: str,
      title: str,
      body: str,
      draft: bool,
      labels: strings,
      base: ref,
      head: ref,
      author: actor,
      merged: bool,
      merged_by: { anyOf: [actor, { type: 'null' }] },
      merge_commit_sha: nstr,
      sections: { type: 'object', additionalProperties: str, description: 'Markdown headings of the body, lower-cased → content (HTML comments removed, trimmed).' },
      commits: {
        type: 'array',
        items: obj({
          sha: str,
          parents: strings,
          is_merge: bool,
          message: str,
          author: identity,
          committer: identity,
          co_authors: { type: 'array', items: identity, description: 'Co-authored-by trailers' },
          verified: bool
        })
      },
      commits_complete: bool,
      files: { type: 'array', items: obj({ path: str, status: str, additions: int, deletions: int }) },
      files_complete: bool,
      reviews: { type: 'array', items: review },
      reviews_complete: bool,
      latest_reviews: { type: 'array', items: review, description: 'The latest APPROVED or CHANGES_REQUESTED review per reviewer; dismissed reviews dropped.' },
      review_requests: { type: 'array', items: obj({ login: str, type: str }) },
      contributors: { ...strings, description: 'Every login (or email without a linked account) that authored, committed or co-authored a commit.' },
      checks: {
        type: 'array',
        items: obj({
          name: str,
          source: { enum: ['check_run', 'status'] },
          app: nstr,
          status: { type: 'string', description: 'COMPLETED, IN_PROGRESS, QUEUED, PENDING, ...' },
          conclusion: { ...nstr, description: 'SUCCESS, FAILURE, NEUTRAL, SKIPPED, CANCELLED, TIMED_OUT, ERROR, ... ; null while running' },
          required: bool,
          completed_at: nstr
        })
      },
      checks_complete: bool
    }),
    change: obj({
      types: { type: 'array', items: changeType, uniqueItems: true },
      paths_by_type: { type: 'object', propertyNames: changeType, additionalProperties: strings },
      affected_systems: strings,
      tickets: { type: 'array', items: obj({ key: str, source: { enum: ['title', 'branch', 'body', 'commits'] } }) },
      rollback_plan: { ...nstr, description: 'The content of the configured rollback section; null when the body has none.' },
      classification: obj({ method: { const: 'paths', description: 'File contents are not fetched: DDL is recognised by path.' } })
    }),
    ...extra
  })
}

const pullRequestDocument = { description: 'A pull request (kind "pull_request") or its merge (kind "merge").', ...pullRequestShape({ enum: ['pull_request', 'merge'] }) }

const retroReviewDocument = {
  description: 'An approval given after a break-glass merge (kind "retro_review"): the merged pull request\'s current facts and the review to judge.',
  ...pullRequestShape(
    { const: 'retro_review' },
    {
      retro_review: obj({
        reviewer: actor,
        review_id: str,
        submitted_at: nstr,
        reviewed_change_id: { ...str, description: 'The change_id of the merge record whose break-glass exceptions the review would settle.' }
      })
    }
  )
}

const pushIdentity = {
  type: 'object',
  required: ['login', 'email', 'name'],
  properties: { login: { ...nstr, description: 'null when the identity has no linked GitHub account' }, email: { ...nstr, description: 'lower-cased' }, name: nstr },
  additionalProperties: false
} as const

const pushDocument = {
  description: 'A push to a protected branch (kind "direct_push"): every commit of the push with the merged pull request that brought it, if any.',
  ...obj({
    schema: { const: 'change-gate/input/v1' },
    kind: { const: 'direct_push' },
    now,
    repository,
    event,
    push: obj({
      ref: str,
      branch: { ...str, description: 'The ref without refs/heads/.' },
      before: { ...str, description: "The branch's previous tip (40 zeros when the push created the branch)." },
      after: str,
      forced: bool,
      pusher: str,
      commits: {
        type: 'array',
        description: 'Every commit of the push, oldest first.',
        items: obj({
          sha: str,
          message: str,
          timestamp: str,
          author: pushIdentity,
          committer: pushIdentity,
          co_authors: { type: 'array', items: pushIdentity, description: 'Co-authored-by trailers of the message' },
          pull_request: { anyOf: [obj({ number: { type: 'integer', minimum: 1 } }), { type: 'null' }], description: 'The merged pull request into this branch that brought the commit; null when none did.' }
        })
      },
      commits_complete: bool
    })
  })
}

export const INPUT_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://change-gate.dev/schemas/input.v1.schema.json',
  title: 'change-gate policy input document v1 (pull request, merge, direct push, retroactive review)',
  description:
    'What the policies see as `input` for a pull request, its merge, a push to a protected branch, or a review given after a break-glass merge; `kind` says which shape applies. Anything that can be truncated carries a *_complete flag; policies fail closed when one is false. Deployments (kind "deployment") are described by input.deployment.v1.schema.json.',
  type: 'object',
  required: ['schema', 'kind'],
  if: { properties: { kind: { const: 'direct_push' } } },
  then: pushDocument,
  else: { if: { properties: { kind: { const: 'retro_review' } } }, then: retroReviewDocument, else: pullRequestDocument }
} as const
