/**
 * String builtins with Go's semantics: positions and lengths count code points (Go runes),
 * cutsets are sets of code points, `sprintf` is Go's fmt and `strings.render_template` Go's
 * text/template.
 */
import { formatValue, RegoObject, RegoSet, type Value } from '../value.js'
import { elementError } from './aggregates.js'
import { int, num, obj, str } from './args.js'
import { goSprintf, quoteGo, type GoArg } from './gofmt.js'
import { renderTemplate } from './gotemplate.js'
import { operandTypes } from './operators.js'
import { BuiltinError, type BuiltinDef } from './types.js'

const runes = (s: string): string[] => Array.from(s)

/** Strings of an array or set operand, blaming a wrong member like OPA. */
function stringMembers(a: Value[], i: number): string[] {
  const v = a[i]
  const xs = Array.isArray(v) ? v : v instanceof RegoSet ? v.values() : undefined
  if (!xs) throw operandTypes(i, v, 'set', 'array')
  return xs.map((x) => {
    if (typeof x !== 'string') throw elementError(i, v, x, 'string')
    return x
  })
}

/**
 * Go's strings.ToUpper/ToLower map rune by rune (unicode.SimpleFold-style single runes):
 * no context (final sigma), no expansions ("ß" stays, never "SS").
 */
function caseMap(s: string, to: 'upper' | 'lower'): string {
  if (/^[\x00-\x7f]*$/.test(s)) return to === 'upper' ? s.toUpperCase() : s.toLowerCase()
  let out = ''
  for (const ch of s) {
    if (to === 'lower' && ch === '\u0130') {
      out += 'i' // Go's single-rune lowercase of İ; JavaScript adds a combining dot
      continue
    }
    const m = to === 'upper' ? ch.toUpperCase() : ch.toLowerCase()
    out += Array.from(m).length === 1 ? m : ch
  }
  return out
}

/** A string, or an array or set of strings (strings.any_prefix_match and friends). */
function oneOrMany(a: Value[], i: number): string[] {
  const v = a[i]
  if (typeof v === 'string') return [v]
  if (!Array.isArray(v) && !(v instanceof RegoSet)) throw operandTypes(i, v, 'string', 'set', 'array')
  return stringMembers(a, i)
}

function trimSet(s: string, cutset: string, left: boolean, right: boolean): string {
  const cut = new Set(runes(cutset))
  const cs = runes(s)
  let start = 0
  let end = cs.length
  if (left) while (start < end && cut.has(cs[start])) start++
  if (right) while (end > start && cut.has(cs[end - 1])) end--
  return cs.slice(start, end).join('')
}

// Go's unicode.IsSpace (JavaScript's \s also counts U+FEFF, which Go does not).
const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]'
const LEADING_SPACE = new RegExp(`^${GO_SPACE}+`)
const TRAILING_SPACE = new RegExp(`${GO_SPACE}+$`)

/** Go's strings.Replace(s, old, new, -1): an empty `old` matches before every rune and at the end. */
function replaceAll(s: string, old: string, rep: string): string {
  if (old !== '') return s.split(old).join(rep)
  return rep + runes(s).map((c) => c + rep).join('')
}

/** Go's strings.Count: non-overlapping; an empty needle counts rune boundaries. */
function countOf(s: string, sub: string): number {
  if (sub === '') return runes(s).length + 1
  let n = 0
  for (let i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length)) n++
  return n
}

/** Code-point index of `sub` in `s`, or -1. */
function runeIndexOf(s: string, sub: string, from = 0): number {
  const i = s.indexOf(sub, from)
  return i < 0 ? -1 : runes(s.slice(0, i)).length
}

/** Go's strings.NewReplacer: left to right, at each position the first pattern (in key order) that matches wins. */
function replaceN(a: Value[]): string {
  const patterns = obj(a, 0)
  const s = str(a, 1)
  const pairs: [string, string][] = patterns.entries().map(([k, v]) => {
    if (typeof k !== 'string') throw new BuiltinError('operand 1 non-string key found in pattern object', 'eval_type_error')
    if (typeof v !== 'string') throw new BuiltinError('operand 1 non-string value found in pattern object', 'eval_type_error')
    return [k, v]
  })
  const empty = pairs.find(([k]) => k === '')
  let out = ''
  let i = 0
  while (i <= s.length) {
    const hit = pairs.find(([k]) => k !== '' && s.startsWith(k, i))
    if (hit) {
      out += hit[1]
      i += hit[0].length
      continue
    }
    if (empty) out += empty[1]
    if (i === s.length) break
    const cp = s.codePointAt(i) as number
    const ch = String.fromCodePoint(cp)
    out += ch
    i += ch.length
  }
  return out
}

function substring(a: Value[]): string {
  const cs = runes(str(a, 0))
  const offset = int(a, 1)
  const length = int(a, 2)
  if (offset < 0) throw new BuiltinError('negative offset')
  if (offset >= cs.length) return ''
  const end = length < 0 ? cs.length : Math.min(cs.length, offset + length)
  return cs.slice(offset, end).join('')
}

function formatInt(a: Value[]): string {
  const n = num(a, 0)
  const base = num(a, 1)
  if (![2, 8, 10, 16].includes(base)) throw new BuiltinError('operand 2 must be one of {2, 8, 10, 16}', 'eval_type_error')
  // OPA truncates toward zero before formatting.
  return BigInt(Math.trunc(n)).toString(base)
}

/** Rego's text of a value, as OPA's Term.String() writes it (strings quoted like Go's strconv.Quote). */
function regoText(v: Value): string {
  if (typeof v === 'string') return quoteGo(v)
  if (Array.isArray(v)) return '[' + v.map(regoText).join(', ') + ']'
  if (v instanceof RegoSet) return v.size === 0 ? 'set()' : '{' + v.values().map(regoText).join(', ') + '}'
  if (v instanceof RegoObject) return '{' + v.entries().map(([k, x]) => `${regoText(k)}: ${regoText(x)}`).join(', ') + '}'
  return formatValue(v)
}

/** The argument OPA hands Go for one Rego value (see gofmt.ts). */
function goArg(v: Value): GoArg {
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) < 1e21) return { kind: 'int', v: BigInt(v) }
    return { kind: 'float', v }
  }
  if (typeof v === 'string') return { kind: 'string', v }
  return { kind: 'string', v: regoText(v) }
}

function sprintf(a: Value[]): string {
  const format = str(a, 0)
  const v = a[1]
  if (!Array.isArray(v)) throw operandTypes(1, v, 'array')
  return goSprintf(format, v.map(goArg))
}

function concat(a: Value[]): string {
  const delim = str(a, 0)
  const v = a[1]
  if (!Array.isArray(v) && !(v instanceof RegoSet)) throw operandTypes(1, v, 'set', 'array')
  return stringMembers(a, 1).join(delim)
}

function renderTemplateBuiltin(a: Value[]): string {
  const template = str(a, 0)
  const vars = obj(a, 1)
  return renderTemplate(template, vars)
}

function bool2(name: string, test: (s: string, t: string) => boolean): BuiltinDef {
  return { name, args: ['string', 'string'], result: 'boolean', impl: (a) => test(str(a, 0), str(a, 1)) }
}

function str2(name: string, f: (s: string, t: string) => string): BuiltinDef {
  return { name, args: ['string', 'string'], result: 'string', impl: (a) => f(str(a, 0), str(a, 1)) }
}

export const builtins: BuiltinDef[] = [
  { name: 'upper', args: ['string'], result: 'string', impl: (a) => caseMap(str(a, 0), 'upper') },
  { name: 'lower', args: ['string'], result: 'string', impl: (a) => caseMap(str(a, 0), 'lower') },
  { name: 'sprintf', args: ['string', 'array[any]'], result: 'string', impl: sprintf },
  { name: 'concat', args: ['string', 'array[string]|set[string]'], result: 'string', impl: concat },
  {
    name: 'split',
    args: ['string', 'string'],
    result: 'array[string]',
    impl: (a) => {
      const s = str(a, 0)
      const d = str(a, 1)
      // Go splits an empty separator into runes; JavaScript would split UTF-16 units.
      return d === '' ? runes(s) : s.split(d)
    },
  },
  str2('trim', (s, c) => trimSet(s, c, true, true)),
  str2('trim_left', (s, c) => trimSet(s, c, true, false)),
  str2('trim_right', (s, c) => trimSet(s, c, false, true)),
  str2('trim_prefix', (s, p) => (p !== '' && s.startsWith(p) ? s.slice(p.length) : s)),
  str2('trim_suffix', (s, p) => (p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s)),
  {
    name: 'trim_space',
    args: ['string'],
    result: 'string',
    impl: (a) => str(a, 0).replace(LEADING_SPACE, '').replace(TRAILING_SPACE, ''),
  },
  {
    name: 'replace',
    args: ['string', 'string', 'string'],
    result: 'string',
    impl: (a) => replaceAll(str(a, 0), str(a, 1), str(a, 2)),
  },
  { name: 'strings.replace_n', args: ['object[string:string]', 'string'], result: 'string', impl: replaceN },
  bool2('startswith', (s, p) => s.startsWith(p)),
  bool2('endswith', (s, p) => s.endsWith(p)),
  bool2('contains', (s, p) => s.includes(p)),
  {
    name: 'indexof',
    args: ['string', 'string'],
    result: 'number',
    impl: (a) => {
      const s = str(a, 0)
      const sub = str(a, 1)
      if (sub === '') throw new BuiltinError('empty search character')
      return runeIndexOf(s, sub)
    },
  },
  {
    name: 'indexof_n',
    args: ['string', 'string'],
    result: 'array[number]',
    impl: (a) => {
      const s = str(a, 0)
      const sub = str(a, 1)
      if (sub === '') throw new BuiltinError('empty search character')
      // Every position, overlapping matches included, in code points.
      const out: number[] = []
      for (let i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
        if (i > 0 && s.charCodeAt(i) >= 0xdc00 && s.charCodeAt(i) <= 0xdfff) continue
        out.push(runes(s.slice(0, i)).length)
      }
      return out
    },
  },
  { name: 'substring', args: ['string', 'number', 'number'], result: 'string', impl: substring },
  { name: 'format_int', args: ['number', 'number'], result: 'string', impl: formatInt },
  { name: 'strings.reverse', args: ['string'], result: 'string', impl: (a) => runes(str(a, 0)).reverse().join('') },
  {
    name: 'strings.any_prefix_match',
    args: ['array[string]|set[string]|string', 'array[string]|set[string]|string'],
    result: 'boolean',
    impl: (a) => {
      const xs = oneOrMany(a, 0)
      const ps = oneOrMany(a, 1)
      return xs.some((x) => ps.some((p) => x.startsWith(p)))
    },
  },
  {
    name: 'strings.any_suffix_match',
    args: ['array[string]|set[string]|string', 'array[string]|set[string]|string'],
    result: 'boolean',
    impl: (a) => {
      const xs = oneOrMany(a, 0)
      const ps = oneOrMany(a, 1)
      return xs.some((x) => ps.some((p) => x.endsWith(p)))
    },
  },
  {
    name: 'strings.count',
    args: ['string', 'string'],
    result: 'number',
    impl: (a) => countOf(str(a, 0), str(a, 1)),
  },
  {
    name: 'strings.render_template',
    args: ['string', 'object[string:any]'],
    result: 'string',
    impl: renderTemplateBuiltin,
  },
]
