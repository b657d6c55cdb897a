/**
 * The PolicyEngine over OPA Wasm bundles (`opa build -t wasm`), through
 * `@open-policy-agent/opa-wasm`. Builtins the SDK does not implement are served by the embedded
 * engine's registry. The SDK throws plain strings; every failure here becomes a PolicyEngineError.
 */
import { loadPolicy } from '@open-policy-agent/opa-wasm'
import { BUILTINS } from '../rego/builtins/index.js'
import type { BuiltinContext } from '../rego/builtins/types.js'
import { fromJSON, toJSON } from '../rego/value.js'
import { mergeInto, readBundle } from './bundle.js'
import { PolicyEngineError, type EvaluateOptions, type PolicyEngine } from './types.js'

type LoadedPolicy = Awaited<ReturnType<typeof loadPolicy>>

/** `data.change_gate.main.decision` or `change_gate/main/decision` → `change_gate/main/decision`. */
export function toEntrypoint(ref: string): string {
  return ref.replace(/^data\./, '').replace(/\./g, '/')
}

function describe(err: unknown): string {
  if (typeof err === 'string') return err
  if (err instanceof Error) return err.message
  if (err && typeof err === 'object' && 'message' in err) return String((err as { message: unknown }).message)
  return String(err)
}

class WasmEngine implements PolicyEngine {
  readonly kind = 'wasm' as const
  private readonly entrypoints: ReadonlySet<string>

  constructor(
    private readonly policy: LoadedPolicy,
    private readonly bundleData: Record<string, unknown>,
    private readonly name: string,
    private readonly context: { current: BuiltinContext }
  ) {
    this.entrypoints = new Set(Object.keys(policy.entrypoints as Record<string, number>))
    this.setData({})
  }

  setData(data: unknown): void {
    const merged = structuredClone(this.bundleData)
    if (data !== undefined && data !== null) mergeInto(merged, [], data)
    try {
      this.policy.setData(merged)
    } catch (err) {
      throw new PolicyEngineError('load_error', `${this.name}: the policy rejected its data: ${describe(err)}`, { cause: err })
    }
  }

  async evaluate(ref: string, input: unknown, options: EvaluateOptions = {}): Promise<unknown> {
    const entrypoint = toEntrypoint(ref)
    if (!this.entrypoints.has(entrypoint)) {
      throw new PolicyEngineError(
        'not_found',
        `${this.name} has no entrypoint '${entrypoint}' (it has: ${[...this.entrypoints].join(', ') || 'none'}). Fix: build the bundle with 'opa build -t wasm -e ${entrypoint}'.`
      )
    }
    this.context.current = newContext(options)
    let resultSet: unknown
    try {
      resultSet = this.policy.evaluate(input, entrypoint)
    } catch (err) {
      throw new PolicyEngineError('eval_error', `${this.name}: evaluating '${entrypoint}' failed: ${describe(err)}`, {
        cause: err,
        detail: 'wasm_abort'
      })
    }
    if (!Array.isArray(resultSet)) {
      throw new PolicyEngineError('eval_error', `${this.name}: '${entrypoint}' returned ${typeof resultSet}, not a result set.`)
    }
    if (resultSet.length === 0) return undefined
    if (resultSet.length > 1) {
      throw new PolicyEngineError('eval_error', `${this.name}: '${entrypoint}' produced ${resultSet.length} results; a decision must have one.`, {
        detail: 'eval_conflict_error'
      })
    }
    return (resultSet[0] as { result?: unknown }).result
  }
}

function newContext(options: EvaluateOptions): BuiltinContext {
  const now = options.now ?? new Date()
  return { nowNs: BigInt(now.getTime()) * 1_000_000n, cache: new Map(), random: Math.random }
}

/** Builtins the module may call that the SDK lacks, implemented by the embedded engine. */
function bridgeBuiltins(context: { current: BuiltinContext }): Record<string, (...args: unknown[]) => unknown> {
  const bridged: Record<string, (...args: unknown[]) => unknown> = {}
  for (const [name, def] of BUILTINS) {
    if (def.relation) continue
    bridged[name] = (...args: unknown[]) => {
      const out = def.impl(args.map(fromJSON), context.current)
      return out === undefined ? undefined : toJSON(out)
    }
  }
  return bridged
}

/** Loads a bundle (`bundle.tar.gz` or bare `policy.wasm`) from its bytes. */
export async function loadWasmEngine(bytes: Uint8Array, name = 'bundle'): Promise<PolicyEngine> {
  const bundle = readBundle(bytes, name)
  const context = { current: newContext({}) }
  let policy: LoadedPolicy
  try {
    policy = await loadPolicy(bundle.wasm, undefined, bridgeBuiltins(context))
  } catch (err) {
    throw new PolicyEngineError(
      'load_error',
      `${name}: the Wasm module could not be loaded: ${describe(err)}. Fix: build it with 'opa build -t wasm' (ABI 1.x).`,
      { cause: err }
    )
  }
  return new WasmEngine(policy, bundle.data, name, context)
}
