/** What the evaluator tests share: compile sources, run a query as JSON bindings, catch an error. */
import { compileModules, parseModule } from '../../src/rego/index.js'
import { RegoErrors, type RegoError } from '../../src/rego/errors.js'
import { fromJSON, toJSON } from '../../src/rego/value.js'

export function policy(...sources: string[]) {
  return compileModules(sources.map((s, i) => parseModule(`m${i}.rego`, s)))
}

export interface RunOptions {
  input?: unknown
  data?: unknown
  strict?: boolean
  print?: (line: string) => void
}

/** Every result of `query` over the sources, each as { variable: JSON value }. */
export function run(src: string | string[], query: string, opts: RunOptions = {}) {
  return policy(...(Array.isArray(src) ? src : [src]))
    .query(query, {
      input: opts.input === undefined ? undefined : fromJSON(opts.input),
      data: opts.data === undefined ? undefined : fromJSON(opts.data),
      strictBuiltinErrors: opts.strict,
      print: opts.print,
    })
    .map((m) => Object.fromEntries([...m].map(([k, v]) => [k, toJSON(v)])))
}

/** The (first) Rego error `fn` throws; fails when it throws none. */
export function errorOf(fn: () => unknown): RegoError {
  try {
    fn()
  } catch (e) {
    if (e instanceof RegoErrors) return e.errors[0]
    return e as RegoError
  }
  throw new Error('expected an error')
}
