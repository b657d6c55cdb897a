/**
 * `glob.match` and `glob.quote_meta` with the syntax OPA accepts (gobwas/glob): `*` (any run
 * of non-delimiter characters), `**` (any run of characters), `?` (one non-delimiter
 * character), `[abc]`, `[a-z]`, `[!…]`, `{alt1,alt2}` (nestable), `\` escapes. A glob is
 * compiled once to an anchored RE2 pattern, so matching is linear-time.
 */
import { RE2JS } from 're2js'
import type { Value } from '../value.js'
import { typeName } from '../value.js'
import { str, typeError } from './args.js'
import { quoteMeta } from './regex.js'
import { BuiltinError, type BuiltinDef } from './types.js'

const NEVER = '[^\\x00-\\x{10FFFF}]'
const ANY_CHAR = '(?s:.)'

function hex(c: number): string {
  return `\\x{${c.toString(16)}}`
}

/** A character class over the given code points (never empty: an empty class matches nothing). */
function charClass(codes: number[], negated: boolean): string {
  if (codes.length === 0) return negated ? ANY_CHAR : NEVER
  return `[${negated ? '^' : ''}${codes.map(hex).join('')}]`
}

class GlobCompiler {
  private pos = 0
  private depth = 0
  private readonly runes: string[]

  constructor(
    private readonly source: string,
    private readonly delimiters: number[]
  ) {
    this.runes = Array.from(source)
  }

  private fail(why: string): never {
    throw new BuiltinError(`invalid glob ${JSON.stringify(this.source)}: ${why}; escape special characters with \\ or use glob.quote_meta`)
  }

  private any(many: boolean): string {
    if (this.delimiters.length === 0) return many ? `${ANY_CHAR}*` : ANY_CHAR
    return charClass(this.delimiters, true) + (many ? '*' : '')
  }

  /** Literal text up to the next special character (in braces also `,` and `}`). */
  private text(): string {
    const breakers = this.depth > 0 ? '*?[{},' : '*?[{'
    let out = ''
    let escaped = false
    while (this.pos < this.runes.length) {
      const r = this.runes[this.pos]!
      if (!escaped) {
        if (r === '\\') {
          escaped = true
          this.pos++
          continue
        }
        if (breakers.includes(r)) break
      }
      escaped = false
      out += r
      this.pos++
    }
    return quoteMeta(out)
  }

  /** After `[`: `!`? then either `lo-hi` or a list of (escapable) characters, then `]`. */
  private range(): string {
    const next = (): string => {
      const r = this.runes[this.pos++]
      if (r === undefined) this.fail('unexpected end of input in [...]')
      return r
    }
    let negated = false
    let r = next()
    if (r === '!') {
      negated = true
      r = next()
    }
    if (this.runes[this.pos] === '-') {
      this.pos++
      const lo = r.codePointAt(0)!
      const hi = next().codePointAt(0)!
      if (next() !== ']') this.fail('expected close range character ] after a range lo-hi')
      if (lo > hi) return negated ? ANY_CHAR : NEVER
      return `[${negated ? '^' : ''}${hex(lo)}-${hex(hi)}]`
    }
    this.pos--
    const codes: number[] = []
    let escaped = false
    for (;;) {
      const c = next()
      if (!escaped && c === '\\') {
        escaped = true
        continue
      }
      if (!escaped && c === ']') break
      escaped = false
      codes.push(c.codePointAt(0)!)
    }
    return charClass(codes, negated)
  }

  /** A sequence, up to `,` or `}` when inside braces. */
  private sequence(): string {
    let out = ''
    while (this.pos < this.runes.length) {
      const r = this.runes[this.pos]!
      if (this.depth > 0 && (r === ',' || r === '}')) break
      if (r === '{') {
        this.pos++
        this.depth++
        const alts = [this.sequence()]
        while (this.runes[this.pos] === ',') {
          this.pos++
          alts.push(this.sequence())
        }
        // An unclosed `{` runs to the end of the pattern, as in gobwas/glob.
        if (this.runes[this.pos] === '}') this.pos++
        this.depth--
        out += `(?:${alts.join('|')})`
      } else if (r === '[') {
        this.pos++
        out += this.range()
      } else if (r === '?') {
        this.pos++
        out += this.any(false)
      } else if (r === '*') {
        this.pos++
        if (this.runes[this.pos] === '*') {
          this.pos++
          out += `${ANY_CHAR}*`
        } else {
          out += this.any(true)
        }
      } else {
        out += this.text()
      }
    }
    return out
  }

  compile(): string {
    return `^(?:${this.sequence()})$`
  }
}

const CACHE_LIMIT = 500
const cache = new Map<string, RE2JS>()

/** Compiles (and caches) a glob for the given delimiters. */
export function compileGlob(pattern: string, delimiters: number[]): RE2JS {
  const key = `${delimiters.join(',')}\u0000${pattern}`
  const hit = cache.get(key)
  if (hit) return hit
  const re = RE2JS.compile(new GlobCompiler(pattern, delimiters).compile())
  cache.set(key, re)
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string)
  return re
}

/** null: no delimiters; []: the default `.`; otherwise one-character strings. */
function delimiters(v: Value): number[] {
  if (v === null) return []
  if (!Array.isArray(v)) throw typeError(1, 'one of {array, null}', v)
  if (v.length === 0) return ['.'.codePointAt(0)!]
  return v.map((d) => {
    if (typeof d !== 'string') throw new BuiltinError(`operand 2 must be array of strings but got array containing ${typeName(d)}`, 'eval_type_error')
    const runes = Array.from(d)
    if (runes.length !== 1) throw new BuiltinError(`operand 2 must be array of single characters but got ${JSON.stringify(d)}`, 'eval_type_error')
    return runes[0]!.codePointAt(0)!
  })
}

export const builtins: BuiltinDef[] = [
  {
    name: 'glob.match',
    args: ['string', 'array[string]|null', 'string'],
    result: 'boolean',
    impl: (args) => {
      const pattern = str(args, 0)
      const delims = delimiters(args[1]!)
      return compileGlob(pattern, delims).test(str(args, 2))
    },
  },
  {
    name: 'glob.quote_meta',
    args: ['string'],
    result: 'string',
    impl: (args) => str(args, 0).replace(/[*?\\[\]{}]/g, '\\$&'),
  },
]
