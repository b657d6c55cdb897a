/**
 * The Rego engine's public facade: compile parsed modules once, then query them many times.
 */
import type { Body, Location, Module, Term } from './ast.js'
import { compile } from './compiler.js'
import { RegoError, RegoErrors } from './errors.js'
import { Evaluator, Frame, type EvalOptions } from './eval.js'
import { parseModule, parseQuery } from './parser.js'
import { isGenerated, displayName, visitExprVars } from './terms.js'
import type { Value } from './value.js'

export interface CompileOptions {
  /**
   * OPA's strict compile checks: unused imports, unused local variables, deprecated builtins
   * become errors.
   */
  strict?: boolean
}

/** What one query gets: input, data, the clock, strictness, print, the time limit. */
export type QueryOptions = EvalOptions

export interface CompiledPolicy {
  modules: Module[]
  /** Every solution: bindings of the query's user variables (no `$`-generated vars). */
  query(query: Body | string, opts?: QueryOptions): Array<Map<string, Value>>
  /** The value of `data.<path>` (rules and base data), or undefined. */
  evalRef(path: string[], opts?: QueryOptions): Value | undefined
  /** Rules named `test_*` (for the test runner): package path + rule name + location. */
  tests(): Array<{ pkg: string[]; name: string; loc: Location }>
}

/** Parses every source, reporting the parse errors of all files at once (RegoErrors), as OPA does. */
export function parseModules(sources: ReadonlyArray<{ file: string; source: string }>): Module[] {
  const modules: Module[] = []
  const errors: RegoError[] = []
  for (const s of sources) {
    try {
      modules.push(parseModule(s.file, s.source))
    } catch (err) {
      if (err instanceof RegoErrors) errors.push(...err.errors)
      else if (err instanceof RegoError) errors.push(err)
      else throw err
    }
  }
  if (errors.length > 0) throw new RegoErrors(errors)
  return modules
}

export function compileModules(modules: Module[], opts: CompileOptions = {}): CompiledPolicy {
  const compiled = compile(modules, opts.strict ?? false)
  return {
    modules,
    query(query, qopts = {}) {
      const body = typeof query === 'string' ? parseQuery(query) : query
      const q = compiled.compileQuery(body)
      const names: [string, string][] = []
      const seen = new Set<string>()
      for (const e of q.body) {
        visitExprVars(
          e,
          (v) => {
            if (isGenerated(v.name) || seen.has(v.name)) return
            seen.add(v.name)
            names.push([v.name, q.vars.get(v.name) ?? displayName(v.name)])
          },
          false,
        )
      }
      const ev = new Evaluator(compiled, qopts)
      const f = new Frame()
      const out: Array<Map<string, Value>> = []
      guard(() => ev.evalBody(q.body, 0, f, () => {
        const m = new Map<string, Value>()
        for (const [n, shown] of names) {
          const v = f.get(n)
          if (v !== undefined) m.set(shown, v)
        }
        out.push(m)
        return false
      }))
      return out
    },
    evalRef(path, qopts = {}) {
      // Evaluated as the ref `data.<path>`: only the rules on that path run.
      const loc = { file: 'evalRef', row: 1, col: 1 }
      const ref: Term = { type: 'ref', head: { type: 'var', name: 'data', loc }, path: path.map((p) => ({ type: 'string', value: p, loc })), loc }
      const ev = new Evaluator(compiled, qopts)
      let out: Value | undefined
      guard(() =>
        ev.evalTerm(ref, new Frame(), (v) => {
          out = v
          return true
        }),
      )
      return out
    },
    tests() {
      const out: Array<{ pkg: string[]; name: string; loc: Location }> = []
      const seen = new Set<string>()
      for (const r of compiled.rules) {
        const name = r.path[r.path.length - 1]
        if (r.kind === 'function' || r.suffix.length > 0 || typeof name !== 'string' || !name.startsWith('test_')) continue
        const pkg = r.rule.module.package
        if (r.path.length !== pkg.length + 1) continue
        const key = r.path.join('.')
        if (seen.has(key)) continue
        seen.add(key)
        out.push({ pkg, name, loc: r.loc })
      }
      return out
    },
  }
}

/** Evaluation failures other than Rego's own errors (e.g. a stack overflow) become eval_internal_error. */
function guard<T>(fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    if (e instanceof RegoError || e instanceof RegoErrors) throw e
    const msg = e instanceof RangeError ? 'evaluation too deep (stack exhausted); simplify the policy or its input' : `evaluation failed: ${e instanceof Error ? e.message : String(e)}`
    throw new RegoError('eval_internal_error', msg, undefined, { cause: e })
  }
}

export { parseModule, parseQuery, parseTerm } from './parser.js'
