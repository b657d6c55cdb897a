/**
 * The Rego compiler: it turns parsed modules into a rule tree the evaluator walks.
 *
 * Passes, in OPA's order where it matters:
 *  1. every rule's head is placed in the tree at its ground path (`data.<pkg>.<head ref prefix>`);
 *  2. bodies are rewritten: imports and package-local rule names become `data.` refs, calls get
 *     their fully qualified name, `:=`/`some`/`every` declarations get unique names (so nested
 *     scopes cannot capture each other's variables), `some x` declarations disappear;
 *  3. every body is reordered for safety (OPA's algorithm) and unsafe variables are reported;
 *  4. builtin arity and literal argument types are checked, rule kinds must not conflict, and
 *     rule recursion is reported; in strict mode, unused imports and locals too.
 */
import type { Body, Expr, Location, Module, Rule, Term, VarTerm, With } from './ast.js'
import { BUILTINS } from './builtins/index.js'
import { RegoError, RegoErrors } from './errors.js'
import { EVAL_BUILTINS } from './builtins-eval.js'
import { constValue, displayName, dottedName, isGenerated, ROOTS, strTerm, termVars, varTerm, visitExprVars, visitVars } from './terms.js'
import { keyOf, typeName, type Value } from './value.js'

export type RuleKind = 'complete' | 'set' | 'object' | 'function'

/** A rule after compilation. `else` rules share the head's kind and path. */
export interface CRule {
  kind: RuleKind
  /** Ground path from the data root, e.g. ["test", "p"]. */
  path: Value[]
  /** `data.test.p`, for messages. */
  name: string
  /** The dynamic part of the head ref (`p[q].r` has suffix `[q, "r"]`), for object/set rules. */
  suffix: Term[]
  /** `contains` key. */
  key?: Term
  value: Term
  args?: Term[]
  body: Body
  isDefault: boolean
  else?: CRule
  rule: Rule
  loc: Location
  /** Renamed function argument vars, shared by the `else` chain. */
  argNames?: Map<string, string>
  argExtras?: Expr[]
}

/** String keys as they are (no encoding on the hot path); others NUL-prefixed, as in value.ts. */
function childKey(v: Value): string {
  return typeof v === 'string' && (v.length === 0 || v.charCodeAt(0) !== 0) ? v : '\u0000' + keyOf(v)
}

/** A node of the rule tree: a package, a rule, or an intermediate step of a ref head. */
export class DocNode {
  readonly children = new Map<string, DocNode>()
  readonly childKeys: Value[] = []
  /** Complete rules (no dynamic suffix), not counting the default. */
  readonly complete: CRule[] = []
  /** `p contains x` rules with a ground ref. */
  readonly sets: CRule[] = []
  /** Rules with a dynamic ref suffix (partial objects and `p[q] contains r`). */
  readonly dynamic: CRule[] = []
  readonly functions: CRule[] = []
  defaultRule?: CRule
  isPackage = false
  constructor(
    readonly path: Value[],
    readonly name: string,
  ) {}

  child(key: Value): DocNode | undefined {
    return this.children.get(childKey(key))
  }

  ensureChild(key: Value): DocNode {
    const k = childKey(key)
    let c = this.children.get(k)
    if (!c) {
      c = new DocNode([...this.path, key], `${this.name}${typeof key === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? '.' + key : '[' + JSON.stringify(key) + ']'}`)
      this.children.set(k, c)
      this.childKeys.push(key)
    }
    return c
  }

  hasRules(): boolean {
    return this.complete.length > 0 || this.sets.length > 0 || this.dynamic.length > 0 || this.defaultRule !== undefined
  }

  isFunction(): boolean {
    return this.functions.length > 0
  }
}

export interface CompiledModules {
  root: DocNode
  modules: Module[]
  rules: CRule[]
  /** Compiles an ad-hoc query against the modules (no package context). */
  compileQuery(body: Body): { body: Body; vars: Map<string, string> }
}

const FUTURE = new Set(['rego', 'future'])
const UNSAFE_HINT = ' (bind it first in a non-negated expression of the same body: x := ..., some x in ..., or as a ref key like xs[x])'
const DEPRECATED = new Set(['any', 'all', 're_match', 'net.cidr_overlap', 'set_diff', 'cast_array', 'cast_set', 'cast_string', 'cast_boolean', 'cast_null', 'cast_object'])

interface PkgCtx {
  pkg: string[]
  aliases: Map<string, Term>
  ruleNames: Set<string>
}

class Scope {
  readonly declared = new Map<string, string>()
  readonly used = new Set<string>()
  constructor(readonly parent?: Scope) {}
  lookup(name: string): string | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const r = s.declared.get(name)
      if (r !== undefined) return r
    }
    return undefined
  }
}

/** Marker for a `with` target or value that names a function: a call term with no args. */
export function fnMarker(name: string, loc: Location): Term {
  return { type: 'call', fn: name, args: [], loc, operator: '$fn' }
}

export function isFnMarker(t: Term): boolean {
  return t.type === 'call' && t.operator === '$fn'
}

export function builtinArity(name: string): number | undefined {
  const d = EVAL_BUILTINS.get(name) ?? BUILTINS.get(name)
  return d ? d.args.length : undefined
}

class Compiler {
  readonly errors: RegoError[] = []
  readonly root = new DocNode([], 'data')
  readonly rules: CRule[] = []
  private counter = 0
  /** Dotted names of user functions (`data.pkg.f`) with their arity. */
  readonly functionArity = new Map<string, number>()
  private readonly pkgNames = new Map<string, Set<string>>()
  /** Strict mode: references to each renamed local, and where each was declared. */
  private readonly refCount = new Map<string, number>()
  private readonly declSites = new Map<string, { name: string; loc: Location; assigned: boolean }>()
  /** Import aliases referenced by the module being compiled. */
  private usedAliases = new Set<string>()
  /** Compiling an ad-hoc query: no strict bookkeeping. */
  querying = false

  constructor(
    readonly modules: Module[],
    readonly strict = false,
  ) {}

  err(code: RegoError['code'], msg: string, loc?: Location): void {
    this.errors.push(new RegoError(code, msg, loc))
  }

  run(): void {
    // Pass 1: rule names per package and function names, so bodies can be resolved.
    for (const m of this.modules) {
      let node = this.root
      for (const p of m.package) node = node.ensureChild(p)
      node.isPackage = true
      const key = m.package.join('.')
      let names = this.pkgNames.get(key)
      if (!names) this.pkgNames.set(key, (names = new Set()))
      for (const r of m.rules) {
        const first = r.head.ref[0]
        if (first && first.type === 'var') names.add(first.name)
        if (r.head.args) {
          const g = this.groundHead(m, r)
          if (g.suffix.length === 0) this.functionArity.set('data.' + g.path.map(String).join('.'), r.head.args.length)
        }
      }
    }
    // Pass 2: rewrite rules and place them in the tree.
    for (const m of this.modules) {
      const ctx: PkgCtx = { pkg: m.package, aliases: this.aliasesOf(m), ruleNames: this.pkgNames.get(m.package.join('.')) as Set<string> }
      this.usedAliases = new Set()
      for (const r of m.rules) {
        const c = this.compileRule(m, r, ctx)
        if (c) this.place(c)
      }
      if (this.strict) {
        for (const imp of m.imports) {
          const alias = this.importAlias(imp.path, imp.alias)
          if (alias && ctx.aliases.has(alias) && !this.usedAliases.has(alias)) {
            this.err('rego_compile_error', `import ${dottedName(imp.path) ?? alias} unused`, imp.loc)
          }
        }
      }
    }
    if (this.strict) {
      for (const [renamed, site] of this.declSites) {
        const n = this.refCount.get(renamed) ?? 0
        if (n <= (site.assigned ? 1 : 0)) this.err('rego_compile_error', `${site.assigned ? 'assigned' : 'declared'} var ${site.name} unused`, site.loc)
      }
    }
    this.checkConflicts(this.root)
    this.checkRecursion()
  }

  aliasesOf(m: Module): Map<string, Term> {
    const out = new Map<string, Term>()
    for (const imp of m.imports) {
      const p = imp.path
      const head = p.type === 'var' ? p.name : p.head.type === 'var' ? p.head.name : ''
      if (FUTURE.has(head)) continue
      if (!ROOTS.has(head)) {
        this.err('rego_compile_error', `invalid import ${head}: path must begin with input or data`, imp.loc)
        continue
      }
      const alias = this.importAlias(p, imp.alias) as string
      if (alias === 'input' || alias === 'data') continue
      if (out.has(alias)) {
        this.err('rego_compile_error', `import must not shadow import ${dottedName(out.get(alias) as Term) ?? alias} (give one an alias: import ... as other_name)`, imp.loc)
        continue
      }
      out.set(alias, p)
    }
    return out
  }

  importAlias(p: Term, alias: string | undefined): string | undefined {
    if (alias) return alias
    if (p.type === 'var') return p.name
    if (p.type !== 'ref') return undefined
    const last = p.path[p.path.length - 1]
    return last && last.type === 'string' ? last.value : p.head.type === 'var' ? p.head.name : undefined
  }

  /** Splits a head ref into its ground path (from the data root) and its dynamic suffix. */
  groundHead(m: Module, r: Rule): { path: Value[]; suffix: Term[] } {
    const path: Value[] = [...m.package]
    const ref = r.head.ref
    const first = ref[0]
    path.push(first.type === 'var' ? first.name : (constValue(first) as Value))
    let i = 1
    for (; i < ref.length; i++) {
      const t = ref[i]
      if (t.type === 'var' || t.type === 'ref' || t.type === 'call') break
      const v = constValue(t)
      if (v === undefined || (typeof v === 'object' && v !== null)) break
      path.push(v)
    }
    return { path, suffix: ref.slice(i) }
  }

  fresh(name: string): string {
    return `${name}$${++this.counter}`
  }

  compileRule(m: Module, r: Rule, ctx: PkgCtx, parent?: CRule): CRule | undefined {
    const { path, suffix } = parent ? { path: parent.path, suffix: parent.suffix } : this.groundHead(m, r)
    const name = 'data.' + path.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join('.')
    let kind: RuleKind
    const head = r.head
    if (parent) kind = parent.kind
    else if (head.args) kind = 'function'
    else if (head.key) kind = 'set'
    else if (suffix.length > 0) kind = 'object'
    else kind = 'complete'
    if (kind === 'function' && suffix.length > 0) {
      this.err('rego_type_error', `function ${name} must have a ground ref head`, r.loc)
      return undefined
    }
    const sc = new Scope()
    // Function args and head suffix vars are plain local vars (bound by unification).
    if (parent?.argNames) for (const [k, v] of parent.argNames) sc.declared.set(k, v)
    // Non-pattern args (templates, refs, calls) become a fresh var plus an equality in the body.
    const argExtras: Expr[] = parent ? (parent.argExtras ?? []) : []
    const rawArgs = parent ? undefined : head.args?.map((a, i) => {
      if (isPattern(a)) return a
      const v = varTerm(`$arg${i}`, a.loc)
      argExtras.push({ kind: 'unify', left: v, right: a, negated: false, with: [], loc: a.loc })
      return v
    })
    const args = parent ? parent.args : rawArgs?.map((a) => this.declarePattern(a, sc))
    const argNames = args ? new Map(sc.declared) : undefined
    const body = this.resolveBody(argExtras.length ? [...r.body, ...argExtras] : r.body, sc, ctx)
    const resolvedSuffix = parent ? parent.suffix : suffix.map((t) => this.resolveTerm(t, sc, ctx))
    const key = parent ? parent.key : head.key ? this.resolveTerm(head.key, sc, ctx) : undefined
    const value = head.value ? this.resolveTerm(head.value, sc, ctx) : { type: 'boolean' as const, value: true, loc: head.loc }
    const safe = new Set<string>()
    if (args) for (const a of args) for (const v of termVars(a)) safe.add(v)
    const reordered = this.reorder(body, safe)
    for (const t of [...resolvedSuffix, ...(key ? [key] : []), value]) {
      // Refs in the head iterate like refs in the body (`q := xs[_]`).
      const headSafe = new Set(reordered.safe)
      this.refOutputs(t, (n) => headSafe.has(n), headSafe)
      this.checkTermSafe(t, headSafe)
    }
    const c: CRule = {
      kind,
      path,
      name,
      suffix: resolvedSuffix,
      key,
      value,
      args,
      body: reordered.body,
      isDefault: r.isDefault,
      rule: r,
      loc: r.loc,
      argNames,
      argExtras,
    }
    if (r.isDefault) {
      if (r.body.length > 0 && !(r.body.length === 1 && r.body[0].kind === 'term' && r.body[0].term.type === 'boolean' && r.body[0].term.value)) {
        this.err('rego_parse_error', `default rule ${name} must not have a body`, r.loc)
      }
      if (termVars(value).size > 0 && kind !== 'function') this.err('rego_compile_error', `default rule ${name} value cannot contain variables`, r.loc)
    }
    if (r.else) c.else = this.compileRule(m, r.else, ctx, c)
    return c
  }

  /** Function args: every var in them is a fresh local. */
  declarePattern(t: Term, sc: Scope): Term {
    visitVars(
      t,
      (v) => {
        if (!sc.declared.has(v.name)) sc.declared.set(v.name, isGenerated(v.name) ? v.name : this.fresh(v.name))
      },
      false,
    )
    return this.resolveTerm(t, sc, undefined)
  }

  checkTermSafe(t: Term, safe: Set<string>): void {
    const seen = new Set<string>()
    visitVars(
      t,
      (v) => {
        if (!safe.has(v.name) && !seen.has(v.name)) {
          seen.add(v.name)
          this.err('rego_unsafe_var_error', `var ${displayName(v.name)} is unsafe${UNSAFE_HINT}`, v.loc)
        }
      },
      false,
    )
  }

  place(c: CRule): void {
    let node = this.root
    for (const p of c.path) node = node.ensureChild(p)
    if (c.kind === 'function') {
      if (c.isDefault) node.defaultRule = c
      else node.functions.push(c)
      return
    }
    if (c.isDefault) {
      if (node.defaultRule) this.err('rego_type_error', `multiple default rules ${c.name} found`, c.loc)
      node.defaultRule = c
      return
    }
    if (c.kind === 'complete') node.complete.push(c)
    else if (c.kind === 'set' && c.suffix.length === 0) node.sets.push(c)
    else node.dynamic.push(c)
    this.rules.push(c)
  }

  checkConflicts(node: DocNode): void {
    const kinds = new Set<string>()
    if (node.complete.length || (node.defaultRule && node.defaultRule.kind === 'complete')) kinds.add('complete')
    if (node.sets.length) kinds.add('set')
    if (node.dynamic.length) kinds.add('object')
    if (node.functions.length) kinds.add('function')
    if (kinds.size > 1) {
      const r = node.complete[0] ?? node.sets[0] ?? node.dynamic[0] ?? node.functions[0]
      this.err('rego_type_error', `conflicting rules ${node.name} found (one name is defined as different kinds of rule — complete, contains, object or function; rename one)`, r?.loc)
    }
    if (node.functions.length > 0) {
      const n = node.functions[0].args?.length
      for (const f of node.functions) {
        if (f.args?.length !== n) this.err('rego_type_error', `conflicting rules ${node.name} found: functions must have the same number of arguments`, f.loc)
      }
    }
    if ((node.complete.length || node.functions.length) && node.children.size > 0) {
      const r = node.complete[0] ?? node.functions[0]
      this.err('rego_type_error', `rule ${node.name} conflicts with rules below it`, r.loc)
    }
    for (const c of node.children.values()) this.checkConflicts(c)
  }

  // ---------------------------------------------------------------- resolution

  resolveBody(body: Body, sc: Scope, ctx: PkgCtx | undefined): Body {
    const out: Body = []
    for (const e of body) {
      const r = this.resolveExpr(e, sc, ctx)
      if (r) out.push(r)
    }
    if (out.length === 0) out.push({ kind: 'term', term: { type: 'boolean', value: true, loc: body[0]?.loc ?? { file: '', row: 0, col: 0 } }, negated: false, with: [], loc: body[0]?.loc ?? { file: '', row: 0, col: 0 } })
    return out
  }

  declare(v: VarTerm, sc: Scope, assign: boolean): string {
    if (isGenerated(v.name)) return v.name
    if (sc.declared.has(v.name)) {
      this.err('rego_compile_error', `var ${v.name} ${assign ? 'assigned' : 'declared'} above (:= declares a variable once per body; use = to compare, or another name)`, v.loc)
    } else if (sc.used.has(v.name)) {
      this.err('rego_compile_error', `var ${v.name} referenced above (declare it before its first use, or use = instead of :=)`, v.loc)
    }
    const n = this.fresh(v.name)
    sc.declared.set(v.name, n)
    if (this.strict && !this.querying) this.declSites.set(n, { name: v.name, loc: v.loc, assigned: assign })
    return n
  }

  declareVars(t: Term, sc: Scope, assign: boolean): void {
    visitVars(t, (v) => void this.declare(v, sc, assign), false)
  }

  resolveExpr(e: Expr, sc: Scope, ctx: PkgCtx | undefined): Expr | undefined {
    const withs = e.with.map((w) => this.resolveWith(w, sc, ctx))
    const base = { negated: e.negated, with: withs, loc: e.loc }
    switch (e.kind) {
      case 'term':
        return { ...base, kind: 'term', term: this.resolveTerm(e.term, sc, ctx, true) }
      case 'unify':
        return { ...base, kind: 'unify', left: this.resolveTerm(e.left, sc, ctx), right: this.resolveTerm(e.right, sc, ctx) }
      case 'assign': {
        const right = this.resolveTerm(e.right, sc, ctx)
        const root = e.left.type === 'var' ? e.left.name : e.left.type === 'ref' && e.left.path.length === 0 && e.left.head.type === 'var' ? e.left.head.name : undefined
        if (root !== undefined && ROOTS.has(root)) {
          this.err('rego_compile_error', `variables must not shadow ${root} (use a different variable name)`, e.left.loc)
          return { ...base, kind: 'unify', left: e.left, right }
        }
        if (e.left.type === 'ref') {
          this.err('rego_compile_error', `cannot assign to ref`, e.left.loc)
        }
        if (e.left.type !== 'var' && e.left.type !== 'array' && e.left.type !== 'object') {
          this.err('rego_compile_error', `cannot assign to ${e.left.type}`, e.left.loc)
        }
        this.declareVars(e.left, sc, true)
        const left = this.resolveTerm(e.left, sc, ctx)
        return { ...base, kind: 'assign', left, right }
      }
      case 'some':
        for (const v of e.vars) this.declare(v, sc, false)
        return undefined
      case 'somein': {
        const collection = this.resolveTerm(e.collection, sc, ctx)
        if (e.key) this.declareVars(e.key, sc, true)
        this.declareVars(e.value, sc, true)
        return {
          ...base,
          kind: 'somein',
          key: e.key ? this.resolveTerm(e.key, sc, ctx) : undefined,
          value: this.resolveTerm(e.value, sc, ctx),
          collection,
        }
      }
      case 'every': {
        const domain = this.resolveTerm(e.domain, sc, ctx)
        const inner = new Scope(sc)
        if (e.key) this.declareVars(e.key, inner, true)
        this.declareVars(e.value, inner, true)
        const key = e.key ? this.resolveTerm(e.key, inner, ctx) : undefined
        const value = this.resolveTerm(e.value, inner, ctx)
        const body = this.resolveBody(e.body, inner, ctx)
        return { ...base, kind: 'every', key, value, domain, body }
      }
    }
  }

  resolveWith(w: With, sc: Scope, ctx: PkgCtx | undefined): With {
    let target: Term
    const dotted = this.targetName(w.target, ctx)
    const value = this.resolveWithValue(w.value, sc, ctx)
    if (dotted === undefined) {
      this.err('rego_compile_error', `with keyword target must reference existing input, data, or a function`, w.target.loc)
      target = w.target
    } else if (dotted.startsWith('input') || (dotted.startsWith('data') && !this.functionArity.has(dotted))) {
      target = this.resolveTerm(w.target, new Scope(), ctx)
      if (target.type === 'ref' && target.path.some((p) => constValue(p) === undefined)) {
        this.err('rego_compile_error', `with keyword target must be a ground reference`, w.target.loc)
      }
    } else if (this.functionArity.has(dotted) || builtinArity(dotted) !== undefined) {
      target = fnMarker(dotted, w.target.loc)
    } else {
      this.err('rego_compile_error', `with keyword target must reference existing input, data, or a function`, w.target.loc)
      target = w.target
    }
    return { target, value, loc: w.loc }
  }

  /** Dotted, import-resolved name of a `with` target or function reference. */
  targetName(t: Term, ctx: PkgCtx | undefined): string | undefined {
    const d = t.type === 'var' || t.type === 'ref' ? dottedName(t) : undefined
    if (d === undefined) {
      if (t.type === 'ref' && t.head.type === 'var' && (t.head.name === 'input' || t.head.name === 'data')) return t.head.name + '.?'
      return undefined
    }
    return this.qualify(d, ctx)
  }

  qualify(name: string, ctx: PkgCtx | undefined): string {
    const dot = name.indexOf('.')
    const first = dot < 0 ? name : name.slice(0, dot)
    const rest = dot < 0 ? '' : name.slice(dot)
    if (first === 'data' || first === 'input') return name
    if (ctx) {
      const alias = ctx.aliases.get(first)
      if (alias) {
        this.usedAliases.add(first)
        const d = dottedName(alias)
        if (d !== undefined) return d + rest
      }
      if (ctx.ruleNames.has(first)) return 'data.' + ctx.pkg.join('.') + '.' + name
    }
    return name
  }

  resolveWithValue(t: Term, sc: Scope, ctx: PkgCtx | undefined): Term {
    if (t.type === 'var' || t.type === 'ref') {
      const d = dottedName(t)
      if (d !== undefined && !sc.lookup(d.split('.')[0])) {
        const q = this.qualify(d, ctx)
        if (this.functionArity.has(q)) return fnMarker(q, t.loc)
        if (!q.startsWith('data') && !q.startsWith('input') && builtinArity(q) !== undefined && !(ctx?.aliases.has(d.split('.')[0]))) {
          if (t.type === 'ref' || !ctx?.ruleNames.has(d)) return fnMarker(q, t.loc)
        }
      }
    }
    return this.resolveTerm(t, sc, ctx)
  }

  resolveFn(name: string, ctx: PkgCtx | undefined, nargs: number, loc: Location, topLevel: boolean): string {
    const q = this.qualify(name, ctx)
    if (this.strict && DEPRECATED.has(q)) {
      this.err('rego_type_error', `deprecated built-in function calls in expression: ${q}`, loc)
      return q
    }
    let arity: number | undefined
    if (q.startsWith('data.')) {
      arity = this.functionArity.get(q)
      if (arity === undefined) {
        this.err('rego_type_error', `undefined function ${q} (no function rule defines it; check the package path and imports)`, loc)
        return q
      }
    } else {
      arity = builtinArity(q)
      if (arity === undefined) {
        this.err('rego_type_error', `undefined function ${q} (not a builtin this engine offers, nor a function of this package; check the name and imports)`, loc)
        return q
      }
    }
    if (q === 'print') return q
    if (nargs < arity) this.err('rego_type_error', `${q}: too few arguments (it takes ${arity})`, loc)
    else if (nargs > arity + (topLevel ? 1 : 0)) this.err('rego_type_error', `${q}: too many arguments (it takes ${arity}${topLevel ? ', plus an optional output' : ''})`, loc)
    return q
  }

  /** OPA's type checker rejects a literal argument of the wrong type before evaluation. */
  checkConstantArgs(fn: string, args: Term[], loc: Location): void {
    const def = EVAL_BUILTINS.get(fn) ?? BUILTINS.get(fn)
    if (!def) return
    let bad = false
    const have: string[] = []
    for (let i = 0; i < args.length; i++) {
      const v = constValue(args[i])
      have.push(v === undefined ? 'any' : typeName(v))
      if (i < def.args.length && v !== undefined && !typeAllows(def.args[i], v)) bad = true
    }
    if (bad) this.err('rego_type_error', `${fn}: invalid argument(s)\n\thave: (${have.join(', ')})\n\twant: (${def.args.join(', ')})`, loc)
  }

  resolveTerm(t: Term, sc: Scope, ctx: PkgCtx | undefined, topLevel = false): Term {
    switch (t.type) {
      case 'var': {
        if (ROOTS.has(t.name)) return t
        const local = sc.lookup(t.name)
        if (local !== undefined) {
          if (this.strict && !this.querying) this.refCount.set(local, (this.refCount.get(local) ?? 0) + 1)
          return local === t.name ? t : varTerm(local, t.loc)
        }
        if (ctx) {
          const alias = ctx.aliases.get(t.name)
          if (alias) this.usedAliases.add(t.name)
          if (alias) return alias.type === 'var' ? varTerm(alias.name, t.loc) : { ...alias, loc: t.loc }
          if (ctx.ruleNames.has(t.name)) {
            return { type: 'ref', head: varTerm('data', t.loc), path: [...ctx.pkg, t.name].map((p) => strTerm(p, t.loc)), loc: t.loc }
          }
        }
        sc.used.add(t.name)
        return t
      }
      case 'ref': {
        const head = this.resolveTerm(t.head, sc, ctx)
        const path = t.path.map((p) => this.resolveTerm(p, sc, ctx))
        if (head.type === 'ref') return { type: 'ref', head: head.head, path: [...head.path, ...path], loc: t.loc }
        return { type: 'ref', head, path, loc: t.loc }
      }
      case 'array':
      case 'set':
        return { ...t, items: t.items.map((x) => this.resolveTerm(x, sc, ctx)) }
      case 'object':
        return { ...t, items: t.items.map(([k, v]) => [this.resolveTerm(k, sc, ctx), this.resolveTerm(v, sc, ctx)] as [Term, Term]) }
      case 'call': {
        const fn = this.resolveFn(t.fn, ctx, t.args.length, t.loc, topLevel)
        this.checkConstantArgs(fn, t.args, t.loc)
        return { ...t, fn, args: t.args.map((a) => this.resolveTerm(a, sc, ctx)) }
      }
      case 'template':
        return { ...t, parts: t.parts.map((p) => (typeof p === 'string' ? p : this.resolveTerm(p, sc, ctx))) }
      case 'arraycomp':
      case 'setcomp': {
        const inner = new Scope(sc)
        const body = this.resolveBody(t.body, inner, ctx)
        return { ...t, body, term: this.resolveTerm(t.term, inner, ctx) }
      }
      case 'objectcomp': {
        const inner = new Scope(sc)
        const body = this.resolveBody(t.body, inner, ctx)
        return { ...t, body, key: this.resolveTerm(t.key, inner, ctx), value: this.resolveTerm(t.value, inner, ctx) }
      }
      default:
        return t
    }
  }

  // ---------------------------------------------------------------- safety

  /**
   * OPA's reordering: repeatedly take, in order, every expression whose inputs are safe.
   * Returns the new body and the set of vars safe after it.
   */
  reorder(body: Body, initial: Set<string>): { body: Body; safe: Set<string> } {
    const safe = new Set(initial)
    const outer = new Set(initial)
    for (const e of body) visitExprVars(e, (v) => outer.add(v.name), false)
    const done = new Array<boolean>(body.length).fill(false)
    const out: Body = []
    for (;;) {
      const n = out.length
      for (let i = 0; i < body.length; i++) {
        if (done[i]) continue
        const outs = this.exprOutputs(body[i], safe, outer)
        if (!outs) continue
        done[i] = true
        this.reorderNested(body[i], safe)
        for (const v of outs) safe.add(v)
        out.push(body[i])
      }
      if (out.length === n) break
    }
    if (out.length < body.length) {
      const reported = new Set<string>()
      for (let i = 0; i < body.length; i++) {
        if (done[i]) continue
        const e = body[i]
        const report = (v: VarTerm) => {
          if (!safe.has(v.name) && !reported.has(v.name)) {
            reported.add(v.name)
            this.err('rego_unsafe_var_error', `var ${displayName(v.name)} is unsafe${UNSAFE_HINT}`, v.loc)
          }
        }
        visitExprVars(e, report, false)
        this.visitClosureOuterVars(e, outer, report)
      }
    }
    return { body: out, safe }
  }

  /** Vars inside closures of `e` that also occur in the enclosing body: the closure's inputs. */
  visitClosureOuterVars(e: Expr, outer: Set<string>, fn: (v: VarTerm) => void): void {
    const visitClosures = (t: Term): void => {
      switch (t.type) {
        case 'arraycomp':
        case 'setcomp':
        case 'objectcomp':
          visitVars(
            t,
            (v) => {
              if (outer.has(v.name)) fn(v)
            },
            true,
          )
          return
        case 'ref':
          visitClosures(t.head)
          t.path.forEach(visitClosures)
          return
        case 'array':
        case 'set':
          t.items.forEach(visitClosures)
          return
        case 'object':
          for (const [k, v] of t.items) {
            visitClosures(k)
            visitClosures(v)
          }
          return
        case 'call':
          t.args.forEach(visitClosures)
          return
        case 'template':
          for (const p of t.parts) if (typeof p !== 'string') visitClosures(p)
          return
      }
    }
    switch (e.kind) {
      case 'term':
        visitClosures(e.term)
        break
      case 'unify':
      case 'assign':
        visitClosures(e.left)
        visitClosures(e.right)
        break
      case 'somein':
        visitClosures(e.collection)
        break
      case 'every': {
        visitClosures(e.domain)
        const bound = new Set<string>()
        if (e.key) for (const v of termVars(e.key)) bound.add(v)
        for (const v of termVars(e.value)) bound.add(v)
        for (const b of e.body) {
          visitExprVars(
            b,
            (v) => {
              if (outer.has(v.name) && !bound.has(v.name)) fn(v)
            },
            true,
          )
        }
        break
      }
    }
    for (const w of e.with) visitClosures(w.value)
  }

  /** The vars an expression makes safe, or undefined when it cannot run yet. */
  exprOutputs(e: Expr, safe: Set<string>, outer: Set<string>): Set<string> | undefined {
    let ok = true
    const need = (v: VarTerm) => {
      if (!safe.has(v.name)) ok = false
    }
    this.visitClosureOuterVars(e, outer, need)
    for (const w of e.with) visitVars(w.value, need, false)
    if (!ok) return undefined
    const outs = new Set<string>()
    const isSafe = (n: string) => safe.has(n) || outs.has(n)
    if (e.negated) {
      // As in OPA, every var of a negated expression must be bound before it, wildcards too.
      visitExprVars(
        e,
        (v) => {
          if (!safe.has(v.name)) ok = false
        },
        false,
      )
      return ok ? outs : undefined
    }
    switch (e.kind) {
      case 'term': {
        this.refOutputs(e.term, isSafe, outs)
        const t = e.term
        if (t.type === 'call' && !isFnMarker(t)) {
          const arity = t.fn.startsWith('data.') ? this.functionArity.get(t.fn) : builtinArity(t.fn)
          if (arity !== undefined && t.args.length === arity + 1) {
            let inOk = true
            for (let i = 0; i < arity; i++) visitVars(t.args[i], (v) => void (isSafe(v.name) || (inOk = false)), false)
            if (inOk) for (const v of patternVars(t.args[arity])) outs.add(v)
          }
        }
        break
      }
      case 'unify':
      case 'assign':
        this.refOutputs(e.left, isSafe, outs)
        this.refOutputs(e.right, isSafe, outs)
        unifyOutputs(e.left, e.right, isSafe, outs)
        break
      case 'somein': {
        this.refOutputs(e.collection, isSafe, outs)
        let cOk = true
        visitVars(e.collection, (v) => void (isSafe(v.name) || (cOk = false)), false)
        if (!cOk) return undefined
        if (e.key) for (const v of termVars(e.key)) outs.add(v)
        for (const v of termVars(e.value)) outs.add(v)
        break
      }
      case 'every': {
        // As in OPA, refs in the domain iterate (`every x in xs[_]`); their vars are outputs.
        this.refOutputs(e.domain, isSafe, outs)
        let dOk = true
        visitVars(e.domain, (v) => void (isSafe(v.name) || (dOk = false)), false)
        return dOk ? outs : undefined
      }
      case 'some':
        return outs
    }
    let all = true
    visitExprVars(e, (v) => void (isSafe(v.name) || (all = false)), false)
    return all ? outs : undefined
  }

  /** Vars in ref operands become safe once the ref's head is safe (they are iterated). */
  refOutputs(t: Term, isSafe: (n: string) => boolean, outs: Set<string>): void {
    for (let changed = true; changed; ) {
      changed = false
      const visit = (x: Term): void => {
        switch (x.type) {
          case 'ref': {
            visit(x.head)
            let headOk = true
            visitVars(x.head, (v) => void (isSafe(v.name) || (headOk = false)), false)
            if (x.head.type === 'var' && ROOTS.has(x.head.name)) headOk = true
            for (const p of x.path) {
              visit(p)
              if (headOk && (p.type === 'var' || p.type === 'array' || p.type === 'object')) {
                for (const v of patternVars(p)) {
                  if (!isSafe(v)) {
                    outs.add(v)
                    changed = true
                  }
                }
              }
            }
            return
          }
          case 'array':
          case 'set':
            x.items.forEach(visit)
            return
          case 'object':
            for (const [k, v] of x.items) {
              visit(k)
              visit(v)
            }
            return
          case 'call':
            x.args.forEach(visit)
            return
          case 'template':
            for (const p of x.parts) if (typeof p !== 'string') visit(p)
            return
        }
      }
      visit(t)
    }
  }

  /** Reorders the bodies of closures inside an expression now that its inputs are known. */
  reorderNested(e: Expr, safe: Set<string>): void {
    const visit = (t: Term): void => {
      switch (t.type) {
        case 'arraycomp':
        case 'setcomp': {
          const r = this.reorder(t.body, safe)
          ;(t as { body: Body }).body = r.body
          visit(t.term)
          this.checkTermSafe(t.term, r.safe)
          return
        }
        case 'objectcomp': {
          const r = this.reorder(t.body, safe)
          ;(t as { body: Body }).body = r.body
          this.checkTermSafe(t.key, r.safe)
          this.checkTermSafe(t.value, r.safe)
          return
        }
        case 'ref':
          visit(t.head)
          t.path.forEach(visit)
          return
        case 'array':
        case 'set':
          t.items.forEach(visit)
          return
        case 'object':
          for (const [k, v] of t.items) {
            visit(k)
            visit(v)
          }
          return
        case 'call':
          t.args.forEach(visit)
          return
        case 'template':
          for (const p of t.parts) if (typeof p !== 'string') visit(p)
          return
      }
    }
    switch (e.kind) {
      case 'term':
        visit(e.term)
        break
      case 'unify':
      case 'assign':
        visit(e.left)
        visit(e.right)
        break
      case 'somein':
        visit(e.collection)
        break
      case 'every': {
        visit(e.domain)
        const s = new Set(safe)
        if (e.key) for (const v of termVars(e.key)) s.add(v)
        for (const v of termVars(e.value)) s.add(v)
        const r = this.reorder(e.body, s)
        ;(e as { body: Body }).body = r.body
        break
      }
    }
    for (const w of e.with) visit(w.value)
  }

  // ---------------------------------------------------------------- recursion

  checkRecursion(): void {
    // Graph over rule nodes: a node depends on every node its rules' refs may reach.
    const nodes: DocNode[] = []
    const collect = (n: DocNode) => {
      if (n.hasRules() || n.isFunction()) nodes.push(n)
      for (const c of n.children.values()) collect(c)
    }
    collect(this.root)
    const deps = new Map<DocNode, Set<DocNode>>()
    for (const n of nodes) {
      const out = new Set<DocNode>()
      const rules = [...n.complete, ...n.sets, ...n.dynamic, ...n.functions, ...(n.defaultRule ? [n.defaultRule] : [])]
      for (let r of rules) {
        for (let cur: CRule | undefined = r; cur; cur = cur.else) {
          r = cur
          const terms: Term[] = [...r.suffix, r.value, ...(r.key ? [r.key] : [])]
          const visitT = (t: Term) => this.termDeps(t, out)
          terms.forEach(visitT)
          for (const e of r.body) this.exprDeps(e, out)
        }
      }
      deps.set(n, out)
    }
    // Tarjan-free DFS: report the first cycle through each node once.
    const state = new Map<DocNode, number>()
    const stack: DocNode[] = []
    const reported = new Set<DocNode>()
    const dfs = (n: DocNode): void => {
      state.set(n, 1)
      stack.push(n)
      for (const d of deps.get(n) ?? []) {
        const s = state.get(d)
        if (s === 1) {
          const cycle = stack.slice(stack.indexOf(d))
          if (!reported.has(d)) {
            reported.add(d)
            const r = d.complete[0] ?? d.sets[0] ?? d.dynamic[0] ?? d.functions[0] ?? d.defaultRule
            this.err('rego_recursion_error', `rule ${d.name} is recursive: ${[...cycle, d].map((x) => x.name).join(' -> ')} (Rego rules cannot depend on themselves; break the cycle)`, r?.loc)
          }
        } else if (s === undefined) dfs(d)
      }
      stack.pop()
      state.set(n, 2)
    }
    for (const n of nodes) if (!state.has(n)) dfs(n)
  }

  exprDeps(e: Expr, out: Set<DocNode>): void {
    const visitT = (t: Term) => this.termDeps(t, out)
    switch (e.kind) {
      case 'term':
        visitT(e.term)
        break
      case 'unify':
      case 'assign':
        visitT(e.left)
        visitT(e.right)
        break
      case 'somein':
        visitT(e.collection)
        break
      case 'every':
        visitT(e.domain)
        for (const b of e.body) this.exprDeps(b, out)
        break
    }
    for (const w of e.with) {
      visitT(w.value)
    }
  }

  termDeps(t: Term, out: Set<DocNode>): void {
    switch (t.type) {
      case 'var':
        if (t.name === 'data') this.addSubtree(this.root, out)
        return
      case 'ref': {
        if (t.head.type === 'var' && t.head.name === 'data') this.refDeps(this.root, t.path, 0, out)
        else this.termDeps(t.head, out)
        t.path.forEach((p) => this.termDeps(p, out))
        return
      }
      case 'array':
      case 'set':
        t.items.forEach((x) => this.termDeps(x, out))
        return
      case 'object':
        for (const [k, v] of t.items) {
          this.termDeps(k, out)
          this.termDeps(v, out)
        }
        return
      case 'call': {
        if (t.fn.startsWith('data.')) {
          let node: DocNode | undefined = this.root
          for (const p of t.fn.split('.').slice(1)) node = node?.child(p)
          if (node) out.add(node)
        }
        t.args.forEach((x) => this.termDeps(x, out))
        return
      }
      case 'template':
        for (const p of t.parts) if (typeof p !== 'string') this.termDeps(p, out)
        return
      case 'arraycomp':
      case 'setcomp':
        this.termDeps(t.term, out)
        for (const e of t.body) this.exprDeps(e, out)
        return
      case 'objectcomp':
        this.termDeps(t.key, out)
        this.termDeps(t.value, out)
        for (const e of t.body) this.exprDeps(e, out)
        return
    }
  }

  /** The rule nodes a `data` ref may read: ground operands pick a child, others match every child. */
  refDeps(node: DocNode, path: Term[], i: number, out: Set<DocNode>): void {
    if (node.hasRules() || node.isFunction()) {
      out.add(node)
      if (node.dynamic.length === 0) return
    }
    if (i === path.length) {
      this.addSubtree(node, out)
      return
    }
    const v = constValue(path[i])
    if (v !== undefined) {
      const c = node.child(v)
      if (c) this.refDeps(c, path, i + 1, out)
    } else for (const c of node.children.values()) this.refDeps(c, path, i + 1, out)
  }

  addSubtree(n: DocNode, out: Set<DocNode>): void {
    if (n.hasRules() || n.isFunction()) out.add(n)
    for (const c of n.children.values()) this.addSubtree(c, out)
  }
}

/** Whether a builtin argument type (see TypeSpec) admits a value; element types are not checked. */
function typeAllows(spec: string, v: Value): boolean {
  const alternatives: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i]
    if (c === '[') depth++
    else if (c === ']') depth--
    else if (c === '|' && depth === 0) {
      alternatives.push(spec.slice(start, i))
      start = i + 1
    }
  }
  alternatives.push(spec.slice(start))
  const t = typeName(v)
  return alternatives.some((a) => {
    const base = a.trim().split('[')[0]
    return base === 'any' || base === t || !['null', 'boolean', 'number', 'string', 'array', 'set', 'object'].includes(base)
  })
}

/** Terms that can be unified with a value without evaluation: vars, scalars, arrays and objects of those. */
function isPattern(t: Term): boolean {
  switch (t.type) {
    case 'var':
    case 'null':
    case 'boolean':
    case 'number':
    case 'string':
      return true
    case 'array':
      return t.items.every(isPattern)
    case 'object':
      return t.items.every(([k, v]) => constValue(k) !== undefined && isPattern(v))
    default:
      return constValue(t) !== undefined
  }
}

/** Vars in pattern positions (vars, and inside arrays and object values). */
export function patternVars(t: Term): string[] {
  const out: string[] = []
  const visit = (x: Term) => {
    if (x.type === 'var') {
      if (!ROOTS.has(x.name)) out.push(x.name)
    } else if (x.type === 'array') x.items.forEach(visit)
    else if (x.type === 'object') for (const [, v] of x.items) visit(v)
  }
  visit(t)
  return out
}

function allSafe(t: Term, isSafe: (n: string) => boolean): boolean {
  let ok = true
  visitVars(t, (v) => void (isSafe(v.name) || (ok = false)), false)
  return ok
}

/** Non-pattern vars (inside refs, calls, sets, object keys) must be safe for a side to be a pattern. */
function patternReady(t: Term, isSafe: (n: string) => boolean): boolean {
  switch (t.type) {
    case 'var':
      return true
    case 'array':
      return t.items.every((x) => patternReady(x, isSafe))
    case 'object':
      return t.items.every(([k, v]) => allSafe(k, isSafe) && patternReady(v, isSafe))
    default:
      return allSafe(t, isSafe)
  }
}

function unifyOutputs(a: Term, b: Term, isSafe: (n: string) => boolean, outs: Set<string>): void {
  for (let changed = true; changed; ) {
    const before = outs.size
    unifyStep(a, b, isSafe, outs)
    changed = outs.size > before
  }
}

function unifyStep(a: Term, b: Term, isSafe: (n: string) => boolean, outs: Set<string>): void {
  if (a.type === 'array' && b.type === 'array' && a.items.length === b.items.length) {
    for (let i = 0; i < a.items.length; i++) unifyStep(a.items[i], b.items[i], isSafe, outs)
    return
  }
  if (a.type === 'object' && b.type === 'object') {
    for (const [ka, va] of a.items) {
      const kv = constValue(ka)
      if (kv === undefined) continue
      const kk = keyOf(kv)
      for (const [kb, vb] of b.items) {
        const kbv = constValue(kb)
        if (kbv !== undefined && keyOf(kbv) === kk) unifyStep(va, vb, isSafe, outs)
      }
    }
    return
  }
  if (allSafe(a, isSafe) && patternReady(b, isSafe)) for (const v of patternVars(b)) outs.add(v)
  if (allSafe(b, isSafe) && patternReady(a, isSafe)) for (const v of patternVars(a)) outs.add(v)
}

export function compile(modules: Module[], strict = false): CompiledModules {
  const c = new Compiler(modules, strict)
  c.run()
  if (c.errors.length > 0) throw new RegoErrors(c.errors)
  return {
    root: c.root,
    modules,
    rules: c.rules,
    compileQuery(body: Body) {
      c.querying = true
      const sc = new Scope()
      const resolved = c.resolveBody(body, sc, undefined)
      const r = c.reorder(resolved, new Set())
      if (c.errors.length > 0) {
        const errs = c.errors.splice(0)
        throw new RegoErrors(errs)
      }
      const vars = new Map<string, string>()
      for (const [orig, renamed] of sc.declared) vars.set(renamed, orig)
      return { body: r.body, vars }
    },
  }
}
