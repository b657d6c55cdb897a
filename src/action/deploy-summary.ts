/**
 * The deploy gate's job summary (pure): the verdict, the deployment, the rule table, and every
 * change in the release with its PR, approvers, ticket and the verdict its merge record froze —
 * the release manager's one answer. All commit and PR text is untrusted and escaped.
 */
import type { Decision } from '../engine/decision.js'
import type { DeploymentChange, DeploymentDocument } from '../document/deployment.js'
import { escapeCode, escapeMarkdown, truncate } from '../render/escape.js'
import { VERDICT_HEADLINE, VERDICT_ICON } from '../render/rows.js'
import { renderTable } from '../render/summary.js'

/** Rows beyond this are summarised: the job summary is capped at 1 MiB per step. */
export const MAX_CHANGE_ROWS = 1000

const short = (sha: string | null) => (sha ? escapeCode(sha.slice(0, 12)) : '—')

function changeVerdict(c: DeploymentChange): string {
  if (!c.pr) return '❌ no pull request'
  const rec = c.pr.merge_record
  if (!rec) return '❌ no merge record'
  if (rec.verdict !== 'allow') return `❌ merged on ${escapeMarkdown(rec.verdict)}`
  return rec.exceptions.length ? `🚨 allow (break glass: ${rec.exceptions.map(escapeCode).join(', ')})` : '✅ allow'
}

function changeRow(c: DeploymentChange): string {
  const headline = escapeMarkdown(truncate(c.message.split('\n')[0] ?? '', 100))
  const pr = c.pr ? `#${c.pr.number}${c.pr.title ? ` ${escapeMarkdown(truncate(c.pr.title, 80))}` : ''}` : '—'
  const rec = c.pr?.merge_record
  const approvers = rec?.approved_by.length ? rec.approved_by.map(escapeMarkdown).join(', ') : '—'
  const tickets = rec?.ticket_reference.length ? rec.ticket_reference.map(escapeMarkdown).join(', ') : '—'
  const author = escapeMarkdown(c.author.login ?? c.author.email ?? 'unknown')
  return `| ${short(c.sha)} ${headline} | ${author} | ${pr} | ${approvers} | ${tickets} | ${changeVerdict(c)} |`
}

export function renderDeploySummary(decision: Decision, doc: DeploymentDocument | null, context: { repository: string; environment: string; sha: string; changeId?: string; runUrl?: string }): string {
  const out = [`## ${VERDICT_ICON[decision.decision]} change-gate deploy: ${decision.decision}`, '', VERDICT_HEADLINE[decision.decision] + '.', '']
  const d = doc?.deployment
  out.push(`**Deployment:** ${escapeMarkdown(context.repository)} ${short(context.sha)} → ${escapeCode(context.environment)}${d?.version ? ` as ${escapeCode(d.version)}` : ''}`)
  if (d) {
    const since = d.previous_sha
      ? `${short(d.previous_sha)}${d.previous_version ? ` (${escapeCode(d.previous_version)})` : ''}, from ${d.previous_source === 'evidence' ? 'the evidence store' : d.previous_source === 'baseline' ? 'the operator-chosen baseline (baseline-sha)' : 'the Deployments API'}`
      : 'none: first deployment of this environment'
    out.push('', `**Last successful deployment:** ${since}`)
    if (d.rollback) out.push('', `**Rollback:** ${short(context.sha)} is an ancestor of the deployed ${short(d.previous_sha)}; nothing new ships.`)
    if (d.break_glass) out.push('', `**Break glass:** ${escapeMarkdown(d.break_glass.justification)}`)
  }
  if (context.changeId) out.push('', `**Deployment record:** ${escapeCode(context.changeId)}`)
  if (decision.error) out.push('', `**Error:** ${escapeMarkdown(decision.error)}`)
  out.push('', '### Rules', '', renderTable(decision), '')
  if (doc) {
    const n = doc.changes.length
    const prs = doc.release.pull_requests.length
    out.push(`### Changes in this release (${n} commit${n === 1 ? '' : 's'}, ${prs} pull request${prs === 1 ? '' : 's'})`, '')
    if (n === 0) out.push('_No commits between the last successful deployment and this SHA._')
    else {
      out.push('| commit | author | pull request | approved by | ticket | merge verdict |', '|---|---|---|---|---|---|')
      for (const c of doc.changes.slice(0, MAX_CHANGE_ROWS)) out.push(changeRow(c))
      if (n > MAX_CHANGE_ROWS) out.push('', `_…and ${n - MAX_CHANGE_ROWS} more commits; the deployment record lists every change._`)
    }
    if (!doc.changes_complete) out.push('', `**Incomplete facts:** ${doc.facts_problems.map(escapeMarkdown).join('; ')}`)
    out.push('')
  }
  if (context.runUrl) out.push(`[Workflow run](${encodeURI(context.runUrl)})`, '')
  return out.join('\n')
}
