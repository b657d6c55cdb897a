/**
 * `mode: deploy` (DESIGN §2.4): a step early in the deploy job. It gathers the release's facts,
 * evaluates the deploy policies, writes the job summary (every change with its PR, approvers,
 * ticket and merge verdict), appends a `deployment` record — denied deployments too, as BLOCKED —
 * and fails the step on deny or error, before anything ships.
 *
 * The config and custom policies are read at the LAST DEPLOYED commit when there is one: a release
 * must not be able to weaken the gate that judges it (a direct push editing the config is itself
 * in the release). A first deployment reads them at the SHA being deployed.
 */
import { errorDecision, type Decision } from '../engine/decision.js'
import { appendOrFail } from '../evidence/append.js'
import { changeId } from '../evidence/change-id.js'
import type { EvidenceRecord } from '../evidence/record.js'
import { deploymentRecord } from '../evidence/records.js'
import type { EvidenceStore } from '../evidence/store.js'
import { buildDeploymentDocument, type DeploymentDocument } from '../document/deployment.js'
import type { GitHubClient } from '../github/client.js'
import { readFileAtRef } from '../github/config.js'
import { renderJson } from '../render/json.js'
import { fetchDeploymentFacts, type GitHubDeploymentFacts } from '../github/deployment.js'
import type { DeployEvaluate } from './deploy-decide.js'
import { renderDeploySummary } from './deploy-summary.js'
import { InputError, type ActionInputs } from './inputs.js'
import type { RunnerIO } from './ports.js'

export interface DeployInputs {
  environment: string
  sha: string
  version: string | null
  /** A written justification: the break-glass path (freeze windows). */
  breakGlass: string | null
  /**
   * Adoption of an environment deployed before change-gate: the SHA already running there, from
   * which this release's changes are checked. Only honoured while the store records no successful
   * deployment of the environment; the record and the deploy/baseline policy's warning say it was used.
   */
  baseline: string | null
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/

/** The deploy inputs: `environment` (required), `sha` (default GITHUB_SHA), `version`, `break-glass`, `baseline-sha`. */
export function parseDeployInputs(read: (name: string) => string, defaultSha?: string): DeployInputs {
  const get = (name: string) => read(name).trim()
  const environment = get('environment')
  if (!environment) throw new InputError("Input 'environment' is required with mode: deploy (the environment being deployed to, e.g. production).")
  if (environment.length > 255 || /[\r\n]/.test(environment)) throw new InputError("Invalid input 'environment': use one line of at most 255 characters.")
  const sha = (get('sha') || defaultSha || '').toLowerCase()
  if (!SHA.test(sha)) throw new InputError(`Invalid input 'sha': '${sha}' is not a full commit SHA. Pass the 40-hex SHA being deployed, or leave it empty for GITHUB_SHA.`)
  const version = get('version') || null
  if (version && (version.length > 100 || /\s/.test(version))) throw new InputError("Invalid input 'version': use a release version such as 1.4.0 or v1.4.0.")
  const baseline = get('baseline-sha').toLowerCase() || null
  if (baseline && !SHA.test(baseline)) throw new InputError(`Invalid input 'baseline-sha': '${baseline}' is not a full commit SHA. Pass the 40-hex SHA of the release already running in '${environment}', or leave it empty.`)
  return { environment, sha, version, breakGlass: read('break-glass').trim() || null, baseline }
}

export interface DeployDeps {
  client: GitHubClient
  io: RunnerIO
  inputs: ActionInputs
  deploy: DeployInputs
  store: EvidenceStore
  evaluate: DeployEvaluate
}

export interface DeployContext {
  /** owner/name (GITHUB_REPOSITORY) */
  repository: string
  eventName: string
  actor?: string
  runId: string | number
  runUrl?: string
  defaultBranch?: string | null
  now: Date
  /** github.com or the GHES host (the record's stream). */
  host?: string
}

export interface DeployResult {
  decision: Decision
  document: DeploymentDocument | null
  facts: GitHubDeploymentFacts | null
  record: EvidenceRecord | null
  changeId: string
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

export async function runDeploy(deps: DeployDeps, ctx: DeployContext): Promise<DeployResult> {
  const { client, io, deploy, store } = deps
  const [owner, repo] = ctx.repository.split('/') as [string, string]
  const id = changeId({ repository: ctx.repository, kind: 'deployment', subject: deploy.sha, environment: deploy.environment, scope: String(ctx.runId) })
  let facts: GitHubDeploymentFacts | null = null
  let doc: DeploymentDocument | null = null
  let decision: Decision
  let policyDigest: string | null = null
  let reviewWithinHours = 24
  try {
    facts = await io.group(`Facts for deploying ${deploy.sha.slice(0, 12)} to ${deploy.environment}`, () =>
      fetchDeploymentFacts(client, { owner, repo, environment: deploy.environment, sha: deploy.sha, version: deploy.version, store, currentChangeId: id, baseline: deploy.baseline })
    )
    const prev = facts.previous
    io.info(
      prev
        ? prev.source === 'baseline'
          ? `no recorded deployment of ${deploy.environment}: checking the changes from the operator-chosen baseline ${prev.sha} (baseline-sha)`
          : `last successful deployment of ${deploy.environment}: ${prev.sha}${prev.version ? ` (${prev.version})` : ''} from ${prev.source === 'evidence' ? 'the evidence store' : 'the Deployments API'}`
        : `no earlier successful deployment of ${deploy.environment}: first deployment`
    )
    io.info(`${facts.changes.length} commit(s) in the release${facts.rollback ? ' (rollback)' : ''}; ${facts.round_trips} GitHub round trip(s); ${facts.evidence_records} evidence record(s) read`)
    for (const p of facts.problems) io.warning(p)
    const ref = prev?.sha ?? deploy.sha
    const configText = await readFileAtRef(client, owner, repo, deps.inputs.configPath, ref)
    io.info(configText === null ? `no ${deps.inputs.configPath} at ${ref}: using the defaults` : `config ${deps.inputs.configPath} read at ${ref}`)
    doc = buildDeploymentDocument(facts, {
      now: ctx.now,
      default_branch: ctx.defaultBranch ?? null,
      event: { name: ctx.eventName, actor: ctx.actor ?? null, run_id: ctx.runId, run_url: ctx.runUrl ?? null },
      break_glass: deploy.breakGlass
    })
    const evaluated = await io.group('Evaluate deploy policies', () => deps.evaluate(doc!, configText, ref))
    decision = evaluated.decision
    // The deploy/baseline policy warns when the range starts at an operator-chosen baseline.
    for (const w of decision.warnings) if (w.code === 'deploy/baseline') io.warning(w.message)
    policyDigest = evaluated.policyDigest
    reviewWithinHours = evaluated.reviewWithinHours
  } catch (err) {
    io.error(`change-gate could not decide on deploying ${deploy.sha} to ${deploy.environment}: ${message(err)}`)
    decision = errorDecision(message(err))
  }

  io.setOutput('decision', decision.decision)
  io.setOutput('decision-json', renderJson(decision, false))
  io.setOutput('deployment-change-id', id)
  io.setOutput('previous-sha', facts?.previous?.sha ?? '')
  io.setOutput('rollback', String(facts?.rollback ?? false))
  io.setOutput('changes', String(facts?.changes.length ?? 0))

  let record: EvidenceRecord | null = null
  try {
    const draft = deploymentRecord(
      {
        repository: ctx.repository,
        environment: deploy.environment,
        sha: deploy.sha,
        previous_sha: facts?.previous?.sha ?? null,
        version: deploy.version,
        deployer: ctx.actor ?? 'unknown',
        started_at: ctx.now.toISOString(),
        run_id: ctx.runId,
        run_url: ctx.runUrl ?? null,
        changes: [...new Set((doc?.changes ?? []).flatMap((c) => (c.pr?.merge_record ? [c.pr.merge_record.change_id] : [])))],
        change_types: doc?.release.change_types ?? [],
        tickets: doc?.release.tickets ?? [],
        ...(doc ? { input: doc } : {})
      },
      {
        allow: decision.allow,
        violations: decision.violations.map(({ facts: _f, ...item }) => item),
        exceptions: decision.exceptions.map(({ facts: _f, ...item }) => item),
        pending: decision.pending.map(({ facts: _f, ...item }) => item),
        error: decision.decision === 'error'
      },
      { recordedAt: new Date().toISOString(), policyDigest, reviewWithinHours, ...(ctx.host ? { host: ctx.host } : {}) }
    )
    if (id !== draft.change_id) throw new Error(`internal: deployment change_id mismatch (${id} vs ${draft.change_id})`)
    const prev = facts?.previous
    if (prev?.change_id) draft.links.previous_deployment = prev.change_id
    if (prev?.source === 'baseline') {
      // The record says, for the auditor, that the range started where a person said it did.
      draft.links.baseline = prev.sha
      draft.links.baseline_set_by = ctx.actor ?? 'unknown'
      draft.change_desc += ` (changes checked from the operator-chosen baseline ${prev.sha.slice(0, 12)})`
    }
    if (facts?.rollback) {
      draft.links.rollback = 'true'
      if (prev?.change_id) draft.links.rolls_back = prev.change_id
      draft.change_desc = `Roll back ${deploy.environment} from ${prev!.sha.slice(0, 12)} to ${deploy.version ?? deploy.sha.slice(0, 12)}`
    }
    const result = await appendOrFail(store, draft)
    record = result.record
    io.info(
      result.created
        ? `recorded deployment ${id} as seq ${result.record.seq} in ${store.url}`
        : `deployment ${id} was already recorded as seq ${result.record.seq} in ${store.url} (a re-run): nothing appended`
    )
  } catch (err) {
    io.error(`the deployment record could not be written: ${message(err)}`)
    io.setFailed(`change-gate: the deployment record could not be written to ${store.url}; the deployment must not proceed without it`)
  }

  await io.writeSummary(renderDeploySummary(decision, doc, { repository: ctx.repository, environment: deploy.environment, sha: deploy.sha, changeId: id, ...(ctx.runUrl ? { runUrl: ctx.runUrl } : {}) }))

  const failOn = deps.inputs.failOn
  if (decision.decision === 'error' && failOn !== 'never') io.setFailed(`change-gate: error — ${decision.error ?? 'the deploy gate could not decide'}`)
  else if ((decision.decision === 'deny' || decision.decision === 'pending') && failOn === 'deny') {
    io.setFailed(`change-gate: deployment to ${deploy.environment} denied — ${decision.violations.map((v) => v.code).filter((c, i, a) => a.indexOf(c) === i).join(', ') || 'see the job summary'}`)
  }
  return { decision, document: doc, facts, record, changeId: id }
}
