/**
 * Go's time package, as far as OPA's time.* builtins need it: civil dates from nanoseconds
 * in a time zone (zones from Intl), Go layout strings (`2006-01-02T15:04:05Z07:00`) for
 * formatting and parsing, AddDate's normalisation and ParseDuration. Instants are BigInt
 * nanoseconds; everything stays exact over OPA's int64 range (years 1678–2262).
 */
import { BuiltinError } from './types.js'

export const NS_PER_SEC = 1_000_000_000n
export const INT64_MIN = -(1n << 63n)
export const INT64_MAX = (1n << 63n) - 1n

// ---------------------------------------------------------------------------------------------
// Civil calendar (proleptic Gregorian), days counted from 1970-01-01.

export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y
  const era = Math.floor(yy / 400)
  const yoe = yy - era * 400
  const mp = (m + 9) % 12
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

export function civilFromDays(z: number): [number, number, number] {
  const zz = z + 719468
  const era = Math.floor(zz / 146097)
  const doe = zz - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp < 10 ? mp + 3 : mp - 9
  return [m <= 2 ? era * 400 + yoe + 1 : era * 400 + yoe, m, d]
}

export function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
}

export function daysIn(month: number, year: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q
}

// ---------------------------------------------------------------------------------------------
// Zones.

export interface Zone {
  /** The IANA name; `UTC` for UTC. */
  readonly name: string
  /** Offset east of UTC in seconds at the given instant (seconds since the epoch). */
  offsetAt(epochSec: number): number
  /** Abbreviation at the given instant, as Go prints for `MST`. */
  abbrevAt(epochSec: number): string
}

export const UTC: Zone = { name: 'UTC', offsetAt: () => 0, abbrevAt: () => 'UTC' }

/** A zone with a fixed offset, as Go makes for a parsed numeric offset. */
export function fixedZone(offset: number): Zone {
  return { name: '', offsetAt: () => offset, abbrevAt: () => '' }
}

const zones = new Map<string, Zone>()
const ABBREVIATION_LOCALES = ['en-US', 'en-GB', 'en-IN', 'en-AU', 'en-ZA', 'ja-JP']

/** Resolves OPA's zone argument: "" and "UTC" are UTC, "Local" is the process's zone. */
export function loadZone(name: string): Zone {
  if (name === '' || name === 'UTC') return UTC
  const iana = name === 'Local' ? Intl.DateTimeFormat().resolvedOptions().timeZone : name
  const hit = zones.get(iana)
  if (hit) return hit
  let parts: Intl.DateTimeFormat
  let names: Intl.DateTimeFormat[]
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone: iana,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    // Each English locale knows its own region's abbreviations (EST, CET, IST, AEST, …).
    names = ABBREVIATION_LOCALES.map((l) => new Intl.DateTimeFormat(l, { timeZone: iana, timeZoneName: 'short' }))
  } catch {
    throw new BuiltinError(`unknown time zone ${name}; use an IANA name such as Europe/Berlin, "UTC" or "Local"`)
  }
  const offsetAt = (epochSec: number): number => {
    const got: Record<string, string> = {}
    for (const p of parts.formatToParts(new Date(epochSec * 1000))) got[p.type] = p.value
    let year = Number(got.year)
    if (got.era === 'BC' || got.era === 'B') year = 1 - year
    const local = daysFromCivil(year, Number(got.month), Number(got.day)) * 86400 + Number(got.hour) * 3600 + Number(got.minute) * 60 + Number(got.second)
    return local - epochSec
  }
  const zone: Zone = {
    name: iana,
    offsetAt,
    abbrevAt: (epochSec) => {
      for (const fmt of names) {
        const label = fmt.formatToParts(new Date(epochSec * 1000)).find((p) => p.type === 'timeZoneName')?.value ?? ''
        if (/^[A-Z]{3,5}$/.test(label)) return label
      }
      // tzdata writes zones without a letter abbreviation as +hh or +hhmm.
      const off = offsetAt(epochSec)
      const abs = Math.abs(off)
      const hh = String(Math.floor(abs / 3600)).padStart(2, '0')
      const mm = Math.floor((abs % 3600) / 60)
      return `${off < 0 ? '-' : '+'}${hh}${mm ? String(mm).padStart(2, '0') : ''}`
    },
  }
  zones.set(iana, zone)
  return zone
}

// ---------------------------------------------------------------------------------------------
// Broken-down time.

export interface Civil {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  nano: number
}

export interface ZonedTime extends Civil {
  readonly ns: bigint
  readonly zone: Zone
  readonly offset: number
  readonly weekday: number
  readonly yday: number
}

export function inZone(ns: bigint, zone: Zone): ZonedTime {
  const sec = floorDiv(ns, NS_PER_SEC)
  const nano = Number(ns - sec * NS_PER_SEC)
  const offset = zone.offsetAt(Number(sec))
  const local = Number(sec) + offset
  const days = Math.floor(local / 86400)
  const rem = local - days * 86400
  const [year, month, day] = civilFromDays(days)
  return {
    ns,
    zone,
    offset,
    year,
    month,
    day,
    hour: Math.floor(rem / 3600),
    minute: Math.floor((rem % 3600) / 60),
    second: rem % 60,
    nano,
    weekday: (((days + 4) % 7) + 7) % 7,
    yday: days - daysFromCivil(year, 1, 1) + 1,
  }
}

/**
 * Go's time.Date: fields may overflow (month 13, day 0, …) and are normalised; the local time
 * is converted with the zone's offset, re-checked once for transitions as Go does.
 */
export function fromCivil(c: Civil, zone: Zone): bigint {
  let year = c.year
  let month = c.month - 1
  year += Math.floor(month / 12)
  month = ((month % 12) + 12) % 12
  const days = daysFromCivil(year, month + 1, 1) + (c.day - 1)
  const localNs =
    BigInt(days) * 86400n * NS_PER_SEC + BigInt(c.hour) * 3600n * NS_PER_SEC + BigInt(c.minute) * 60n * NS_PER_SEC + BigInt(c.second) * NS_PER_SEC + BigInt(c.nano)
  const localSec = Number(floorDiv(localNs, NS_PER_SEC))
  let offset = zone.offsetAt(localSec)
  const again = zone.offsetAt(localSec - offset)
  if (again !== offset) offset = again
  return localNs - BigInt(offset) * NS_PER_SEC
}

// ---------------------------------------------------------------------------------------------
// Layouts.

const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
export const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

/** Go's named layouts, which OPA accepts by name. */
export const NAMED_LAYOUTS: Record<string, string> = {
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
  RubyDate: 'Mon Jan 02 15:04:05 -0700 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339: '2006-01-02T15:04:05Z07:00',
  RFC3339Nano: '2006-01-02T15:04:05.999999999Z07:00',
  Kitchen: '3:04PM',
  Stamp: 'Jan _2 15:04:05',
  StampMilli: 'Jan _2 15:04:05.000',
  StampMicro: 'Jan _2 15:04:05.000000',
  StampNano: 'Jan _2 15:04:05.000000000',
  DateTime: '2006-01-02 15:04:05',
  DateOnly: '2006-01-02',
  TimeOnly: '15:04:05',
}

type Std =
  | 'Jan' | 'January' | '1' | '01' | 'Mon' | 'Monday' | '2' | '_2' | '02' | '__2' | '002'
  | '15' | '3' | '03' | '4' | '04' | '5' | '05' | '2006' | '06' | 'PM' | 'pm' | 'MST'
  | 'Z0700' | 'Z070000' | 'Z07' | 'Z07:00' | 'Z07:00:00'
  | '-0700' | '-070000' | '-07' | '-07:00' | '-07:00:00'
  | 'frac0' | 'frac9'

interface Chunk {
  readonly literal: string
  readonly std?: Std
  /** Fraction digits and separator for frac0/frac9. */
  readonly digits?: number
  readonly sep?: string
}

function lowerAt(s: string, i: number): boolean {
  const c = s[i]
  return c !== undefined && c >= 'a' && c <= 'z'
}

function isDigitAt(s: string, i: number): boolean {
  const c = s[i]
  return c !== undefined && c >= '0' && c <= '9'
}

/** Splits a layout into literal text and Go's std elements, with Go's precedence rules. */
export function chunks(layout: string): Chunk[] {
  const out: Chunk[] = []
  let lit = ''
  let i = 0
  const push = (std: Std, len: number, extra?: Partial<Chunk>): void => {
    out.push({ literal: lit, std, ...extra })
    lit = ''
    i += len
  }
  const at = (s: string): boolean => layout.startsWith(s, i)
  while (i < layout.length) {
    const c = layout[i]!
    if (c === 'J' && at('Jan')) {
      if (at('January')) { push('January', 7); continue }
      if (!lowerAt(layout, i + 3)) { push('Jan', 3); continue }
    } else if (c === 'M') {
      if (at('Mon')) {
        if (at('Monday')) { push('Monday', 6); continue }
        if (!lowerAt(layout, i + 3)) { push('Mon', 3); continue }
      }
      if (at('MST')) { push('MST', 3); continue }
    } else if (c === '0') {
      const n = layout[i + 1]
      if (n !== undefined && n >= '1' && n <= '6') { push((['01', '02', '03', '04', '05', '06'] as const)[Number(n) - 1]!, 2); continue }
      if (at('002')) { push('002', 3); continue }
    } else if (c === '1') {
      if (at('15')) { push('15', 2); continue }
      push('1', 1)
      continue
    } else if (c === '2') {
      if (at('2006')) { push('2006', 4); continue }
      push('2', 1)
      continue
    } else if (c === '_') {
      if (layout[i + 1] === '2') {
        if (layout.startsWith('2006', i + 1)) { lit += '_'; i++; push('2006', 4); continue }
        push('_2', 2)
        continue
      }
      if (at('__2')) { push('__2', 3); continue }
    } else if (c === '3' || c === '4' || c === '5') {
      push(c, 1)
      continue
    } else if (c === 'P' && layout[i + 1] === 'M') {
      push('PM', 2)
      continue
    } else if (c === 'p' && layout[i + 1] === 'm') {
      push('pm', 2)
      continue
    } else if (c === '-' || c === 'Z') {
      const forms = ['070000', '07:00:00', '0700', '07:00', '07'] as const
      const f = forms.find((x) => layout.startsWith(x, i + 1))
      if (f) { push(`${c}${f}` as Std, 1 + f.length); continue }
    } else if ((c === '.' || c === ',') && (layout[i + 1] === '0' || layout[i + 1] === '9')) {
      const d = layout[i + 1]!
      let j = i + 1
      while (layout[j] === d) j++
      if (!isDigitAt(layout, j)) { push(d === '0' ? 'frac0' : 'frac9', j - i, { digits: j - i - 1, sep: c }); continue }
    }
    lit += c
    i++
  }
  if (lit !== '') out.push({ literal: lit })
  return out
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width, '0')
  return n < 0 ? `-${s}` : s
}

function zoneText(std: Std, offset: number): string {
  if (std.startsWith('Z') && offset === 0) return 'Z'
  const colon = std.includes(':')
  const abs = Math.abs(offset)
  let s = `${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 3600), 2)}`
  if (!std.endsWith('07')) s += (colon ? ':' : '') + pad(Math.floor((abs % 3600) / 60), 2)
  if (std.endsWith('0000') || std.endsWith('00:00')) s += (colon ? ':' : '') + pad(abs % 60, 2)
  return s
}

/** Go's Time.Format. */
export function formatTime(t: ZonedTime, layout: string): string {
  let out = ''
  for (const ch of chunks(layout)) {
    out += ch.literal
    if (!ch.std) continue
    const h12 = t.hour % 12 === 0 ? 12 : t.hour % 12
    switch (ch.std) {
      case '2006': out += pad(t.year, 4); break
      case '06': out += pad(((t.year % 100) + 100) % 100, 2); break
      case 'Jan': out += LONG_MONTHS[t.month - 1]!.slice(0, 3); break
      case 'January': out += LONG_MONTHS[t.month - 1]; break
      case '1': out += String(t.month); break
      case '01': out += pad(t.month, 2); break
      case 'Mon': out += LONG_DAYS[t.weekday]!.slice(0, 3); break
      case 'Monday': out += LONG_DAYS[t.weekday]; break
      case '2': out += String(t.day); break
      case '_2': out += String(t.day).padStart(2, ' '); break
      case '02': out += pad(t.day, 2); break
      case '__2': out += String(t.yday).padStart(3, ' '); break
      case '002': out += pad(t.yday, 3); break
      case '15': out += pad(t.hour, 2); break
      case '3': out += String(h12); break
      case '03': out += pad(h12, 2); break
      case '4': out += String(t.minute); break
      case '04': out += pad(t.minute, 2); break
      case '5': out += String(t.second); break
      case '05': out += pad(t.second, 2); break
      case 'PM': out += t.hour >= 12 ? 'PM' : 'AM'; break
      case 'pm': out += t.hour >= 12 ? 'pm' : 'am'; break
      case 'MST': {
        const name = t.zone.abbrevAt(Number(floorDiv(t.ns, NS_PER_SEC)))
        out += name !== '' ? name : zoneText('-0700', t.offset)
        break
      }
      case 'frac0': out += ch.sep + String(t.nano).padStart(9, '0').slice(0, ch.digits); break
      case 'frac9': {
        const digits = String(t.nano).padStart(9, '0').slice(0, ch.digits).replace(/0+$/, '')
        if (digits !== '') out += ch.sep + digits
        break
      }
      default: out += zoneText(ch.std, t.offset)
    }
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Parsing.

class ParseFail extends Error {}

function parseError(layout: string, value: string, elem: string, rest: string, message = ''): BuiltinError {
  if (message !== '') return new BuiltinError(`parsing time ${JSON.stringify(value)}${message}`)
  return new BuiltinError(`parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(rest)} as ${JSON.stringify(elem)}`)
}

/** Up to two digits (exactly two when `fixed`). */
function getnum(s: string, fixed: boolean): [number, string] {
  if (!isDigitAt(s, 0)) throw new ParseFail()
  if (!isDigitAt(s, 1)) {
    if (fixed) throw new ParseFail()
    return [Number(s[0]), s.slice(1)]
  }
  return [Number(s.slice(0, 2)), s.slice(2)]
}

function getnum3(s: string, fixed: boolean): [number, string] {
  let n = 0
  let i = 0
  while (i < 3 && isDigitAt(s, i)) n = n * 10 + Number(s[i++])
  if (i === 0 || (fixed && i !== 3)) throw new ParseFail()
  return [n, s.slice(i)]
}

/** Matches a literal; a space in the layout matches one or more spaces in the value. */
function skip(value: string, prefix: string): string {
  let v = value
  let p = prefix
  while (p.length > 0) {
    if (p[0] === ' ') {
      if (v.length > 0 && v[0] !== ' ') throw new ParseFail()
      p = p.replace(/^ +/, '')
      v = v.replace(/^ +/, '')
      continue
    }
    if (v.length === 0 || v[0] !== p[0]) throw new ParseFail()
    p = p.slice(1)
    v = v.slice(1)
  }
  return v
}

function lookupName(names: string[], value: string): [number, string] {
  for (let i = 0; i < names.length; i++) {
    const n = names[i]!
    if (value.length >= n.length && value.slice(0, n.length).toLowerCase() === n.toLowerCase()) return [i, value.slice(n.length)]
  }
  throw new ParseFail()
}

function parseNanos(value: string, n: number): number {
  if (value[0] !== '.' && value[0] !== ',') throw new ParseFail()
  const digits = value.slice(1, n)
  if (!/^\d*$/.test(digits)) throw new ParseFail()
  return Number(digits.slice(0, 9).padEnd(9, '0'))
}

/** Go's time.Parse: the instant (ns since the epoch) that `value` denotes under `layout`. */
export function parseTime(layout: string, value: string): bigint {
  const parts = chunks(layout)
  let rest = value
  let year = 0
  let month = -1
  let day = -1
  let yday = -1
  let hour = 0
  let minute = 0
  let second = 0
  let nano = 0
  let pm: boolean | undefined
  let offset: number | undefined
  for (let k = 0; k < parts.length; k++) {
    const ch = parts[k]!
    try {
      rest = skip(rest, ch.literal)
    } catch {
      throw parseError(layout, value, ch.literal, rest)
    }
    if (!ch.std) continue
    const before = rest
    let range = ''
    try {
      switch (ch.std) {
        case '2006':
          if (rest.length < 4 || !/^\d{4}/.test(rest)) throw new ParseFail()
          year = Number(rest.slice(0, 4))
          rest = rest.slice(4)
          break
        case '06': {
          const [y, r] = getnum(rest, true)
          year = y >= 69 ? 1900 + y : 2000 + y
          rest = r
          break
        }
        case 'Jan':
          ;[month, rest] = lookupName(LONG_MONTHS.map((m) => m.slice(0, 3)), rest)
          month++
          break
        case 'January':
          ;[month, rest] = lookupName(LONG_MONTHS, rest)
          month++
          break
        case '1':
        case '01':
          ;[month, rest] = getnum(rest, ch.std === '01')
          if (month < 1 || month > 12) range = 'month'
          break
        case 'Mon':
          rest = lookupName(LONG_DAYS.map((d) => d.slice(0, 3)), rest)[1]
          break
        case 'Monday':
          rest = lookupName(LONG_DAYS, rest)[1]
          break
        case '2':
        case '_2':
        case '02':
          if (ch.std === '_2' && rest[0] === ' ') rest = rest.slice(1)
          ;[day, rest] = getnum(rest, ch.std === '02')
          break
        case '__2':
        case '002':
          if (ch.std === '__2') rest = rest.replace(/^ {1,2}/, '')
          ;[yday, rest] = getnum3(rest, ch.std === '002')
          if (yday < 1 || yday > 366) range = 'day-of-year'
          break
        case '15':
          ;[hour, rest] = getnum(rest, false)
          if (hour > 23) range = 'hour'
          break
        case '3':
        case '03':
          ;[hour, rest] = getnum(rest, ch.std === '03')
          if (hour > 12) range = 'hour'
          break
        case '4':
        case '04':
          ;[minute, rest] = getnum(rest, ch.std === '04')
          if (minute > 59) range = 'minute'
          break
        case '5':
        case '05': {
          ;[second, rest] = getnum(rest, ch.std === '05')
          if (second > 59) {
            range = 'second'
            break
          }
          // A fraction after the seconds is accepted even when the layout has none.
          const next = parts[k + 1]
          const nextIsFrac = next !== undefined && next.literal === '' && (next.std === 'frac0' || next.std === 'frac9')
          if (!nextIsFrac && rest.length >= 2 && (rest[0] === '.' || rest[0] === ',') && isDigitAt(rest, 1)) {
            let n = 2
            while (isDigitAt(rest, n)) n++
            nano = parseNanos(rest, n)
            rest = rest.slice(n)
          }
          break
        }
        case 'PM':
        case 'pm': {
          const p = rest.slice(0, 2)
          const [am, pmText] = ch.std === 'PM' ? ['AM', 'PM'] : ['am', 'pm']
          if (p === pmText) pm = true
          else if (p === am) pm = false
          else throw new ParseFail()
          rest = rest.slice(2)
          break
        }
        case 'MST': {
          if (rest.startsWith('UTC')) {
            offset = 0
            rest = rest.slice(3)
            break
          }
          const m = /^(?:[A-Z]{3,5}|GMT[+-]\d{1,2}|[+-]\d{2,4})/.exec(rest)
          if (!m) throw new ParseFail()
          // Go uses a known abbreviation's offset only in the local zone; elsewhere it is 0.
          offset ??= 0
          rest = rest.slice(m[0].length)
          break
        }
        case 'frac0': {
          const n = (ch.digits ?? 0) + 1
          if (rest.length < n) throw new ParseFail()
          nano = parseNanos(rest, n)
          rest = rest.slice(n)
          break
        }
        case 'frac9': {
          if (rest.length < 2 || (rest[0] !== '.' && rest[0] !== ',') || !isDigitAt(rest, 1)) break
          let n = 1
          while (isDigitAt(rest, n)) n++
          nano = parseNanos(rest, n)
          rest = rest.slice(n)
          break
        }
        default: {
          if (ch.std.startsWith('Z') && rest[0] === 'Z') {
            offset = 0
            rest = rest.slice(1)
            break
          }
          const colon = ch.std.includes(':')
          const withSeconds = ch.std.endsWith('0000') || ch.std.endsWith('00:00')
          const short = ch.std.endsWith('07')
          const pattern = short ? /^([+-])(\d\d)/ : withSeconds ? (colon ? /^([+-])(\d\d):(\d\d):(\d\d)/ : /^([+-])(\d\d)(\d\d)(\d\d)/) : colon ? /^([+-])(\d\d):(\d\d)/ : /^([+-])(\d\d)(\d\d)/
          const m = pattern.exec(rest)
          if (!m) throw new ParseFail()
          const hh = Number(m[2])
          const mm = Number(m[3] ?? 0)
          const ss = Number(m[4] ?? 0)
          if (hh > 24 || mm > 60 || ss > 60) range = 'time zone offset'
          offset = (m[1] === '-' ? -1 : 1) * (hh * 3600 + mm * 60 + ss)
          rest = rest.slice(m[0].length)
        }
      }
    } catch (err) {
      if (!(err instanceof ParseFail)) throw err
      const elem = ch.std === 'frac0' || ch.std === 'frac9' ? `${ch.sep}${(ch.std === 'frac0' ? '0' : '9').repeat(ch.digits ?? 0)}` : ch.std
      throw parseError(layout, value, elem, before)
    }
    if (range !== '') throw parseError(layout, value, '', '', `: ${range} out of range`)
  }
  if (rest.length > 0) throw parseError(layout, value, '', '', `: extra text: ${JSON.stringify(rest)}`)
  if (pm === true && hour < 12) hour += 12
  else if (pm === false && hour === 12) hour = 0
  if (yday >= 0) {
    if (yday > (isLeap(year) ? 366 : 365)) throw parseError(layout, value, '', '', ': day-of-year out of range')
    let m = 1
    let d = yday
    while (d > daysIn(m, year)) d -= daysIn(m++, year)
    if ((month >= 0 && month !== m) || (day >= 0 && day !== d)) throw parseError(layout, value, '', '', ': day-of-year does not match month or day')
    month = m
    day = d
  }
  if (month < 0) month = 1
  if (day < 0) day = 1
  if (day < 1 || day > daysIn(month, year)) throw parseError(layout, value, '', '', ': day out of range')
  const ns = fromCivil({ year, month, day, hour, minute, second, nano }, UTC)
  return ns - BigInt(offset ?? 0) * NS_PER_SEC
}

// ---------------------------------------------------------------------------------------------
// Durations.

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n,
  'μs': 1_000n,
  ms: 1_000_000n,
  s: NS_PER_SEC,
  m: 60n * NS_PER_SEC,
  h: 3600n * NS_PER_SEC,
}

/** Go's time.ParseDuration, in nanoseconds. */
export function parseDuration(s: string): bigint {
  const invalid = (): BuiltinError => new BuiltinError(`time: invalid duration ${JSON.stringify(s)}; use e.g. "1h30m", "2.5s" or "300ms"`)
  let rest = s
  let negative = false
  if (rest[0] === '-' || rest[0] === '+') {
    negative = rest[0] === '-'
    rest = rest.slice(1)
  }
  if (rest === '0') return 0n
  if (rest === '') throw invalid()
  let total = 0n
  while (rest !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(rest)!
    const [whole, intPart, fracPart] = [m[0], m[1] ?? '', m[2]]
    if (intPart === '' && (fracPart === undefined || fracPart === '')) throw invalid()
    rest = rest.slice(whole.length)
    const u = /^[^\d.]+/.exec(rest)
    if (!u) throw new BuiltinError(`time: missing unit in duration ${JSON.stringify(s)}; add one of ns, us, ms, s, m, h`)
    const unit = UNITS[u[0]]
    if (unit === undefined) throw new BuiltinError(`time: unknown unit ${JSON.stringify(u[0])} in duration ${JSON.stringify(s)}; use ns, us, ms, s, m or h`)
    rest = rest.slice(u[0].length)
    let v = BigInt(intPart || '0') * unit
    if (fracPart) {
      // Go scales the fraction in floating point and truncates.
      const digits = fracPart.slice(0, 18)
      v += BigInt(Math.floor(Number(digits) * (Number(unit) / 10 ** digits.length)))
    }
    total += v
    if (total > INT64_MAX + (negative ? 1n : 0n)) throw invalid()
  }
  return negative ? -total : total
}
