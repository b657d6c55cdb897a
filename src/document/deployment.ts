/**
 * The policy input document of a deployment (DESIGN §4, `kind: "deployment"`): the common fields
 * of every document, the deployment itself, and every change in the release with the PR that
 * brought it in and that PR's frozen merge record. Pure: facts in, document out.
 */
import type { GitHubDeploymentFacts } from '../github/deployment.js'
import { documentEvent, type EventContext } from './event.js'
import { INPUT_SCHEMA_ID, type DocumentEvent, type DocumentRepository } from './types.js'

export interface DeploymentMergeRecord {
  change_id: string
  /** The verdict the PR gate froze at merge time: allow | deny | pending | error. */
  verdict: string
  approved_by: string[]
  ticket_reference: string[]
  change_type: string[]
  /** Codes of the rules a break glass turned into exceptions at merge time. */
  exceptions: string[]
  recorded_at: string
}

export interface DeploymentChange {
  sha: string
  message: string
  author: { login: string | null; email: string | null }
  is_merge: boolean
  pr: { number: number; url: string | null; title: string | null; merge_record: DeploymentMergeRecord | null } | null
}

export interface DeploymentSection {
  environment: string
  sha: string
  /** The last successful deployment's SHA; null on the first deployment of the environment. */
  previous_sha: string | null
  version: string | null
  previous_version: string | null
  /** The SHA is an ancestor of the last deployed one: nothing new ships. */
  rollback: boolean
  /**
   * Where previous_sha came from: a recorded deployment, the Deployments API, or `baseline` — a
   * SHA the operator chose when adopting change-gate on an environment deployed before it.
   */
  previous_source: 'evidence' | 'deployments_api' | 'baseline' | null
  /** How the SHA relates to the last deployed one (compare status); null on a first deployment. */
  range_status: 'ahead' | 'behind' | 'identical' | 'diverged' | null
  /** A successful deployment GitHub knows of, newer than previous_sha's and of another SHA: shipped without the gate. */
  unrecorded_deployment: { sha: string; at: string | null } | null
  /** The emergency path: a written justification given to the deploy step, or null. */
  break_glass: { justification: string } | null
}

export interface DeploymentDocument {
  schema: typeof INPUT_SCHEMA_ID
  kind: 'deployment'
  now: string
  repository: DocumentRepository
  event: DocumentEvent
  deployment: DeploymentSection
  changes: DeploymentChange[]
  /** False when the release's commits or the baseline could not be fully established. */
  changes_complete: boolean
  /** Why changes_complete is false, or notes on the range (e.g. a diverged history). */
  facts_problems: string[]
  /** The release at a glance: tickets and change types of its merge records, PR numbers. */
  release: { pull_requests: number[]; tickets: string[]; change_types: string[] }
}

export interface DeploymentContext {
  now: Date
  default_branch?: string | null
  event: Omit<EventContext, 'sha'>
  break_glass?: string | null
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort()

export function buildDeploymentDocument(facts: GitHubDeploymentFacts, ctx: DeploymentContext): DeploymentDocument {
  const changes: DeploymentChange[] = facts.changes.map(({ commit, pull, merge_record: rec }) => ({
    sha: commit.sha,
    message: commit.message,
    author: { login: commit.author.login, email: commit.author.email },
    is_merge: commit.parents.length > 1,
    pr: pull
      ? {
          number: pull.number,
          url: pull.url,
          title: pull.title,
          merge_record: rec
            ? {
                change_id: rec.change_id,
                verdict: rec.decision?.verdict ?? 'error',
                approved_by: [...rec.approved_by],
                ticket_reference: [...rec.ticket_reference],
                change_type: [...rec.change_type],
                exceptions: sorted((rec.decision?.exceptions ?? []).map((e) => e.code)),
                recorded_at: rec.recorded_at
              }
            : null
        }
      : null
  }))
  const records = changes.map((c) => c.pr?.merge_record).filter((r): r is DeploymentMergeRecord => !!r)
  const justification = ctx.break_glass?.trim() ?? ''
  return {
    schema: INPUT_SCHEMA_ID,
    kind: 'deployment',
    now: ctx.now.toISOString(),
    repository: { owner: facts.repository.owner, name: facts.repository.name, full_name: facts.repository.full_name, default_branch: ctx.default_branch ?? '' },
    event: documentEvent(ctx.event, facts.sha),
    deployment: {
      environment: facts.environment,
      sha: facts.sha,
      previous_sha: facts.previous?.sha ?? null,
      version: facts.version,
      previous_version: facts.previous?.version ?? null,
      rollback: facts.rollback,
      previous_source: facts.previous?.source ?? null,
      range_status: facts.range?.status ?? null,
      unrecorded_deployment: facts.unrecorded_deployment,
      break_glass: justification ? { justification } : null
    },
    changes,
    changes_complete: facts.changes_complete,
    facts_problems: [...facts.problems],
    release: {
      pull_requests: [...new Set(changes.flatMap((c) => (c.pr ? [c.pr.number] : [])))].sort((a, b) => a - b),
      tickets: sorted(records.flatMap((r) => r.ticket_reference)),
      change_types: sorted(records.flatMap((r) => r.change_type))
    }
  }
}
