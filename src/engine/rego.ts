/**
 * The PolicyEngine over the embedded Rego interpreter: `.rego` sources are parsed and compiled
 * once; each evaluation reads `data.<entrypoint>` with the given input. Every Rego error becomes
 * a PolicyEngineError whose `detail` is the Rego code (`rego_parse_error`, `eval_conflict_error`…).
 */
import { compileModules, parseModules, type CompiledPolicy } from '../rego/index.js'
import { RegoError, RegoErrors } from '../rego/errors.js'
import type { Module } from '../rego/ast.js'
import { fromJSON, RegoObject, toJSON, type Value } from '../rego/value.js'
import { PolicyEngineError, type EvaluateOptions, type PolicyEngine, type PolicySource } from './types.js'

/** `data.change_gate.main.decision` or `change_gate/main/decision` → path segments. */
export function entrypointPath(ref: string): string[] {
  const path = ref.replace(/^data(\.|\/|$)/, '').split(/[./]/).filter((s) => s !== '')
  if (path.length === 0) throw new PolicyEngineError('not_found', `'${ref}' is not an entrypoint: name a rule such as change_gate/main/decision`)
  return path
}

/** The errors of a Rego failure, each `file:row: code: message`, and the first code. */
function describe(err: unknown): { text: string; code?: string } {
  const list = err instanceof RegoErrors ? err.errors : err instanceof RegoError ? [err] : undefined
  if (!list) return { text: err instanceof Error ? err.message : String(err) }
  const shown = list.slice(0, 5).map((e) => e.message)
  if (list.length > 5) shown.push(`… and ${list.length - 5} more`)
  return { text: shown.join('; '), code: list[0].code }
}

class RegoEngine implements PolicyEngine {
  readonly kind = 'rego' as const
  private data: Value = new RegoObject()
  /** The static paths the rules define (package + the rule's leading names). */
  private readonly rulePaths: string[][]

  constructor(private readonly policy: CompiledPolicy) {
    this.rulePaths = policy.modules.flatMap((m) =>
      m.rules.map((r) => {
        const out = [...m.package]
        for (const t of r.head.ref) {
          if (t.type === 'var' && out.length === m.package.length) out.push(t.name)
          else if (t.type === 'string') out.push(t.value)
          else break
        }
        return out
      })
    )
  }

  setData(data: unknown): void {
    if (data === undefined || data === null) {
      this.data = new RegoObject()
      return
    }
    if (typeof data !== 'object' || Array.isArray(data)) {
      throw new PolicyEngineError('load_error', `policy data must be an object, not ${Array.isArray(data) ? 'an array' : typeof data}`)
    }
    this.data = fromJSON(data)
  }

  async evaluate(entrypoint: string, input: unknown, options: EvaluateOptions = {}): Promise<unknown> {
    const path = entrypointPath(entrypoint)
    let value: Value | undefined
    try {
      value = this.policy.evalRef(path, {
        ...(input === undefined ? {} : { input: fromJSON(input) }),
        data: this.data,
        ...(options.now ? { nowNs: BigInt(options.now.getTime()) * 1_000_000n } : {}),
        ...(options.strictBuiltinErrors ? { strictBuiltinErrors: true } : {})
      })
    } catch (err) {
      const { text, code } = describe(err)
      throw new PolicyEngineError('eval_error', `evaluating data.${path.join('.')} failed: ${text}`, { cause: err, ...(code ? { detail: code } : {}) })
    }
    if (value === undefined) {
      const related = (a: string[], b: string[]) => a.every((s, i) => i >= b.length || b[i] === s)
      if (!this.rulePaths.some((p) => related(p, path))) {
        throw new PolicyEngineError('not_found', `no rule defines data.${path.join('.')}. Fix: check the entrypoint and the package names of the policies.`)
      }
      return undefined
    }
    return toJSON(value)
  }
}

/** Parses and compiles the sources; errors name the file, line and Rego code. */
export function loadRegoEngine(sources: PolicySource[]): PolicyEngine {
  let modules: Module[]
  try {
    modules = parseModules(sources)
  } catch (err) {
    if (!(err instanceof RegoErrors)) throw err
    const { text, code } = describe(err)
    throw new PolicyEngineError('compile_error', `the policies do not parse: ${text}`, { detail: code })
  }
  let policy: CompiledPolicy
  try {
    policy = compileModules(modules)
  } catch (err) {
    const { text, code } = describe(err)
    throw new PolicyEngineError('compile_error', `the policies do not compile: ${text}`, { cause: err, ...(code ? { detail: code } : {}) })
  }
  return new RegoEngine(policy)
}
