/**
 * A subset of Go's text/template for `strings.render_template`: text, `{{.a.b}}`, variables
 * (`$x := …`, `$x = …`, `$`), `if`/`else if`/`else`, `range` (with `$i, $v :=`), `with`,
 * pipelines (`|`), parentheses, comments, trim markers (`{{-` `-}}`) and the builtin functions
 * and, or, not, len, index, eq, ne, lt, le, gt, ge, print, printf, println, and `break` /
 * `continue` in `range`. `define`, `template` and `block` are refused with an error rather
 * than guessed.
 * OPA hands the template the JSON decoding of the variables, so numbers are float64 and
 * print as Go prints floats; `<no value>` (a missing key or null) becomes `<undefined>`.
 */
import { compare, RegoObject, RegoSet, type Value } from '../value.js'
import { formatGoFloat, goSprintf, type GoArg } from './gofmt.js'
import { BuiltinError } from './types.js'

/** An integer made by the template itself (range index, len): truthy unless 0, like Go's int. */
class GoInt {
  constructor(readonly n: number) {}
}
const MISSING = Symbol('missing')
const MAX_OUTPUT = 16 * 1024 * 1024
type TValue = Value | GoInt | typeof MISSING

type Arg =
  | { t: 'dot'; fields: string[] }
  | { t: 'var'; name: string; fields: string[] }
  | { t: 'lit'; v: TValue }
  | { t: 'fn'; name: string }
  | { t: 'pipe'; pipe: Pipe; fields: string[] }
interface Pipe {
  decl: string[]
  assign: boolean
  cmds: Arg[][]
}
type Node =
  | { t: 'text'; s: string }
  | { t: 'action'; pipe: Pipe }
  | { t: 'if' | 'with' | 'range'; pipe: Pipe; list: Node[]; elseList: Node[] }
  | { t: 'break' | 'continue' }

/** Thrown through the executor by `{{break}}` / `{{continue}}`, caught by the enclosing range. */
class LoopSignal {
  constructor(readonly kind: 'break' | 'continue') {}
}

function fail(msg: string): never {
  throw new BuiltinError(`template: ${msg}`)
}

// ---- lexing ----------------------------------------------------------------------------------

type Piece = { t: 'text'; s: string } | { t: 'action'; s: string }

function splitActions(src: string): Piece[] {
  const pieces: Piece[] = []
  let i = 0
  let trimNext = false
  while (i < src.length) {
    const open = src.indexOf('{{', i)
    let text = open < 0 ? src.slice(i) : src.slice(i, open)
    if (trimNext) text = text.replace(/^\s+/, '')
    trimNext = false
    if (open < 0) {
      if (text) pieces.push({ t: 'text', s: text })
      break
    }
    let start = open + 2
    if (/^- /.test(src.slice(start, start + 2)) || /^-[\t\r\n]/.test(src.slice(start, start + 2))) {
      text = text.replace(/\s+$/, '')
      start += 1
    }
    if (text) pieces.push({ t: 'text', s: text })
    const close = findClose(src, start)
    if (close < 0) fail('unclosed action')
    let body = src.slice(start, close)
    if (/\s-$/.test(body)) {
      body = body.slice(0, -1)
      trimNext = true
    }
    pieces.push({ t: 'action', s: body.trim() })
    i = close + 2
  }
  return pieces
}

/** The `}}` closing an action, skipping over quoted strings inside it. */
function findClose(src: string, from: number): number {
  for (let i = from; i < src.length; i++) {
    const c = src[i]
    if (c === '"' || c === '`' || c === "'") {
      const q = c
      for (i++; i < src.length && src[i] !== q; i++) if (src[i] === '\\' && q !== '`') i++
    } else if (c === '}' && src[i + 1] === '}') return i
  }
  return -1
}

type Tok = { k: 'punct' | 'str' | 'num' | 'ident' | 'field' | 'var'; v: string }

function tokenize(s: string): Tok[] {
  const toks: Tok[] = []
  let i = 0
  while (i < s.length) {
    const c = s[i]
    if (/\s/.test(c)) {
      i++
      continue
    }
    if (s.startsWith(':=', i)) {
      toks.push({ k: 'punct', v: ':=' })
      i += 2
      continue
    }
    if ('()|,='.includes(c)) {
      toks.push({ k: 'punct', v: c })
      i++
      continue
    }
    if (c === '"') {
      let j = i + 1
      while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1
      try {
        toks.push({ k: 'str', v: JSON.parse(s.slice(i, j + 1)) as string })
      } catch {
        fail(`bad string literal ${s.slice(i, j + 1)}`)
      }
      i = j + 1
      continue
    }
    if (c === '`') {
      const j = s.indexOf('`', i + 1)
      if (j < 0) fail('unterminated raw string')
      toks.push({ k: 'str', v: s.slice(i + 1, j) })
      i = j + 1
      continue
    }
    const m =
      /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(i)) ??
      /^\$[A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*/.exec(s.slice(i)) ??
      /^(\.[A-Za-z0-9_]+)+|^\./.exec(s.slice(i)) ??
      /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i))
    if (!m) fail(`unexpected ${JSON.stringify(c)} in action`)
    const v = m[0]
    toks.push({ k: /^-?\d/.test(v) ? 'num' : v[0] === '$' ? 'var' : v[0] === '.' ? 'field' : 'ident', v })
    i += v.length
  }
  return toks
}

// ---- parsing ---------------------------------------------------------------------------------

const FUNCS = new Set(['and', 'or', 'not', 'len', 'index', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'print', 'printf', 'println'])

class PipeParser {
  private i = 0
  constructor(private readonly toks: Tok[]) {}

  done(): boolean {
    return this.i >= this.toks.length
  }

  pipe(): Pipe {
    const decl: string[] = []
    let assign = false
    // `$x :=`, `$x =`, or `$i, $v :=`.
    const save = this.i
    const vars: string[] = []
    while (this.toks[this.i]?.k === 'var' && !this.toks[this.i].v.includes('.')) {
      vars.push(this.toks[this.i].v)
      this.i++
      if (this.toks[this.i]?.v === ',') this.i++
      else break
    }
    const op = this.toks[this.i]?.v
    if (vars.length > 0 && (op === ':=' || op === '=')) {
      decl.push(...vars)
      assign = op === '='
      this.i++
    } else this.i = save
    const cmds: Arg[][] = [this.command()]
    while (this.toks[this.i]?.v === '|') {
      this.i++
      cmds.push(this.command())
    }
    return { decl, assign, cmds }
  }

  private command(): Arg[] {
    const args: Arg[] = []
    while (!this.done() && this.toks[this.i].v !== '|' && this.toks[this.i].v !== ')') args.push(this.operand())
    if (args.length === 0) fail('missing value for command')
    return args
  }

  private operand(): Arg {
    const tok = this.toks[this.i++]
    if (tok.v === '(') {
      const pipe = this.pipe()
      if (this.toks[this.i]?.v !== ')') fail('unclosed left paren')
      this.i++
      const fields: string[] = []
      while (this.toks[this.i]?.k === 'field' && this.toks[this.i].v !== '.') fields.push(...this.toks[this.i++].v.slice(1).split('.'))
      return { t: 'pipe', pipe, fields }
    }
    switch (tok.k) {
      case 'str':
        return { t: 'lit', v: tok.v }
      case 'num':
        return { t: 'lit', v: /[.eE]/.test(tok.v) ? Number(tok.v) : new GoInt(Number(tok.v)) }
      case 'field':
        return { t: 'dot', fields: tok.v === '.' ? [] : tok.v.slice(1).split('.') }
      case 'var': {
        const [name, ...fields] = tok.v.split('.')
        return { t: 'var', name, fields }
      }
      case 'ident':
        if (tok.v === 'true' || tok.v === 'false') return { t: 'lit', v: tok.v === 'true' }
        if (tok.v === 'nil') return { t: 'lit', v: null }
        if (FUNCS.has(tok.v)) return { t: 'fn', name: tok.v }
        return fail(`function "${tok.v}" not defined`)
      default:
        return fail(`unexpected ${JSON.stringify(tok.v)} in command`)
    }
  }
}

function parsePipe(s: string): Pipe {
  const p = new PipeParser(tokenize(s))
  const pipe = p.pipe()
  if (!p.done()) fail(`unexpected token in ${JSON.stringify(s)}`)
  return pipe
}

function parse(pieces: Piece[]): Node[] {
  let i = 0
  let rangeDepth = 0
  // Parses nodes until `end` or `else`; returns them and the terminator seen.
  const list = (): [Node[], string] => {
    const nodes: Node[] = []
    while (i < pieces.length) {
      const p = pieces[i++]
      if (p.t === 'text') {
        nodes.push({ t: 'text', s: p.s })
        continue
      }
      const s = p.s
      if (s.startsWith('/*')) {
        if (!s.endsWith('*/')) fail('unclosed comment')
        continue
      }
      const kw = /^[a-z]+/.exec(s)?.[0] ?? ''
      if (kw === 'end' && s === 'end') return [nodes, 'end']
      if (kw === 'else') return [nodes, s]
      if (kw === 'if' || kw === 'with' || kw === 'range') nodes.push(control(kw, s.slice(kw.length)))
      else if ((kw === 'break' || kw === 'continue') && s === kw) {
        if (rangeDepth === 0) fail(`{{${kw}}} outside {{range}}`)
        nodes.push({ t: kw })
      } else if (['define', 'template', 'block'].includes(kw) && (s === kw || /^\w+\s/.test(s))) {
        fail(`{{${kw}}} is not supported by strings.render_template here`)
      } else nodes.push({ t: 'action', pipe: parsePipe(s) })
    }
    return [nodes, '']
  }
  const control = (kw: 'if' | 'with' | 'range', rest: string): Node => {
    const pipe = parsePipe(rest)
    if (kw === 'range') rangeDepth++
    const [body, term] = list()
    if (kw === 'range') rangeDepth--
    if (term === '') fail(`unexpected EOF: missing {{end}} for {{${kw}}}`)
    let elseList: Node[] = []
    if (term !== 'end') {
      const chained = term.slice('else'.length).trim()
      if (chained.startsWith('if ') || chained.startsWith('with ')) {
        // `else if x` is an `if` nested in the else branch, sharing the outer `end`.
        const ckw = chained.startsWith('if ') ? 'if' : 'with'
        elseList = [control(ckw, chained.slice(ckw.length))]
      } else {
        if (chained !== '') fail(`unexpected ${JSON.stringify(term)}`)
        const [els, t2] = list()
        if (t2 !== 'end') fail(`missing {{end}} for {{${kw}}}`)
        elseList = els
      }
    }
    return { t: kw, pipe, list: body, elseList }
  }
  const [nodes, term] = list()
  if (term !== '') fail(`unexpected {{${term}}}`)
  return nodes
}

// ---- evaluation ------------------------------------------------------------------------------

function truthy(v: TValue): boolean {
  if (v === MISSING || v === null || v === false) return false
  if (v instanceof GoInt) return v.n !== 0
  if (typeof v === 'string') return v !== ''
  if (Array.isArray(v)) return v.length > 0
  if (v instanceof RegoSet || v instanceof RegoObject) return v.size > 0
  return v !== 0
}

/** The Go type a JSON-decoded value has inside the template. */
function goType(v: TValue): string {
  if (v === MISSING || v === null) return 'nil'
  if (v instanceof GoInt) return 'int'
  if (typeof v === 'number') return 'float64'
  if (typeof v === 'string') return 'string'
  if (typeof v === 'boolean') return 'bool'
  if (v instanceof RegoObject) return 'map[string]interface {}'
  return '[]interface {}'
}

/** `.name` on a value: a missing key (or a field of one) is no value; a field of null or a scalar is an error, as in Go. */
function field(v: TValue, name: string): TValue {
  if (v instanceof RegoObject) {
    const x = v.get(name)
    return x === undefined ? MISSING : x
  }
  if (v === MISSING) return MISSING
  if (v === null) return fail(`nil pointer evaluating interface {}.${name}`)
  return fail(`can't evaluate field ${name} in type ${goType(v)}`)
}

/** What text/template prints for a value: `<no value>` for nothing, else fmt.Sprint of it. */
function printTop(v: TValue): string {
  return v === MISSING || v === null ? '<no value>' : printValue(v)
}

/** fmt.Sprint of the JSON decoding of a value. */
function printValue(v: TValue): string {
  if (v === MISSING) return '<no value>'
  if (v instanceof GoInt) return String(v.n)
  if (v === null) return '<nil>'
  if (typeof v === 'string') return v
  if (typeof v === 'number') return formatGoFloat(v)
  if (typeof v === 'boolean') return String(v)
  if (Array.isArray(v)) return '[' + v.map(printValue).join(' ') + ']'
  if (v instanceof RegoSet) return '[' + v.values().map(printValue).join(' ') + ']'
  return 'map[' + v.entries().map(([k, x]) => `${printValue(k)}:${printValue(x)}`).join(' ') + ']'
}

function toGoArg(v: TValue): GoArg {
  if (v instanceof GoInt) return { kind: 'int', v: BigInt(v.n) }
  if (typeof v === 'number') return { kind: 'float', v }
  return { kind: 'string', v: printValue(v) }
}

function num(v: TValue): number | string | boolean | undefined {
  if (v instanceof GoInt) return v.n
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v
  return undefined
}

function cmp(a: TValue, b: TValue, name: string): number {
  const x = num(a)
  const y = num(b)
  if (x === undefined || y === undefined || typeof x !== typeof y) fail(`error calling ${name}: incompatible types for comparison`)
  return x < y ? -1 : x > y ? 1 : 0
}

class Scope {
  private readonly vars: Map<string, TValue>[] = [new Map()]
  constructor(root: TValue) {
    this.vars[0].set('$', root)
  }
  push(): void {
    this.vars.push(new Map())
  }
  pop(): void {
    this.vars.pop()
  }
  depth(): number {
    return this.vars.length
  }
  /** Drops frames left by constructs a break or continue jumped out of. */
  restore(depth: number): void {
    this.vars.length = depth
  }
  declare(name: string, v: TValue): void {
    this.vars[this.vars.length - 1].set(name, v)
  }
  assign(name: string, v: TValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].has(name)) {
        this.vars[i].set(name, v)
        return
      }
    }
    fail(`undefined variable: ${name}`)
  }
  get(name: string): TValue {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i].get(name)
      if (v !== undefined) return v
    }
    return fail(`undefined variable: ${name}`)
  }
}

class Exec {
  out = ''
  constructor(private readonly scope: Scope) {}

  /** Appends output; a runaway template (a huge range) fails instead of exhausting memory. */
  private write(s: string): void {
    this.out += s
    if (this.out.length > MAX_OUTPUT) fail(`output exceeds ${MAX_OUTPUT} characters`)
  }

  list(nodes: Node[], dot: TValue): void {
    for (const n of nodes) this.node(n, dot)
  }

  private node(n: Node, dot: TValue): void {
    switch (n.t) {
      case 'text':
        this.write(n.s)
        return
      case 'break':
      case 'continue':
        throw new LoopSignal(n.t)
      case 'action': {
        const v = this.pipe(n.pipe, dot)
        if (n.pipe.decl.length === 0) this.write(printTop(v))
        return
      }
      case 'if':
      case 'with': {
        this.scope.push()
        const v = this.pipe(n.pipe, dot)
        if (truthy(v)) this.list(n.list, n.t === 'with' ? v : dot)
        else this.list(n.elseList, dot)
        this.scope.pop()
        return
      }
      case 'range': {
        this.scope.push()
        const v = this.pipe({ ...n.pipe, decl: [] }, dot)
        const items: [TValue, TValue][] = []
        if (Array.isArray(v)) v.forEach((x, i) => items.push([new GoInt(i), x]))
        else if (v instanceof RegoSet) v.values().forEach((x, i) => items.push([new GoInt(i), x]))
        else if (v instanceof RegoObject) for (const [k, x] of v.entries()) items.push([k, x])
        else if (v instanceof GoInt) {
          if (v.n > MAX_OUTPUT) fail(`range over ${v.n} is too long`)
          for (let i = 0; i < v.n; i++) items.push([new GoInt(i), new GoInt(i)])
        }
        else if (v !== MISSING && v !== null) fail(`range can't iterate over ${printValue(v)}`)
        if (items.length === 0) this.list(n.elseList, dot)
        for (const [k, x] of items) {
          const depth = this.scope.depth()
          this.scope.push()
          const d = n.pipe.decl
          if (d.length === 1) this.scope.declare(d[0], x)
          if (d.length === 2) {
            this.scope.declare(d[0], k)
            this.scope.declare(d[1], x)
          }
          let stop = false
          try {
            this.list(n.list, x)
          } catch (e) {
            if (!(e instanceof LoopSignal)) throw e
            stop = e.kind === 'break'
          } finally {
            this.scope.restore(depth)
          }
          if (stop) break
        }
        this.scope.pop()
        return
      }
    }
  }

  private pipe(p: Pipe, dot: TValue): TValue {
    let v: TValue | undefined
    for (const cmd of p.cmds) v = this.command(cmd, dot, v)
    const result = v as TValue
    for (const name of p.decl) {
      if (p.assign) this.scope.assign(name, result)
      else this.scope.declare(name, result)
    }
    return result
  }

  private operand(a: Arg, dot: TValue): TValue {
    switch (a.t) {
      case 'lit':
        return a.v
      case 'dot':
        return a.fields.reduce(field, dot)
      case 'var':
        return a.fields.reduce(field, this.scope.get(a.name))
      case 'pipe':
        return a.fields.reduce(field, this.pipe(a.pipe, dot))
      case 'fn':
        return fail(`function ${a.name} used as a value`)
    }
  }

  private command(cmd: Arg[], dot: TValue, piped: TValue | undefined): TValue {
    const [head, ...rest] = cmd
    if (head.t !== 'fn') {
      if (rest.length > 0 || piped !== undefined) fail(`can't give argument to non-function`)
      return this.operand(head, dot)
    }
    const args = rest.map((a) => this.operand(a, dot))
    if (piped !== undefined) args.push(piped)
    return this.call(head.name, args)
  }

  private call(name: string, args: TValue[]): TValue {
    const need = (n: number): void => {
      if (args.length < n) fail(`wrong number of args for ${name}: want at least ${n} got ${args.length}`)
    }
    switch (name) {
      case 'and':
        need(1)
        return args.find((a) => !truthy(a)) ?? args[args.length - 1]
      case 'or':
        need(1)
        return args.find(truthy) ?? args[args.length - 1]
      case 'not':
        need(1)
        return !truthy(args[0])
      case 'len': {
        need(1)
        const v = args[0]
        if (typeof v === 'string') return new GoInt(Buffer.byteLength(v, 'utf8'))
        if (Array.isArray(v)) return new GoInt(v.length)
        if (v instanceof RegoSet || v instanceof RegoObject) return new GoInt(v.size)
        return fail(`error calling len: len of ${printValue(v)}`)
      }
      case 'index': {
        need(1)
        let v = args[0]
        for (const k of args.slice(1)) {
          if (Array.isArray(v)) {
            const i = k instanceof GoInt ? k.n : typeof k === 'number' ? k : NaN
            if (!(i >= 0 && i < v.length)) fail(`error calling index: index out of range: ${printValue(k)}`)
            v = v[i]
          } else if (v instanceof RegoObject) {
            const x = v.get(k instanceof GoInt ? k.n : (k as Value))
            v = x === undefined ? MISSING : x
          } else fail(`error calling index: can't index item of type ${goType(v)}`)
        }
        return v
      }
      case 'eq':
        need(2)
        return args.slice(1).some((b) => cmpEq(args[0], b))
      case 'ne':
        need(2)
        return !cmpEq(args[0], args[1])
      case 'lt':
        need(2)
        return cmp(args[0], args[1], name) < 0
      case 'le':
        need(2)
        return cmp(args[0], args[1], name) <= 0
      case 'gt':
        need(2)
        return cmp(args[0], args[1], name) > 0
      case 'ge':
        need(2)
        return cmp(args[0], args[1], name) >= 0
      case 'print':
        // fmt.Sprint puts spaces only between operands when neither is a string.
        return args.reduce<string>((s, a, i) => s + (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string' ? ' ' : '') + printValue(a), '')
      case 'println':
        return args.map(printValue).join(' ') + '\n'
      case 'printf':
        need(1)
        if (typeof args[0] !== 'string') fail('error calling printf: format is not a string')
        return goSprintf(args[0], args.slice(1).map(toGoArg))
    }
    return fail(`function "${name}" not defined`)
  }
}

function cmpEq(a: TValue, b: TValue): boolean {
  const x = num(a)
  const y = num(b)
  if (x !== undefined && y !== undefined) return cmp(a, b, 'eq') === 0
  if (a === MISSING || b === MISSING) return a === b
  return compare(a as Value, b as Value) === 0
}

/** Renders a template with the given variables (the template's dot). */
export function renderTemplate(src: string, vars: Value): string {
  const nodes = parse(splitActions(src))
  const exec = new Exec(new Scope(vars))
  exec.list(nodes, vars)
  return exec.out.replaceAll('<no value>', '<undefined>')
}
