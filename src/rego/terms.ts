/**
 * Small helpers over AST terms shared by the compiler and the evaluator: constructors,
 * variable collection, and ground-constant folding.
 */
import type { Body, Expr, Location, Term, VarTerm } from './ast.js'
import { RegoObject, RegoSet, type Value } from './value.js'

export function varTerm(name: string, loc: Location): VarTerm {
  return { type: 'var', name, loc }
}

export function strTerm(value: string, loc: Location): Term {
  return { type: 'string', value, loc }
}

/** `data`, `input` and generated names are not user variables. */
export function isGenerated(name: string): boolean {
  return name.startsWith('$')
}

/** The name a user wrote: renamed locals carry a `$n` suffix. */
export function displayName(name: string): string {
  if (name.startsWith('$_')) return '_'
  const i = name.indexOf('$')
  return i > 0 ? name.slice(0, i) : name
}

export const ROOTS = new Set(['data', 'input'])

export function isClosure(t: Term): boolean {
  return t.type === 'arraycomp' || t.type === 'setcomp' || t.type === 'objectcomp'
}

/**
 * Visits every var in a term. Closures (comprehensions) are entered only when `closures` is
 * true; ref heads `data`/`input` are never reported.
 */
export function visitVars(t: Term, fn: (v: VarTerm) => void, closures: boolean): void {
  switch (t.type) {
    case 'var':
      if (!ROOTS.has(t.name)) fn(t)
      return
    case 'ref':
      visitVars(t.head, fn, closures)
      for (const p of t.path) visitVars(p, fn, closures)
      return
    case 'array':
    case 'set':
      for (const x of t.items) visitVars(x, fn, closures)
      return
    case 'object':
      for (const [k, v] of t.items) {
        visitVars(k, fn, closures)
        visitVars(v, fn, closures)
      }
      return
    case 'call':
      for (const a of t.args) visitVars(a, fn, closures)
      return
    case 'template':
      for (const p of t.parts) if (typeof p !== 'string') visitVars(p, fn, closures)
      return
    case 'arraycomp':
    case 'setcomp':
      if (!closures) return
      visitVars(t.term, fn, true)
      visitBodyVars(t.body, fn)
      return
    case 'objectcomp':
      if (!closures) return
      visitVars(t.key, fn, true)
      visitVars(t.value, fn, true)
      visitBodyVars(t.body, fn)
      return
    default:
      return
  }
}

export function visitBodyVars(body: Body, fn: (v: VarTerm) => void): void {
  for (const e of body) visitExprVars(e, fn, true)
}

export function visitExprVars(e: Expr, fn: (v: VarTerm) => void, closures: boolean): void {
  switch (e.kind) {
    case 'term':
      visitVars(e.term, fn, closures)
      break
    case 'unify':
    case 'assign':
      visitVars(e.left, fn, closures)
      visitVars(e.right, fn, closures)
      break
    case 'some':
      for (const v of e.vars) fn(v)
      break
    case 'somein':
      if (e.key) visitVars(e.key, fn, closures)
      visitVars(e.value, fn, closures)
      visitVars(e.collection, fn, closures)
      break
    case 'every':
      if (e.key) visitVars(e.key, fn, closures)
      visitVars(e.value, fn, closures)
      visitVars(e.domain, fn, closures)
      if (closures) visitBodyVars(e.body, fn)
      break
  }
  for (const w of e.with) {
    visitVars(w.value, fn, closures)
  }
}

export function termVars(t: Term, closures = false): Set<string> {
  const s = new Set<string>()
  visitVars(t, (v) => s.add(v.name), closures)
  return s
}

/** The value of a term without variables, refs or calls, or undefined if it has any. */
export function constValue(t: Term): Value | undefined {
  switch (t.type) {
    case 'null':
      return null
    case 'boolean':
    case 'number':
    case 'string':
      return t.value
    case 'array': {
      const out: Value[] = []
      for (const x of t.items) {
        const v = constValue(x)
        if (v === undefined) return undefined
        out.push(v)
      }
      return out
    }
    case 'set': {
      const out = new RegoSet()
      for (const x of t.items) {
        const v = constValue(x)
        if (v === undefined) return undefined
        out.add(v)
      }
      return out
    }
    case 'object': {
      const out = new RegoObject()
      for (const [k, x] of t.items) {
        const kv = constValue(k)
        const vv = constValue(x)
        if (kv === undefined || vv === undefined) return undefined
        out.set(kv, vv)
      }
      return out
    }
    default:
      return undefined
  }
}

/** The dotted form of a var or a ref with string operands (`time.now_ns`, `data.a.b`), else undefined. */
export function dottedName(t: Term): string | undefined {
  if (t.type === 'var') return t.name
  if (t.type !== 'ref' || t.head.type !== 'var') return undefined
  let s = t.head.name
  for (const p of t.path) {
    if (p.type !== 'string') return undefined
    s += '.' + p.value
  }
  return s
}
