/**
 * Regular-expression builtins with RE2 semantics (linear-time matching through `re2js`).
 * User patterns never reach JavaScript's RegExp. Results follow Go's `regexp` package, which
 * OPA uses: `FindAll` skips an empty match right after a previous match, `Split` keeps
 * trailing empty strings, unmatched groups read as "".
 */
import { RE2JS } from 're2js'
import { int, str } from './args.js'
import { globsIntersect } from './glob-intersect.js'
import { BuiltinError, type BuiltinDef } from './types.js'

const CACHE_LIMIT = 500
const compiled = new Map<string, RE2JS>()

/** Compiles a pattern once, keeping at most CACHE_LIMIT patterns (least recently used evicted). */
export function compileRegex(pattern: string): RE2JS {
  const hit = compiled.get(pattern)
  if (hit) {
    compiled.delete(pattern)
    compiled.set(pattern, hit)
    return hit
  }
  let re: RE2JS
  try {
    re = RE2JS.compile(pattern)
  } catch (err) {
    throw new BuiltinError(`invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message}; use RE2 syntax`)
  }
  compiled.set(pattern, re)
  if (compiled.size > CACHE_LIMIT) compiled.delete(compiled.keys().next().value as string)
  return re
}

/** Go's regexp.QuoteMeta: a pattern matching `s` literally. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')
}

/** Go's `FindAllStringIndex(s, n)`: [start, end] pairs in UTF-16 offsets; n < 0 means all. */
function findAllIndex(re: RE2JS, s: string, n: number): Array<[number, number]> {
  if (n === 0) return []
  return (re.re2().findAllIndex(s, n) as Array<[number, number]> | null) ?? []
}

const NAME_CHAR = /[\p{L}\p{Nd}_]/u

/** Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`; unknown groups expand to "". */
function expand(template: string, src: string, m: number[], names: Record<string, number>): string {
  let out = ''
  let t = template
  for (;;) {
    const i = t.indexOf('$')
    if (i < 0) return out + t
    out += t.slice(0, i)
    t = t.slice(i)
    if (t[1] === '$') {
      out += '$'
      t = t.slice(2)
      continue
    }
    const brace = t[1] === '{'
    const body = t.slice(brace ? 2 : 1)
    let n = 0
    for (const ch of body) {
      if (!NAME_CHAR.test(ch)) break
      n += ch.length
    }
    const name = body.slice(0, n)
    if (n === 0 || (brace && body[n] !== '}')) {
      // Malformed: the $ is literal text.
      out += '$'
      t = t.slice(1)
      continue
    }
    t = body.slice(n + (brace ? 1 : 0))
    let group = /^\d+$/.test(name) && !(name.length > 1 && name[0] === '0') && name.length <= 8 ? Number(name) : -1
    if (group < 0) group = names[name] ?? -1
    if (group >= 0 && 2 * group + 1 < m.length && m[2 * group]! >= 0) out += src.slice(m[2 * group], m[2 * group + 1])
  }
}

/** Go's `Regexp.ReplaceAllString`: every match (as FindAll finds them) replaced by the expanded template. */
function replaceAll(re: RE2JS, s: string, template: string): string {
  const matches = (re.re2().findAllSubmatchIndex(s, -1) as number[][] | null) ?? []
  const names = re.re2().namedGroups as Record<string, number>
  let out = ''
  let last = 0
  for (const m of matches) {
    out += s.slice(last, m[0]) + expand(template, s, m, names)
    last = m[1]!
  }
  return out + s.slice(last)
}

/** Go's `Regexp.Split(s, -1)`. */
function split(re: RE2JS, s: string): string[] {
  if (re.pattern().length > 0 && s.length === 0) return ['']
  const out: string[] = []
  let beg = 0
  let end = 0
  for (const [start, stop] of findAllIndex(re, s, -1)) {
    end = start
    if (stop !== 0) out.push(s.slice(beg, end))
    beg = stop
  }
  if (end !== s.length) out.push(s.slice(beg))
  return out
}

/**
 * A template such as `urn:foo:<.*>`: text outside the delimiters is literal, text inside is a
 * regular expression; the whole value must match. Delimiters nest; unbalanced ones are an error.
 */
function templateRegex(tpl: string, open: string, close: string): RE2JS {
  const cut: number[] = []
  let level = 0
  let idx = 0
  for (let i = 0; i < tpl.length; i++) {
    if (tpl[i] === open) {
      if (++level === 1) idx = i
    } else if (tpl[i] === close) {
      if (--level === 0) cut.push(idx, i + 1)
      else if (level < 0) break
    }
  }
  if (level !== 0) throw new BuiltinError(`unbalanced braces in ${JSON.stringify(tpl)}; every ${open} needs a matching ${close}`)
  let pattern = '^'
  let end = 0
  for (let i = 0; i < cut.length; i += 2) {
    const raw = tpl.slice(end, cut[i])
    end = cut[i + 1]!
    const inner = tpl.slice(cut[i]! + 1, end - 1)
    compileRegex(`^${inner}$`)
    pattern += `${quoteMeta(raw)}(${inner})`
  }
  return compileRegex(`${pattern}${quoteMeta(tpl.slice(end))}$`)
}

function delimiter(args: Parameters<typeof str>[0], i: number, which: string): string {
  const d = str(args, i)
  const bytes = Buffer.byteLength(d)
  if (bytes !== 1) throw new BuiltinError(`${which} delimiter has to be exactly one character long but is ${bytes} long`)
  return d
}

export const builtins: BuiltinDef[] = [
  {
    name: 'regex.match',
    args: ['string', 'string'],
    result: 'boolean',
    impl: (args) => compileRegex(str(args, 0)).test(str(args, 1)),
  },
  {
    name: 'regex.is_valid',
    args: ['any'],
    result: 'boolean',
    impl: (args) => {
      if (typeof args[0] !== 'string') return false
      try {
        compileRegex(args[0])
        return true
      } catch {
        return false
      }
    },
  },
  {
    name: 'regex.replace',
    args: ['string', 'string', 'string'],
    result: 'string',
    impl: (args) => replaceAll(compileRegex(str(args, 1)), str(args, 0), str(args, 2)),
  },
  {
    name: 'regex.split',
    args: ['string', 'string'],
    result: 'array[string]',
    impl: (args) => split(compileRegex(str(args, 0)), str(args, 1)),
  },
  {
    name: 'regex.find_n',
    args: ['string', 'string', 'number'],
    result: 'array[string]',
    impl: (args) => {
      const re = compileRegex(str(args, 0))
      const s = str(args, 1)
      return findAllIndex(re, s, int(args, 2)).map(([a, b]) => s.slice(a, b))
    },
  },
  {
    name: 'regex.find_all_string_submatch_n',
    args: ['string', 'string', 'number'],
    result: 'array[array[string]]',
    impl: (args) => {
      const re = compileRegex(str(args, 0))
      const s = str(args, 1)
      const n = int(args, 2)
      if (n === 0) return []
      const all = (re.re2().findAllSubmatch(s, n) as Array<Array<string | null>> | null) ?? []
      return all.map((groups) => groups.map((g) => g ?? ''))
    },
  },
  {
    name: 'regex.template_match',
    args: ['string', 'string', 'string', 'string'],
    result: 'boolean',
    impl: (args) => {
      const tpl = str(args, 0)
      const value = str(args, 1)
      const re = templateRegex(tpl, delimiter(args, 2, 'start'), delimiter(args, 3, 'end'))
      return re.test(value)
    },
  },
  {
    name: 'regex.globs_match',
    args: ['string', 'string'],
    result: 'boolean',
    impl: (args) => globsIntersect(str(args, 0), str(args, 1)),
  },
]
