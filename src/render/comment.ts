import type { Decision } from '../engine/decision.js'
import type { RenderContext } from './context.js'
import { escapeMarkdown } from './escape.js'
import { renderTable } from './summary.js'
import { VERDICT_HEADLINE, VERDICT_ICON } from './rows.js'

/** The hidden marker that finds our sticky comment again. */
export function commentMarker(statusContext = 'change-gate'): string {
  return `<!-- change-gate:${statusContext.replace(/--/g, '-')} -->`
}

/** GitHub rejects comment bodies above 65,536 characters; stay well below it. */
export const COMMENT_LIMIT = 60000

/** The sticky PR comment, capped below GitHub's body limit (the job summary keeps the full table). */
export function renderComment(decision: Decision, context: RenderContext = {}): string {
  const marker = commentMarker(context.status_context)
  const head = [marker, `### ${VERDICT_ICON[decision.decision]} change-gate: ${decision.decision}`, '', VERDICT_HEADLINE[decision.decision] + '.']
  if (decision.error) head.push('', `**Error:** ${escapeMarkdown(decision.error)}`)
  const footer = context.run_url ? `\n\n[Full report in the workflow run](${encodeURI(context.run_url)})` : ''
  let body = `${head.join('\n')}\n\n${renderTable(decision)}${footer}\n`
  if (body.length > COMMENT_LIMIT) {
    const note = '\n\n_The table was cut to stay below GitHub\'s comment size limit; the job summary has every rule._\n'
    const table = renderTable(decision)
    const room = COMMENT_LIMIT - head.join('\n').length - note.length - footer.length - 4
    const kept = table.split('\n')
    let text = ''
    for (const line of kept) {
      if (text.length + line.length + 1 > room) break
      text += (text ? '\n' : '') + line
    }
    body = `${head.join('\n')}\n\n${text}${note}${footer}`
  }
  return body
}
