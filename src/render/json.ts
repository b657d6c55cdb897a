import type { Decision } from '../engine/decision.js'

/** One JSON object: `decision` beside the item lists (stable key order). */
export function renderJson(decision: Decision, explain = true): string {
  const strip = (items: Decision['violations']) => (explain ? items : items.map(({ facts: _facts, ...rest }) => rest))
  const out: Record<string, unknown> = {
    decision: decision.decision,
    allow: decision.allow,
    violations: strip(decision.violations),
    warnings: strip(decision.warnings),
    pending: strip(decision.pending),
    exceptions: strip(decision.exceptions),
    passed: strip(decision.passed)
  }
  if (decision.error) out.error = decision.error
  return JSON.stringify(out, null, 2) + '\n'
}
