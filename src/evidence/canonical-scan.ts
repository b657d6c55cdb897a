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
  // Per open container: true for an object, false for an array. For each open object, where its
  // previous key is (opening quote, end, whether it has escapes; -1 before its first member):
  // keys are compared in place, without copying them out of the text.
  const isObject = []
  const lastKey = []
  const lastEnd = []
  const lastEscaped = []
  let p = 0
  for (;;) {
    // One value at p; an open bracket pushes its container and reads its first member.
    let c = text.charCodeAt(p)
    let opened = false
    if (c === 123 /* { */) {
      if (text.charCodeAt(p + 1) === 125 /* } */) p += 2
      else { isObject.push(true); lastKey.push(-1); lastEnd.push(0); lastEscaped.push(false); p++; opened = true }
    } else if (c === 91 /* [ */) {
      if (text.charCodeAt(p + 1) === 93 /* ] */) p += 2
      else { isObject.push(false); lastKey.push(-1); lastEnd.push(0); lastEscaped.push(false); p++; continue }
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
          lastEnd.pop()
          lastEscaped.pop()
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
        const prev = lastKey[depth - 1]
        if (prev >= 0) {
          // Keys must increase strictly in UTF-16 code-unit order (JavaScript's < on strings).
          let less
          if (escaped || lastEscaped[depth - 1]) {
            less = JSON.parse(text.slice(prev, lastEnd[depth - 1])) < JSON.parse(text.slice(p, end))
          } else {
            const a = prev + 1, aLength = lastEnd[depth - 1] - 1 - a, b = p + 1, bLength = end - 1 - b
            const common = aLength < bLength ? aLength : bLength
            let i = 0
            while (i < common && text.charCodeAt(a + i) === text.charCodeAt(b + i)) i++
            less = i < common ? text.charCodeAt(a + i) < text.charCodeAt(b + i) : aLength < bLength
          }
          if (!less) return false
        }
        lastKey[depth - 1] = p
        lastEnd[depth - 1] = end
        lastEscaped[depth - 1] = escaped
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
