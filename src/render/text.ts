import type { Decision } from '../engine/decision.js'
import type { RenderContext } from './context.js'
import { rows } from './rows.js'

function line(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').replace(/\r?\n/g, ' ')
}

/** Plain text for a terminal; `explain` adds the facts that decided each rule. */
export function renderText(decision: Decision, context: RenderContext = {}, explain = false): string {
  const out: string[] = []
  const subject = [context.repository, context.pr_number !== undefined ? `#${context.pr_number}` : undefined].filter(Boolean).join(' ')
  out.push(`change-gate: ${decision.decision.toUpperCase()}${subject ? ` (${line(subject)})` : ''}`)
  if (decision.error) out.push(`error: ${line(decision.error)}`)
  for (const { verdict, item } of rows(decision)) {
    out.push(`  ${verdict.padEnd(9)} ${item.code}  ${line(item.message)}`)
    if (verdict !== 'pass' && item.remediation) out.push(`            fix: ${line(item.remediation)}`)
    if (explain) {
      const facts = item.facts === undefined ? '(the rule reported no facts)' : JSON.stringify(item.facts)
      out.push(`            facts: ${facts}`)
    }
  }
  return out.join('\n') + '\n'
}
