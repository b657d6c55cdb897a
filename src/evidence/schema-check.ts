/**
 * A fast yes/no check of a value against the record schema, compiled from RECORD_SCHEMA itself
 * into one straight-line JavaScript function: the verifier's hot path. Ajv stays the authority:
 * when this check says no, ajv runs and its errors are reported; this check only lets valid
 * records through sooner. It understands exactly the keywords the record schema uses and refuses
 * to compile any other, so a schema change cannot silently go unchecked. The source is a string
 * so verification workers (started with `eval: true`) run the same function.
 */
import { RECORD_SCHEMA } from './schema.js'

type Schema = Record<string, unknown>

const KNOWN = new Set([
  '$schema', '$id', 'title', 'description', 'type', 'const', 'enum', 'pattern', 'minLength', 'maxLength',
  'minimum', 'required', 'properties', 'additionalProperties', 'items'
])

class Compiler {
  private n = 0
  readonly lines: string[] = []
  readonly regexes: string[] = []

  private tmp(): string {
    return `v${this.n++}`
  }

  /** Emits statements that `return false` unless `v` (a variable name) matches `schema`. */
  emit(schema: Schema, v: string, where: string): void {
    for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new Error(`schema-check: unsupported keyword '${k}' at ${where}`)
    const out = this.lines
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string]
      const tests = types.map((t) => {
        switch (t) {
          case 'string': return `typeof ${v} === 'string'`
          case 'integer': return `Number.isInteger(${v})`
          case 'array': return `Array.isArray(${v})`
          case 'object': return `(typeof ${v} === 'object' && ${v} !== null && !Array.isArray(${v}))`
          case 'null': return `${v} === null`
          default: throw new Error(`schema-check: unsupported type '${t}' at ${where}`)
        }
      })
      out.push(`if (!(${tests.join(' || ')})) return false`)
    }
    if (schema.const !== undefined) {
      if (typeof schema.const !== 'string') throw new Error(`schema-check: only string const at ${where}`)
      out.push(`if (${v} !== ${JSON.stringify(schema.const)}) return false`)
    }
    if (schema.enum !== undefined) {
      const values = schema.enum as unknown[]
      if (!values.every((x) => x === null || typeof x === 'string')) throw new Error(`schema-check: only string/null enum at ${where}`)
      out.push(`if (!(${values.map((x) => `${v} === ${JSON.stringify(x)}`).join(' || ')})) return false`)
    }
    const isString = `typeof ${v} === 'string'`
    if (schema.pattern !== undefined) {
      // The same regular expression ajv builds (unicode flag, unanchored search).
      const source = `new RegExp(${JSON.stringify(schema.pattern)}, 'u')`
      let index = this.regexes.findIndex((line) => line.endsWith(` = ${source}`))
      if (index < 0) index = this.regexes.push(`const re${this.regexes.length} = ${source}`) - 1
      const r = `re${index}`
      out.push(`if (${isString} && !${r}.test(${v})) return false`)
    }
    // Lengths count code points, as ajv does: the UTF-16 length bounds them from above.
    if (schema.minLength !== undefined) out.push(`if (${isString} && ${v}.length < ${Number(schema.minLength)} && codePoints(${v}) < ${Number(schema.minLength)}) return false`)
    if (schema.maxLength !== undefined) out.push(`if (${isString} && ${v}.length > ${Number(schema.maxLength)} && codePoints(${v}) > ${Number(schema.maxLength)}) return false`)
    if (schema.minimum !== undefined) out.push(`if (typeof ${v} === 'number' && ${v} < ${Number(schema.minimum)}) return false`)
    if (schema.items !== undefined) {
      const i = this.tmp()
      const item = this.tmp()
      out.push(`if (Array.isArray(${v})) for (let ${i} = 0; ${i} < ${v}.length; ${i}++) {`, `const ${item} = ${v}[${i}]`)
      this.emit(schema.items as Schema, item, `${where}/items`)
      out.push('}')
    }
    const props = schema.properties as Record<string, Schema> | undefined
    const additional = schema.additionalProperties
    const required = (schema.required as string[] | undefined) ?? []
    if (props || additional !== undefined || required.length) {
      const isObject = `(typeof ${v} === 'object' && ${v} !== null && !Array.isArray(${v}))`
      out.push(`if (${isObject}) {`)
      for (const r of required) out.push(`if (${v}[${JSON.stringify(r)}] === undefined) return false`)
      if (additional === false || (additional !== undefined && additional !== true)) {
        const k = this.tmp()
        out.push(`for (const ${k} in ${v}) {`)
        const known = Object.keys(props ?? {})
        if (additional === false) {
          out.push(`if (!(${known.map((p) => `${k} === ${JSON.stringify(p)}`).join(' || ') || 'false'})) return false`)
        } else {
          const val = this.tmp()
          out.push(known.length ? `if (${known.map((p) => `${k} === ${JSON.stringify(p)}`).join(' || ')}) continue` : '', `const ${val} = ${v}[${k}]`)
          this.emit(additional as Schema, val, `${where}/additionalProperties`)
        }
        out.push('}')
      }
      for (const [name, sub] of Object.entries(props ?? {})) {
        const val = this.tmp()
        out.push(`if (${v}[${JSON.stringify(name)}] !== undefined) {`, `const ${val} = ${v}[${JSON.stringify(name)}]`)
        this.emit(sub, val, `${where}/properties/${name}`)
        out.push('}')
      }
      out.push('}')
    }
  }
}

function compile(schema: Schema): string {
  const c = new Compiler()
  c.emit(schema, 'value', '#')
  return [
    '// Generated from the record schema (src/evidence/schema-check.ts).',
    'function codePoints(s) { let n = 0; for (let i = 0; i < s.length; i++) { const c = s.charCodeAt(i); if (c < 0xdc00 || c > 0xdfff || i === 0 || (s.charCodeAt(i - 1) & 0xfc00) !== 0xd800) n++ } return n }',
    ...c.regexes,
    'function recordShapeOk(value) {',
    ...c.lines.filter(Boolean),
    'return true',
    '}'
  ].join('\n')
}

/** The source of `recordShapeOk(value)`, generated from RECORD_SCHEMA. */
export const RECORD_SHAPE_SOURCE = compile(RECORD_SCHEMA as unknown as Schema)

/** True when `value` matches the record schema (false means: ask ajv for the errors). */
export const recordShapeOk = new Function(`${RECORD_SHAPE_SOURCE}\nreturn recordShapeOk`)() as (value: unknown) => boolean
