import type { Decision } from '../engine/decision.js'
import type { RenderContext } from './context.js'
import { escapeCode, escapeMarkdown } from './escape.js'
import { ROW_ICON, VERDICT_HEADLINE, VERDICT_ICON, rows } from './rows.js'

/** The Markdown table of rules: rule, verdict, reason, fix. */
export function renderTable(decision: Decision): string {
  const all = rows(decision)
  if (all.length === 0) return '_No rule reported a result._'
  const lines = ['| rule | verdict | reason | fix |', '|---|---|---|---|']
  for (const { verdict, item } of all) {
    const rule = `${escapeMarkdown(item.title || item.code)}<br>${escapeCode(item.code)}`
    const fix = verdict === 'pass' ? '' : escapeMarkdown(item.remediation)
    lines.push(`| ${rule} | ${ROW_ICON[verdict]} | ${escapeMarkdown(item.message)} | ${fix} |`)
  }
  return lines.join('\n')
}

function subject(context: RenderContext): string {
  const parts: string[] = []
  if (context.repository) parts.push(escapeMarkdown(context.repository))
  if (context.pr_number !== undefined) parts.push(`#${context.pr_number}`)
  let text = parts.join(' ')
  if (context.title) text += `${text ? ': ' : ''}${escapeMarkdown(context.title)}`
  return text
}

/** The job summary: headline, subject, table, and the error when there is one. */
export function renderSummary(decision: Decision, context: RenderContext = {}): string {
  const out = [`## ${VERDICT_ICON[decision.decision]} change-gate: ${decision.decision}`, '', VERDICT_HEADLINE[decision.decision] + '.']
  const about = subject(context)
  if (about) out.push('', `**Change:** ${about}`)
  if (context.head_sha) out.push('', `**Head:** ${escapeCode(context.head_sha)}${context.head_ref ? ` on ${escapeCode(context.head_ref)}` : ''}`)
  if (decision.error) out.push('', `**Error:** ${escapeMarkdown(decision.error)}`)
  out.push('', renderTable(decision), '')
  return out.join('\n')
}
