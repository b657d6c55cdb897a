/**
 * The action's phases: inputs → event context → client → the mode's runner (PR gate: facts →
 * document → evaluate → publish → record). This is the ONE catch: anything thrown ends here, fails
 * the step with what failed and how to fix it, and is never turned into an allow.
 */
import { readFile } from 'node:fs/promises'
import { createDecide, policySettings } from './action/decide.js'
import { runDeployMode, runOutcomeMode } from './action/deploy-runners.js'
import { runGate, type EventContext } from './action/gate.js'
import { parseInputs, type ActionInputs, type Mode } from './action/inputs.js'
import type { RunnerIO } from './action/ports.js'
import { inputReader, runnerIO } from './action/runner-io.js'
import { openStore } from './evidence/factory.js'
import type { EvidenceStore } from './evidence/store.js'
import { apiUrls, createGitHubClient, type GitHubClient } from './github/client.js'

/** What every mode's runner gets: parsed inputs, the runner's I/O, the event, a client and the store. */
export interface ActionContext {
  io: RunnerIO
  inputs: ActionInputs
  /** Raw input reader, for a mode's own inputs (e.g. `environment`). */
  read: (name: string) => string
  env: Record<string, string | undefined>
  event: EventContext
  client: GitHubClient
  /** The evidence store named by the `evidence-store` input (opened on first use). */
  evidence: () => EvidenceStore
}

export type ModeRunner = (action: ActionContext) => Promise<void>

async function runPullRequestGate(a: ActionContext): Promise<void> {
  const decide = createDecide({ client: a.client, ...policySettings(a.inputs, a.env) })
  // Compile the policies while the first GitHub requests are in flight.
  decide.prepare()
  await runGate({ client: a.client, io: a.io, inputs: a.inputs, decide, evaluate: decide.evaluate, evidence: a.evidence }, a.event)
}

/** One runner per mode. */
const RUNNERS: Record<Mode, ModeRunner> = {
  pr: runPullRequestGate,
  deploy: runDeployMode,
  outcome: runOutcomeMode
}

/** The event the workflow runs for: name and payload from the runner's environment. */
export async function eventContext(env: Record<string, string | undefined>, now = new Date()): Promise<EventContext> {
  const eventName = env.GITHUB_EVENT_NAME
  const path = env.GITHUB_EVENT_PATH
  if (!eventName || !path) throw new Error('GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set: change-gate runs as a step of a GitHub Actions workflow (use the CLI elsewhere)')
  let payload: unknown
  try {
    payload = JSON.parse(await readFile(path, 'utf8'))
  } catch (err) {
    throw new Error(`cannot read the event payload ${path}: ${(err as Error).message}`, { cause: err })
  }
  const server = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '')
  const runUrl = env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined
  return {
    eventName,
    payload,
    ...(env.GITHUB_REPOSITORY ? { repository: env.GITHUB_REPOSITORY } : {}),
    ...(runUrl ? { runUrl } : {}),
    ...(env.GITHUB_RUN_ID ? { runId: env.GITHUB_RUN_ID } : {}),
    ...(env.GITHUB_ACTOR ? { actor: env.GITHUB_ACTOR } : {}),
    host: new URL(server).host,
    now
  }
}

/** The store URL: the input, or this repository's `change-gate/evidence` branch through the API. */
export function evidenceStoreUrl(inputs: ActionInputs, event: EventContext, env: Record<string, string | undefined>): string {
  if (inputs.evidenceStore) return inputs.evidenceStore
  const repository = event.repository ?? env.GITHUB_REPOSITORY
  if (!repository) throw new Error('no evidence-store input and no GITHUB_REPOSITORY: set evidence-store, e.g. git+https://github.com/OWNER/REPO.git#change-gate/evidence')
  return `git+https://${event.host ?? 'github.com'}/${repository}.git#change-gate/evidence`
}

export async function run(options: { io?: RunnerIO; read?: (name: string) => string; env?: Record<string, string | undefined> } = {}): Promise<void> {
  const env = options.env ?? process.env
  const io = options.io ?? runnerIO(env)
  const read = options.read ?? inputReader(env)
  try {
    const inputs = parseInputs(read)
    const event = await eventContext(env)
    const urls = apiUrls({}, env)
    const client = createGitHubClient({ token: inputs.token, ...urls, log: (m) => io.warning(m) })
    let store: EvidenceStore | undefined
    const evidence = () => (store ??= openStore(evidenceStoreUrl(inputs, event, env), { token: inputs.token, apiUrl: urls.apiUrl, cwd: env.GITHUB_WORKSPACE ?? process.cwd() }))
    await RUNNERS[inputs.mode]({ io, inputs, read, env, event, client, evidence })
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    io.setFailed(`change-gate: ${message}`)
  }
}
