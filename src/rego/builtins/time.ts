/**
 * Time builtins. Nanoseconds are computed with BigInt and returned as numbers, as OPA does;
 * beyond 2^53 ns (about 104 days after the epoch) the returned double is rounded.
 */
import { str } from './args.js'
import { BuiltinError, type BuiltinDef } from './types.js'

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/

/** Parses an RFC 3339 timestamp into nanoseconds since the epoch. */
export function parseRFC3339(s: string): bigint {
  const m = RFC3339.exec(s)
  if (!m) throw new BuiltinError(`parsing time ${JSON.stringify(s)} as RFC 3339 failed; expected e.g. 2006-01-02T15:04:05Z07:00`)
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate() || h > 23 || mi > 59 || se > 59) {
    throw new BuiltinError(`parsing time ${JSON.stringify(s)}: a field is out of range`)
  }
  const date = new Date(0)
  date.setUTCFullYear(y, mo - 1, d)
  date.setUTCHours(h, mi, se, 0)
  let ns = BigInt(date.getTime()) * 1_000_000n + BigInt((m[7] ?? '').padEnd(9, '0') || '0')
  if (m[9]) {
    const offsetMin = Number(m[10]) * 60 + Number(m[11])
    ns -= BigInt((m[9] === '-' ? -1 : 1) * offsetMin * 60) * 1_000_000_000n
  }
  return ns
}

export const builtins: BuiltinDef[] = [
  { name: 'time.now_ns', args: [], result: 'number', nondeterministic: true, impl: (_a, ctx) => Number(ctx.nowNs) },
  { name: 'time.parse_rfc3339_ns', args: ['string'], result: 'number', impl: (a) => Number(parseRFC3339(str(a, 0))) },
]
