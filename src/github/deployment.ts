/**
 * The facts of a deployment (DESIGN §2.4): the environment's last successful deployment (from the
 * evidence store; the Deployments API only when the store has none), every commit between it and
 * the SHA being deployed, the PR that brought each commit in, and that PR's `merge` record.
 * Everything that could not be established is listed in `problems` with `changes_complete: false`,
 * so the policies deny (fail closed); API errors propagate and become an `error` verdict.
 */
import type { EvidenceRecord } from '../evidence/record.js'
import type { EvidenceStore } from '../evidence/store.js'
import type { GitHubClient } from './client.js'
import { lastSuccessfulFromApi } from './deploy-api.js'
import { DeploymentFactsError, readEvidenceIndex, type EvidenceIndex } from './deploy-evidence.js'
import { mapCommitsToPulls, type CommitPull } from './deploy-pulls.js'
import { listCommitRange, type RangeCommit, type RangeOptions, type RangeStatus } from './deploy-range.js'

export { DeploymentFactsError } from './deploy-evidence.js'

export interface DeploymentRequest {
  owner: string
  repo: string
  environment: string
  sha: string
  version?: string | null
  store: EvidenceStore
  /**
   * Ask the Deployments API (one GraphQL call): the fallback when the store has no successful
   * deployment, a cross-check otherwise (default true).
   */
  deploymentsApi?: boolean
  /**
   * Adoption: the SHA the operator declares as the environment's starting point, used only when
   * the store records no successful deployment of it (an environment deployed before change-gate).
   * Commits after it are checked; it is recorded as such. A store that already has a baseline
   * refuses a different one: a recorded history is never overridden.
   */
  baseline?: string | null
  /** This run's own deployment record (a re-run must not take itself as the baseline). */
  currentChangeId?: string
  range?: RangeOptions
  /** An index already read (tests, or a caller that read the store). */
  index?: EvidenceIndex
}

export interface PreviousDeployment {
  sha: string
  version: string | null
  /** The deployment record's change_id (null when found through the Deployments API). */
  change_id: string | null
  source: 'evidence' | 'deployments_api' | 'baseline'
  at: string | null
}

export interface DeploymentChangeFacts {
  commit: RangeCommit
  pull: CommitPull | null
  merge_record: EvidenceRecord | null
}

export interface GitHubDeploymentFacts {
  repository: { owner: string; name: string; full_name: string }
  environment: string
  sha: string
  version: string | null
  previous: PreviousDeployment | null
  /**
   * A successful deployment the Deployments API knows of, newer than the recorded baseline and of
   * another SHA: something shipped without the gate. Null when none (or not checked).
   */
  unrecorded_deployment: { sha: string; at: string | null } | null
  range: { status: RangeStatus; ahead_by: number; behind_by: number; merge_base: string | null } | null
  /** The SHA being deployed is an ancestor of the last deployed one. */
  rollback: boolean
  changes: DeploymentChangeFacts[]
  changes_complete: boolean
  problems: string[]
  round_trips: number
  evidence_records: number
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/

export async function fetchDeploymentFacts(client: GitHubClient, req: DeploymentRequest): Promise<GitHubDeploymentFacts> {
  const { owner, repo, environment, sha } = req
  if (!SHA.test(sha)) throw new DeploymentFactsError(`'${sha}' is not a full commit SHA: pass the 40-hex SHA being deployed (default: GITHUB_SHA)`)
  if (!environment.trim()) throw new DeploymentFactsError("no environment: pass the environment being deployed to (e.g. 'production')")
  const index = req.index ?? (await readEvidenceIndex(req.store, `${owner}/${repo}`))
  const facts: GitHubDeploymentFacts = {
    repository: { owner, name: repo, full_name: `${owner}/${repo}` },
    environment,
    sha,
    version: req.version ?? null,
    previous: null,
    unrecorded_deployment: null,
    range: null,
    rollback: false,
    changes: [],
    changes_complete: true,
    problems: [],
    round_trips: 0,
    evidence_records: index.size
  }

  const recorded = index.lastSuccessfulDeployment(environment, req.currentChangeId)
  const useApi = req.deploymentsApi ?? true
  const baseline = req.baseline?.toLowerCase() ?? null
  if (baseline !== null && !SHA.test(baseline)) throw new DeploymentFactsError(`baseline '${req.baseline}' is not a full commit SHA: pass the 40-hex SHA of the release already running in '${environment}'`)
  if (baseline && recorded && recorded.sha !== baseline) {
    throw new DeploymentFactsError(
      `a baseline was given (${baseline.slice(0, 12)}), but the evidence store already records the last successful deployment of '${environment}' (${recorded.sha.slice(0, 12)}, ${recorded.change_id}): ` +
        'a recorded history is never overridden. Remove the baseline (baseline-sha / --baseline); it is only for the first gated deployment of an environment'
    )
  }
  if (baseline && !recorded) {
    facts.previous = { sha: baseline, version: null, change_id: null, source: 'baseline', at: null }
  } else if (recorded) {
    facts.previous = { sha: recorded.sha, version: recorded.version, change_id: recorded.change_id, source: 'evidence', at: recorded.recorded_at }
    if (useApi) {
      try {
        const api = await lastSuccessfulFromApi(client, owner, repo, environment, sha)
        facts.round_trips += api.round_trips
        const d = api.deployment
        if (d && d.sha !== recorded.sha && d.created_at && Date.parse(d.created_at) > Date.parse(recorded.recorded_at)) facts.unrecorded_deployment = { sha: d.sha, at: d.created_at }
      } catch {
        // A cross-check only: the store is the source of truth, so an unreadable API changes nothing.
      }
    }
  } else if (useApi) {
    try {
      const api = await lastSuccessfulFromApi(client, owner, repo, environment, sha)
      facts.round_trips += api.round_trips
      if (api.deployment) facts.previous = { sha: api.deployment.sha, version: null, change_id: null, source: 'deployments_api', at: api.deployment.created_at }
    } catch (err) {
      // Without the fallback we cannot tell a first deployment from a forgotten one.
      facts.changes_complete = false
      facts.problems.push(
        `the evidence store has no successful deployment of '${environment}' and the Deployments API could not be read (${(err as Error).message}); ` +
          'grant the workflow `deployments: read` (or run with the fallback off to treat it as a first deployment)'
      )
    }
  }
  if (!facts.previous) return facts

  const range = await listCommitRange(client, owner, repo, facts.previous.sha, sha, req.range)
  facts.round_trips += range.round_trips
  facts.range = { status: range.status, ahead_by: range.ahead_by, behind_by: range.behind_by, merge_base: range.merge_base }
  facts.rollback = range.status === 'behind'
  if (!range.complete) {
    facts.changes_complete = false
    facts.problems.push(...range.problems)
    return facts
  }
  if (range.status === 'diverged') {
    facts.problems.push(
      `${sha.slice(0, 12)} is not a descendant of the last deployed ${facts.previous.sha.slice(0, 12)} (${range.behind_by} deployed commits are not in it): ` +
        'the release is checked from their merge base'
    )
  }
  const mapping = await mapCommitsToPulls(client, owner, repo, range.commits, index)
  facts.round_trips += mapping.round_trips
  facts.changes = range.commits.map((commit) => {
    const pull = mapping.pulls.get(commit.sha) ?? null
    return { commit, pull, merge_record: pull ? index.mergeRecordOf(pull.number) : null }
  })
  return facts
}
