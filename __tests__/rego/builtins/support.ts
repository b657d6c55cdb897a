/** What every builtin test starts from: a fixed context and a way to call a builtin by name. */
import type { BuiltinContext, BuiltinDef } from '../../../src/rego/builtins/types.js'
import { RegoSet, type Value } from '../../../src/rego/value.js'

/** A context with a fixed clock (`nowNs`, default 0) and a fixed random source, so results repeat. */
export function context(nowNs = 0n): BuiltinContext {
  return { nowNs, cache: new Map(), random: () => 0.5 }
}

/** call(name, ...args) over a module's builtin table; an unknown name throws (a typo fails the test). */
export function caller(builtins: readonly BuiltinDef[], ctx: BuiltinContext = context()) {
  return (name: string, ...args: Value[]): Value | undefined => {
    const def = builtins.find((b) => b.name === name)
    if (!def) throw new Error(`no builtin ${name}`)
    return def.impl(args, ctx)
  }
}

/** A Rego set of the given values. */
export const set = (...xs: Value[]) => new RegoSet(xs)
