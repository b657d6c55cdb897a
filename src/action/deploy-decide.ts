/**
 * Evaluates a deployment document: config text → data (the PR-gate config plus the `deploy:`
 * section) → policy engine (a Wasm bundle, or the built-in policies plus custom `.rego` files read
 * at the same commit as the config) → decision. Every failure becomes an `error` decision.
 */
import { isAbsolute, resolve } from 'node:path'
import { configData, parseConfig } from '../config/index.js'
import type { DeploymentDocument } from '../document/deployment.js'
import { errorDecision, type Decision } from '../engine/decision.js'
import { evaluateDecision, loadEngine, type RegoLoader } from '../engine/load.js'
import type { PolicySource } from '../engine/types.js'
import type { GitHubClient } from '../github/client.js'
import { readPoliciesAtRef } from '../github/config.js'
import { loadBundle, sourcesDigest } from './decide.js'

export interface DeployEvaluation {
  decision: Decision
  policyDigest: string | null
  /** Hours until a break-glass exception's retroactive review is due (config break_glass). */
  reviewWithinHours: number
}

/** document, config text, and the commit both the config and custom policies were read at. */
export type DeployEvaluate = (doc: DeploymentDocument, configText: string | null, ref: string) => Promise<DeployEvaluation>

export interface DeployEvaluatorOptions {
  client: GitHubClient
  owner: string
  repo: string
  loadRego: RegoLoader
  builtinDir: string
  /** Local folders of custom `.rego` files (the CLI's --policies), after the built-in ones. */
  localPolicyDirs?: string[]
  /** A folder of custom `.rego` files in the repository, read at the config's commit ('' for none). */
  customPoliciesPath: string
  bundle: string
  workspace: string
  configPath: string
  statusContext: string
}

/** `data` for the engine: the parsed config, its `deploy` section included. */
export function deployData(configText: string | null, configPath: string, statusContext: string): { data: unknown; reviewWithinHours: number } {
  const config = parseConfig(configText, configPath)
  return { data: configData(config, { statusContext }), reviewWithinHours: config.break_glass.review_within_hours }
}

export function createDeployEvaluator(o: DeployEvaluatorOptions): DeployEvaluate {
  return async (doc, configText, ref) => {
    let reviewWithinHours = 24
    let policyDigest: string | null = null
    try {
      const built = deployData(configText, o.configPath, o.statusContext)
      reviewWithinHours = built.reviewWithinHours
      let engine
      if (o.bundle) {
        const path = isAbsolute(o.bundle) ? o.bundle : resolve(o.workspace, o.bundle)
        const bundle = await loadBundle(path, o.loadRego)
        engine = bundle.engine
        policyDigest = bundle.digest
      } else {
        let custom: PolicySource[] = []
        if (o.customPoliciesPath) {
          custom = (await readPoliciesAtRef(o.client, o.owner, o.repo, o.customPoliciesPath, ref)).map((p) => ({ file: `${o.customPoliciesPath}@${ref.slice(0, 12)}:${p.file}`, source: p.source }))
          if (custom.length === 0) throw new Error(`no .rego policies under '${o.customPoliciesPath}' at ${ref}. Fix: commit the custom policies, or remove the policies input`)
        }
        engine = await loadEngine({ policyDirs: [o.builtinDir, ...(o.localPolicyDirs ?? [])] }, (builtin) => {
          const all = [...builtin, ...custom]
          policyDigest = sourcesDigest(all)
          return o.loadRego(all)
        })
      }
      const decision = await evaluateDecision(engine, doc, built.data, new Date(doc.now))
      return { decision, policyDigest, reviewWithinHours }
    } catch (err) {
      return { decision: errorDecision(err instanceof Error ? err.message : String(err)), policyDigest, reviewWithinHours }
    }
  }
}
