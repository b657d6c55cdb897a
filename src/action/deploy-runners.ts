/**
 * The action's runners for `mode: deploy` and `mode: outcome` (plugged into src/main.ts's table):
 * they read their own inputs and hand the shared context to the deploy gate and the outcome step.
 */
import type { ActionContext } from '../main.js'
import { policySettings } from './decide.js'
import { createDeployEvaluator } from './deploy-decide.js'
import { parseDeployInputs, runDeploy } from './deploy.js'
import { runOutcome } from './outcome.js'

function repositoryOf(a: ActionContext): { repository: string; owner: string; repo: string } {
  const repository = a.event.repository ?? a.env.GITHUB_REPOSITORY ?? ''
  const [owner, repo] = repository.split('/')
  if (!owner || !repo) throw new Error('GITHUB_REPOSITORY is not set (owner/name): the deploy gate runs as a step of a GitHub Actions workflow; use `change-gate deploy-check` elsewhere')
  return { repository, owner, repo }
}

function runIdOf(a: ActionContext): string {
  const id = a.event.runId ?? a.env.GITHUB_RUN_ID
  if (!id) throw new Error('GITHUB_RUN_ID is not set: the deployment record is keyed by the workflow run')
  return id
}

export async function runDeployMode(a: ActionContext): Promise<void> {
  const { repository, owner, repo } = repositoryOf(a)
  // Under a `deployment` event the payload names the environment and SHA; inputs still win.
  const target = (a.event.payload as { deployment?: { environment?: string; sha?: string } } | undefined)?.deployment
  const read = (name: string) => a.read(name) || (name === 'environment' ? (target?.environment ?? '') : name === 'sha' ? (target?.sha ?? '') : '')
  const deploy = parseDeployInputs(read, a.env.GITHUB_SHA)
  const evaluate = createDeployEvaluator({ client: a.client, owner, repo, ...policySettings(a.inputs, a.env) })
  const payload = a.event.payload as { repository?: { default_branch?: string } } | undefined
  await runDeploy(
    { client: a.client, io: a.io, inputs: a.inputs, deploy, store: a.evidence(), evaluate },
    {
      repository,
      eventName: a.event.eventName,
      runId: runIdOf(a),
      now: a.event.now,
      defaultBranch: payload?.repository?.default_branch ?? null,
      ...(a.event.actor ? { actor: a.event.actor } : {}),
      ...(a.event.runUrl ? { runUrl: a.event.runUrl } : {}),
      ...(a.event.host ? { host: a.event.host } : {})
    }
  )
}

export async function runOutcomeMode(a: ActionContext): Promise<void> {
  const { repository } = repositoryOf(a)
  await runOutcome(
    { io: a.io, store: a.evidence(), read: a.read },
    {
      repository,
      runId: runIdOf(a),
      now: a.event.now,
      eventName: a.event.eventName,
      payload: a.event.payload,
      ...(a.env.GITHUB_SHA ? { sha: a.env.GITHUB_SHA } : {}),
      ...(a.event.actor ? { actor: a.event.actor } : {}),
      ...(a.event.runUrl ? { runUrl: a.event.runUrl } : {}),
      ...(a.event.host ? { host: a.event.host } : {})
    }
  )
}
