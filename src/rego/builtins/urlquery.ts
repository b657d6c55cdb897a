/**
 * URL query encoding with the rules of Go's net/url, which OPA's urlquery.* use:
 * unreserved characters (A-Z a-z 0-9 - _ . ~) stay, a space becomes `+`, every other byte of
 * the UTF-8 text becomes %XX.
 */
import { RegoObject, RegoSet, compare, type Value } from '../value.js'
import { BuiltinError } from './types.js'

const UNRESERVED = /[A-Za-z0-9\-_.~]/

export function urlEncode(s: string): string {
  let out = ''
  for (const ch of s) {
    if (ch === ' ') out += '+'
    else if (UNRESERVED.test(ch)) out += ch
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c)
}

export function urlDecode(s: string): string {
  const parts: Buffer[] = []
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    if (c === '%') {
      if (!isHex(s[i + 1]) || !isHex(s[i + 2])) {
        throw new BuiltinError(`invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}; a % must be followed by two hex digits (write %25 for a literal %)`)
      }
      parts.push(Buffer.of(parseInt(s.slice(i + 1, i + 3), 16)))
      i += 2
    } else if (c === '+') {
      parts.push(Buffer.of(0x20))
    } else {
      let j = i
      while (j < s.length && s[j] !== '%' && s[j] !== '+') j++
      parts.push(Buffer.from(s.slice(i, j), 'utf8'))
      i = j - 1
    }
  }
  return Buffer.concat(parts).toString('utf8')
}

/** url.Values.Encode(): keys sorted, `key=value` pairs joined with `&`. */
export function urlEncodeObject(o: RegoObject): string {
  const pairs: string[] = []
  const entries = o.entries().map(([k, v]): [string, Value] => {
    if (typeof k !== 'string') throw new BuiltinError('operand 1 only string keys are allowed', 'eval_type_error')
    return [k, v]
  })
  entries.sort((a, b) => compare(a[0], b[0]))
  for (const [k, v] of entries) {
    let values: Value[]
    if (typeof v === 'string') values = [v]
    else if (Array.isArray(v)) values = v
    else if (v instanceof RegoSet) values = v.values()
    else throw new BuiltinError('operand 1 only string or array of strings are allowed')
    for (const x of values) {
      if (typeof x !== 'string') throw new BuiltinError('operand 1 only array of strings are allowed')
      pairs.push(`${urlEncode(k)}=${urlEncode(x)}`)
    }
  }
  return pairs.join('&')
}

/** url.ParseQuery: `&`-separated pairs; a key without `=` gets ""; the first error wins. */
export function urlDecodeObject(s: string): RegoObject {
  const out = new Map<string, string[]>()
  let firstError: BuiltinError | undefined
  for (const part of s.split('&')) {
    if (part.includes(';')) {
      firstError ??= new BuiltinError('invalid semicolon separator in query; separate parameters with &')
      continue
    }
    if (part === '') continue
    const eq = part.indexOf('=')
    try {
      const key = urlDecode(eq < 0 ? part : part.slice(0, eq))
      const value = urlDecode(eq < 0 ? '' : part.slice(eq + 1))
      const list = out.get(key) ?? []
      list.push(value)
      out.set(key, list)
    } catch (err) {
      firstError ??= err as BuiltinError
    }
  }
  if (firstError) throw firstError
  return new RegoObject([...out].map(([k, v]): [Value, Value] => [k, v]))
}
