import type { Decision, DecisionItem } from '../engine/decision.js'

/** The per-rule verdict shown to users. */
export const ROW_VERDICTS = { violations: 'fail', pending: 'pending', warnings: 'warn', exceptions: 'exception', passed: 'pass' } as const
export type RowVerdict = (typeof ROW_VERDICTS)[keyof typeof ROW_VERDICTS]

export interface Row {
  verdict: RowVerdict
  item: DecisionItem
}

/** Every item of the decision, in a stable order: failures first, passes last. */
export function rows(decision: Decision): Row[] {
  const order = ['violations', 'pending', 'warnings', 'exceptions', 'passed'] as const
  return order.flatMap((list) => decision[list].map((item) => ({ verdict: ROW_VERDICTS[list], item })))
}

export const VERDICT_HEADLINE = {
  allow: 'All change-management rules pass',
  deny: 'Change-management rules failed',
  pending: 'Waiting for required checks or reviews',
  error: 'The gate could not decide (error): failing closed'
} as const

export const VERDICT_ICON = { allow: '✅', deny: '❌', pending: '⏳', error: '⚠️' } as const
export const ROW_ICON: Record<RowVerdict, string> = { fail: '❌ fail', pending: '⏳ pending', warn: '⚠️ warn', exception: '🚨 exception', pass: '✅ pass' }
