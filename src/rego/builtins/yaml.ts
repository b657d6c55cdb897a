/**
 * YAML for yaml.marshal/unmarshal/is_valid. OPA converts through JSON with go-yaml v2, a YAML
 * 1.1 parser: `yes`/`no`/`on`/`off` are booleans, timestamps stay strings, `<<` merges, and
 * output has sorted keys and unindented sequences. Values must be representable as JSON.
 */
import { DUMP_SCHEMA, Schema, dump, loadAll, type YAMLException } from 'js-yaml'
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

export function yamlMarshal(v: Value): string {
  return dump(toJSON(v), { sortKeys: true, seqNoIndent: true, lineWidth: -1 })
}
