/**
 * `regex.globs_match`: do two "regex-like globs" match at least one common string?
 *
 * The syntax is the one OPA accepts (from its glob-intersection dependency): a token is a
 * character, `.` (any character) or a set `[a-z0-9]` (no negation), optionally followed by
 * `+` (one or more) or `*` (zero or more); `\` escapes. Both globs become small automata and
 * the answer is whether their product reaches the accepting state: polynomial, no
 * backtracking.
 */
import { BuiltinError } from './types.js'

type Class = { any: true } | { any: false; chars: ReadonlySet<number> }
interface Token {
  readonly cls: Class
  readonly star: boolean
}

function invalid(input: string, pos: number, why: string): BuiltinError {
  return new BuiltinError(`input:${input}, pos:${pos}, ${why}: the input provided is invalid`)
}

/** Reads one possibly escaped rune; returns [next index, rune, escaped]. */
function nextRune(input: string, runes: string[], i: number): [number, string, boolean] | null {
  if (i >= runes.length) return null
  if (runes[i] === '\\') {
    if (i === runes.length - 1) throw invalid(input, i, 'input ends with a \\ (escape) character')
    return [i + 2, runes[i + 1]!, true]
  }
  return [i + 1, runes[i]!, false]
}

function readSet(input: string, runes: string[], start: number): [number, Class] {
  const chars = new Set<number>()
  let i = start
  let prev: number | undefined
  for (;;) {
    const got = nextRune(input, runes, i)
    if (got === null) throw invalid(input, i, 'found [ without matching ]')
    const [next, r, escaped] = got
    i = next
    if (escaped) {
      prev = r.codePointAt(0)!
      chars.add(prev)
      continue
    }
    if (r === ']') return [i, { any: false, chars }]
    if (r === '-') {
      if (prev === undefined) throw invalid(input, i, "range character '-' must be preceded by a Unicode character")
      const hiRune = nextRune(input, runes, i)
      if (hiRune === null || i >= runes.length - 1) throw invalid(input, i, "range character '-' must be followed by a Unicode character")
      const [after, hi, hiEscaped] = hiRune
      i = after
      if (!hiEscaped && (hi === ']' || hi === '-')) throw invalid(input, i, "range character '-' cannot be followed by a special symbol")
      const top = hi.codePointAt(0)!
      if (top < prev) throw invalid(input, i, `range is out of order: '${hi}' comes before '${String.fromCodePoint(prev)}' in Unicode`)
      for (let c = prev; c <= top; c++) chars.add(c)
      prev = undefined
      continue
    }
    prev = r.codePointAt(0)!
    chars.add(prev)
  }
}

/** Tokens of one glob; `x+` becomes `x x*`. */
export function tokenizeGlob(input: string): Token[] {
  const runes = Array.from(input)
  const out: Token[] = []
  let i = 0
  for (;;) {
    const got = nextRune(input, runes, i)
    if (got === null) return out
    const [next, r, escaped] = got
    i = next
    let cls: Class
    if (escaped) cls = { any: false, chars: new Set([r.codePointAt(0)!]) }
    else if (r === '.') cls = { any: true }
    else if (r === ']') throw invalid(input, i, "set-close ']' with no preceding '['")
    else if (r === '[') [i, cls] = readSet(input, runes, i)
    else if (r === '+' || r === '*') throw invalid(input, i, `flag '${r}' must be preceded by a non-flag`)
    else cls = { any: false, chars: new Set([r.codePointAt(0)!]) }
    const flag = i < runes.length ? runes[i] : undefined
    if (flag === '*') {
      out.push({ cls, star: true })
      i++
    } else if (flag === '+') {
      out.push({ cls, star: false }, { cls, star: true })
      i++
    } else {
      out.push({ cls, star: false })
    }
  }
}

function overlap(a: Class, b: Class): boolean {
  if (a.any) return b.any || b.chars.size > 0
  if (b.any) return a.chars.size > 0
  const [small, large] = a.chars.size <= b.chars.size ? [a.chars, b.chars] : [b.chars, a.chars]
  for (const c of small) if (large.has(c)) return true
  return false
}

/** Whether some string matches both globs (breadth-first search of the product automaton). */
export function globsIntersect(left: string, right: string): boolean {
  const g1 = tokenizeGlob(left)
  const g2 = tokenizeGlob(right)
  const width = g2.length + 1
  const seen = new Uint8Array((g1.length + 1) * width)
  const queue: number[] = [0]
  seen[0] = 1
  const visit = (i: number, j: number): void => {
    const k = i * width + j
    if (!seen[k]) {
      seen[k] = 1
      queue.push(k)
    }
  }
  while (queue.length > 0) {
    const k = queue.pop()!
    const i = Math.floor(k / width)
    const j = k % width
    if (i === g1.length && j === g2.length) return true
    const a = g1[i]
    const b = g2[j]
    if (a?.star) visit(i + 1, j)
    if (b?.star) visit(i, j + 1)
    if (a && b && overlap(a.cls, b.cls)) visit(a.star ? i : i + 1, b.star ? j : j + 1)
  }
  return false
}
