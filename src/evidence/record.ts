import { Ajv, type ValidateFunction } from 'ajv'
import { RECORD_SCHEMA } from './schema.js'

export const RECORD_SCHEMA_ID = 'change-gate/record/v1'
export const RECORD_KINDS = ['merge', 'direct_push', 'deployment', 'outcome', 'retro_review', 'exception'] as const
export type RecordKind = (typeof RECORD_KINDS)[number]

export const CHANGE_OUTCOMES = ['MERGED', 'PUSHED', 'DEPLOYING', 'BLOCKED', 'SUCCESS', 'FAILED', 'ROLLED_BACK', 'REVIEWED', 'EXCEPTION'] as const
export type ChangeOutcome = (typeof CHANGE_OUTCOMES)[number]

/** The CC8.1 change-log columns, in the order exports show them. */
export const CHANGE_LOG_COLUMNS = [
  'change_id', 'change_ts', 'changed_by', 'approved_by', 'change_type', 'change_desc',
  'affected_systems', 'ticket_reference', 'rollback_plan', 'change_outcome'
] as const

export interface DecisionItem {
  code: string
  title?: string
  message?: string
  control?: string
  severity?: string
  remediation?: string
  [extra: string]: unknown
}

export interface RecordDecision {
  verdict: 'allow' | 'deny' | 'pending' | 'error'
  violations: DecisionItem[]
  exceptions: DecisionItem[]
}

/** One entry of the change log, exactly as stored (canonical JSON of this object). */
export interface EvidenceRecord {
  schema: typeof RECORD_SCHEMA_ID
  kind: RecordKind
  /** One per repository, e.g. "github.com/owner/repo". */
  stream: string
  /** Dense from 1 within the stream. */
  seq: number
  /** record_hash of record seq-1; 64 zeros for seq 1. */
  prev_hash: string
  recorded_at: string
  change_id: string
  change_ts: string
  changed_by: string
  approved_by: string[]
  change_type: string[]
  change_desc: string
  affected_systems: string[]
  ticket_reference: string[]
  rollback_plan: string | null
  change_outcome: ChangeOutcome | null
  repository: string
  pr: { number: number; url: string | null } | null
  base_sha: string | null
  head_sha: string | null
  merge_sha: string | null
  environment: string | null
  decision: RecordDecision | null
  policy_digest: string | null
  input_digest: string | null
  run_url: string | null
  /** For break-glass exceptions: when the retroactive review is due. */
  review_due_at?: string | null
  /** Related records by change_id, e.g. {deployment: "<change_id>"} on an outcome. */
  links: Record<string, string>
}

/** What a writer hands to a store: the store assigns seq and prev_hash. */
export type RecordDraft = Omit<EvidenceRecord, 'seq' | 'prev_hash'>

export class RecordValidationError extends Error {
  constructor(message: string, readonly problems: string[]) {
    super(message)
    this.name = 'RecordValidationError'
  }
}

let validator: ValidateFunction | undefined
function compiled(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true })
    validator = ajv.compile(RECORD_SCHEMA)
  }
  return validator
}

/** Schema problems of a value, as `path: message` lines; empty when it is a valid record. */
export function recordProblems(value: unknown): string[] {
  const validate = compiled()
  if (validate(value)) return []
  return (validate.errors ?? []).map((e) => {
    const where = e.instancePath || '(record)'
    const extra = e.keyword === 'additionalProperties' ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'` : ''
    const allowed = e.keyword === 'enum' ? ` (${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)})` : ''
    return `${where}: ${e.message}${extra}${allowed}`
  })
}

export function isRecord(value: unknown): value is EvidenceRecord {
  return compiled()(value) === true
}

/** Throws a RecordValidationError naming every problem when `value` is not a valid record. */
export function assertRecord(value: unknown, what = 'record'): asserts value is EvidenceRecord {
  const problems = recordProblems(value)
  if (problems.length) {
    throw new RecordValidationError(
      `${what} does not match the change-gate/record/v1 schema:\n  ${problems.join('\n  ')}\nFix the listed fields (schema: schemas/record.v1.schema.json).`,
      problems
    )
  }
}

/** Validates a draft the way the stored record will be validated (with placeholder seq and prev_hash). */
export function assertDraft(draft: unknown, what = 'record'): asserts draft is RecordDraft {
  if (draft === null || typeof draft !== 'object' || Array.isArray(draft)) {
    throw new RecordValidationError(`${what} must be a JSON object`, ['(record): must be object'])
  }
  const d = draft as Record<string, unknown>
  const problems = recordProblems({ ...d, seq: 1, prev_hash: '0'.repeat(64) })
  const own = ['seq', 'prev_hash'].filter((k) => k in d).map((k) => `/${k}: is assigned by the store; remove it from the draft`)
  const all = [...own, ...problems]
  if (all.length) {
    throw new RecordValidationError(
      `${what} does not match the change-gate/record/v1 schema:\n  ${all.join('\n  ')}\nFix the listed fields (schema: schemas/record.v1.schema.json).`,
      all
    )
  }
}
