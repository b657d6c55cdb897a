/**
 * A single-pass check that a JSON text is in RFC 8785 canonical form, for the verifier's hot path.
 *
 * It reads the text once instead of re-serialising the parsed value and comparing (which costs a
 * JSON.stringify and a key-order walk per record). The same source runs in the main thread and
 * in verification workers (started with `eval: true`), so it is kept here as plain JavaScript and
 * instantiated in both; one implementation, one set of tests.
 *
 * Contract: `text` must already be accepted by JSON.parse (so it is well-formed JSON with no raw
 * control characters in strings). The check then requires, exactly as canonicalize() writes:
 * - no whitespace between tokens;
 * - object members in strictly increasing key order by UTF-16 code units (no duplicates);
 * - strings with only the escapes RFC 8785 writes: \" \\ \b \t \n \f \r, and \u00xx in lower-case
 *   hex for the other characters below U+0020; nothing else escaped (not "/", not U+007F);
 * - numbers exactly as ECMAScript Number::toString writes them (finite; -0 is written 0).
 * Texts containing any UTF-16 surrogate are left to the full canonicaliser (it alone decides
 * well-formedness), so the scanner answers `null` for them: "not decided here".
 */
export const CANONICAL_SCAN_SOURCE = String.raw`
const SURROGATE = /[\ud800-\udfff]/
const SHORT_ESCAPES = 'btnfr"\\'
// Returns true (canonical), false (not canonical) or null (contains surrogates: use the full check).
function scanCanonical(text) {
  if (SURROGATE.test(text)) return null
  const n = text.length
  // The next backslash at or after a position, found once per stretch: without it, searching
  // for escapes in every string would rescan the rest of the text each time.
  let slash = -1
  const nextSlash = (from) => {
    if (slash < from) {
      slash = text.indexOf('\\', from)
      if (slash < 0) slash = n
    }
    return slash
  }
  // The index just past the closing quote of the string starting at p, or -1 when an escape in
  // it is not one RFC 8785 writes; sets escaped when the string has any escape.
  let escaped = false
  const stringEnd = (p) => {
    let pos = p + 1
    escaped = false
    for (;;) {
      const quote = text.indexOf('"', pos)
      if (quote < 0) return -1
      const at = nextSlash(pos)
      if (at > quote) return quote + 1
      const e = text.charCodeAt(at + 1)
      escaped = true
      if (e === 117 /* u */) {
        const hex = text.slice(at + 2, at + 6)
        if (!/^00[01][0-9a-f]$/.test(hex)) return -1
        const code = parseInt(hex, 16)
        if (code === 8 || code === 9 || code === 10 || code === 12 || code === 13) return -1
        pos = at + 6
      } else {
        if (SHORT_ESCAPES.indexOf(text[at + 1]) < 0) return -1
        pos = at + 2
      }
    }
  }
  // Per open container: true for an object, false for an array; lastKey holds each open
  // object's previous key (undefined before its first member).
  const isObject = []
  const lastKey = []
  let p = 0
  for (;;) {
    // One value at p; an open bracket pushes its container and reads its first member.
    let c = text.charCodeAt(p)
    let opened = false
    if (c === 123 /* { */) {
      if (text.charCodeAt(p + 1) === 125 /* } */) p += 2
      else { isObject.push(true); lastKey.push(undefined); p++; opened = true }
    } else if (c === 91 /* [ */) {
      if (text.charCodeAt(p + 1) === 93 /* ] */) p += 2
      else { isObject.push(false); lastKey.push(undefined); p++; continue }
    } else if (c === 34 /* " */) {
      p = stringEnd(p)
      if (p < 0) return false
    } else if (c === 116 /* t */ || c === 110 /* n */) {
      p += 4
    } else if (c === 102 /* f */) {
      p += 5
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      let q = p + 1
      for (; q < n; q++) {
        const d = text.charCodeAt(q)
        if (!((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45)) break
      }
      const literal = text.slice(p, q)
      const value = Number(literal)
      if (!Number.isFinite(value) || JSON.stringify(value) !== literal) return false
      p = q
    } else {
      return false
    }
    // After a value: close containers, then expect a comma (and, in an object, the next key).
    for (;;) {
      const depth = isObject.length
      if (depth === 0) return p === n
      c = text.charCodeAt(p)
      if (!opened) {
        if (c === (isObject[depth - 1] ? 125 /* } */ : 93 /* ] */)) {
          isObject.pop()
          lastKey.pop()
          p++
          continue
        }
        if (c !== 44 /* , */) return false
        p++
        c = text.charCodeAt(p)
      }
      if (isObject[depth - 1]) {
        if (c !== 34 /* " */) return false
        const end = stringEnd(p)
        if (end < 0) return false
        const key = escaped ? JSON.parse(text.slice(p, end)) : text.slice(p + 1, end - 1)
        const prev = lastKey[depth - 1]
        if (prev !== undefined && !(prev < key)) return false
        lastKey[depth - 1] = key
        if (text.charCodeAt(end) !== 58 /* : */) return false
        p = end + 1
      }
      break
    }
  }
}
`

type Scan = (text: string) => boolean | null

/** The scanner, instantiated in this thread from the shared source. */
export const scanCanonical: Scan = new Function(`${CANONICAL_SCAN_SOURCE}\nreturn scanCanonical`)() as Scan
