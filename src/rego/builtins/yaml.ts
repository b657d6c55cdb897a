/**
 * YAML for yaml.marshal/unmarshal/is_valid. OPA converts through JSON with go-yaml v2, a YAML
 * 1.1 parser: `yes`/`no`/`on`/`off` are booleans, timestamps stay strings, `<<` merges, and
 * output has sorted keys and unindented sequences. Values must be representable as JSON.
 */
import { DUMP_SCHEMA, Schema, defineScalarTag, dump, loadAll, type ScalarTagDefinition, type YAMLException } from 'js-yaml'
import { fromJSON, toJSON, type Value } from '../value.js'
import { BuiltinError } from './types.js'

const KEEP = new Set(['str', 'seq', 'map', 'null', 'bool', 'int', 'float', 'merge'].map((t) => `tag:yaml.org,2002:${t}`))

/** YAML 1.1 scalars (with the Core forms of numbers also accepted), no timestamps or binary. */
const LOAD_SCHEMA = new Schema(DUMP_SCHEMA.tags.filter((t) => KEEP.has((t as { tagName: string }).tagName)))

function toValue(x: unknown, path: string): Value {
  if (typeof x === 'number' && !Number.isFinite(x)) {
    throw new BuiltinError(`yaml: ${String(x)} at ${path || 'the top level'} cannot be represented in JSON; quote it to keep it as a string`)
  }
  if (Array.isArray(x)) return x.map((e, i) => toValue(e, `${path}[${i}]`))
  if (x !== null && typeof x === 'object') {
    const rec = x as Record<string, unknown>
    for (const k of Object.keys(rec)) toValue(rec[k], `${path}.${k}`)
  }
  return fromJSON(x)
}

/** The first document of `s` (null when there is none), or a go-yaml-style error. */
function parse(s: string): unknown {
  try {
    const docs = loadAll(s, { schema: LOAD_SCHEMA })
    return docs.length === 0 ? null : docs[0]
  } catch (err) {
    const e = err as YAMLException
    if (!e.mark || typeof e.reason !== 'string') throw new BuiltinError(`yaml: ${(err as Error).message}`)
    // The stream's end sits past the last line; go-yaml reports the last line.
    const lines = s.split('\n').length
    const line = Math.min(e.mark.line + 1, lines)
    throw new BuiltinError(`yaml: line ${line}: ${goReason(e.reason, s)}`)
  }
}

/** go-yaml's wording for the most common syntax errors, so messages read as OPA's. */
function goReason(reason: string, source: string): string {
  if (reason.startsWith('unexpected end of the stream within a flow collection')) {
    const close = source.lastIndexOf('{') > source.lastIndexOf('[') ? '}' : ']'
    return `did not find expected ',' or '${close}' (${reason})`
  }
  return reason
}

export function yamlUnmarshal(s: string): Value {
  return toValue(parse(s), '')
}

export function yamlIsValid(s: string): boolean {
  try {
    yamlUnmarshal(s)
    return true
  } catch {
    return false
  }
}

/**
 * A number as go-yaml writes it: int64 values in decimal, other values with Go's shortest %g
 * (exponent form below 1e-4 and from 1e6, at least two exponent digits).
 */
export function goYAMLNumber(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 2 ** 63) return String(x)
  const [mantissa, expText] = x.toExponential().split('e') as [string, string]
  const exp = Number(expText)
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
  return String(x)
}

const BASE_FLOAT = DUMP_SCHEMA.tags.find((t) => (t as { tagName: string }).tagName === 'tag:yaml.org,2002:float') as ScalarTagDefinition<number>
const BASE_INT = DUMP_SCHEMA.tags.find((t) => (t as { tagName: string }).tagName === 'tag:yaml.org,2002:int') as ScalarTagDefinition<number>

/** Dumping: every number goes through goYAMLNumber; resolution (what needs quotes) is unchanged. */
const DUMP_NUMBERS = [BASE_INT, BASE_FLOAT].map((base) =>
  defineScalarTag<number>(base.tagName, {
    implicit: base.implicit,
    implicitFirstChars: base.implicitFirstChars,
    resolve: base.resolve,
    identify: base.identify,
    represent: goYAMLNumber,
  })
)
const MARSHAL_SCHEMA = DUMP_SCHEMA.withTags(...DUMP_NUMBERS)

export function yamlMarshal(v: Value): string {
  return dump(toJSON(v), { schema: MARSHAL_SCHEMA, sortKeys: true, seqNoIndent: true, lineWidth: -1 })
}
