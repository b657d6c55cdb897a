/**
 * The top-down evaluator: OPA's semantics over the compiled rule tree.
 *
 * Evaluation is continuation-passing: every generator (`evalTerm`, `unify`, `evalBody`) calls
 * its continuation once per solution and returns `true` when the continuation asked to stop
 * (used by `not`, `every`, existence checks and constant-valued rules). Variable bindings live
 * in a frame with an undo trail, so backtracking is cheap and nothing is deep-copied.
 * Terms and expressions with at most one solution (most of them) take a direct path without
 * continuations (`direct`, `directExpr`); they fall back to the general path when they meet an
 * unbound variable or a relation.
 *
 * Documents under `data` are the rule tree merged with the base data; each node's value is
 * computed once per query (and once per `with` scope).
 */
import type { Annotation, Body, CallTerm, Expr, Location, Term } from './ast.js'
import { BUILTINS } from './builtins/index.js'
import { BuiltinError, type BuiltinContext, type BuiltinDef } from './builtins/types.js'
import { EVAL_BUILTINS } from './builtins-eval.js'
import { isFnMarker, type CompiledModules, type CRule, type DocNode } from './compiler.js'
import { RegoError } from './errors.js'
import { constValue } from './terms.js'
import { equals, formatValue, keyOf, RegoObject, RegoSet, type Value } from './value.js'

type K = () => boolean
type KV = (v: Value) => boolean

export interface EvalOptions {
  /** Absent means `input` is undefined. */
  input?: Value
  /** Base documents (an object), merged with the rules' virtual documents. */
  data?: Value
  /** `time.now_ns()`; default: the real clock, fixed per query. */
  nowNs?: bigint
  /** Builtin errors raise instead of making the expression undefined. */
  strictBuiltinErrors?: boolean
  print?: (line: string) => void
  /** Wall-clock limit for one query (default 60 s); beyond it evaluation stops with eval_cancel_error. */
  timeoutMs?: number
}

/** A policy that runs away (deep loops over large ranges) must not hold a CI job for hours. */
export const DEFAULT_TIMEOUT_MS = 60_000

/** Variable bindings of one rule evaluation, with an undo trail for backtracking. */
export class Frame {
  private readonly vals = new Map<string, Value>()
  private readonly trail: string[] = []
  constructor(readonly rule?: CRule) {}
  get(name: string): Value | undefined {
    return this.vals.get(name)
  }
  bind(name: string, v: Value): void {
    this.vals.set(name, v)
    this.trail.push(name)
  }
  mark(): number {
    return this.trail.length
  }
  undo(mark: number): void {
    while (this.trail.length > mark) this.vals.delete(this.trail.pop() as string)
  }
}

type Replacement = { fn: string } | { value: Value }

interface State {
  input: Value | undefined
  data: Value
  /** Paths replaced by `with data.…`: rules at or below them are masked. */
  overrides: Value[][]
  fnOverrides: Map<string, Replacement> | undefined
  cache: Map<DocNode, Value | undefined>
  fnCache: Map<DocNode, Map<unknown, unknown>>
  /** The same scope with function mocks lifted, for evaluating a mock's own body. */
  unmocked?: State
}

const NONCONST = Symbol('nonconst')
/** Returned by the direct evaluator when a term needs backtracking (an unbound var, a relation). */
const CPS = Symbol('cps')

const SPECIAL_CALLS = new Set(['print', 'internal.print', 'rego.metadata.rule', 'rego.metadata.chain'])

interface CallInfo {
  def?: BuiltinDef
  node?: DocNode
  /** Number of parameters. */
  arity: number
  /** Needs the evaluator's state or iterates: always through the CPS path. */
  special: boolean
}
const CALL_INFO = Symbol('callInfo')
const DATA_START = Symbol('dataStart')
const ROOT_NAMES = new Set(['input', 'data'])
const CONST = Symbol('const')

/** A term's constant value (cached on the term), or NONCONST. */
function constOf(t: Term): Value | typeof NONCONST {
  const holder = t as unknown as Record<symbol, Value | typeof NONCONST | undefined>
  let c = holder[CONST]
  if (c === undefined) {
    c = constValue(t) ?? NONCONST
    holder[CONST] = c
  }
  return c
}

function lookup(v: Value, key: Value): Value | undefined {
  if (Array.isArray(v)) {
    if (typeof key !== 'number' || !Number.isInteger(key) || key < 0 || key >= v.length) return undefined
    return v[key]
  }
  if (v instanceof RegoObject) return v.get(key)
  if (v instanceof RegoSet) return v.has(key) ? key : undefined
  return undefined
}

/** Calls fn for each [key, value] of a collection; stops when fn returns true. */
/** Base documents come from JSON, whose keys are strings: `data.x[2]` finds key "2", as in OPA. */
function lookupBase(v: Value, key: Value): Value | undefined {
  const x = lookup(v, key)
  if (x === undefined && v instanceof RegoObject && (typeof key === 'number' || typeof key === 'boolean')) return v.get(formatValue(key))
  return x
}

const chains = new WeakMap<CRule, Value>()

/** Constant parameters of a function definition (`f("bot", x)`), to skip it without a frame. */
const constParams = new WeakMap<CRule, [number, Value][]>()
function constParamsMatch(r: CRule, args: Value[]): boolean {
  let cps = constParams.get(r)
  if (!cps) {
    cps = []
    const params = r.args ?? []
    for (let i = 0; i < params.length; i++) {
      const c = constOf(params[i])
      if (c !== NONCONST) cps.push([i, c])
    }
    constParams.set(r, cps)
  }
  for (const [i, c] of cps) if (!equals(c, args[i])) return false
  return true
}
const MEMO_LIMIT = 20000

/**
 * True when every rule of a group yields the same constant (`p if ...` rules, `f(x) if ...`):
 * once one holds, the others cannot conflict, so they need not run (OPA's early exit).
 */
const uniform = new WeakMap<CRule[], boolean>()
function sameConstant(rules: CRule[]): boolean {
  let u = uniform.get(rules)
  if (u === undefined) {
    const first = rules[0] ? constOf(rules[0].value) : NONCONST
    u = first !== NONCONST && rules.every((r) => r.else === undefined && constOf(r.value) !== NONCONST && equals(constOf(r.value) as Value, first))
    uniform.set(rules, u)
  }
  return u
}

function forEachEntry(v: Value, fn: (k: Value, x: Value) => boolean): boolean {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (fn(i, v[i])) return true
  } else if (v instanceof RegoObject) {
    for (const [k, x] of v.entries()) if (fn(k, x)) return true
  } else if (v instanceof RegoSet) {
    for (const x of v.values()) if (fn(x, x)) return true
  }
  return false
}

function conflict(msg: string, loc?: Location): RegoError {
  return new RegoError('eval_conflict_error', msg, loc)
}

function setPath(root: Value | undefined, path: Value[], v: Value): Value {
  if (path.length === 0) return v
  const obj = root instanceof RegoObject ? new RegoObject(root.entries()) : new RegoObject()
  obj.set(path[0], setPath(obj.get(path[0]), path.slice(1), v))
  return obj
}

function isPrefix(prefix: Value[], path: Value[]): boolean {
  if (prefix.length > path.length) return false
  for (let i = 0; i < prefix.length; i++) if (keyOf(prefix[i]) !== keyOf(path[i])) return false
  return true
}

function annotationValue(a: Annotation): RegoObject {
  const o = new RegoObject()
  o.set('scope', a.scope)
  if (a.title !== undefined) o.set('title', a.title)
  if (a.description !== undefined) o.set('description', a.description)
  if (a.entrypoint !== undefined) o.set('entrypoint', a.entrypoint)
  const conv = (x: unknown): Value => {
    if (x === null || x === undefined) return null
    if (Array.isArray(x)) return x.map(conv)
    if (typeof x === 'object') {
      const r = new RegoObject()
      for (const [k, v] of Object.entries(x as Record<string, unknown>)) if (v !== undefined) r.set(k, conv(v))
      return r
    }
    return x as Value
  }
  if (a.organizations) o.set('organizations', conv(a.organizations))
  if (a.related_resources) o.set('related_resources', conv(a.related_resources))
  if (a.authors) o.set('authors', conv(a.authors))
  if (a.schemas) o.set('schemas', conv(a.schemas))
  if (a.custom) o.set('custom', conv(a.custom))
  return o
}

export class Evaluator {
  state: State
  readonly ctx: BuiltinContext
  private readonly strict: boolean
  private readonly printer: (line: string) => void
  private readonly fnNodes = new Map<string, DocNode | null>()
  private readonly relations = new Map<string, WeakMap<object, Value | null>>()
  /** Nodes being computed: meeting one again is recursion the compiler could not see (dynamic refs). */
  private readonly inProgress = new Set<DocNode>()
  private memoEntries = 0
  private steps = 0
  private readonly timeoutMs: number
  private readonly deadline: number
  /** The base documents as given, before any `with data` replacement. */
  private readonly baseData: Value

  constructor(
    readonly compiled: CompiledModules,
    opts: EvalOptions,
  ) {
    const data = opts.data ?? new RegoObject()
    this.baseData = data
    this.state = { input: opts.input, data, overrides: [], fnOverrides: undefined, cache: new Map(), fnCache: new Map() }
    const nowNs = opts.nowNs ?? BigInt(Date.now()) * 1_000_000n
    this.ctx = { nowNs, cache: new Map(), random: Math.random }
    this.strict = opts.strictBuiltinErrors ?? false
    this.printer = opts.print ?? ((line) => process.stderr.write(line + '\n'))
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.deadline = Date.now() + this.timeoutMs
  }

  // ------------------------------------------------------------------ bodies

  evalBody(body: Body, i: number, f: Frame, k: K): boolean {
    // Expressions with at most one solution run inline (no continuation); the first one that
    // may iterate hands the rest of the body over as its continuation.
    if (++this.steps > 0xffff) this.checkDeadline(body[i]?.loc)
    const mark = f.mark()
    for (; i < body.length; i++) {
      const e = body[i]
      if (e.with.length === 0) {
        const r = this.directExpr(e, f)
        if (r === true) continue
        if (r === false) {
          f.undo(mark)
          return false
        }
      }
      const j = i
      const out = this.evalExpr(e, f, () => this.evalBody(body, j + 1, f, k))
      f.undo(mark)
      return out
    }
    const out = k()
    f.undo(mark)
    return out
  }

  private checkDeadline(loc: Location | undefined): void {
    this.steps = 0
    if (Date.now() > this.deadline) {
      throw new RegoError('eval_cancel_error', `evaluation stopped after ${this.timeoutMs} ms (time limit); the policy loops too long over its input — simplify it or raise the limit`, loc)
    }
  }

  /** Runs an expression that has at most one solution; CPS when it may have more. */
  private directExpr(e: Expr, f: Frame): boolean | typeof CPS {
    switch (e.kind) {
      case 'term': {
        const v = this.direct(e.term, f)
        if (v === CPS) return CPS
        const holds = v !== undefined && v !== false
        return e.negated ? !holds : holds
      }
      case 'assign':
      case 'unify': {
        if (e.negated) return CPS
        const { left, right } = e
        if (left.type === 'var' && !ROOT_NAMES.has(left.name) && f.get(left.name) === undefined) {
          const v = this.direct(right, f)
          if (v === CPS) return CPS
          if (v === undefined) return false
          f.bind(left.name, v)
          return true
        }
        if (right.type === 'var' && !ROOT_NAMES.has(right.name) && f.get(right.name) === undefined) {
          const v = this.direct(left, f)
          if (v === CPS) return CPS
          if (v === undefined) return false
          f.bind(right.name, v)
          return true
        }
        if (this.needsIteration(left, f) || this.needsIteration(right, f)) return CPS
        const a = this.direct(left, f)
        if (a === CPS) return CPS
        if (a === undefined) return false
        const b = this.direct(right, f)
        if (b === CPS) return CPS
        if (b === undefined) return false
        return equals(a, b)
      }
      default:
        return CPS
    }
  }

  evalExpr(e: Expr, f: Frame, k: K): boolean {
    if (e.with.length > 0) return this.evalWith(e, f, k)
    return this.evalExprNoWith(e, f, k)
  }

  private evalExprNoWith(e: Expr, f: Frame, k: K): boolean {
    if (e.negated) {
      const found = this.evalExprInner(e, f, () => true)
      return found ? false : k()
    }
    return this.evalExprInner(e, f, k)
  }

  private evalExprInner(e: Expr, f: Frame, k: K): boolean {
    switch (e.kind) {
      case 'term': {
        const t = e.term
        if (t.type === 'call' && !isFnMarker(t)) {
          const arity = this.callInfo(t).arity
          if (arity >= 0 && t.args.length === arity + 1) {
            const out = t.args[arity]
            return this.evalCall(t.fn, t.args.slice(0, arity), t.loc, f, (v) => this.unifyValue(out, v, f, k))
          }
        }
        return this.evalTerm(t, f, (v) => (v !== false ? k() : false))
      }
      case 'unify':
      case 'assign':
        return this.unify(e.left, e.right, f, k)
      case 'somein':
        return this.evalTerm(e.collection, f, (coll) =>
          forEachEntry(coll, (key, val) => {
            if (e.key) return this.unifyValue(e.key, key, f, () => this.unifyValue(e.value, val, f, k))
            return this.unifyValue(e.value, val, f, k)
          }),
        )
      case 'every':
        return this.evalTerm(e.domain, f, (dom) => {
          if (!(Array.isArray(dom) || dom instanceof RegoObject || dom instanceof RegoSet)) return false
          const allHold = !forEachEntry(dom, (key, val) => {
            const holds = (e.key ? this.unifyValue(e.key, key, f, () => this.unifyValue(e.value, val, f, () => this.evalBody(e.body, 0, f, () => true))) : this.unifyValue(e.value, val, f, () => this.evalBody(e.body, 0, f, () => true)))
            return !holds
          })
          return allHold ? k() : false
        })
      case 'some':
        return k()
    }
  }

  private evalWith(e: Expr, f: Frame, k: K): boolean {
    // Evaluate every `with` value in the outer scope first.
    const repls: { target: Term; value: Replacement }[] = []
    const collect = (i: number, done: () => boolean): boolean => {
      if (i === e.with.length) return done()
      const w = e.with[i]
      if (isFnMarker(w.value)) {
        repls.push({ target: w.target, value: { fn: (w.value as CallTerm).fn } })
        return collect(i + 1, done)
      }
      return this.evalTerm(w.value, f, (v) => {
        repls.push({ target: w.target, value: { value: v } })
        const r = collect(i + 1, done)
        repls.pop()
        return r
      })
    }
    return collect(0, () => {
      const saved = this.state
      const next: State = { ...saved, cache: new Map(), fnCache: new Map(), unmocked: undefined }
      for (const { target, value } of repls) {
        if (isFnMarker(target)) {
          next.fnOverrides = new Map(next.fnOverrides ?? [])
          next.fnOverrides.set((target as CallTerm).fn, value)
          continue
        }
        const v = 'value' in value ? value.value : null
        if (target.type === 'var' && target.name === 'input') next.input = v
        else if (target.type === 'var' && target.name === 'data') {
          next.data = v
          next.overrides = [...next.overrides, []]
        } else if (target.type === 'ref' && target.head.type === 'var') {
          const path = target.path.map((p) => constOf(p) as Value)
          if (target.head.name === 'input') next.input = setPath(next.input, path, v)
          else {
            next.data = setPath(next.data, path, v)
            next.overrides = [...next.overrides, path]
          }
        }
      }
      this.state = next
      try {
        return this.evalExprNoWith(e, f, () => {
          const inner = this.state
          this.state = saved
          try {
            return k()
          } finally {
            this.state = inner
          }
        })
      } finally {
        this.state = saved
      }
    })
  }

  // ------------------------------------------------------------------ terms

  /** Resolves a call's target once (builtin definition or function node). */
  private callInfo(t: CallTerm): CallInfo {
    const cached = (t as unknown as Record<symbol, CallInfo>)[CALL_INFO]
    if (cached) return cached
    let info: CallInfo
    if (t.fn.startsWith('data.')) {
      const node = this.fnNode(t.fn)
      info = { node, special: node === undefined, arity: (node?.functions[0] ?? node?.defaultRule)?.args?.length ?? -1 }
    } else {
      const def = EVAL_BUILTINS.get(t.fn) ?? BUILTINS.get(t.fn)
      info = { def, special: def === undefined || SPECIAL_CALLS.has(t.fn) || def.relation === true, arity: t.fn === 'print' ? -1 : (def?.args.length ?? -1) }
    }
    ;(t as unknown as Record<symbol, CallInfo>)[CALL_INFO] = info
    return info
  }

  /**
   * Evaluates a term that has at most one value without continuations: the fast path for the
   * common case. Returns the value, undefined, or CPS when the term must iterate.
   */
  private direct(t: Term, f: Frame): Value | undefined | typeof CPS {
    switch (t.type) {
      case 'null':
        return null
      case 'boolean':
      case 'number':
      case 'string':
        return t.value
      case 'var': {
        if (t.name === 'input') return this.state.input
        if (t.name === 'data') return this.nodeValue(this.compiled.root)
        const v = f.get(t.name)
        return v === undefined ? CPS : v
      }
      case 'ref':
        return this.directRef(t, f)
      case 'array': {
        const c = constOf(t)
        if (c !== NONCONST) return c
        const out = new Array<Value>(t.items.length)
        for (let i = 0; i < t.items.length; i++) {
          const v = this.direct(t.items[i], f)
          if (v === undefined || v === CPS) return v
          out[i] = v
        }
        return out
      }
      case 'set': {
        const c = constOf(t)
        if (c !== NONCONST) return c
        const out = new RegoSet()
        for (const x of t.items) {
          const v = this.direct(x, f)
          if (v === undefined || v === CPS) return v
          out.add(v)
        }
        return out
      }
      case 'object': {
        const c = constOf(t)
        if (c !== NONCONST) return c
        const out = new RegoObject()
        for (const [kt, vt] of t.items) {
          const kv = this.direct(kt, f)
          if (kv === undefined || kv === CPS) return kv
          const vv = this.direct(vt, f)
          if (vv === undefined || vv === CPS) return vv
          out.set(kv, vv)
        }
        return out
      }
      case 'call': {
        if (isFnMarker(t)) return CPS
        const info = this.callInfo(t)
        if (info.special || (this.state.fnOverrides && this.state.fnOverrides.has(t.fn))) return CPS
        if (t.args.length !== info.arity) return CPS
        const vals = new Array<Value>(t.args.length)
        for (let i = 0; i < t.args.length; i++) {
          const v = this.direct(t.args[i], f)
          if (v === undefined || v === CPS) return v
          vals[i] = v
        }
        return info.node ? this.callFunction(info.node, vals, t.loc) : this.callBuiltin(info.def as BuiltinDef, vals, t.loc)
      }
      default:
        return CPS
    }
  }

  /** The rule-tree node a `data` ref reaches through its leading constant operands. */
  private dataStart(t: Term & { type: 'ref' }): { node: DocNode; next: number } {
    const holder = t as unknown as Record<symbol, { node: DocNode; next: number } | undefined>
    let start = holder[DATA_START]
    if (!start) {
      let node = this.compiled.root
      let i = 0
      while (i < t.path.length && !node.hasRules() && !node.isFunction()) {
        const p = t.path[i]
        if (p.type !== 'string') break
        const child = node.child(p.value)
        if (!child) break
        node = child
        i++
      }
      holder[DATA_START] = start = { node, next: i }
    }
    return start
  }

  /** A ref operand's key, or CPS when it is unbound or a pattern. */
  private directKey(p: Term, f: Frame): Value | undefined | typeof CPS {
    if (p.type === 'string' || p.type === 'number') return p.value
    if (p.type === 'var') {
      const v = f.get(p.name)
      return v === undefined ? (p.name === 'input' || p.name === 'data' ? this.direct(p, f) : CPS) : v
    }
    return this.direct(p, f)
  }

  private directRef(t: Term & { type: 'ref' }, f: Frame): Value | undefined | typeof CPS {
    const head = t.head
    let v: Value | undefined | typeof CPS
    let base = false
    let i = 0
    if (head.type === 'var' && head.name === 'data') {
      // Walk the rule tree while the operands are ground; the constant prefix of the walk is
      // the same every time, so it is cached on the term (unless `with data` is in effect).
      let node = this.compiled.root
      if (this.state.overrides.length === 0) {
        const start = this.dataStart(t)
        node = start.node
        i = start.next
      }
      for (;;) {
        if (this.masked(node)) {
          v = this.baseAt(node.path)
          base = true
          break
        }
        if (i === t.path.length || node.hasRules() || node.isFunction()) {
          v = this.nodeValue(node)
          break
        }
        const key = this.directKey(t.path[i], f)
        if (key === undefined || key === CPS) return key
        const child = node.child(key)
        i++
        if (child) {
          node = child
          continue
        }
        const b = this.baseAt(node.path)
        v = b === undefined ? undefined : lookupBase(b, key)
        base = true
        break
      }
    } else v = this.direct(head, f)
    if (v === undefined || v === CPS) return v
    for (; i < t.path.length; i++) {
      const key = this.directKey(t.path[i], f)
      if (key === undefined || key === CPS) return key
      v = base ? lookupBase(v, key) : lookup(v, key)
      if (v === undefined) return undefined
    }
    return v
  }

  evalTerm(t: Term, f: Frame, k: KV): boolean {
    if (t.type !== 'arraycomp' && t.type !== 'setcomp' && t.type !== 'objectcomp' && t.type !== 'template') {
      const v = this.direct(t, f)
      if (v !== CPS) return v === undefined ? false : k(v)
    }
    return this.evalTermCPS(t, f, k)
  }

  private evalTermCPS(t: Term, f: Frame, k: KV): boolean {
    switch (t.type) {
      case 'null':
        return k(null)
      case 'boolean':
      case 'number':
      case 'string':
        return k(t.value)
      case 'var': {
        if (t.name === 'input') return this.state.input === undefined ? false : k(this.state.input)
        if (t.name === 'data') {
          const v = this.nodeValue(this.compiled.root)
          return v === undefined ? false : k(v)
        }
        const v = f.get(t.name)
        if (v === undefined) throw new RegoError('eval_internal_error', `var ${t.name} is unbound`, t.loc)
        return k(v)
      }
      case 'ref':
        return this.evalRef(t, f, k)
      case 'array': {
        const c = constOf(t)
        if (c !== NONCONST) return k(c)
        return this.evalTerms(t.items, f, (vals) => k(vals))
      }
      case 'set': {
        const c = constOf(t)
        if (c !== NONCONST) return k(c)
        return this.evalTerms(t.items, f, (vals) => k(new RegoSet(vals)))
      }
      case 'object': {
        const c = constOf(t)
        if (c !== NONCONST) return k(c)
        const flat: Term[] = []
        for (const [a, b] of t.items) flat.push(a, b)
        return this.evalTerms(flat, f, (vals) => {
          const o = new RegoObject()
          for (let i = 0; i < vals.length; i += 2) o.set(vals[i], vals[i + 1])
          return k(o)
        })
      }
      case 'arraycomp': {
        const out: Value[] = []
        this.evalBody(t.body, 0, f, () => this.evalTerm(t.term, f, (v) => (out.push(v), false)))
        return k(out)
      }
      case 'setcomp': {
        const out = new RegoSet()
        this.evalBody(t.body, 0, f, () => this.evalTerm(t.term, f, (v) => (out.add(v), false)))
        return k(out)
      }
      case 'objectcomp': {
        const out = new RegoObject()
        this.evalBody(t.body, 0, f, () =>
          this.evalTerm(t.key, f, (kv) =>
            this.evalTerm(t.value, f, (vv) => {
              const prev = out.get(kv)
              if (prev !== undefined && !equals(prev, vv)) throw conflict('object keys must be unique', t.loc)
              out.set(kv, vv)
              return false
            }),
          ),
        )
        return k(out)
      }
      case 'call':
        if (isFnMarker(t)) throw new RegoError('eval_internal_error', `function ${t.fn} used as a value`, t.loc)
        return this.evalCall(t.fn, t.args, t.loc, f, k)
      case 'template':
        return this.evalTemplate(t.parts, f, k)
    }
  }

  private evalTerms(items: Term[], f: Frame, k: (vals: Value[]) => boolean): boolean {
    const vals = new Array<Value>(items.length)
    // Plain vars go last: refs among the items may bind them (`foo == xs[foo]`).
    let order: number[] | undefined
    if (items.length > 1 && items.some((t) => t.type === 'var')) {
      order = []
      for (let i = 0; i < items.length; i++) if (items[i].type !== 'var') order.push(i)
      for (let i = 0; i < items.length; i++) if (items[i].type === 'var') order.push(i)
    }
    const rec = (j: number): boolean => {
      if (j === items.length) return k(vals.slice())
      const i = order ? order[j] : j
      return this.evalTerm(items[i], f, (v) => {
        vals[i] = v
        return rec(j + 1)
      })
    }
    return rec(0)
  }

  private evalTemplate(parts: (string | Term)[], f: Frame, k: KV): boolean {
    let s = ''
    for (const p of parts) {
      if (typeof p === 'string') {
        s += p
        continue
      }
      const vals: Value[] = []
      this.evalTerm(p, f, (v) => (vals.push(v), false))
      if (vals.length === 0) s += '<undefined>'
      else if (vals.length === 1) s += typeof vals[0] === 'string' ? vals[0] : formatValue(vals[0])
      else s += formatValue(new RegoSet(vals))
    }
    return k(s)
  }

  // ------------------------------------------------------------------ refs

  private evalRef(t: Term & { type: 'ref' }, f: Frame, k: KV): boolean {
    const head = t.head
    if (head.type === 'var') {
      if (head.name === 'data') return this.evalDataPath(this.compiled.root, t.path, 0, f, k)
      if (head.name === 'input') {
        const input = this.state.input
        return input === undefined ? false : this.derefPath(input, t.path, 0, f, k)
      }
      const v = f.get(head.name)
      if (v === undefined) throw new RegoError('eval_internal_error', `var ${head.name} is unbound`, head.loc)
      return this.derefPath(v, t.path, 0, f, k)
    }
    return this.evalTerm(head, f, (v) => this.derefPath(v, t.path, 0, f, k))
  }

  /** True when a ref operand must be iterated (it has unbound vars in pattern positions). */
  private needsIteration(p: Term, f: Frame): boolean {
    switch (p.type) {
      case 'var':
        return p.name !== 'input' && p.name !== 'data' && f.get(p.name) === undefined
      case 'array':
        return p.items.some((x) => this.needsIteration(x, f))
      case 'object':
        return p.items.some(([, x]) => this.needsIteration(x, f))
      default:
        return false
    }
  }

  private derefPath(v: Value, path: Term[], i: number, f: Frame, k: KV, base = false): boolean {
    if (i === path.length) return k(v)
    const p = path[i]
    const get = base ? lookupBase : lookup
    if (p.type === 'string' || p.type === 'number') {
      const x = get(v, p.value)
      return x === undefined ? false : this.derefPath(x, path, i + 1, f, k, base)
    }
    if (p.type === 'var') {
      const b = f.get(p.name)
      if (b !== undefined) {
        const x = get(v, b)
        return x === undefined ? false : this.derefPath(x, path, i + 1, f, k, base)
      }
    }
    if (this.needsIteration(p, f)) {
      return forEachEntry(v, (key, x) => this.unifyValue(p, key, f, () => this.derefPath(x, path, i + 1, f, k, base)))
    }
    return this.evalTerm(p, f, (key) => {
      const x = get(v, key)
      return x === undefined ? false : this.derefPath(x, path, i + 1, f, k, base)
    })
  }

  private masked(node: DocNode): boolean {
    const ov = this.state.overrides
    if (ov.length === 0) return false
    for (const p of ov) if (isPrefix(p, node.path)) return true
    return false
  }

  private baseAt(path: Value[], root: Value = this.state.data): Value | undefined {
    let v: Value | undefined = root
    for (const p of path) {
      if (v === undefined) return undefined
      v = lookup(v, p)
    }
    return v
  }

  private evalDataPath(node: DocNode, path: Term[], i: number, f: Frame, k: KV): boolean {
    if (this.masked(node)) {
      const v = this.baseAt(node.path)
      return v === undefined ? false : this.derefPath(v, path, i, f, k)
    }
    if (i === path.length || node.hasRules() || node.isFunction()) {
      const v = this.nodeValue(node)
      return v === undefined ? false : this.derefPath(v, path, i, f, k)
    }
    const p = path[i]
    if (this.needsIteration(p, f)) {
      const v = this.nodeValue(node)
      return v === undefined ? false : this.derefPath(v, path, i, f, k)
    }
    return this.evalTerm(p, f, (key) => {
      const child = node.child(key)
      if (child) return this.evalDataPath(child, path, i + 1, f, k)
      const base = this.baseAt(node.path)
      const x = base === undefined ? undefined : lookupBase(base, key)
      return x === undefined ? false : this.derefPath(x, path, i + 1, f, k, true)
    })
  }

  /** The full document at a node: base data merged with the rules at and below it. */
  nodeValue(node: DocNode): Value | undefined {
    if (this.masked(node)) return this.baseAt(node.path)
    const cache = this.state.cache
    if (cache.has(node)) return cache.get(node)
    if (this.inProgress.has(node)) {
      throw new RegoError('rego_recursion_error', `rule ${node.name} is recursive: its value depends on itself`, (node.complete[0] ?? node.sets[0] ?? node.dynamic[0])?.loc)
    }
    this.inProgress.add(node)
    try {
      const v = this.computeNode(node)
      cache.set(node, v)
      return v
    } finally {
      this.inProgress.delete(node)
    }
  }

  private computeNode(node: DocNode): Value | undefined {
    if (node.isFunction()) return undefined
    const base = this.baseAt(node.path)
    if (node.complete.length > 0 || (node.defaultRule && node.defaultRule.kind === 'complete')) {
      // Base data at a rule's path takes precedence over the rule, as in OPA. (Judged on the
      // data as given: objects that `with data.<rule>.<key>` created along its path are not base.)
      if (base !== undefined && (this.state.overrides.length === 0 || this.baseAt(node.path, this.baseData) !== undefined)) return base
      return this.patchOverrides(node, this.evalComplete(node))
    }
    if (node.sets.length > 0) {
      const out = new RegoSet()
      for (const r of node.sets) {
        this.evalRule(r, (f) => this.evalTerm(r.key as Term, f, (v) => (out.add(v), false)))
      }
      return this.patchOverrides(node, out)
    }
    if (node.children.size === 0 && node.dynamic.length === 0 && !node.isPackage) return base
    // An object: base document, then child documents, then dynamic (partial object / ref head) rules.
    const owned = new Set<RegoObject>()
    // Under `with data…` the replaced values are applied last (patchOverrides), over the data as
    // given, so that a replaced key does not collide with the rules that also produce it.
    const given = this.state.overrides.length === 0 ? base : this.baseAt(node.path, this.baseData)
    const obj = given instanceof RegoObject ? new RegoObject(given.entries()) : new RegoObject()
    owned.add(obj)
    for (const key of node.childKeys) {
      const child = node.child(key) as DocNode
      if (child.isFunction()) continue
      const cv = this.nodeValue(child)
      if (cv !== undefined) obj.set(key, cv)
    }
    for (const r of node.dynamic) {
      const terms = r.kind === 'set' ? [...r.suffix, r.key as Term] : [...r.suffix, r.value]
      this.evalRule(r, (f) =>
        this.evalTerms(terms, f, (vals) => {
          this.insert(obj, vals, r, owned)
          return false
        }),
      )
    }
    return this.patchOverrides(node, obj)
  }

  private insert(obj: RegoObject, vals: Value[], r: CRule, owned: Set<RegoObject>): void {
    const keys = r.kind === 'set' ? vals.slice(0, -1) : vals.slice(0, -1)
    const leaf = vals[vals.length - 1]
    let cur = obj
    for (let i = 0; i < keys.length - 1; i++) {
      const key = keys[i]
      let next = cur.get(key)
      if (next === undefined) {
        next = new RegoObject()
        owned.add(next)
        cur.set(key, next)
      } else if (!(next instanceof RegoObject)) {
        throw conflict('object keys must be unique', r.loc)
      } else if (!owned.has(next)) {
        next = new RegoObject(next.entries())
        owned.add(next)
        cur.set(key, next)
      }
      cur = next
    }
    const last = keys[keys.length - 1]
    const prev = cur.get(last)
    if (r.kind === 'set') {
      if (prev === undefined) {
        cur.set(last, new RegoSet([leaf]))
      } else if (prev instanceof RegoSet) {
        if (!prev.has(leaf)) cur.set(last, new RegoSet([...prev.values(), leaf]))
      } else throw conflict('object keys must be unique', r.loc)
      return
    }
    if (prev !== undefined && !equals(prev, leaf)) throw conflict('object keys must be unique', r.loc)
    cur.set(last, leaf)
  }

  /** `with data.a.b.c as v` below a rule: the rule's value with that part replaced. */
  private patchOverrides(node: DocNode, v: Value | undefined): Value | undefined {
    const ov = this.state.overrides
    if (ov.length === 0 || v === undefined) return v
    let out = v
    for (const p of ov) {
      if (p.length > node.path.length && isPrefix(node.path, p)) out = setPath(out, p.slice(node.path.length), lookup(this.baseAt(p.slice(0, -1)) ?? null, p[p.length - 1]) ?? null)
    }
    return out
  }

  // ------------------------------------------------------------------ rules

  private evalRule(r: CRule, k: (f: Frame) => boolean): boolean {
    const f = new Frame(r)
    return this.evalBody(r.body, 0, f, () => k(f))
  }

  /** A complete rule's value (else chain included), or undefined. */
  private evalRuleChain(rule: CRule, conflictMsg: string, args?: Value[]): Value | undefined {
    for (let r: CRule | undefined = rule; r; r = r.else) {
      const cur = r
      let result: Value | undefined
      const c = constOf(cur.value)
      const onSolution =
        c !== NONCONST
          ? (): boolean => {
              result = c
              return true
            }
          : (): boolean =>
              this.evalTerm(cur.value, f, (v) => {
                if (result !== undefined && !equals(result, v)) throw conflict(conflictMsg, cur.loc)
                result = v
                return false
              })
      const f = new Frame(cur)
      if (args) this.bindParams(cur.args as Term[], args, 0, f, () => this.evalBody(cur.body, 0, f, onSolution))
      else this.evalBody(cur.body, 0, f, onSolution)
      if (result !== undefined) return result
    }
    return undefined
  }

  /** Binds function parameters to arguments: plain vars directly, patterns by unification. */
  private bindParams(params: Term[], args: Value[], i: number, f: Frame, k: K): boolean {
    for (; i < params.length; i++) {
      const p = params[i]
      if (p.type !== 'var') break
      const b = f.get(p.name)
      if (b === undefined) f.bind(p.name, args[i])
      else if (!equals(b, args[i])) return false
    }
    if (i === params.length) return k()
    const j = i
    return this.unifyValue(params[j], args[j], f, () => this.bindParams(params, args, j + 1, f, k))
  }

  private evalComplete(node: DocNode): Value | undefined {
    const msg = 'complete rules must not produce multiple outputs'
    let value: Value | undefined
    const exitEarly = sameConstant(node.complete)
    for (const r of node.complete) {
      const v = this.evalRuleChain(r, msg)
      if (v === undefined) continue
      if (value !== undefined && !equals(value, v)) throw conflict(msg, r.loc)
      value = v
      if (exitEarly) break
    }
    if (value === undefined && node.defaultRule) value = this.evalRuleChain(node.defaultRule, msg)
    return value
  }

  private callFunction(node: DocNode, args: Value[], loc: Location): Value | undefined {
    // Memo per query: one map level per argument, scalars by value, documents by identity (the
    // same input document is passed around by reference; an equal copy merely misses).
    // Memo per query: one map level per argument, scalars by value, documents by identity (the
    // same input document is passed around by reference; an equal copy merely misses). Capped,
    // because calls over thousands of distinct documents gain nothing from it.
    const memo = this.state.fnCache
    let level = memo.get(node)
    if (!level) memo.set(node, (level = new Map()))
    for (let i = 0; i < args.length - 1; i++) {
      let next = level.get(args[i]) as Map<unknown, unknown> | undefined
      if (!next) level.set(args[i], (next = new Map()))
      level = next
    }
    const last = args.length > 0 ? args[args.length - 1] : undefined
    const hit = level.get(last) as { v: Value | undefined } | undefined
    if (hit) return hit.v
    const msg = 'functions must not produce multiple outputs for same inputs'
    let value: Value | undefined
    const exitEarly = sameConstant(node.functions)
    for (const r of node.functions) {
      if (!constParamsMatch(r, args)) continue
      const v = this.evalRuleChain(r, msg, args)
      if (v === undefined) continue
      if (value !== undefined && !equals(value, v)) throw conflict(msg, r.loc)
      value = v
      if (exitEarly) break
    }
    if (value === undefined && node.defaultRule) value = this.evalRuleChain(node.defaultRule, msg, args)
    void loc
    if (this.memoEntries < MEMO_LIMIT) {
      this.memoEntries++
      level.set(last, { v: value })
    }
    return value
  }

  // ------------------------------------------------------------------ calls

  private fnNode(name: string): DocNode | undefined {
    let n = this.fnNodes.get(name)
    if (n === undefined) {
      let node: DocNode | undefined = this.compiled.root
      for (const p of name.split('.').slice(1)) node = node?.child(p)
      n = node && (node.isFunction() || node.defaultRule?.kind === 'function') ? node : null
      this.fnNodes.set(name, n)
    }
    return n ?? undefined
  }



  private evalCall(name: string, args: Term[], loc: Location, f: Frame, k: KV): boolean {
    const repl = this.state.fnOverrides?.get(name)
    if (repl) {
      if ('value' in repl) return this.evalTerms(args, f, () => k(repl.value))
      name = repl.fn
    }
    switch (name) {
      case 'print':
      case 'internal.print':
        return this.evalPrint(args, f, k)
      case 'rego.metadata.rule':
        return k(this.metadataRule(f))
      case 'rego.metadata.chain':
        return k(this.metadataChain(f))
    }
    return this.evalTerms(args, f, (vals) => {
      if (name.startsWith('data.')) {
        const node = this.fnNode(name)
        if (!node) throw new RegoError('eval_internal_error', `function ${name} not found`, loc)
        let v: Value | undefined
        if (repl) {
          // A mock runs without the mocks of its scope: it may call the original builtin.
          const saved = this.state
          this.state = saved.unmocked ??= { ...saved, fnOverrides: undefined, cache: new Map(), fnCache: new Map(), unmocked: undefined }
          try {
            v = this.callFunction(node, vals, loc)
          } finally {
            this.state = saved
          }
        } else v = this.callFunction(node, vals, loc)
        return v === undefined ? false : k(v)
      }
      const def = EVAL_BUILTINS.get(name) ?? BUILTINS.get(name)
      if (!def) throw new RegoError('eval_internal_error', `builtin ${name} not found`, loc)
      let v: Value | undefined
      if (def.relation && vals.length === 1 && vals[0] !== null && typeof vals[0] === 'object') {
        // Relations over the same document (walk(data.x) in several rules) are computed once.
        const doc = vals[0] as object
        let byDef = this.relations.get(def.name)
        if (!byDef) this.relations.set(def.name, (byDef = new WeakMap()))
        v = byDef.get(doc)
        if (v === undefined) byDef.set(doc, (v = this.callBuiltin(def, vals, loc) ?? null))
        if (v === null) return false
      } else v = this.callBuiltin(def, vals, loc)
      if (v === undefined) return false
      if (def.relation) {
        for (const x of v as Value[]) if (k(x)) return true
        return false
      }
      return k(v)
    })
  }

  private callBuiltin(def: BuiltinDef, vals: Value[], loc: Location): Value | undefined {
    let key: string | undefined
    if (def.nondeterministic) {
      key = 'nd:' + def.name + '(' + vals.map(keyOf).join(',')
      if (this.ctx.cache.has(key)) return this.ctx.cache.get(key) as Value | undefined
    }
    let v: Value | undefined
    try {
      v = def.impl(vals, this.ctx)
    } catch (e) {
      if (e instanceof RegoError) throw e
      if (!(e instanceof BuiltinError)) {
        // A defect in a builtin, not a builtin error: never let it pass as "undefined" (a deny
        // rule would silently not fire). Fail closed.
        throw new RegoError('eval_internal_error', `${def.name}: ${e instanceof Error ? e.message : String(e)}`, loc, { cause: e })
      }
      if (this.strict) throw new RegoError(e.code, `${def.name}: ${e.message}`, loc, { cause: e })
      v = undefined
    }
    if (key !== undefined) this.ctx.cache.set(key, v)
    return v
  }

  private evalPrint(args: Term[], f: Frame, k: KV): boolean {
    const parts: string[] = []
    for (const a of args) {
      const vals: Value[] = []
      this.evalTerm(a, f, (v) => (vals.push(v), false))
      if (vals.length === 0) parts.push('<undefined>')
      else {
        const v = vals.length === 1 ? vals[0] : new RegoSet(vals)
        parts.push(typeof v === 'string' ? v : formatValue(v))
      }
    }
    this.printer(parts.join(' '))
    return k(true)
  }

  private metadataRule(f: Frame): Value {
    const r = f.rule
    if (!r) return new RegoObject()
    const a = r.rule.annotations.find((x) => x.scope === 'rule')
    return a ? annotationValue(a) : new RegoObject()
  }

  private metadataChain(f: Frame): Value {
    const r = f.rule
    if (!r) return []
    let chain = chains.get(r)
    if (chain === undefined) chains.set(r, (chain = this.buildChain(r)))
    return chain
  }

  private buildChain(r: CRule): Value {
    const out: Value[] = []
    const entry = (path: Value[], a?: Annotation) => {
      const o = new RegoObject()
      o.set('path', [...path]) // OPA drops the leading `data`
      if (a) o.set('annotations', annotationValue(a))
      out.push(o)
    }
    const ruleAnn = r.rule.annotations.find((x) => x.scope === 'rule')
    entry(r.path, ruleAnn)
    const docAnn = this.compiled.rules.filter((x) => isPrefix(x.path, r.path) && x.path.length === r.path.length).flatMap((x) => x.rule.annotations.filter((a) => a.scope === 'document'))
    if (docAnn[0]) entry(r.path, docAnn[0])
    const pkg = r.rule.module.package
    for (const m of this.compiled.modules) {
      if (m.package.join('.') !== pkg.join('.')) continue
      for (const a of m.annotations) if (a.scope === 'package') entry(pkg, a)
    }
    for (let n = pkg.length; n >= 0; n--) {
      const sub = pkg.slice(0, n)
      for (const m of this.compiled.modules) {
        if (m.package.join('.') !== sub.join('.')) continue
        for (const a of m.annotations) if (a.scope === 'subpackages') entry(sub, a)
      }
    }
    return out
  }

  // ------------------------------------------------------------------ unification

  private unboundVar(t: Term, f: Frame): boolean {
    return t.type === 'var' && t.name !== 'input' && t.name !== 'data' && f.get(t.name) === undefined
  }

  unify(a: Term, b: Term, f: Frame, k: K): boolean {
    if (this.unboundVar(a, f)) {
      if (this.unboundVar(b, f)) throw new RegoError('eval_internal_error', `cannot unify two unbound vars`, a.loc)
      return this.evalTerm(b, f, (v) => this.unifyValue(a, v, f, k))
    }
    if (this.unboundVar(b, f)) return this.evalTerm(a, f, (v) => this.unifyValue(b, v, f, k))
    if (a.type === 'array' && b.type === 'array') {
      if (a.items.length !== b.items.length) return false
      return this.unifyPairs(a.items.map((x, i) => [x, b.items[i]] as [Term, Term]), f, k)
    }
    if (a.type === 'object' && b.type === 'object' && (this.needsIteration(a, f) || this.needsIteration(b, f))) {
      if (a.items.length !== b.items.length) return false
      const pairs: [Term, Term][] = []
      for (const [ka, va] of a.items) {
        const kv = constOf(ka)
        const match = kv === NONCONST ? undefined : b.items.find(([kb]) => {
          const x = constOf(kb)
          return x !== NONCONST && equals(x, kv)
        })
        if (!match) return this.evalTerm(a, f, (v) => this.unifyValue(b, v, f, k))
        pairs.push([va, match[1]])
      }
      return this.unifyPairs(pairs, f, k)
    }
    if (this.needsIteration(a, f)) return this.evalTerm(b, f, (v) => this.unifyValue(a, v, f, k))
    if (this.needsIteration(b, f)) return this.evalTerm(a, f, (v) => this.unifyValue(b, v, f, k))
    return this.evalTerm(a, f, (va) => this.evalTerm(b, f, (vb) => (equals(va, vb) ? k() : false)))
  }

  private unifyPairs(pairs: [Term, Term][], f: Frame, k: K): boolean {
    if (pairs.length === 0) return k()
    // Prefer a pair with one side ground; pairs with unbound vars on both sides wait until the
    // other pairs have bound them (`[[x], y] = [[y], 1]`).
    let j = pairs.findIndex(([x, y]) => !(this.needsIteration(x, f) && this.needsIteration(y, f)))
    if (j < 0) j = pairs.findIndex(([x, y]) => !(this.unboundVar(x, f) && this.unboundVar(y, f)))
    if (j < 0) throw new RegoError('eval_internal_error', 'cannot unify unbound vars', pairs[0][0].loc)
    const [x, y] = pairs[j]
    const rest = pairs.slice(0, j).concat(pairs.slice(j + 1))
    return this.unify(x, y, f, () => this.unifyPairs(rest, f, k))
  }

  unifyValue(t: Term, v: Value, f: Frame, k: K): boolean {
    switch (t.type) {
      case 'var': {
        if (t.name === 'input' || t.name === 'data') return this.evalTerm(t, f, (x) => (equals(x, v) ? k() : false))
        const b = f.get(t.name)
        if (b !== undefined) return equals(b, v) ? k() : false
        const m = f.mark()
        f.bind(t.name, v)
        const r = k()
        f.undo(m)
        return r
      }
      case 'array': {
        if (!Array.isArray(v) || v.length !== t.items.length) return false
        const c = constOf(t)
        if (c !== NONCONST) return equals(c, v) ? k() : false
        const rec = (i: number): boolean => (i === v.length ? k() : this.unifyValue(t.items[i], v[i], f, () => rec(i + 1)))
        return rec(0)
      }
      case 'object': {
        if (!(v instanceof RegoObject) || v.size !== t.items.length) return false
        const c = constOf(t)
        if (c !== NONCONST) return equals(c, v) ? k() : false
        const rec = (i: number): boolean => {
          if (i === t.items.length) return k()
          const [kt, vt] = t.items[i]
          return this.evalTerm(kt, f, (kv) => {
            const x = v.get(kv)
            return x === undefined ? false : this.unifyValue(vt, x, f, () => rec(i + 1))
          })
        }
        return rec(0)
      }
      case 'string':
      case 'number':
      case 'boolean':
        return t.value === v ? k() : false
      case 'null':
        return v === null ? k() : false
      default:
        return this.evalTerm(t, f, (x) => (equals(x, v) ? k() : false))
    }
  }
}
