/**
 * Chooses and loads the policy engine: a precompiled OPA Wasm bundle when one is given, otherwise
 * the embedded Rego engine over the built-in policies plus any custom policy folders. Evaluates
 * the decision entrypoint and turns every engine failure into an `error` decision (fail closed).
 */
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { DECISION_ENTRYPOINT, errorDecision, extractDecision, type Decision } from './decision.js'
import { PolicyEngineError, type PolicyEngine, type PolicySource } from './types.js'
import { loadWasmEngine } from './wasm.js'

export type RegoLoader = (sources: PolicySource[]) => PolicyEngine | Promise<PolicyEngine>

export interface EngineSpec {
  /** Path of `bundle.tar.gz` or `policy.wasm`; when set, `.rego` folders are not used. */
  bundle?: string
  /** Folders of `.rego` files, in order (the built-in policies first). */
  policyDirs: string[]
}

/** Every `.rego` file under `dir` (recursively), `*_test.rego` excluded, sorted by path. */
export async function collectRegoSources(dir: string): Promise<PolicySource[]> {
  let entries
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true })
  } catch (err) {
    throw new PolicyEngineError('load_error', `cannot read the policy folder ${dir}: ${(err as Error).message}. Fix: pass an existing folder of .rego files.`, { cause: err })
  }
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith('.rego') && !e.name.endsWith('_test.rego'))
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
    .sort()
  return Promise.all(files.map(async (file) => ({ file: relative(process.cwd(), file) || file, source: await readFile(file, 'utf8') })))
}

export async function loadEngine(spec: EngineSpec, loadRego: RegoLoader): Promise<PolicyEngine> {
  if (spec.bundle) {
    let bytes: Uint8Array
    try {
      bytes = await readFile(spec.bundle)
    } catch (err) {
      throw new PolicyEngineError('load_error', `cannot read the bundle ${spec.bundle}: ${(err as Error).message}`, { cause: err })
    }
    return loadWasmEngine(bytes, spec.bundle)
  }
  const sources: PolicySource[] = []
  for (const dir of spec.policyDirs) sources.push(...(await collectRegoSources(dir)))
  if (sources.length === 0) throw new PolicyEngineError('load_error', `no .rego policies found in ${spec.policyDirs.join(', ') || '(no folder)'}`)
  return loadRego(sources)
}

/** Sets `data`, evaluates `change_gate/main/decision`, validates it; any failure → `error`. */
export async function evaluateDecision(engine: PolicyEngine, input: unknown, data: unknown, now?: Date): Promise<Decision> {
  try {
    engine.setData(data)
    const raw = await engine.evaluate(DECISION_ENTRYPOINT, input, now ? { now } : {})
    return extractDecision(raw)
  } catch (err) {
    if (err instanceof PolicyEngineError) return errorDecision(`policy ${err.code}${err.detail ? ` (${err.detail})` : ''}: ${err.message}`)
    return errorDecision(`policy evaluation failed: ${err instanceof Error ? err.message : String(err)}`)
  }
}
