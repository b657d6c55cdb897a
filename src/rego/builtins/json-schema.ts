/**
 * json.verify_schema and json.match_schema over Ajv, with results shaped as OPA's
 * (gojsonschema) are: `[true, null]` / `[false, "jsonschema: …"]` for verification, and
 * `[valid, [{error, type, field, desc}, …]]` for matching. Remote `$ref`s are never fetched.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import formatsModule from 'ajv-formats'
import { RegoObject, keyOf, toJSON, type Value } from '../value.js'
import { BuiltinError } from './types.js'

// ajv-formats is CommonJS; its plugin is the module itself or its `default`.
const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as (ajv: Ajv) => Ajv

const PRIMITIVES = ['array', 'boolean', 'integer', 'number', 'null', 'object', 'string']
const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions', '$defs', 'dependencies']
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'items', 'prefixItems']
const SCHEMA_ONE = ['items', 'additionalProperties', 'additionalItems', 'not', 'if', 'then', 'else', 'contains', 'propertyNames']

/** gojsonschema's check that every `type` names a JSON Schema primitive, with its message. */
function checkTypes(schema: unknown): void {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return
  const s = schema as Record<string, unknown>
  const types = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? s.type : []
  for (const t of types) {
    if (typeof t === 'string' && !PRIMITIVES.includes(t)) {
      throw new Error(`has a primitive type that is NOT VALID -- given: /${t}/ Expected valid values are:[${PRIMITIVES.join(' ')}]`)
    }
  }
  for (const k of SCHEMA_MAPS) {
    const m = s[k]
    if (m && typeof m === 'object' && !Array.isArray(m)) for (const sub of Object.values(m)) checkTypes(sub)
  }
  for (const k of SCHEMA_LISTS) if (Array.isArray(s[k])) for (const sub of s[k] as unknown[]) checkTypes(sub)
  for (const k of SCHEMA_ONE) checkTypes(s[k])
}

const CACHE_LIMIT = 100
const cache = new Map<string, ValidateFunction>()

/** Compiles a schema (cached), or throws an Error whose message follows gojsonschema where it can. */
function compile(schema: Value): ValidateFunction {
  const key = keyOf(schema)
  const hit = cache.get(key)
  if (hit) return hit
  const json = toJSON(schema) as Record<string, unknown> | boolean
  checkTypes(json)
  let doc = json
  // Ajv knows draft-07 natively; older drafts' $schema URIs are dropped rather than fetched.
  if (typeof doc === 'object' && typeof doc.$schema === 'string' && /json-schema\.org\/draft-0[3-7]\/schema/.test(doc.$schema)) {
    const { $schema: _ignored, ...rest } = doc
    doc = rest
  }
  const ajv = addFormats(new Ajv({ allErrors: true, strict: false, validateSchema: true }))
  const fn = ajv.compile(doc)
  cache.set(key, fn)
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string)
  return fn
}

export function verifySchema(schema: Value): Value {
  try {
    compile(schema)
    return [true, null]
  } catch (err) {
    return [false, `jsonschema: ${(err as Error).message}`]
  }
}

function fieldOf(instancePath: string): string {
  if (instancePath === '') return '(root)'
  return instancePath
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.')
}

function givenType(x: unknown): string {
  if (x === null) return 'null'
  if (Array.isArray(x)) return 'array'
  if (typeof x === 'number') return Number.isInteger(x) ? 'integer' : 'number'
  return typeof x
}

/** Resolves the instance at a JSON pointer, to name the type that was given. */
function at(doc: unknown, instancePath: string): unknown {
  if (instancePath === '') return doc
  let cur = doc
  for (const raw of instancePath.slice(1).split('/')) {
    const p = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined
  }
  return cur
}

/** gojsonschema's error type and description for one Ajv error. */
function describe(e: ErrorObject, doc: unknown, field: string): [string, string] {
  const p = e.params as Record<string, unknown>
  switch (e.keyword) {
    case 'type': {
      const t = String(p.type)
      const expected = t.includes(',') ? `[${t}]` : t
      return ['invalid_type', `Invalid type. Expected: ${expected}, given: ${givenType(at(doc, e.instancePath))}`]
    }
    case 'required':
      return ['required', `${String(p.missingProperty)} is required`]
    case 'additionalProperties':
      return ['additional_property_not_allowed', `Additional property ${String(p.additionalProperty)} is not allowed`]
    case 'enum':
      return ['enum', `${field} must be one of the following: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`]
    case 'const':
      return ['const', `${field} does not match: ${JSON.stringify(p.allowedValue)}`]
    case 'minLength':
      return ['string_gte', `String length must be greater than or equal to ${String(p.limit)}`]
    case 'maxLength':
      return ['string_lte', `String length must be less than or equal to ${String(p.limit)}`]
    case 'pattern':
      return ['pattern', `Does not match pattern '${String(p.pattern)}'`]
    case 'format':
      return ['format', `Does not match format '${String(p.format)}'`]
    case 'minimum':
      return ['number_gte', `Must be greater than or equal to ${String(p.limit)}`]
    case 'maximum':
      return ['number_lte', `Must be less than or equal to ${String(p.limit)}`]
    case 'exclusiveMinimum':
      return ['number_gt', `Must be greater than ${String(p.limit)}`]
    case 'exclusiveMaximum':
      return ['number_lt', `Must be less than ${String(p.limit)}`]
    case 'multipleOf':
      return ['multiple_of', `Must be a multiple of ${String(p.multipleOf)}`]
    case 'minItems':
      return ['array_min_items', `Array must have at least ${String(p.limit)} items`]
    case 'maxItems':
      return ['array_max_items', `Array must have at most ${String(p.limit)} items`]
    case 'uniqueItems':
      return ['unique', `array items[${String(p.j)},${String(p.i)}] must be unique`]
    case 'minProperties':
      return ['array_min_properties', `Must have at least ${String(p.limit)} properties`]
    case 'maxProperties':
      return ['array_max_properties', `Must have at most ${String(p.limit)} properties`]
    case 'anyOf':
      return ['number_any_of', 'Must validate at least one schema (anyOf)']
    case 'oneOf':
      return ['number_one_of', 'Must validate one and only one schema (oneOf)']
    case 'not':
      return ['number_not', 'Must not validate the schema (not)']
    case 'if':
      return [p.failingKeyword === 'else' ? 'condition_else' : 'condition_then', `Must validate "${String(p.failingKeyword)}" as "if" was ${p.failingKeyword === 'else' ? 'not ' : ''}valid`]
    case 'dependencies':
    case 'dependentRequired':
      return ['missing_dependency', `Has a dependency on ${String(p.deps)}`]
    case 'contains':
      return ['contains', 'At least one of the items must match']
    case 'additionalItems':
      return ['array_no_additional_items', 'No additional items allowed on array']
    case 'false schema':
      return ['false', 'False always fails validation']
    default:
      return [e.keyword, e.message ?? e.keyword]
  }
}

export function matchSchema(document: Value, schema: Value): Value {
  let validate: ValidateFunction
  try {
    validate = compile(schema)
  } catch (err) {
    throw new BuiltinError((err as Error).message, 'eval_builtin_error', { cause: err })
  }
  const doc = toJSON(document)
  if (validate(doc)) return [true, []]
  const errors = (validate.errors ?? []).map((e) => {
    const field = fieldOf(e.instancePath)
    const [type, desc] = describe(e, doc, field)
    return new RegoObject([
      ['desc', desc],
      ['error', `${field}: ${desc}`],
      ['field', field],
      ['type', type],
    ])
  })
  return [false, errors]
}
