import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from './command.js'

type Options = NonNullable<ParseArgsConfig['options']>

/**
 * Parses a command's arguments with node:util parseArgs (strict: unknown options and missing
 * values are usage errors, reported as UsageError so the CLI prints the usage and exits 2).
 */
export function parseCommandArgs<T extends Options>(argv: string[], options: T, positionals: { min?: number; max?: number } = {}) {
  let parsed
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  const n = parsed.positionals.length
  if (positionals.min !== undefined && n < positionals.min) throw new UsageError(`expected ${positionals.min} argument(s), got ${n}`)
  if (n > (positionals.max ?? 0)) throw new UsageError(`unexpected argument '${parsed.positionals[positionals.max ?? 0]}'`)
  return parsed
}

/** A required option's value, or a UsageError naming it. */
export function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`)
  return value
}

/** Checks a --format value against the command's choices (default first). */
export function format<const C extends readonly string[]>(value: string | undefined, choices: C): C[number] {
  const v = value ?? choices[0]
  if (!choices.includes(v)) throw new UsageError(`--format must be one of ${choices.join(', ')}, not '${v}'`)
  return v as C[number]
}

/**
 * A period bound: YYYY-MM-DD or an RFC 3339 timestamp. A bare date as `--to` means the end of
 * that day (UTC), so `--from 2026-01-01 --to 2026-03-31` covers the whole quarter.
 */
export function dateBound(value: string | undefined, name: string, end: boolean): Date | undefined {
  if (value === undefined) return undefined
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const d = new Date(`${value}T00:00:00.000Z`)
    if (Number.isNaN(d.getTime())) throw new UsageError(`--${name} '${value}' is not a valid date`)
    return end ? new Date(d.getTime() + 86_400_000 - 1) : d
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const d = new Date(value)
    if (!Number.isNaN(d.getTime())) return d
  }
  throw new UsageError(`--${name} '${value}' is not a date: use YYYY-MM-DD or an RFC 3339 timestamp (2026-01-31T23:59:59Z)`)
}

/** The period of --from and --to (either may be absent). */
export function periodOf(values: { from?: string | undefined; to?: string | undefined }): { from: Date | undefined; to: Date | undefined } {
  return { from: dateBound(values.from, 'from', false), to: dateBound(values.to, 'to', true) }
}

/** --now: an RFC 3339 timestamp (replays a decision at that instant), or the current time. */
export function instant(value: string | undefined): Date {
  if (value === undefined) return new Date()
  const now = new Date(value)
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value) || Number.isNaN(now.getTime())) throw new UsageError(`--now '${value}' is not an RFC 3339 timestamp (e.g. 2026-11-25T10:00:00Z)`)
  return now
}

/** --repo OWNER/NAME, split. */
export function ownerRepo(value: string | undefined): { owner: string; repo: string; full_name: string } {
  const full_name = required(value, 'repo')
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(full_name)
  if (!m) throw new UsageError(`--repo must be OWNER/NAME, not '${full_name}'`)
  return { owner: m[1]!, repo: m[2]!, full_name }
}

/** A positive integer option. */
export function positiveInt(value: string | undefined, name: string): number {
  const n = Number(required(value, name))
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, not '${value}'`)
  return n
}
