/**
 * `.github/change-gate.yml`: parsed (YAML), validated against the config schema, merged over the
 * defaults, and handed to the policies as `data.change_gate.config`. Any problem is a ConfigError
 * naming the file, the key and the fix — an invalid config must never silently become the defaults.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { load as loadYaml } from 'js-yaml'
import { RE2JS } from 're2js'
import { DeployConfigError, parseDeployConfig } from '../document/deploy-config.js'
import { DEFAULT_CONFIG, DEFAULT_STATUS_CONTEXT } from './defaults.js'
import { CONFIG_SCHEMA } from './schema.js'
import type { Config } from './types.js'

export { DEFAULT_CONFIG, DEFAULT_STATUS_CONTEXT } from './defaults.js'
export { CONFIG_SCHEMA } from './schema.js'
export type { Config, ClassifiedType } from './types.js'

export class ConfigError extends Error {
  /** The offending key as a dotted path (`rules.second_approver.required_approvals`), or '' for the file. */
  readonly key: string
  constructor(message: string, key: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ConfigError'
    this.key = key
  }
}

let validator: ValidateFunction | undefined
function validate(value: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(CONFIG_SCHEMA)
  return validator(value) ? [] : (validator.errors ?? [])
}

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/** `/rules/x/0` → `rules.x[0]` */
function dotted(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '')
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  return `${typeof value} ${JSON.stringify(value)}`
}

function valueAt(root: unknown, pointer: string): unknown {
  let v = root
  for (const part of pointer.split('/').slice(1)) v = isObject(v) || Array.isArray(v) ? (v as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined
  return v
}

function knownKeys(schemaPath: string): string[] {
  // schemaPath looks like #/properties/rules/properties/x/additionalProperties
  let node: unknown = CONFIG_SCHEMA
  for (const part of schemaPath.replace(/^#\//, '').split('/').slice(0, -1)) node = isObject(node) ? node[part] : undefined
  return isObject(node) && isObject(node.properties) ? Object.keys(node.properties) : []
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = cur
    }
  }
  return row[b.length]!
}

function explain(err: ErrorObject, root: unknown): { key: string; text: string } {
  const at = dotted(err.instancePath)
  // Errors from inside `propertyNames` carry the offending key.
  const badName = err.keyword === 'propertyNames' ? (err.params as { propertyName?: string }).propertyName : err.propertyName
  if (badName !== undefined) {
    return { key: `${at}.${badName}`, text: `'${at}' has the key '${badName}', which is not a change type (DDL, PIPELINE, ACCESS, INFRASTRUCTURE, APPLICATION)` }
  }
  switch (err.keyword) {
    case 'additionalProperties': {
      const extra = String((err.params as { additionalProperty: string }).additionalProperty)
      const key = at ? `${at}.${extra}` : extra
      const known = knownKeys(err.schemaPath)
      const near = known.filter((k) => distance(k, extra) <= 3).sort((a, b) => distance(a, extra) - distance(b, extra))[0]
      return { key, text: `unknown key '${key}'${near ? `; did you mean '${at ? `${at}.` : ''}${near}'?` : `; the keys allowed here are: ${known.join(', ')}`}` }
    }
    case 'type':
      return { key: at, text: `'${at}' must be ${(err.params as { type: string }).type === 'integer' ? 'an integer' : `of type ${(err.params as { type: string }).type}`} (got ${describe(valueAt(root, err.instancePath))})` }
    case 'enum':
      return { key: at, text: `'${at}' must be one of ${((err.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')} (got ${describe(valueAt(root, err.instancePath))})` }
    case 'const':
      return { key: at, text: `'${at}' must be ${JSON.stringify((err.params as { allowedValue: unknown }).allowedValue)} (got ${describe(valueAt(root, err.instancePath))})` }
    default:
      return { key: at, text: `'${at || '(top level)'}' ${err.message ?? 'is invalid'} (got ${describe(valueAt(root, err.instancePath))})` }
  }
}

function merge(defaults: unknown, given: unknown): unknown {
  if (!isObject(defaults) || !isObject(given)) return given === undefined ? structuredClone(defaults) : given
  const out: Json = structuredClone(defaults)
  for (const [k, v] of Object.entries(given)) out[k] = k in defaults ? merge(defaults[k], v) : v
  return out
}

/**
 * Parses the config file's text (`null`: no file → defaults). Throws ConfigError naming the key and
 * the fix on invalid YAML, unknown or mistyped keys, or a ticket pattern RE2 cannot compile.
 */
export function parseConfig(text: string | null, file: string): Config {
  // An empty file (or comments only) means the defaults, like no file.
  if (text === null || text.split(/\r?\n/).every((l) => l.trim() === '' || l.trim().startsWith('#'))) return structuredClone(DEFAULT_CONFIG)
  let raw: unknown
  try {
    raw = loadYaml(text)
  } catch (err) {
    throw new ConfigError(`invalid config ${file}: it is not valid YAML (${(err as Error).message.split('\n')[0]}); fix the syntax on the base branch`, '', { cause: err })
  }
  if (raw === undefined || raw === null) return structuredClone(DEFAULT_CONFIG)
  if (!isObject(raw)) throw new ConfigError(`invalid config ${file}: the top level must be a mapping of keys (version, rules, classification, affected_systems, break_glass, deploy), got ${describe(raw)}`, '')
  // The deploy section has its own parser (precise messages per window); the rest is schema-checked here.
  const { deploy, ...rest } = raw
  const errors = validate(rest)
  if (errors.length) {
    // One message per key: ajv may report a key more than once (e.g. type and enum).
    const seen = new Map<string, string>()
    for (const e of errors) {
      const { key, text: t } = explain(e, raw)
      if (!seen.has(key)) seen.set(key, t)
    }
    const first = [...seen.keys()][0] ?? ''
    const problems = [...seen.values()].join('; ')
    throw new ConfigError(`invalid config ${file}: ${problems}${problems.endsWith('?') ? '' : '.'} Fix ${file} on the base branch (schema: schemas/config.v1.schema.json)`, first)
  }
  const config = merge(DEFAULT_CONFIG, rest) as Config
  try {
    config.deploy = parseDeployConfig(deploy, file)
  } catch (err) {
    if (!(err instanceof DeployConfigError)) throw err
    throw new ConfigError(err.message, /'(deploy[^']*)'/.exec(err.message)?.[1] ?? 'deploy', { cause: err })
  }
  config.rules.ticket_reference.patterns.forEach((p, i) => {
    try {
      RE2JS.compile(p)
    } catch (err) {
      const key = `rules.ticket_reference.patterns[${i}]`
      throw new ConfigError(`invalid config ${file}: '${key}' (${JSON.stringify(p)}) is not an RE2 regular expression: ${(err as Error).message}. Fix the pattern (RE2 has no look-around or back-references)`, key, { cause: err })
    }
  })
  return config
}

/** The value policies read as `data.change_gate.config`; the gate's own status context never counts as a test. */
export function configValue(config: Config, options: { statusContext?: string } = {}): Config {
  const value = structuredClone(config)
  const context = options.statusContext ?? DEFAULT_STATUS_CONTEXT
  const ignore = value.rules.passing_tests.ignore_checks
  if (!ignore.includes(context)) ignore.push(context)
  return value
}

/** The `data` document for the engine: `{ change_gate: { config } }` (see configValue). */
export function configData(config: Config, options: { statusContext?: string } = {}): { change_gate: { config: Config } } {
  return { change_gate: { config: configValue(config, options) } }
}
