/**
 * `mode: outcome` and `deployment_status` events (DESIGN §2.5): append an `outcome` record —
 * SUCCESS, FAILED or ROLLED_BACK — linked to the deployment record's change_id. Records are
 * never updated in place: a later outcome for the same deployment is a new record, and the latest
 * one counts. When a rollback deployment succeeds, the deployment it rolled back gets a
 * ROLLED_BACK outcome too, so the log says which release was withdrawn.
 */
import { appendOrFail } from '../evidence/append.js'
import { changeId } from '../evidence/change-id.js'
import type { EvidenceRecord } from '../evidence/record.js'
import { outcomeRecord, type OutcomeFacts } from '../evidence/records.js'
import type { EvidenceStore } from '../evidence/store.js'
import { readEvidenceIndex } from '../github/deploy-evidence.js'
import { InputError } from './inputs.js'
import type { RunnerIO } from './ports.js'

export type Outcome = OutcomeFacts['outcome']

/**
 * The outcome input: SUCCESS / FAILED / ROLLED_BACK in any case, and the values of `job.status`
 * (`success`, `failure`, `cancelled`) so a workflow can pass `${{ job.status }}` directly.
 */
export function parseOutcome(value: string): Outcome {
  const v = value.trim().toLowerCase().replace(/[- ]/g, '_')
  if (v === 'success' || v === 'succeeded') return 'SUCCESS'
  if (v === 'failure' || v === 'failed' || v === 'cancelled' || v === 'error') return 'FAILED'
  if (v === 'rolled_back' || v === 'rollback') return 'ROLLED_BACK'
  throw new InputError(`Invalid input 'outcome': '${value}'. Expected success, failure or rolled_back (or \${{ job.status }}).`)
}

export interface OutcomeRequest {
  environment: string
  sha: string
  outcome: Outcome
  /** The deploy step's `deployment-change-id` output; else this run's deployment of (environment, sha); else the latest one. */
  deploymentChangeId?: string | null
}

export interface OutcomeContext {
  repository: string
  runId: string | number
  runUrl?: string
  actor?: string
  now: Date
  host?: string
}

export interface OutcomeResult {
  deployment: EvidenceRecord
  records: EvidenceRecord[]
}

export class OutcomeError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'OutcomeError'
  }
}

/** Finds the deployment record the outcome belongs to. */
async function findDeployment(store: EvidenceStore, req: OutcomeRequest, ctx: OutcomeContext): Promise<EvidenceRecord> {
  if (req.deploymentChangeId) {
    const found = await store.find(req.deploymentChangeId)
    if (!found || found.record.kind !== 'deployment') throw new OutcomeError(`no deployment record ${req.deploymentChangeId} in ${store.url}. Pass the deploy step's 'deployment-change-id' output.`)
    return found.record
  }
  const own = await store.find(changeId({ repository: ctx.repository, kind: 'deployment', subject: req.sha, environment: req.environment, scope: String(ctx.runId) }))
  if (own) return own.record
  const index = await readEvidenceIndex(store, ctx.repository)
  const all = index.deploymentsOf(req.environment, req.sha)
  const latest = all[all.length - 1]
  if (!latest) {
    throw new OutcomeError(
      `no deployment record of ${req.sha.slice(0, 12)} to '${req.environment}' in ${store.url}: run change-gate with mode: deploy before deploying, then report the outcome`
    )
  }
  return latest
}

export async function recordOutcome(store: EvidenceStore, io: RunnerIO, req: OutcomeRequest, ctx: OutcomeContext): Promise<OutcomeResult> {
  const deployment = await findDeployment(store, req, ctx)
  if (deployment.environment !== req.environment || deployment.head_sha !== req.sha) {
    throw new OutcomeError(`deployment record ${deployment.change_id} is of ${deployment.head_sha ?? '?'} to '${deployment.environment ?? '?'}', not of ${req.sha} to '${req.environment}'`)
  }
  if (deployment.decision?.verdict !== 'allow' && req.outcome === 'SUCCESS') {
    io.warning(`deployment ${deployment.change_id} was ${deployment.decision?.verdict ?? 'not decided'} by the gate but reports SUCCESS: it is recorded, and it will not serve as the baseline of the next release`)
  }
  const base = { repository: ctx.repository, run_id: ctx.runId, environment: req.environment, reported_by: ctx.actor ?? 'unknown', reported_at: ctx.now.toISOString(), run_url: ctx.runUrl ?? null }
  const buildCtx = { recordedAt: new Date().toISOString(), ...(ctx.host ? { host: ctx.host } : {}) }
  const records: EvidenceRecord[] = []
  const append = async (facts: OutcomeFacts) => {
    const result = await appendOrFail(store, outcomeRecord(facts, buildCtx))
    io.info(
      result.created
        ? `recorded outcome ${facts.outcome} of ${facts.deployment_change_id} as seq ${result.record.seq} in ${store.url}`
        : `outcome ${facts.outcome} of ${facts.deployment_change_id} was already recorded (a re-run): nothing appended`
    )
    records.push(result.record)
  }
  await append({ ...base, deployment_change_id: deployment.change_id, sha: req.sha, outcome: req.outcome })
  const rolledBack = deployment.links.rolls_back
  if (req.outcome === 'SUCCESS' && rolledBack) {
    const withdrawn = await store.find(rolledBack)
    if (withdrawn?.record.head_sha) await append({ ...base, deployment_change_id: rolledBack, sha: withdrawn.record.head_sha, outcome: 'ROLLED_BACK' })
  }
  return { deployment, records }
}

/** A `deployment_status` event → an outcome request; null for states that are not an outcome. */
export function outcomeFromDeploymentStatus(payload: unknown): OutcomeRequest | null {
  const p = payload as { deployment_status?: { state?: string; environment?: string }; deployment?: { sha?: string; environment?: string } }
  const state = p.deployment_status?.state
  const sha = p.deployment?.sha
  const environment = p.deployment_status?.environment ?? p.deployment?.environment
  if (!sha || !environment) throw new OutcomeError('the deployment_status payload has no deployment.sha or environment')
  if (state === 'success') return { environment, sha, outcome: 'SUCCESS' }
  if (state === 'failure' || state === 'error') return { environment, sha, outcome: 'FAILED' }
  return null
}

export interface OutcomeDeps {
  io: RunnerIO
  store: EvidenceStore
  read: (name: string) => string
}

/** The action's outcome phase: inputs or the deployment_status payload → outcome record(s). */
export async function runOutcome(deps: OutcomeDeps, ctx: OutcomeContext & { eventName: string; payload: unknown; sha?: string }): Promise<OutcomeResult | null> {
  const { io, read } = deps
  let req: OutcomeRequest | null
  if (ctx.eventName === 'deployment_status') {
    req = outcomeFromDeploymentStatus(ctx.payload)
    if (!req) {
      io.info(`deployment_status '${(ctx.payload as { deployment_status?: { state?: string } }).deployment_status?.state ?? '?'}' is not an outcome: nothing recorded`)
      return null
    }
  } else {
    const environment = read('environment').trim()
    if (!environment) throw new InputError("Input 'environment' is required with mode: outcome.")
    const sha = (read('sha').trim() || ctx.sha || '').toLowerCase()
    if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) throw new InputError(`Invalid input 'sha': '${sha}' is not a full commit SHA (default: GITHUB_SHA).`)
    const outcome = read('outcome').trim()
    if (!outcome) throw new InputError("Input 'outcome' is required with mode: outcome: success, failure or rolled_back (e.g. ${{ job.status }}).")
    req = { environment, sha, outcome: parseOutcome(outcome), deploymentChangeId: read('deployment-change-id').trim() || null }
  }
  const result = await recordOutcome(deps.store, io, req, ctx)
  io.setOutput('outcome', req.outcome)
  io.setOutput('deployment-change-id', result.deployment.change_id)
  return result
}
