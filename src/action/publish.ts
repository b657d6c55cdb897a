/**
 * Publishes a decision: ONE commit status with a fixed context on the head SHA, the job summary,
 * an optional sticky PR comment (found by its hidden marker, updated in place), and the outputs.
 */
import type { Decision, Verdict } from '../engine/decision.js'
import type { GitHubClient } from '../github/client.js'
import { commentMarker, renderComment } from '../render/comment.js'
import type { RenderContext } from '../render/context.js'
import { renderJson } from '../render/json.js'
import { renderSummary } from '../render/summary.js'
import type { RunnerIO } from './ports.js'

export const STATUS_STATE: Record<Verdict, 'success' | 'failure' | 'pending' | 'error'> = { allow: 'success', deny: 'failure', pending: 'pending', error: 'error' }

/** At most 140 characters: GitHub rejects longer status descriptions. */
export function statusDescription(decision: Decision): string {
  let text: string
  const codes = (list: Decision['violations']) => [...new Set(list.map((i) => i.code))].join(', ')
  switch (decision.decision) {
    case 'allow':
      text = `All ${decision.passed.length || ''} change-management rules pass`.replace('  ', ' ')
      break
    case 'deny':
      text = `Failed: ${codes(decision.violations)}`
      break
    case 'pending':
      text = `Waiting: ${codes(decision.pending)}`
      break
    case 'error':
      text = `Error: ${decision.error ?? 'the gate could not decide'}`
      break
  }
  text = text.replace(/\s+/g, ' ').trim()
  return text.length > 140 ? text.slice(0, 139) + '…' : text
}

export interface PublishTarget {
  owner: string
  repo: string
  /** The SHA the status goes on (PR head, or the merge group head). */
  sha: string
  /** The PR for the sticky comment; absent for merge groups. */
  pr?: number
  statusContext: string
  comment: boolean
  /** Publish the commit status (default true); a merged PR gets no status on its old head. */
  status?: boolean
  targetUrl?: string
}

export async function publishStatus(client: GitHubClient, target: PublishTarget, decision: Decision): Promise<void> {
  await client.request('POST /repos/{owner}/{repo}/statuses/{sha}', {
    owner: target.owner,
    repo: target.repo,
    sha: target.sha,
    state: STATUS_STATE[decision.decision],
    context: target.statusContext,
    description: statusDescription(decision),
    ...(target.targetUrl ? { target_url: target.targetUrl } : {})
  })
}

/** Creates the sticky comment or updates ours in place (marker + a Bot author). Returns its id. */
export async function publishComment(client: GitHubClient, target: PublishTarget & { pr: number }, body: string): Promise<number> {
  const marker = commentMarker(target.statusContext)
  for (let page = 1; page <= 50; page++) {
    const res = await client.request<Array<{ id: number; body?: string; user?: { type?: string } }>>('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: target.owner, repo: target.repo, issue_number: target.pr, per_page: 100, page })
    const ours = res.data.find((c) => c.user?.type === 'Bot' && (c.body ?? '').includes(marker))
    if (ours) {
      await client.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner: target.owner, repo: target.repo, comment_id: ours.id, body })
      return ours.id
    }
    if (res.data.length < 100) break
  }
  const created = await client.request<{ id: number }>('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: target.owner, repo: target.repo, issue_number: target.pr, body })
  return created.data.id
}

/** Everything: outputs and summary first (they cannot fail the gate's verdict), then status, then comment. */
export async function publishDecision(client: GitHubClient, io: RunnerIO, target: PublishTarget, decision: Decision, context: RenderContext): Promise<void> {
  io.setOutput('decision', decision.decision)
  io.setOutput('decision-json', renderJson(decision).trim())
  await io.writeSummary(renderSummary(decision, context))
  if (target.status !== false) {
    await publishStatus(client, target, decision)
    io.info(`commit status '${target.statusContext}' = ${STATUS_STATE[decision.decision]} on ${target.sha}`)
  }
  if (target.comment && target.pr !== undefined) {
    try {
      const id = await publishComment(client, { ...target, pr: target.pr }, renderComment(decision, context))
      io.info(`sticky comment ${id} updated`)
    } catch (err) {
      // A fork PR's token cannot comment; the status and summary already carry the verdict.
      io.warning(`could not post the PR comment (${err instanceof Error ? err.message : String(err)}); the commit status and job summary carry the verdict. Grant pull-requests: write or set comment: false.`)
    }
  }
}
