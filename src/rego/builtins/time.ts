/**
 * Time builtins. Nanoseconds are computed with BigInt and returned as numbers, as OPA does;
 * beyond 2^53 ns (about 104 days after the epoch) the returned double is rounded.
 */
import type { Value } from '../value.js'
import { int, str, typeError } from './args.js'
import { INT64_MAX, INT64_MIN, LONG_DAYS, NAMED_LAYOUTS, UTC, daysIn, formatTime, fromCivil, inZone, loadZone, parseDuration, parseTime, type ZonedTime } from './go-time.js'
import { BuiltinError, type BuiltinDef } from './types.js'

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/

/** Parses an RFC 3339 timestamp into nanoseconds since the epoch. */
export function parseRFC3339(s: string): bigint {
  const m = RFC3339.exec(s)
  if (!m) throw new BuiltinError(`parsing time ${JSON.stringify(s)} as RFC 3339 failed; expected e.g. 2006-01-02T15:04:05Z07:00`)
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y) || h > 23 || mi > 59 || se > 59) {
    throw new BuiltinError(`parsing time ${JSON.stringify(s)}: a field is out of range`)
  }
  const date = new Date(0)
  date.setUTCFullYear(y, mo - 1, d)
  date.setUTCHours(h, mi, se, 0)
  let ns = BigInt(date.getTime()) * 1_000_000n + BigInt((m[7] ?? '').slice(0, 9).padEnd(9, '0'))
  if (m[9]) {
    const offsetMin = Number(m[10]) * 60 + Number(m[11])
    ns -= BigInt((m[9] === '-' ? -1 : 1) * offsetMin * 60) * 1_000_000_000n
  }
  return ns
}

const TIME_ARG = 'either number (ns) or [number (ns), string (tz)]'

/** Nanoseconds as int64, from an exact integer number; anything else is "timestamp too big". */
function nanos(v: Value): bigint {
  if (typeof v !== 'number') throw typeError(0, 'number', v)
  if (!Number.isInteger(v)) throw new BuiltinError('timestamp too big: nanoseconds must be an integer within the int64 range')
  const ns = BigInt(v)
  if (ns < INT64_MIN || ns > INT64_MAX) throw new BuiltinError('timestamp too big: nanoseconds must be within the int64 range (years 1678 to 2262)')
  return ns
}

/** OPA's time argument: `ns`, `[ns]`, `[ns, tz]` or `[ns, tz, layout]`; tz "" is UTC. */
function zonedArg(v: Value): { t: ZonedTime; layout: string } {
  let layout = NAMED_LAYOUTS.RFC3339Nano!
  if (typeof v === 'number') return { t: inZone(nanos(v), UTC), layout }
  if (!Array.isArray(v) || v.length === 0) throw new BuiltinError(`operand 1 must be ${TIME_ARG} but got ${Array.isArray(v) ? 'empty array' : typeof v}`, 'eval_type_error')
  const ns = nanos(v[0]!)
  let zone = UTC
  if (v.length > 1) {
    if (typeof v[1] !== 'string') throw typeError(0, 'string', v[1]!)
    zone = loadZone(v[1])
  }
  if (v.length > 2) {
    if (typeof v[2] !== 'string') throw typeError(0, 'string', v[2]!)
    layout = NAMED_LAYOUTS[v[2]] ?? v[2]
  }
  return { t: inZone(ns, zone), layout }
}

/** The int64 nanoseconds of a result, or OPA's range error. */
function inRange(ns: bigint, year: number): number {
  if (year < 1678 || year > 2262 || ns < INT64_MIN || ns > INT64_MAX) {
    throw new BuiltinError('time outside of valid range: results must fall between the years 1678 and 2262')
  }
  return Number(ns)
}

/** Years, months, days, hours, minutes and seconds between two times (icza's algorithm, as OPA). */
function diff(a: ZonedTime, b: ZonedTime): number[] {
  let t1 = a
  let t2 = b.zone === a.zone ? b : inZone(b.ns, a.zone)
  if (t1.ns > t2.ns) [t1, t2] = [t2, t1]
  let year = t2.year - t1.year
  let month = t2.month - t1.month
  let day = t2.day - t1.day
  let hour = t2.hour - t1.hour
  let min = t2.minute - t1.minute
  let sec = t2.second - t1.second
  if (sec < 0) {
    sec += 60
    min--
  }
  if (min < 0) {
    min += 60
    hour--
  }
  if (hour < 0) {
    hour += 24
    day--
  }
  if (day < 0) {
    day += daysIn(t1.month, t1.year)
    month--
  }
  if (month < 0) {
    month += 12
    year--
  }
  return [year, month, day, hour, min, sec]
}

export const builtins: BuiltinDef[] = [
  {
    name: 'time.parse_ns',
    args: ['string', 'string'],
    result: 'number',
    impl: (a) => {
      const layout = str(a, 0)
      const ns = parseTime(NAMED_LAYOUTS[layout] ?? layout, str(a, 1))
      return inRange(ns, inZone(ns, UTC).year)
    },
  },
  { name: 'time.parse_duration_ns', args: ['string'], result: 'number', impl: (a) => Number(parseDuration(str(a, 0))) },
  {
    name: 'time.date',
    args: ['number|array[number|string]'],
    result: 'array[number]',
    impl: (a) => {
      const { t } = zonedArg(a[0]!)
      return [t.year, t.month, t.day]
    },
  },
  {
    name: 'time.clock',
    args: ['number|array[number|string]'],
    result: 'array[number]',
    impl: (a) => {
      const { t } = zonedArg(a[0]!)
      return [t.hour, t.minute, t.second]
    },
  },
  { name: 'time.weekday', args: ['number|array[number|string]'], result: 'string', impl: (a) => LONG_DAYS[zonedArg(a[0]!).t.weekday]! },
  {
    name: 'time.add_date',
    args: ['number', 'number', 'number', 'number'],
    result: 'number',
    impl: (a) => {
      const { t } = zonedArg(a[0]!)
      const [years, months, days] = [int(a, 1), int(a, 2), int(a, 3)]
      const ns = fromCivil({ ...t, year: t.year + years, month: t.month + months, day: t.day + days }, t.zone)
      // Go checks the year of the result before converting it to nanoseconds.
      const year = ns < INT64_MIN || ns > INT64_MAX ? (ns < 0n ? 1677 : 2263) : inZone(ns, UTC).year
      return inRange(ns, year)
    },
  },
  {
    name: 'time.diff',
    args: ['number|array[number|string]', 'number|array[number|string]'],
    result: 'array[number]',
    impl: (a) => diff(zonedArg(a[0]!).t, zonedArg(a[1]!).t),
  },
  {
    name: 'time.format',
    args: ['number|array[number|string]'],
    result: 'string',
    impl: (a) => {
      const { t, layout } = zonedArg(a[0]!)
      return formatTime(t, layout)
    },
  },
  { name: 'time.now_ns', args: [], result: 'number', nondeterministic: true, impl: (_a, ctx) => Number(ctx.nowNs) },
  { name: 'time.parse_rfc3339_ns', args: ['string'], result: 'number', impl: (a) => Number(parseRFC3339(str(a, 0))) },
]
