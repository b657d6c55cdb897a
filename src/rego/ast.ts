/**
 * The Rego abstract syntax tree: what the parser produces and the compiler consumes.
 * It mirrors OPA's AST closely (terms, refs, expressions, rules, modules) so that OPA's
 * semantics map onto it one to one. Every node carries its source location.
 */

export interface Location {
  file: string
  row: number
  col: number
}

interface Node {
  loc: Location
}

export type Term =
  | NullTerm
  | BooleanTerm
  | NumberTerm
  | StringTerm
  | VarTerm
  | RefTerm
  | ArrayTerm
  | SetTerm
  | ObjectTerm
  | ArrayComprehension
  | SetComprehension
  | ObjectComprehension
  | CallTerm
  | TemplateStringTerm

export interface NullTerm extends Node {
  type: 'null'
}
export interface BooleanTerm extends Node {
  type: 'boolean'
  value: boolean
}
export interface NumberTerm extends Node {
  type: 'number'
  value: number
  /** The literal as written, for numbers a double cannot hold exactly. */
  text: string
}
export interface StringTerm extends Node {
  type: 'string'
  value: string
  /** True for `raw` backtick strings (affects formatting only). */
  raw?: boolean
}
/**
 * A variable. The wildcard `_` is given a unique generated name by the parser
 * (`$_0`, `$_1`, ...), as OPA does, so that each occurrence is a distinct variable.
 */
export interface VarTerm extends Node {
  type: 'var'
  name: string
}
/**
 * A reference: `input.a[x].b`, `data.p`, `x[0]`, `[1, 2][i]`, `f(x).y`.
 * `head` is usually a var (`input`, `data`, a local); it may be a composite or a call.
 * `path` holds the operands: `.name` becomes a string term, `[t]` the term t.
 */
export interface RefTerm extends Node {
  type: 'ref'
  head: Term
  path: Term[]
}
export interface ArrayTerm extends Node {
  type: 'array'
  items: Term[]
}
export interface SetTerm extends Node {
  type: 'set'
  items: Term[]
}
export interface ObjectTerm extends Node {
  type: 'object'
  items: [Term, Term][]
}
export interface ArrayComprehension extends Node {
  type: 'arraycomp'
  term: Term
  body: Body
}
export interface SetComprehension extends Node {
  type: 'setcomp'
  term: Term
  body: Body
}
export interface ObjectComprehension extends Node {
  type: 'objectcomp'
  key: Term
  value: Term
  body: Body
}
/**
 * A call used as a term: `count(x)`, `data.lib.f(x)`, and infix operators, which the
 * parser turns into calls of the operator's builtin: `a + b` is `plus(a, b)`, `a == b` is
 * `equal(a, b)`, `x in xs` is `internal.member_2(x, xs)`, `k, v in xs` is
 * `internal.member_3(k, v, xs)`. `operator` keeps the infix spelling for messages.
 * `fn` is the dotted name as written (`count`, `data.lib.f`, `lib.f` via an import,
 * `strings.replace_n`); the compiler resolves it.
 */
export interface CallTerm extends Node {
  type: 'call'
  fn: string
  args: Term[]
  operator?: string
}
/** A template string `$"a {x} b"`: literal parts and embedded terms, in order. */
export interface TemplateStringTerm extends Node {
  type: 'template'
  parts: (string | Term)[]
  raw?: boolean
}

export type Body = Expr[]

export interface With extends Node {
  /** The target: a ref such as `input.a`, `data.x.y`, or a function/builtin name ref. */
  target: Term
  value: Term
}

export type Expr =
  | TermExpr
  | UnifyExpr
  | AssignExpr
  | SomeDeclExpr
  | SomeInExpr
  | EveryExpr

interface ExprBase extends Node {
  negated: boolean
  with: With[]
}

/** A term as an expression: `x`, `input.ok`, `count(x) > 1` (a call term), `f(x, y)`. */
export interface TermExpr extends ExprBase {
  kind: 'term'
  term: Term
}
/** `a = b` */
export interface UnifyExpr extends ExprBase {
  kind: 'unify'
  left: Term
  right: Term
}
/** `a := b` (declares the variables on the left) */
export interface AssignExpr extends ExprBase {
  kind: 'assign'
  left: Term
  right: Term
}
/** `some x, y` */
export interface SomeDeclExpr extends ExprBase {
  kind: 'some'
  vars: VarTerm[]
}
/** `some v in xs`, `some k, v in xs` */
export interface SomeInExpr extends ExprBase {
  kind: 'somein'
  key?: Term
  value: Term
  collection: Term
}
/** `every v in xs { ... }`, `every k, v in xs { ... }` */
export interface EveryExpr extends ExprBase {
  kind: 'every'
  key?: Term
  value: Term
  domain: Term
  body: Body
}

export interface RuleHead extends Node {
  /**
   * The rule's reference relative to its package: `p` is `[var p]`, `a.b[x]` is
   * `[var a, string "b", var x]`. The first element is always a var term.
   */
  ref: Term[]
  /** Function arguments, present only for functions. */
  args?: Term[]
  /** `p contains key` (multi-value rule); `ref` names the set. */
  key?: Term
  /** The value after `:=` / `=`; absent means `true` (or a `contains` rule). */
  value?: Term
  /** `:=` rather than `=` */
  assign: boolean
}

export interface Rule extends Node {
  head: RuleHead
  body: Body
  /** `default p := v` */
  isDefault: boolean
  /** The next `else` in the chain: its head has only a value (or none, meaning true). */
  else?: Rule
  /** Annotations of scope `rule` or `document` written directly above this rule. */
  annotations: Annotation[]
  /** The module this rule came from. */
  module: Module
}

export interface Import extends Node {
  /** `data.x.y`, `input.a`, `rego.v1`, `future.keywords.in` */
  path: RefTerm | VarTerm
  alias?: string
}

export type AnnotationScope = 'package' | 'subpackages' | 'rule' | 'document'

export interface Annotation extends Node {
  scope: AnnotationScope
  title?: string
  description?: string
  entrypoint?: boolean
  organizations?: string[]
  related_resources?: { ref: string; description?: string }[]
  authors?: { name?: string; email?: string }[]
  schemas?: unknown[]
  custom?: Record<string, unknown>
  /** The whole YAML block as parsed, for `rego.metadata.*`. */
  raw: Record<string, unknown>
}

export interface Module {
  file: string
  /** The package path after `data`: `package a.b` is `["a", "b"]`. */
  package: string[]
  packageLoc: Location
  imports: Import[]
  rules: Rule[]
  /** Annotations of scope `package` and `subpackages` found in this module. */
  annotations: Annotation[]
}
