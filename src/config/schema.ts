/**
 * The JSON Schema of `.github/change-gate.yml` v1. `schemas/config.v1.schema.json` is this object
 * written out; a test keeps the two identical. Every object is closed (`additionalProperties:
 * false`): a misspelt key is an error, never a silently disabled rule.
 */

const strings = { type: 'array', items: { type: 'string', minLength: 1 } } as const
const globs = { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Path globs: * within a path segment, ** across segments, ? one character, {a,b} alternatives.' } as const
const changeType = { enum: ['DDL', 'PIPELINE', 'ACCESS', 'INFRASTRUCTURE', 'APPLICATION'] } as const
const enabled = { type: 'boolean', description: 'false turns the rule off.' } as const
const count = { type: 'integer', minimum: 0 } as const

function closed(properties: Record<string, unknown>, description?: string) {
  return { type: 'object', ...(description ? { description } : {}), properties, additionalProperties: false }
}

export const CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://change-gate.dev/schemas/config.v1.schema.json',
  title: 'change-gate configuration v1 (.github/change-gate.yml)',
  description: 'Read from the base branch. Every key is optional; omitted keys keep their defaults.',
  ...closed({
    version: { const: 1, description: 'The config format version.' },
    rules: closed({
      second_approver: closed({
        enabled,
        required_approvals: { ...count, description: 'Qualifying approvals needed (default 1).' },
        required_approvals_by_type: { type: 'object', propertyNames: changeType, additionalProperties: count, description: 'Per change type, e.g. {DDL: 2}; the highest applicable count wins.' },
        require_can_push: { type: 'boolean', description: 'Only reviewers with write access count (default true).' },
        allow_base_merges_after_approval: { type: 'boolean', description: 'An approval stays fresh when the only later commits merge the base branch in (default true).' },
        unlinked_identities: {
          enum: ['warn', 'deny'],
          description:
            'A commit author, committer or co-author with no linked GitHub account (email only) cannot be matched against the reviewers. warn (default): a warning naming the emails. deny: one more independent approval is required per such identity.'
        }
      }),
      changes_requested: closed({ enabled }),
      data_owner: closed({
        enabled,
        owners: { ...strings, description: 'Logins of the data owners; one of them must approve changes to sensitive data.' },
        paths: { ...globs, description: 'Path globs of sensitive data (schemas, migrations of PHI tables, ...).' },
        tables: { ...strings, description: 'Sensitive table names; a DDL file whose name contains one needs a data owner.' }
      }),
      ticket_reference: closed({
        enabled,
        patterns: { ...strings, description: 'RE2 regular expressions of ticket keys.' },
        sources: { type: 'array', items: { enum: ['title', 'branch', 'body', 'commits'] }, description: 'Where keys are looked for.' },
        project_keys: { ...strings, description: 'When set, only keys of these projects (the part before the dash) count.' }
      }),
      rollback_plan: closed({
        enabled,
        sections: { ...strings, description: 'Body headings (case-insensitive) that hold the plan; the first present wins.' },
        min_length: { ...count, description: 'Letters and digits of real content required, placeholders removed.' },
        placeholders: { ...strings, description: 'Boilerplate that is not a plan (N/A, TBD, revert the merge commit, ...).' },
        exempt_change_types: { type: 'array', items: changeType, description: 'A change whose every type is listed needs no plan.' }
      }),
      passing_tests: closed({
        enabled,
        required_checks: { ...strings, description: 'Check names or globs that must pass; empty = every check on the head commit.' },
        ignore_checks: { ...strings, description: "Checks that never count (the gate's own status context is always ignored)." }
      }),
      facts_complete: closed({ enabled })
    }),
    classification: closed(
      { DDL: globs, PIPELINE: globs, ACCESS: globs, INFRASTRUCTURE: globs },
      'Path globs per change type; a list given replaces the default list; files matching none are APPLICATION.'
    ),
    affected_systems: { type: 'object', additionalProperties: globs, description: 'System name → path globs of the files that belong to it.' },
    break_glass: closed({
      enabled,
      label: { type: 'string', minLength: 1, description: 'The PR label that declares an emergency change.' },
      justification_sections: { ...strings, description: 'Body headings that hold the written justification.' },
      min_length: { ...count, description: 'Letters and digits the justification needs.' },
      review_within_hours: { type: 'number', exclusiveMinimum: 0, description: 'When the retroactive review is due.' }
    }),
    deploy: {
      type: 'object',
      description: 'The deploy gate: unreviewed_change {enabled}, version {enabled, allow_prerelease}, freeze {enabled, windows: [{name, start, end, environments}]}, first_deployment (warn | deny). Validated key by key by change-gate.'
    }
  })
} as const
