/**
 * The `deploy:` section of `.github/change-gate.yml`: parameters of the deploy policies, read as
 * `data.change_gate.config.deploy`. Validated here with errors that name the key and the fix; an
 * unknown or mistyped key is an error, never a silently disabled rule. src/config calls it for the
 * `deploy` key of the file.
 *
 * ```yaml
 * deploy:
 *   unreviewed_change: { enabled: true }
 *   version: { enabled: true, allow_prerelease: [staging] }     # environments where 1.2.0-rc.1 may ship
 *   freeze:
 *     enabled: true
 *     windows:
 *       - { name: year-end, start: 2026-12-20T00:00:00Z, end: 2027-01-04T00:00:00Z, environments: [production] }
 *   first_deployment: warn                                       # or deny: no baseline to check against
 * ```
 */
export interface FreezeWindow {
  name: string
  start: string
  end: string
  /** Environments it applies to; empty = every environment. */
  environments: string[]
}

export interface DeployConfig {
  unreviewed_change: { enabled: boolean }
  version: { enabled: boolean; allow_prerelease: string[] }
  freeze: { enabled: boolean; windows: FreezeWindow[] }
  first_deployment: 'warn' | 'deny'
}

export const DEFAULT_DEPLOY_CONFIG: DeployConfig = {
  unreviewed_change: { enabled: true },
  version: { enabled: true, allow_prerelease: [] },
  freeze: { enabled: true, windows: [] },
  first_deployment: 'warn'
}

export class DeployConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DeployConfigError'
  }
}

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/

function fail(file: string, key: string, problem: string, fix: string): never {
  throw new DeployConfigError(`invalid config ${file}: 'deploy.${key}' ${problem}. ${fix}`)
}

function closed(obj: Json, allowed: string[], file: string, at: string): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) fail(file, `${at}${at ? '.' : ''}${k}`, 'is not a known key', `Use one of: ${allowed.join(', ')}`)
  }
}

function bool(v: unknown, fallback: boolean, file: string, key: string): boolean {
  if (v === undefined) return fallback
  if (typeof v !== 'boolean') fail(file, key, `must be true or false (got ${JSON.stringify(v)})`, 'Write true or false')
  return v
}

function strings(v: unknown, file: string, key: string): string[] {
  if (v === undefined) return []
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === '')) fail(file, key, 'must be a list of names', 'Write e.g. [staging, preview]')
  return [...(v as string[])]
}

function section(v: unknown, file: string, key: string): Json {
  if (v === undefined) return {}
  if (!isObject(v)) fail(file, key, 'must be a mapping', `See the deploy section in the README`)
  return v
}

/** A timestamp YAML may have parsed into a Date, back to RFC 3339. */
function instant(v: unknown, file: string, key: string): string {
  const s = v instanceof Date ? v.toISOString() : v
  if (typeof s !== 'string' || !RFC3339.test(s) || Number.isNaN(Date.parse(s))) fail(file, key, `must be an RFC 3339 timestamp with a zone (got ${JSON.stringify(s)})`, 'Write e.g. 2026-12-20T00:00:00Z')
  return s
}

export function parseDeployConfig(raw: unknown, file = '.github/change-gate.yml'): DeployConfig {
  if (raw === undefined || raw === null) return structuredClone(DEFAULT_DEPLOY_CONFIG)
  if (!isObject(raw)) throw new DeployConfigError(`invalid config ${file}: 'deploy' must be a mapping (unreviewed_change, version, freeze, first_deployment)`)
  closed(raw, ['unreviewed_change', 'version', 'freeze', 'first_deployment'], file, '')
  const unreviewed = section(raw.unreviewed_change, file, 'unreviewed_change')
  closed(unreviewed, ['enabled'], file, 'unreviewed_change')
  const version = section(raw.version, file, 'version')
  closed(version, ['enabled', 'allow_prerelease'], file, 'version')
  const freeze = section(raw.freeze, file, 'freeze')
  closed(freeze, ['enabled', 'windows'], file, 'freeze')
  if (freeze.windows !== undefined && !Array.isArray(freeze.windows)) fail(file, 'freeze.windows', 'must be a list of windows', 'Write - {name, start, end, environments}')
  const windows = ((freeze.windows as unknown[] | undefined) ?? []).map((w, i) => {
    const key = `freeze.windows[${i}]`
    if (!isObject(w)) fail(file, key, 'must be a mapping with name, start and end', 'Write {name: year-end, start: 2026-12-20T00:00:00Z, end: 2027-01-04T00:00:00Z}')
    closed(w, ['name', 'start', 'end', 'environments'], file, key)
    if (typeof w.name !== 'string' || !w.name) fail(file, `${key}.name`, 'must be a non-empty name', 'Name the window, e.g. year-end')
    const start = instant(w.start, file, `${key}.start`)
    const end = instant(w.end, file, `${key}.end`)
    if (Date.parse(end) <= Date.parse(start)) fail(file, `${key}.end`, `(${end}) must be after start (${start})`, 'Swap or fix the times')
    return { name: w.name, start, end, environments: strings(w.environments, file, `${key}.environments`) }
  })
  const first = raw.first_deployment ?? 'warn'
  if (first !== 'warn' && first !== 'deny') fail(file, 'first_deployment', `must be warn or deny (got ${JSON.stringify(first)})`, 'Write warn or deny')
  return {
    unreviewed_change: { enabled: bool(unreviewed.enabled, true, file, 'unreviewed_change.enabled') },
    version: { enabled: bool(version.enabled, true, file, 'version.enabled'), allow_prerelease: strings(version.allow_prerelease, file, 'version.allow_prerelease') },
    freeze: { enabled: bool(freeze.enabled, true, file, 'freeze.enabled'), windows },
    first_deployment: first
  }
}

