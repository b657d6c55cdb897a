/**
 * Builtins that belong to the evaluator rather than the library: membership (`in`), the `walk`
 * relation, and the signatures of the ones the evaluator implements itself because they need
 * its state (`print`, `rego.metadata.rule`, `rego.metadata.chain`, `opa.runtime`).
 */
import { BuiltinError, type BuiltinDef } from './builtins/types.js'
import { equals, RegoObject, RegoSet, type Value } from './value.js'

function member2(x: Value, xs: Value): boolean {
  if (Array.isArray(xs)) return xs.some((v) => equals(v, x))
  if (xs instanceof RegoSet) return xs.has(x)
  if (xs instanceof RegoObject) return xs.values().some((v) => equals(v, x))
  return false
}

function member3(k: Value, v: Value, xs: Value): boolean {
  if (Array.isArray(xs)) {
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k >= xs.length) return false
    return equals(xs[k], v)
  }
  if (xs instanceof RegoObject) {
    const got = xs.get(k)
    return got !== undefined && equals(got, v)
  }
  return false
}

/** Every [path, value] pair of a document, the document itself first (OPA's order). */
export function walkPairs(x: Value): Value[] {
  const out: Value[] = []
  const visit = (path: Value[], v: Value) => {
    out.push([path, v])
    if (Array.isArray(v)) v.forEach((c, i) => visit([...path, i], c))
    else if (v instanceof RegoObject) for (const [k, c] of v.entries()) visit([...path, k], c)
    else if (v instanceof RegoSet) for (const c of v.values()) visit([...path, c], c)
  }
  visit([], x)
  return out
}

function sandboxed(name: string): BuiltinDef['impl'] {
  return () => {
    throw new BuiltinError(`${name} is not available: change-gate evaluates policies without network access; mock it with \`with ${name} as ...\` in tests`)
  }
}

export const EVAL_BUILTINS: ReadonlyMap<string, BuiltinDef> = new Map(
  (
    [
      { name: 'internal.member_2', args: ['any', 'any'], result: 'boolean', impl: (a) => member2(a[0], a[1]) },
      { name: 'internal.member_3', args: ['any', 'any', 'any'], result: 'boolean', impl: (a) => member3(a[0], a[1], a[2]) },
      { name: 'walk', args: ['any'], result: 'array[any]', relation: true, impl: (a) => walkPairs(a[0]) },
      // Implemented inside the evaluator (they need its state); listed for arity checks.
      { name: 'print', args: [], result: 'boolean', impl: () => true },
      { name: 'internal.print', args: ['array[any]'], result: 'boolean', impl: () => true },
      { name: 'rego.metadata.rule', args: [], result: 'any', impl: () => undefined },
      { name: 'rego.metadata.chain', args: [], result: 'array[any]', impl: () => undefined },
      // Known to OPA but never offered: policies are sandboxed. Declared so that policies
      // (and their tests, which mock them with `with`) compile.
      {
        name: 'http.send',
        args: ['object'],
        result: 'object',
        impl: (a, ctx) => {
          // Validate the request as OPA does before refusing it, so mistakes surface the same way.
          const req = a[0]
          if (req instanceof RegoObject) {
            const missing = ['method', 'url'].filter((k) => !req.has(k))
            if (missing.length > 0) throw new BuiltinError(`missing required request parameters(s): {${missing.map((k) => JSON.stringify(k)).join(', ')}}`, 'eval_type_error')
          }
          return sandboxed('http.send')(a, ctx)
        },
      },
      { name: 'net.lookup_ip_addr', args: ['string'], result: 'set[string]', impl: sandboxed('net.lookup_ip_addr') },
      { name: 'opa.runtime', args: [], result: 'object', impl: () => new RegoObject() },
    ] satisfies BuiltinDef[]
  ).map((b) => [b.name, b]),
)
