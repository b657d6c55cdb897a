/**
 * Just enough CommonMark for the gate: headings (ATX and setext) outside fenced code, and the text
 * of a body with code removed (fenced blocks, indented blocks after a blank line, inline code spans)
 * so that a ticket key quoted in a log excerpt does not count as a reference.
 */

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/

interface Line {
  text: string
  /** Inside a fenced code block (the fence lines included). */
  code: boolean
}

function lines(body: string): Line[] {
  const out: Line[] = []
  let fence: string | null = null
  for (const text of body.replace(/\r\n?/g, '\n').split('\n')) {
    const m = FENCE.exec(text)
    if (fence === null) {
      // A backtick fence's info string may not contain backticks (CommonMark).
      if (m && !(m[1]![0] === '`' && m[2]!.includes('`'))) {
        fence = m[1]!
        out.push({ text, code: true })
        continue
      }
      out.push({ text, code: false })
    } else {
      out.push({ text, code: true })
      if (m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && m[2]!.trim() === '') fence = null
    }
  }
  return out
}

/**
 * Heading text → key: inline markup, decoration around the words (emoji, a leading "1." or "-",
 * a trailing colon) dropped, whitespace collapsed, lower-cased. "## 🔙 Rollback plan:" → "rollback plan".
 */
export function headingKey(text: string): string {
  return text
    .replace(/[*_`]+/g, '')
    .replace(/\s+/g, ' ')
    .replace(/^[\s\p{Extended_Pictographic}\u200D\uFE0F\-–—•]+/u, '')
    .replace(/^\d+[.)]\s+/, '')
    .replace(/[\s\p{Extended_Pictographic}\u200D\uFE0F:.!]+$/u, '')
    .toLowerCase()
}

function stripComments(text: string): string {
  return text.replace(/<!--[\s\S]*?(-->|$)/g, '')
}

/**
 * Headings of the body (lower-cased) → their content up to the next heading of the same or a higher
 * level, HTML comments (template hints) removed, trimmed. The first of duplicate headings wins.
 */
export function sections(body: string): Record<string, string> {
  const ls = lines(stripComments(body))
  const heads: Array<{ index: number; level: number; key: string; end: number }> = []
  for (let i = 0; i < ls.length; i++) {
    const l = ls[i]!
    if (l.code) continue
    const atx = ATX.exec(l.text)
    if (atx) {
      heads.push({ index: i, level: atx[1]!.length, key: headingKey(atx[2] ?? ''), end: i + 1 })
      continue
    }
    const next = ls[i + 1]
    const setext = next && !next.code ? SETEXT.exec(next.text) : null
    // A setext heading: a paragraph line underlined with === or ---; `---` after a blank line is a rule.
    if (setext && l.text.trim() !== '' && !/^ {0,3}([-*+]|\d+[.)])\s/.test(l.text) && !/^ {4}/.test(l.text)) {
      heads.push({ index: i, level: setext[1]![0] === '=' ? 1 : 2, key: headingKey(l.text), end: i + 2 })
      i++
    }
  }
  const out: Record<string, string> = {}
  heads.forEach((h, n) => {
    if (!h.key || Object.prototype.hasOwnProperty.call(out, h.key)) return
    const stop = heads.slice(n + 1).find((o) => o.level <= h.level)
    const content = ls.slice(h.end, stop ? stop.index : ls.length).map((l) => l.text).join('\n')
    out[h.key] = content.trim()
  })
  return out
}

/** The body's prose: fenced and indented code blocks, inline code spans and HTML comments removed. */
export function proseOf(body: string): string {
  const kept: string[] = []
  let previousBlank = true
  let inIndented = false
  for (const l of lines(stripComments(body))) {
    if (l.code) {
      kept.push('')
      previousBlank = false
      continue
    }
    const blank = l.text.trim() === ''
    // An indented code block starts after a blank line (not inside a list: a simplification that errs towards ignoring text).
    if (!blank && /^( {4}|\t)/.test(l.text) && (previousBlank || inIndented)) {
      inIndented = true
      kept.push('')
      continue
    }
    if (!blank) inIndented = false
    previousBlank = blank
    kept.push(l.text)
  }
  return stripInlineCode(kept.join('\n'))
}

/** Removes inline code spans: a run of N backticks up to the next run of exactly N backticks. */
export function stripInlineCode(text: string): string {
  let out = ''
  let i = 0
  while (i < text.length) {
    if (text[i] !== '`') {
      out += text[i++]
      continue
    }
    let n = 0
    while (text[i + n] === '`') n++
    const ticks = '`'.repeat(n)
    let j = i + n
    let close = -1
    while ((j = text.indexOf(ticks, j)) !== -1) {
      if (text[j + n] !== '`' && text[j - 1] !== '`') {
        close = j
        break
      }
      while (text[j] === '`') j++
    }
    if (close === -1) {
      out += ticks // an unmatched run is literal text
      i += n
    } else {
      out += ' '
      i = close + n
    }
  }
  return out
}
