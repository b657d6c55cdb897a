/**
 * The real `Decide` of the PR gate: config text (base branch) → Config → input document → policy
 * engine → decision. The engine is the Wasm bundle when one is given, otherwise the embedded Rego
 * engine over the built-in policies plus the custom `.rego` files read from the BASE commit through
 * the API (never from the PR head). Engines are loaded once per policy set and reused (a merge group
 * evaluates several PRs). Any failure is thrown or returned as an `error` decision: fail closed.
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import { configData, parseConfig } from '../config/index.js'
import { buildPullRequestDocument } from '../document/index.js'
import { evaluateDecision, loadEngine, type RegoLoader } from '../engine/load.js'
import type { PolicyEngine, PolicySource } from '../engine/types.js'
import type { GitHubClient } from '../github/client.js'
import { readPoliciesAtRef } from '../github/config.js'
import { builtinPoliciesDir } from '../engine/builtin-policies.js'
import { loadRegoEngine } from '../engine/rego.js'
import type { Decide, EvaluateDocument } from './gate.js'
import type { ActionInputs } from './inputs.js'

export type PolicySettings = Omit<DecideOptions, 'client'>

/** Where the action's policies come from, by its inputs: the same for the PR gate and the deploy gate. */
export function policySettings(inputs: ActionInputs, env: Record<string, string | undefined>): PolicySettings {
  return {
    loadRego: loadRegoEngine,
    builtinDir: builtinPoliciesDir(),
    customPoliciesPath: inputs.policiesPath,
    bundle: inputs.bundle,
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    configPath: inputs.configPath,
    statusContext: inputs.statusContext
  }
}

export interface DecideOptions {
  client: GitHubClient
  loadRego: RegoLoader
  /** The built-in policy folder (see builtinPoliciesDir). */
  builtinDir: string
  /** Input `policies`: a folder of custom `.rego` files on the base branch ('' for none). */
  customPoliciesPath: string
  /** Input `bundle`: an OPA Wasm bundle in the workspace ('' for none). */
  bundle: string
  /** Where a relative bundle path is resolved (GITHUB_WORKSPACE). */
  workspace: string
  /** Input `config`, for messages. */
  configPath: string
  statusContext: string
}

/** sha256:<hex> over the policy sources in load order (content only: paths differ between checkouts). */
export function sourcesDigest(sources: PolicySource[]): string {
  const h = createHash('sha256')
  for (const s of sources) h.update(`${Buffer.byteLength(s.source)}\n`).update(s.source)
  return `sha256:${h.digest('hex')}`
}

/** The engine of an OPA Wasm bundle, with the SHA-256 of the bundle file as the policy digest. */
export async function loadBundle(path: string, loadRego: RegoLoader): Promise<{ engine: PolicyEngine; digest: string }> {
  const engine = await loadEngine({ bundle: path, policyDirs: [] }, loadRego)
  return { engine, digest: `sha256:${createHash('sha256').update(await readFile(path)).digest('hex')}` }
}

/** A Decide that can start loading its engine early (see `prepare`). */
export type PreparedDecide = Decide & {
  /** Evaluates a push or retroactive-review document with the same engine (GateDeps.evaluate). */
  evaluate: EvaluateDocument
  /**
   * Starts reading and compiling the policies now, so the compile overlaps the wait for GitHub's
   * answers instead of following it. Only when the policy set does not depend on the base commit
   * (built-ins only, or a bundle); a failure surfaces when the decision is made, not here.
   */
  prepare(): void
}

export function createDecide(o: DecideOptions): PreparedDecide {
  const engines = new Map<string, Promise<{ engine: PolicyEngine; digest: string }>>()

  async function engineFor(owner: string, repo: string, baseSha: string): Promise<{ engine: PolicyEngine; digest: string }> {
    if (o.bundle) {
      const path = isAbsolute(o.bundle) ? o.bundle : resolve(o.workspace, o.bundle)
      const key = `bundle:${path}`
      if (!engines.has(key)) engines.set(key, loadBundle(path, o.loadRego))
      return engines.get(key)!
    }
    const key = `rego:${o.customPoliciesPath}@${o.customPoliciesPath ? baseSha : ''}`
    if (!engines.has(key)) {
      engines.set(key, (async () => {
        let custom: PolicySource[] = []
        if (o.customPoliciesPath) {
          custom = (await readPoliciesAtRef(o.client, owner, repo, o.customPoliciesPath, baseSha)).map((p) => ({ file: `${o.customPoliciesPath}@base:${p.file}`, source: p.source }))
          if (custom.length === 0) throw new Error(`no .rego policies under '${o.customPoliciesPath}' on the base commit ${baseSha}. Fix: commit the custom policies to the base branch, or remove the policies input`)
        }
        let digest = ''
        const engine = await loadEngine({ policyDirs: [o.builtinDir] }, (builtin) => {
          const all = [...builtin, ...custom]
          digest = sourcesDigest(all)
          return o.loadRego(all)
        })
        return { engine, digest }
      })())
    }
    return engines.get(key)!
  }

  const decide: Decide = async (facts, configText, ctx) => {
    const config = parseConfig(configText, o.configPath)
    const document = buildPullRequestDocument(facts, config, {
      kind: ctx.kind,
      now: ctx.now,
      event: { name: ctx.event.event, action: ctx.event.action || null, actor: ctx.actor ?? null, run_id: ctx.runId ?? null, run_url: ctx.runUrl ?? null }
    })
    const { engine, digest } = await engineFor(facts.repository.owner, facts.repository.name, facts.pull_request.base.sha)
    const decision = await evaluateDecision(engine, document, configData(config, { statusContext: o.statusContext }), ctx.now)
    return { decision, document, policyDigest: digest, reviewWithinHours: config.break_glass.review_within_hours }
  }
  // Pushes and retroactive reviews: the same engine, data and entrypoint as the PR gate.
  const evaluate: EvaluateDocument = async (r) => {
    const config = parseConfig(r.configText, o.configPath)
    const document = r.build(config)
    const { engine, digest } = await engineFor(r.owner, r.repo, r.ref)
    const decision = await evaluateDecision(engine, document, configData(config, { statusContext: o.statusContext }), r.now)
    return { decision, document, policyDigest: digest, reviewWithinHours: config.break_glass.review_within_hours }
  }
  return Object.assign(decide, {
    evaluate,
    prepare() {
      if (o.customPoliciesPath) return
      // Marked handled here; the same promise is awaited (and its error reported) by the decision.
      engineFor('', '', '').catch(() => undefined)
    }
  })
}
