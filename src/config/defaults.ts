/**
 * The configuration a repository gets with no `.github/change-gate.yml`: the four core rules
 * (second approver, ticket, rollback plan, passing tests) plus changes-requested and complete
 * facts. `policies/change_gate/lib/config.rego` holds the same defaults for policies evaluated
 * without config data; a test keeps the two equal.
 */
import { DEFAULT_DEPLOY_CONFIG } from '../document/deploy-config.js'
import type { Config } from './types.js'

export const DEFAULT_STATUS_CONTEXT = 'change-gate'

export const DEFAULT_CONFIG: Config = {
  version: 1,
  rules: {
    second_approver: {
      enabled: true,
      required_approvals: 1,
      required_approvals_by_type: {},
      require_can_push: true,
      allow_base_merges_after_approval: true,
      unlinked_identities: 'warn'
    },
    changes_requested: { enabled: true },
    data_owner: { enabled: true, owners: [], paths: [], tables: [] },
    ticket_reference: {
      enabled: true,
      patterns: ['\\b[A-Z][A-Z0-9]{1,9}-[1-9][0-9]*\\b', '\\bCHG[0-9]{7}\\b'],
      sources: ['title', 'branch', 'body', 'commits'],
      project_keys: []
    },
    rollback_plan: {
      enabled: true,
      sections: ['rollback plan', 'rollback', 'roll back plan', 'rollback strategy', 'backout plan', 'back-out plan'],
      min_length: 20,
      placeholders: [
        'n/a', 'na', 'none', 'nothing', 'not applicable', 'tbd', 'tba', 'todo', 'wip', 'see above', 'same as above',
        'revert', 'revert it', 'revert the merge commit', 'revert the commit', 'revert the pr', 'revert this pr', 'revert the pull request',
        'rollback', 'roll back'
      ],
      exempt_change_types: []
    },
    passing_tests: { enabled: true, required_checks: [], ignore_checks: [DEFAULT_STATUS_CONTEXT] },
    facts_complete: { enabled: true }
  },
  classification: {
    DDL: ['**/migrations/**', '**/migrate/**', '**/*.sql', '**/*.ddl'],
    PIPELINE: ['.github/workflows/**', '.github/actions/**', '.gitlab-ci.yml', '.circleci/**', '**/Jenkinsfile', 'azure-pipelines.yml', '.buildkite/**'],
    ACCESS: ['CODEOWNERS', '.github/CODEOWNERS', 'docs/CODEOWNERS', '.github/change-gate.yml', '**/iam/**', '**/rbac/**'],
    INFRASTRUCTURE: ['**/*.tf', '**/*.tfvars', '**/*.hcl', '**/terraform/**', '**/helm/**', '**/charts/**', '**/k8s/**', '**/kubernetes/**', '**/Dockerfile', '**/*.Dockerfile', '**/docker-compose*.yml', '**/*.bicep', '**/cloudformation/**', '**/pulumi/**']
  },
  affected_systems: {},
  break_glass: {
    enabled: true,
    label: 'emergency-change',
    justification_sections: ['emergency justification', 'justification', 'break glass justification'],
    min_length: 20,
    review_within_hours: 24
  },
  deploy: DEFAULT_DEPLOY_CONFIG
}
