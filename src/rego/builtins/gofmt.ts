/**
 * Go's fmt.Sprintf, as OPA's `sprintf` reaches it. OPA hands Go an integer for integral
 * numbers, a float64 for other numbers, a string for strings, and the Rego text of every other
 * value (booleans, null, arrays, sets, objects) as a string. So only three Go types occur:
 * int, float64 and string, and we implement Go's verbs for exactly those, including its
 * "%!verb(type=value)" output for a verb that does not fit.
 */

export type GoArg = { kind: 'int'; v: bigint } | { kind: 'float'; v: number } | { kind: 'string'; v: string }

interface Spec {
  minus: boolean
  plus: boolean
  sharp: boolean
  space: boolean
  zero: boolean
  width?: number
  prec?: number
}

// ---- exact decimal digits of a double --------------------------------------------------------

/** Decimal digits (no leading zeros, "0" for zero) and the position of the decimal point. */
interface Digits {
  d: string
  dp: number
}

/** The exact decimal expansion of a finite, non-negative double. */
function exactDigits(x: number): Digits {
  if (x === 0) return { d: '0', dp: 1 }
  const buf = new DataView(new ArrayBuffer(8))
  buf.setFloat64(0, x)
  const hi = buf.getUint32(0)
  const lo = buf.getUint32(4)
  const expBits = (hi >>> 20) & 0x7ff
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  let exp: number
  if (expBits === 0) exp = -1074
  else {
    mant |= 1n << 52n
    exp = expBits - 1075
  }
  let d: string
  let dp: number
  if (exp >= 0) {
    d = (mant << BigInt(exp)).toString()
    dp = d.length
  } else {
    d = (mant * 5n ** BigInt(-exp)).toString()
    dp = d.length - -exp
  }
  return trimDigits({ d, dp })
}

function trimDigits(x: Digits): Digits {
  let d = x.d.replace(/0+$/, '')
  let dp = x.dp
  const lead = d.length - d.replace(/^0+/, '').length
  d = d.slice(lead)
  dp -= lead
  return d === '' ? { d: '0', dp: 1 } : { d, dp }
}

/** The shortest digits that read back as `x` (JavaScript and Go agree on these). */
function shortestDigits(x: number): Digits {
  if (x === 0) return { d: '0', dp: 1 }
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(x.toExponential())
  if (!m) throw new Error(`unexpected number form ${x}`)
  return trimDigits({ d: m[1] + (m[2] ?? ''), dp: Number(m[3]) + 1 })
}

/** Rounds to `nd` significant digits, halves to even (the digits are exact, so ties are real). */
function roundDigits(x: Digits, nd: number): Digits {
  if (nd < 0) return { d: '0', dp: 1 }
  if (x.d.length <= nd) return x
  const keep = x.d.slice(0, nd)
  const rest = x.d.slice(nd)
  let up: boolean
  if (rest[0] !== '5') up = rest[0] > '5'
  else if (/[1-9]/.test(rest.slice(1))) up = true
  else up = nd > 0 && Number(keep[nd - 1]) % 2 === 1 // exactly half: to even
  if (!up) return trimDigits({ d: keep === '' ? '0' : keep, dp: keep === '' ? 1 : x.dp })
  if (keep === '') return { d: '1', dp: x.dp + 1 }
  const inc = (BigInt(keep) + 1n).toString()
  return trimDigits({ d: inc, dp: x.dp + (inc.length - keep.length) })
}

function digitAt(x: Digits, i: number): string {
  return i >= 0 && i < x.d.length ? x.d[i] : '0'
}

/** %f with `prec` digits after the point. */
function fixed(x: Digits, prec: number): string {
  const r = roundDigits(x, x.dp + prec)
  let int = ''
  for (let i = 0; i < Math.max(r.dp, 1); i++) int += r.dp > 0 ? digitAt(r, i) : '0'
  let frac = ''
  for (let i = 0; i < prec; i++) frac += digitAt(r, r.dp + i)
  return prec > 0 ? `${int}.${frac}` : int
}

/** %e with `prec` digits after the point (-1: as many as the digits need). */
function expo(x: Digits, prec: number, upper: boolean): string {
  const r = prec < 0 ? x : roundDigits(x, prec + 1)
  const p = prec < 0 ? r.d.length - 1 : prec
  const first = r.d[0]
  let frac = ''
  for (let i = 1; i <= p; i++) frac += digitAt(r, i)
  const e = r.d === '0' ? 0 : r.dp - 1
  const es = `${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`
  return `${first}${p > 0 ? '.' + frac : ''}${upper ? 'E' : 'e'}${es}`
}

/** %g: shortest when `prec` is undefined, else `prec` significant digits; trailing zeros dropped. */
function general(x: number, prec: number | undefined, upper: boolean): string {
  const shortest = prec === undefined
  let digs: Digits
  let p: number
  if (shortest) {
    digs = shortestDigits(x)
    p = digs.d.length
  } else {
    p = prec === 0 ? 1 : prec
    digs = roundDigits(exactDigits(x), p)
  }
  let eprec = p
  if (eprec > digs.d.length && digs.d.length >= digs.dp) eprec = digs.d.length
  if (shortest) eprec = 6
  const exp = digs.d === '0' ? 0 : digs.dp - 1
  if (exp < -4 || exp >= eprec) return expo(digs, Math.min(p, digs.d.length) - 1, upper)
  return fixed(digs, Math.max((p > digs.dp ? digs.d.length : p) - digs.dp, 0))
}

/** Go's %v for a float64 (also how Go's text/template prints one). */
export function formatGoFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN'
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf'
  return (x < 0 || Object.is(x, -0) ? '-' : '') + general(Math.abs(x), undefined, false)
}

// ---- padding and signs -----------------------------------------------------------------------

function runeLength(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}

function pad(s: string, sp: Spec, zeroOk = true): string {
  const w = sp.width ?? 0
  const n = runeLength(s)
  if (n >= w) return s
  const fill = w - n
  if (sp.minus) return s + ' '.repeat(fill)
  if (sp.zero && zeroOk) {
    // Zeros go after a sign.
    const m = /^[+\- ]/.exec(s)
    if (m) return m[0] + '0'.repeat(fill) + s.slice(1)
    return '0'.repeat(fill) + s
  }
  return ' '.repeat(fill) + s
}

function sign(neg: boolean, sp: Spec): string {
  return neg ? '-' : sp.plus ? '+' : sp.space ? ' ' : ''
}

// ---- per-type formatting ---------------------------------------------------------------------

const GO_TYPE = { int: 'int', float: 'float64', string: 'string' } as const

function bad(verb: string, a: GoArg): string {
  return `%!${verb}(${GO_TYPE[a.kind]}=${plainV(a)})`
}

function plainV(a: GoArg): string {
  if (a.kind === 'int') return a.v.toString()
  if (a.kind === 'float') return formatGoFloat(a.v)
  return a.v
}

function quoteRune(cp: number): string {
  if (cp === 0x27) return "'\\''"
  const q = quoteGo(String.fromCodePoint(cp))
  return "'" + q.slice(1, -1).replace(/\\"/g, '"') + "'"
}

/** strconv.Quote: printable runes as they are, everything else escaped. */
export function quoteGo(s: string): string {
  let out = '"'
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number
    switch (ch) {
      case '"':
        out += '\\"'
        continue
      case '\\':
        out += '\\\\'
        continue
      case '\n':
        out += '\\n'
        continue
      case '\r':
        out += '\\r'
        continue
      case '\t':
        out += '\\t'
        continue
      case '\x07':
        out += '\\a'
        continue
      case '\b':
        out += '\\b'
        continue
      case '\f':
        out += '\\f'
        continue
      case '\v':
        out += '\\v'
        continue
    }
    if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0')
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd'
    else if (/[\p{C}\p{Zl}\p{Zp}]/u.test(ch) || (/\p{Zs}/u.test(ch) && cp !== 0x20)) {
      out += cp > 0xffff ? '\\U' + cp.toString(16).padStart(8, '0') : '\\u' + cp.toString(16).padStart(4, '0')
    } else out += ch
  }
  return out + '"'
}

function formatInt(a: { kind: 'int'; v: bigint }, verb: string, sp: Spec): string {
  const neg = a.v < 0n
  const abs = neg ? -a.v : a.v
  let digits: string
  let prefix = ''
  switch (verb) {
    case 'v':
    case 'd':
      digits = abs.toString()
      break
    case 'b':
      digits = abs.toString(2)
      if (sp.sharp) prefix = '0b'
      break
    case 'o':
      digits = abs.toString(8)
      if (sp.sharp) prefix = '0'
      break
    case 'O':
      digits = abs.toString(8)
      prefix = '0o'
      break
    case 'x':
      digits = abs.toString(16)
      if (sp.sharp) prefix = '0x'
      break
    case 'X':
      digits = abs.toString(16).toUpperCase()
      if (sp.sharp) prefix = '0X'
      break
    case 'c':
      return pad(a.v >= 0n && a.v <= 0x10ffffn ? String.fromCodePoint(Number(a.v)) : '\ufffd', sp, false)
    case 'q':
      return pad(a.v >= 0n && a.v <= 0x10ffffn ? quoteRune(Number(a.v)) : "'\ufffd'", sp, false)
    case 'U': {
      const hex = abs.toString(16).toUpperCase().padStart(4, '0')
      return pad(`U+${hex}`, sp, false)
    }
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
    case 's':
    case 't':
    default:
      return bad(verb, a)
  }
  if (sp.prec !== undefined) {
    if (sp.prec === 0 && abs === 0n) digits = ''
    digits = digits.padStart(sp.prec, '0')
    // With a precision, Go pads with spaces, never zeros.
    return pad(sign(neg, sp) + prefix + digits, { ...sp, zero: false })
  }
  const body = prefix + digits
  const sg = sign(neg, sp)
  const w = sp.width ?? 0
  // Go zero-pads the digits to the full width and then adds the prefix, as fmtInteger does.
  if (sp.zero && !sp.minus && w > sg.length + body.length) return sg + prefix + digits.padStart(w - sg.length, '0')
  return pad(sg + body, { ...sp, zero: false })
}

function formatFloat(a: { kind: 'float'; v: number }, verb: string, sp: Spec): string {
  const x = a.v
  if (!Number.isFinite(x)) {
    const s = Number.isNaN(x) ? 'NaN' : (x < 0 ? '-' : sp.plus ? '+' : '') + 'Inf'
    return pad(s, { ...sp, zero: false })
  }
  const neg = x < 0 || Object.is(x, -0)
  const abs = Math.abs(x)
  let body: string
  switch (verb) {
    case 'v':
    case 'g':
    case 'G':
      body = general(abs, sp.prec, verb === 'G')
      break
    case 'f':
    case 'F':
      body = fixed(exactDigits(abs), sp.prec ?? 6)
      break
    case 'e':
    case 'E':
      body = expo(exactDigits(abs), sp.prec ?? 6, verb === 'E')
      break
    default:
      return bad(verb, a)
  }
  const sg = sign(neg, sp)
  const w = sp.width ?? 0
  if (sp.zero && !sp.minus && w > sg.length + body.length) return sg + body.padStart(w - sg.length, '0')
  return pad(sg + body, { ...sp, zero: false })
}

function formatString(a: { kind: 'string'; v: string }, verb: string, sp: Spec): string {
  let s = a.v
  switch (verb) {
    case 'v':
    case 's':
      if (sp.prec !== undefined) s = Array.from(s).slice(0, sp.prec).join('')
      return pad(s, sp)
    case 'q':
      return pad(quoteGo(s), sp)
    case 'x':
    case 'X': {
      let bytes = Buffer.from(s, 'utf8')
      if (sp.prec !== undefined) bytes = bytes.subarray(0, sp.prec)
      let hex = ''
      bytes.forEach((b, i) => {
        if (sp.space && i > 0) hex += ' '
        if (sp.sharp && (sp.space || i === 0)) hex += '0x'
        hex += b.toString(16).padStart(2, '0')
      })
      return pad(verb === 'X' ? hex.toUpperCase() : hex, sp)
    }
    default:
      return bad(verb, a)
  }
}

function formatArg(a: GoArg, verb: string, sp: Spec): string {
  if (a.kind === 'int') return formatInt(a, verb, sp)
  if (a.kind === 'float') return formatFloat(a, verb, sp)
  return formatString(a, verb, sp)
}

/** Go's fmt refuses widths and precisions beyond a million (and so never builds huge strings). */
const MAX_WIDTH = 1_000_000n

/** Go's fmt.Sprintf over int, float64 and string arguments. */
export function goSprintf(format: string, args: GoArg[]): string {
  let out = ''
  let argi = 0
  let reordered = false
  let i = 0
  const n = format.length
  while (i < n) {
    const pct = format.indexOf('%', i)
    if (pct < 0) {
      out += format.slice(i)
      break
    }
    out += format.slice(i, pct)
    i = pct + 1
    const sp: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false }
    flags: for (; i < n; i++) {
      switch (format[i]) {
        case '-':
          sp.minus = true
          sp.zero = false
          break
        case '+':
          sp.plus = true
          break
        case '#':
          sp.sharp = true
          break
        case ' ':
          sp.space = true
          break
        case '0':
          sp.zero = !sp.minus
          break
        default:
          break flags
      }
    }
    // Explicit argument index: %[2]d.
    const argIndex = (): void => {
      const m = /^\[(\d+)\]/.exec(format.slice(i))
      if (m) {
        const k = Number(m[1])
        if (k >= 1 && k <= args.length) argi = k - 1
        else goodIndex = false
        i += m[0].length
        reordered = true
      }
    }
    let goodIndex = true
    let badWidth = false
    let badPrec = false
    argIndex()
    if (format[i] === '*') {
      i++
      const a = args[argi++]
      if (a?.kind === 'int' && a.v <= MAX_WIDTH && a.v >= -MAX_WIDTH) {
        let w = Number(a.v)
        if (w < 0) {
          sp.minus = true
          sp.zero = false
          w = -w
        }
        sp.width = w
      } else badWidth = true
    } else {
      const m = /^\d+/.exec(format.slice(i))
      if (m) {
        sp.width = Number(m[0])
        i += m[0].length
        // Go gives up on an absurd width and reads the rest of the format as consumed.
        if (sp.width > Number(MAX_WIDTH)) i = n
      }
    }
    if (format[i] === '.') {
      i++
      argIndex()
      if (format[i] === '*') {
        i++
        const a = args[argi++]
        if (a?.kind === 'int' && a.v >= 0n && a.v <= MAX_WIDTH) sp.prec = Number(a.v)
        else badPrec = true
      } else {
        const m = /^\d+/.exec(format.slice(i))
        sp.prec = m ? Number(m[0]) : 0
        if (m) i += m[0].length
        if (sp.prec > Number(MAX_WIDTH)) i = n
      }
    }
    argIndex()
    if (badWidth) out += '%!(BADWIDTH)'
    if (badPrec) out += '%!(BADPREC)'
    if (i >= n) {
      out += '%!(NOVERB)'
      break
    }
    const verb = String.fromCodePoint(format.codePointAt(i) as number)
    i += verb.length
    if (verb === '%') {
      out += '%'
      continue
    }
    if (!goodIndex) {
      out += `%!${verb}(BADINDEX)`
      continue
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`
      continue
    }
    const a = args[argi++]
    out += verb === 'T' ? pad(GO_TYPE[a.kind], sp) : formatArg(a, verb, sp)
  }
  if (!reordered && argi < args.length) {
    out += '%!(EXTRA ' + args.slice(argi).map((a) => `${GO_TYPE[a.kind]}=${plainV(a)}`).join(', ') + ')'
  }
  return out
}
