/**
 * The decision returned by the entrypoint `change_gate/main/decision`, extracted and validated.
 * Anything malformed becomes an `error` verdict: the gate fails closed, never open.
 */

export const VERDICTS = ['allow', 'deny', 'pending', 'error'] as const
export type Verdict = (typeof VERDICTS)[number]

export const DECISION_ENTRYPOINT = 'change_gate/main/decision'

export interface DecisionItem {
  code: string
  title: string
  message: string
  control: string
  severity: string
  remediation: string
  /** The facts that decided the rule, when the policy reports them (`--explain`). */
  facts?: unknown
}

export const ITEM_LISTS = ['violations', 'warnings', 'pending', 'exceptions', 'passed'] as const
export type ItemList = (typeof ITEM_LISTS)[number]

export interface Decision {
  decision: Verdict
  allow: boolean
  violations: DecisionItem[]
  warnings: DecisionItem[]
  pending: DecisionItem[]
  exceptions: DecisionItem[]
  passed: DecisionItem[]
  /** Why the verdict is `error` (engine, config or malformed decision). */
  error?: string
}

const TEXT_FIELDS = ['code', 'title', 'message', 'control', 'severity', 'remediation'] as const

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A decision with the `error` verdict and the reason. */
export function errorDecision(reason: string): Decision {
  return { decision: 'error', allow: false, violations: [], warnings: [], pending: [], exceptions: [], passed: [], error: reason }
}

function readItem(value: unknown, where: string): DecisionItem | string {
  if (!isObject(value)) return `${where} is not an object`
  const item: Partial<DecisionItem> = {}
  for (const field of TEXT_FIELDS) {
    const v = value[field]
    if (field === 'code' || field === 'message') {
      if (typeof v !== 'string' || v === '') return `${where}.${field} must be a non-empty string`
      item[field] = v
    } else {
      if (v !== undefined && typeof v !== 'string') return `${where}.${field} must be a string`
      item[field] = typeof v === 'string' ? v : ''
    }
  }
  if (value.facts !== undefined) item.facts = value.facts
  return item as DecisionItem
}

/**
 * Validates the raw value the engine returned. `undefined` (entrypoint undefined), a non-object,
 * a non-boolean `allow`, a list that is not an array, an item without `code` or `message`, or an
 * `allow: true` beside violations — all give `error`.
 */
export function extractDecision(raw: unknown): Decision {
  if (raw === undefined) {
    return errorDecision(
      `the entrypoint ${DECISION_ENTRYPOINT} is undefined: the policy set has no decision rule or it did not evaluate; check that a package change_gate.main defines 'decision'`
    )
  }
  if (!isObject(raw)) return errorDecision(`the decision is not an object (got ${Array.isArray(raw) ? 'array' : typeof raw})`)
  if (typeof raw.allow !== 'boolean') return errorDecision('the decision has no boolean "allow"')
  const lists = {} as Record<ItemList, DecisionItem[]>
  for (const name of ITEM_LISTS) {
    const value = raw[name]
    if (value === undefined && name !== 'violations') {
      lists[name] = []
      continue
    }
    if (!Array.isArray(value)) return errorDecision(`decision.${name} must be an array`)
    const items: DecisionItem[] = []
    for (const [i, entry] of value.entries()) {
      const item = readItem(entry, `decision.${name}[${i}]`)
      if (typeof item === 'string') return errorDecision(item)
      items.push(item)
    }
    items.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.message < b.message ? -1 : a.message > b.message ? 1 : 0))
    lists[name] = items
  }
  if (raw.allow && lists.violations.length > 0) {
    return errorDecision('the decision says allow but lists violations; the policy set is inconsistent')
  }
  let verdict: Verdict
  if (lists.violations.length > 0 || !raw.allow) verdict = lists.pending.length > 0 && lists.violations.length === 0 ? 'pending' : 'deny'
  else verdict = lists.pending.length > 0 ? 'pending' : 'allow'
  return { decision: verdict, allow: verdict === 'allow', ...lists }
}

/** CLI exit code for a verdict: 0 allow, 1 deny or pending, 2 error. */
export function exitCodeFor(verdict: Verdict): 0 | 1 | 2 {
  return verdict === 'allow' ? 0 : verdict === 'error' ? 2 : 1
}
