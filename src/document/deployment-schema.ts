/**
 * The JSON Schema of the deployment input document (change-gate/input/v1, `kind: "deployment"`):
 * what deploy policies see as `input`. `schemas/input.deployment.v1.schema.json` is this object
 * written out; a test keeps the two identical and validates the documents the builder produces.
 */

const str = { type: 'string' } as const
const nstr = { type: ['string', 'null'] } as const
const bool = { type: 'boolean' } as const
const strings = { type: 'array', items: str } as const
const timestamp = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$' } as const

function obj(properties: Record<string, unknown>, description?: string) {
  return { type: 'object', ...(description ? { description } : {}), required: Object.keys(properties), properties, additionalProperties: false }
}
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] })

const mergeRecord = obj(
  {
    change_id: str,
    verdict: { type: 'string', description: 'The verdict the PR gate froze at merge time: allow, deny, pending or error.' },
    approved_by: strings,
    ticket_reference: strings,
    change_type: strings,
    exceptions: { ...strings, description: 'Codes of the rules a break glass turned into exceptions at merge time.' },
    recorded_at: str
  },
  "The PR's `merge` record in the evidence store"
)

const change = obj({
  sha: str,
  message: str,
  author: obj({ login: nstr, email: nstr }),
  is_merge: bool,
  pr: {
    ...nullable(obj({ number: { type: 'integer', minimum: 1 }, url: nstr, title: nstr, merge_record: nullable(mergeRecord) })),
    description: 'The merged pull request that brought the commit in; null for a commit pushed without one.'
  }
})

export const DEPLOYMENT_INPUT_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://change-gate.dev/schemas/input.deployment.v1.schema.json',
  title: 'change-gate policy input document v1 (deployment)',
  description: 'What the policies see as `input` for a deployment: the release and every commit in it with its PR and frozen merge record. Policies fail closed when changes_complete is false.',
  ...obj({
    schema: { const: 'change-gate/input/v1' },
    kind: { const: 'deployment' },
    now: { ...timestamp, description: 'The evaluation instant (RFC 3339). Policies never read the clock.' },
    repository: obj({ owner: str, name: str, full_name: str, default_branch: str }),
    event: obj({ name: str, action: nstr, actor: nstr, sha: nstr, run_id: nstr, run_url: nstr }),
    deployment: obj({
      environment: str,
      sha: str,
      previous_sha: { ...nstr, description: "The environment's last successful deployment; null on its first deployment." },
      version: nstr,
      previous_version: nstr,
      rollback: { ...bool, description: 'The SHA is an ancestor of the last deployed one: nothing new ships.' },
      previous_source: { enum: ['evidence', 'deployments_api', 'baseline', null], description: "Where previous_sha came from; 'baseline': chosen by the operator when adopting change-gate on an environment deployed before it." },
      range_status: { enum: ['ahead', 'behind', 'identical', 'diverged', null] },
      unrecorded_deployment: { ...nullable(obj({ sha: str, at: nstr })), description: 'A successful deployment the Deployments API knows of, newer than the recorded baseline and of another SHA: something shipped without the gate.' },
      break_glass: nullable(obj({ justification: str }))
    }),
    changes: { type: 'array', items: change, description: 'Every commit between previous_sha and sha, oldest first.' },
    changes_complete: bool,
    facts_problems: strings,
    release: obj({ pull_requests: { type: 'array', items: { type: 'integer' } }, tickets: strings, change_types: strings })
  })
}
