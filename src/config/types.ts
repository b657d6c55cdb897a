/** `.github/change-gate.yml`, version 1, after validation and defaults (every key present). */
import type { DeployConfig } from '../document/deploy-config.js'
import type { ChangeType, TicketSource } from '../document/types.js'

export type ClassifiedType = Exclude<ChangeType, 'APPLICATION'>

export interface Config {
  version: 1
  rules: {
    second_approver: {
      enabled: boolean
      required_approvals: number
      /** A stricter count for changes of a type, e.g. `{ DDL: 2 }`; the highest applicable wins. */
      required_approvals_by_type: Partial<Record<ChangeType, number>>
      require_can_push: boolean
      /** An approval stays fresh when the only later commits merge the base branch in. */
      allow_base_merges_after_approval: boolean
      /** Commit identities with no linked GitHub account: `warn` names them; `deny` needs one more independent approval per identity. */
      unlinked_identities: 'warn' | 'deny'
    }
    changes_requested: { enabled: boolean }
    data_owner: { enabled: boolean; owners: string[]; paths: string[]; tables: string[] }
    ticket_reference: { enabled: boolean; patterns: string[]; sources: TicketSource[]; project_keys: string[] }
    rollback_plan: { enabled: boolean; sections: string[]; min_length: number; placeholders: string[]; exempt_change_types: ChangeType[] }
    passing_tests: { enabled: boolean; required_checks: string[]; ignore_checks: string[] }
    facts_complete: { enabled: boolean }
  }
  /** Path globs per change type; files matching none are APPLICATION. A list given replaces the default. */
  classification: Record<ClassifiedType, string[]>
  /** System name → path globs. */
  affected_systems: Record<string, string[]>
  break_glass: { enabled: boolean; label: string; justification_sections: string[]; min_length: number; review_within_hours: number }
  /** The deploy gate's parameters (validated by src/document/deploy-config.ts). */
  deploy: DeployConfig
}
